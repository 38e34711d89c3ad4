package text

import (
	"strings"

	"github.com/roost-social/roost/internal/model"
)

// MaxUsernameLen is Mastodon's limit for local usernames.
const MaxUsernameLen = 30

// ValidUsername checks a new local username against Mastodon's rule:
// 1 to 30 ASCII letters, digits or underscores (/\A[a-z0-9_]+\z/i). It
// returns a model.ValidationError whose message is safe to show. Remote
// usernames, which may hold "." and "-", are not checked here.
func ValidUsername(u string) error {
	switch {
	case u == "":
		return model.Invalid("username can't be blank")
	case strings.IndexFunc(u, func(r rune) bool { return !isASCIIAlnum(r) && r != '_' }) >= 0:
		return model.Invalid("username may only contain letters, numbers and underscores")
	case len(u) > MaxUsernameLen:
		return model.Invalid("username is too long (maximum is 30 characters)")
	}
	return nil
}

// reserved are names a visitor may not sign up with: they could pass for
// staff, the instance itself, or a path of the site.
var reserved = wordSet(`
		admin admins administrator administrators root sysadmin system staff
		support help helpdesk info contact mod mods moderator moderators
		owner roost mastodon official team security abuse postmaster
		hostmaster webmaster noreply no_reply mailer_daemon
		instance actor inbox outbox followers following api oauth auth
		login logout signin signup sign_in sign_up register
		about privacy terms legal tos settings well_known wellknown
		nodeinfo webfinger users statuses tags explore search media
		notifications home public local federated everyone all here
		null undefined nobody anonymous`)

func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// Reserved reports whether u (in any case) is kept from local sign-up.
// Administrators may still create such accounts.
func Reserved(u string) bool {
	return reserved[strings.ToLower(u)]
}
