package core

import (
	"slices"
	"strings"
)

// Scopes is a granted OAuth scope set.
type Scopes []string

// KnownScopes are the scopes Roost grants, as Mastodon names them: the
// top-level ones first, then the fine-grained ones they cover.
var KnownScopes = []string{
	"read", "write", "follow", "push", "profile", "admin:read", "admin:write",
	"read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters",
	"read:follows", "read:lists", "read:mutes", "read:notifications", "read:search", "read:statuses",
	"write:accounts", "write:blocks", "write:bookmarks", "write:conversations", "write:favourites",
	"write:filters", "write:follows", "write:lists", "write:media", "write:mutes",
	"write:notifications", "write:reports", "write:statuses",
	"admin:read:accounts", "admin:read:reports", "admin:read:domain_allows", "admin:read:domain_blocks",
	"admin:read:ip_blocks", "admin:read:email_domain_blocks", "admin:read:canonical_email_blocks",
	"admin:write:accounts", "admin:write:reports", "admin:write:domain_allows", "admin:write:domain_blocks",
	"admin:write:ip_blocks", "admin:write:email_domain_blocks", "admin:write:canonical_email_blocks",
}

// followCovers is what the deprecated "follow" scope grants.
var followCovers = []string{
	"read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes",
}

// DefaultScope is what an app or grant gets when it names none, as Mastodon.
const DefaultScope = "read"

// ParseScopes splits a space-separated scope string, dropping repeats.
func ParseScopes(s string) Scopes {
	var out Scopes
	for _, f := range strings.Fields(s) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// ValidScopes parses a requested scope string: empty means DefaultScope, and
// any scope Roost does not know makes ok false.
func ValidScopes(s string) (sc Scopes, ok bool) {
	sc = ParseScopes(s)
	if len(sc) == 0 {
		return Scopes{DefaultScope}, true
	}
	for _, x := range sc {
		if !slices.Contains(KnownScopes, x) {
			return nil, false
		}
	}
	return sc, true
}

// String joins the scopes with spaces, as OAuth writes them.
func (s Scopes) String() string { return strings.Join(s, " ") }

// Allows reports whether the set grants scope, following Mastodon's
// hierarchy: "read" covers every "read:x", "write" every "write:x",
// "follow" covers reading and writing follows, blocks and mutes, and
// "admin:read"/"admin:write" cover "admin:read:x"/"admin:write:x". A
// fine-grained scope never grants its parent.
func (s Scopes) Allows(scope string) bool {
	if scope == "" {
		return false
	}
	for _, g := range s {
		if g == scope || covers(g, scope) {
			return true
		}
	}
	return false
}

// AllowsAny reports whether the set grants at least one of scopes.
func (s Scopes) AllowsAny(scopes ...string) bool {
	return slices.ContainsFunc(scopes, s.Allows)
}

// Within reports whether every scope in s is granted by parent: a grant may
// narrow an app's registered scopes but never widen them.
func (s Scopes) Within(parent Scopes) bool {
	for _, x := range s {
		if !parent.Allows(x) {
			return false
		}
	}
	return true
}

func covers(granted, scope string) bool {
	switch granted {
	case "read", "write", "admin:read", "admin:write":
		return strings.HasPrefix(scope, granted+":") && !strings.Contains(scope[len(granted)+1:], ":")
	case "follow":
		return slices.Contains(followCovers, scope)
	}
	return false
}
