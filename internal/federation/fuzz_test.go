package federation

import (
	"errors"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

// FuzzWebFingerResource feeds the resource parser and the Accept parser
// untrusted input: they must not panic, a resource either parses, names
// nothing here or is malformed, and a parsed one names this server.
func FuzzWebFingerResource(f *testing.F) {
	for _, s := range []string{
		"acct:alice@roost.test", "https://roost.test/users/alice", "https://roost.test/@alice",
		"acct:roost.test@roost.test", "alice@roost.test", "acct:@@", "https://%zz", "http://[::1]:x/",
		`application/ld+json; profile="https://www.w3.org/ns/activitystreams", text/html;q=0.1`,
	} {
		f.Add(s)
	}
	h := &Handler{set: testSettings(), urls: urls{base: "https://roost.test"}}
	f.Fuzz(func(t *testing.T, s string) {
		wantsActivity([]string{s})
		tg, err := h.parseResource(s)
		switch {
		case err == nil:
			if !tg.instance && tg.username == "" {
				t.Errorf("%q parsed to nothing", s)
			}
			if !strings.Contains(strings.ToLower(s), "roost.test") {
				t.Errorf("%q names another server but parsed", s)
			}
		case errors.Is(err, errBadResource), errors.Is(err, model.ErrNotFound):
		default:
			t.Errorf("%q: unexpected error %v", s, err)
		}
	})
}
