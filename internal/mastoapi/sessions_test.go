package mastoapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// freshSession signs alice in once more and returns the new token's
// session id, for a route test to revoke.
func (w *routeWorld) freshSession(t *testing.T) string {
	t.Helper()
	ctx, alice := context.Background(), &core.Auth{Account: w.alice}
	ids := func() []int64 {
		l, err := w.svc.Sessions(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, s := range l {
			out = append(out, s.Token.ID)
		}
		return out
	}
	before := ids()
	w.testEnv.token(t, "alice", "read")
	for _, id := range ids() {
		if !slices.Contains(before, id) {
			return model.FormatID(id)
		}
	}
	t.Fatal("no new session")
	return ""
}

func TestSessionsAPI(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	_, tok := e.user(t, "alice", "read write")
	other := e.token(t, "alice", "read")
	_, bobTok := e.user(t, "bob", "read write")
	app, _, err := e.svc.CreateApp(ctx, core.NewApp{Name: "Pigeon", Website: "https://pigeon.example",
		RedirectURIs: []string{core.OOBRedirect}, Scopes: "read write follow"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.PasswordGrant(ctx, app, "alice", "password-alice", "read follow"); err != nil {
		t.Fatal(err)
	}

	list := func(tok string) []Session {
		t.Helper()
		code, _, body := e.do(t, "GET", "/api/v1/roost/sessions", tok, nil)
		wantStatus(t, code, 200, body)
		if strings.Contains(string(body), tok) {
			t.Fatal("the listing shows a token")
		}
		return decode[[]Session](t, body)
	}
	l := list(tok)
	if len(l) != 3 {
		t.Fatalf("alice's sessions = %+v", l)
	}
	today := time.Now().UTC().Format("2006-01-02")
	var pigeon Session
	current := 0
	for _, s := range l {
		if s.App.Name == "Pigeon" {
			pigeon = s
		}
	}
	if pigeon.App.Name != "Pigeon" || pigeon.App.Website == nil || *pigeon.App.Website != "https://pigeon.example" ||
		strings.Join(pigeon.Scopes, " ") != "read follow" || pigeon.CreatedDay != today || pigeon.Current {
		t.Errorf("pigeon session = %+v", pigeon)
	}
	for _, s := range l {
		if s.Current {
			current++
			if s.LastUsedDay == nil || *s.LastUsedDay != today || strings.Join(s.Scopes, " ") != "read write" {
				t.Errorf("current session = %+v", s)
			}
		}
	}
	if current != 1 {
		t.Errorf("%d current sessions", current)
	}
	if b := list(bobTok); len(b) != 1 || !b[0].Current {
		t.Errorf("bob's sessions = %+v", b)
	}

	// Revoking: not someone else's (404), not with a read-only token (403).
	bobs := list(bobTok)[0].ID
	code, _, body := e.do(t, "DELETE", "/api/v1/roost/sessions/"+bobs, tok, nil)
	wantStatus(t, code, 404, body)
	wantErrorEntity(t, "someone else's", routeSpec{}, code, body)
	code, _, body = e.do(t, "DELETE", "/api/v1/roost/sessions/"+pigeon.ID, bobTok, nil)
	wantStatus(t, code, 404, body)
	code, _, body = e.do(t, "DELETE", "/api/v1/roost/sessions/"+pigeon.ID, other, nil)
	wantStatus(t, code, 403, body)
	code, _, body = e.do(t, "DELETE", "/api/v1/roost/sessions/"+pigeon.ID, tok, nil)
	wantStatus(t, code, 200, body)
	if l := list(tok); len(l) != 2 || slices.ContainsFunc(l, func(s Session) bool { return s.ID == pigeon.ID }) {
		t.Errorf("after revoke = %+v", l)
	}
	code, _, body = e.do(t, "DELETE", "/api/v1/roost/sessions/"+pigeon.ID, tok, nil)
	wantStatus(t, code, 404, body)

	// Revoking the current session signs out.
	var cur string
	for _, s := range list(tok) {
		if s.Current {
			cur = s.ID
		}
	}
	code, _, body = e.do(t, "DELETE", "/api/v1/roost/sessions/"+cur, tok, nil)
	wantStatus(t, code, 200, body)
	code, _, body = e.do(t, "GET", "/api/v1/roost/sessions", tok, nil)
	wantStatus(t, code, 401, body)
	if l := list(other); len(l) != 1 || !l[0].Current {
		t.Errorf("alice's other session = %+v", l)
	}
}

// roostAdminChecker checks the sessions and domain-block import answers,
// which Mastodon's schema lacks: Roost's own entities, or the error entity.
type roostAdminChecker struct{ next responseChecker }

func withSessionsAndImport(next responseChecker) responseChecker {
	return roostAdminChecker{next: next}
}

func (c roostAdminChecker) CheckResponse(t testing.TB, method, path string, status int, header http.Header, body []byte) {
	t.Helper()
	var v any
	switch {
	case status >= 400 && (strings.HasPrefix(path, "/api/v1/roost/sessions") || path == importPath):
		var e apiError
		if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
			t.Errorf("%s %s -> %d without an error entity: %.200s", method, path, status, body)
		}
		return
	case method == http.MethodGet && path == "/api/v1/roost/sessions":
		v = &[]Session{}
	case method == http.MethodDelete && strings.HasPrefix(path, "/api/v1/roost/sessions/"):
		v = &map[string]any{}
	case path == importPath:
		v = &DomainImportResult{}
	default:
		c.next.CheckResponse(t, method, path, status, header, body)
		return
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Errorf("%s %s: not Roost's entity: %v: %.200s", method, path, err, body)
	}
	if m, ok := v.(*map[string]any); ok && len(*m) != 0 {
		t.Errorf("%s %s: want {}: %.200s", method, path, body)
	}
}
