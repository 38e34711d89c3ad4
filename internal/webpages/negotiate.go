package webpages

import (
	"net/http"
	"strings"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/text"
)

// htmlTypes are the media types of a page.
var htmlTypes = []string{"text/html", "application/xhtml+xml"}

// wantsActivity reports whether r asks for an ActivityStreams document,
// as the federation adapter decides it.
func wantsActivity(r *http.Request) bool {
	return ap.WantsActivity(r.Header.Values("Accept"))
}

// wantsPage reports whether r is a browser's: it names HTML and no
// ActivityStreams type. A bare */* (curl) is neither, and is left to the
// federation adapter's 406.
func wantsPage(r *http.Request) bool {
	h := r.Header.Values("Accept")
	return ap.Accepts(h, htmlTypes...) && !ap.WantsActivity(h)
}

// redirect works out where a request for an address of the other kind
// goes: a browser at /users/name(/statuses/id) to /@name(/id), an
// ActivityPub client at /@name(/id) to /users/name(/statuses/id). It looks
// nothing up, so a redirect says nothing about what exists; the target
// answers 404 for what does not.
func (s *Server) redirect(r *http.Request) (string, bool) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case len(parts) == 2 && parts[0] == "users" && plainName(parts[1]) && wantsPage(r):
		return "/@" + parts[1], true
	case len(parts) == 4 && parts[0] == "users" && parts[2] == "statuses" && plainName(parts[1]) && digits(parts[3]) && wantsPage(r):
		return "/@" + parts[1] + "/" + parts[3], true
	case len(parts) == 1 && strings.HasPrefix(parts[0], "@") && plainName(parts[0][1:]) && wantsActivity(r):
		return "/users/" + parts[0][1:], true
	case len(parts) == 2 && strings.HasPrefix(parts[0], "@") && plainName(parts[0][1:]) && digits(parts[1]) && wantsActivity(r):
		return "/users/" + parts[0][1:] + "/statuses/" + parts[1], true
	}
	return "", false
}

// plainName reports whether s could be a local username (text's rule),
// which also keeps odd bytes out of a Location header.
func plainName(s string) bool { return text.ValidUsername(s) == nil }

// digits reports whether s is a decimal number of at most 19 digits (an
// int64 status id).
func digits(s string) bool {
	if s == "" || len(s) > 19 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
