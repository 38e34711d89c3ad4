package webpages

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzRedirect: whatever the path and Accept header, a redirect goes to a
// path of this site made only of a username and digits, never elsewhere.
func FuzzRedirect(f *testing.F) {
	for _, seed := range [][2]string{
		{"/users/alice", "text/html"}, {"/users/alice/statuses/12", "text/html"},
		{"/@alice", "application/activity+json"}, {"/@alice/12", "application/ld+json"},
		{"/users//evil.example", "text/html"}, {"/@/\\evil", "application/json"},
		{"/users/a%2F%2Fevil/statuses/1", "text/html"}, {"/users/alice", "text/html;q=0.5, application/json;q=0"},
	} {
		f.Add(seed[0], seed[1])
	}
	s := &Server{}
	f.Fuzz(func(t *testing.T, path, accept string) {
		u, err := url.Parse("http://roost.test" + path)
		if err != nil || !strings.HasPrefix(path, "/") {
			return
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.URL = u
		r.Header.Set("Accept", accept)
		target, ok := s.redirect(r)
		if !ok {
			return
		}
		if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.ContainsAny(target, "\\?#:%. \r\n") {
			t.Fatalf("%q (Accept %q) redirects to %q", path, accept, target)
		}
	})
}
