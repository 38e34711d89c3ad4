package webpages

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/testutil/teststore"
	"github.com/roost-social/roost/internal/vault"
)

// testEnv is the pages over a real store, behind a stand-in for the rest
// of the site that answers "rest" to anything the pages do not take.
type testEnv struct {
	srv *httptest.Server
	svc *core.Service
	st  store.Store
}

const testBase = "https://roost.test"

// newTestEnv starts the pages over a fresh SQLite store or, with
// ROOST_TEST_API_STORE=postgres, PostgreSQL (as the API tests do).
func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvWith(t, func(*core.Settings) {})
}

// newTestEnvWith is newTestEnv with settings that change changes.
func newTestEnvWith(t *testing.T, change func(*core.Settings)) *testEnv {
	t.Helper()
	st, v := openStore(t)
	set := core.Settings{
		Domain: "roost.test", BaseURL: testBase, Title: "Roost test",
		Description: "A test instance", ContactEmail: "admin@roost.test",
		Rules: []string{"Be kind", "No <spam>"}, Languages: []string{"en"},
		Registration: model.RegistrationOpen, MaxStatusChars: 500,
	}
	change(&set)
	svc := core.New(core.Options{Store: st, Vault: v, Settings: set})
	pages := New(svc, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	rest := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "rest") })
	e := &testEnv{srv: httptest.NewServer(pages.Wrap(rest)), svc: svc, st: st}
	t.Cleanup(e.srv.Close)
	return e
}

func openStore(t *testing.T) (store.Store, *vault.Vault) {
	t.Helper()
	if os.Getenv("ROOST_TEST_API_STORE") == "postgres" {
		return teststore.Postgres(t)
	}
	return teststore.SQLite(t)
}

// user creates an approved local account.
func (e *testEnv) user(t *testing.T, name string) *model.Account {
	t.Helper()
	a, err := e.svc.CreateUser(context.Background(), core.NewUser{
		Username: name, Password: "password-" + name, Role: model.RoleUser, Approved: true,
	})
	if err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return a
}

// post publishes text by a with visibility vis, replying to replyTo (0:
// none), and returns the status.
func (e *testEnv) post(t *testing.T, a *model.Account, text string, vis model.Visibility, replyTo int64) *model.Status {
	t.Helper()
	v, err := e.svc.PostStatus(context.Background(), a, core.NewStatus{Text: text, Visibility: vis, InReplyToID: replyTo})
	if err != nil {
		t.Fatalf("post %q: %v", text, err)
	}
	return v.Status
}

// page is one response.
type page struct {
	code   int
	header http.Header
	body   string
}

// get fetches path as a browser would, without following redirects.
func (e *testEnv) get(t *testing.T, path string) page {
	t.Helper()
	return e.getAccept(t, path, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
}

func (e *testEnv) getAccept(t *testing.T, path, accept string) page {
	t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	c := *e.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return page{resp.StatusCode, resp.Header, string(b)}
}

// want fails t unless p has status code and contains every one of in and
// none of out.
func (p page) want(t *testing.T, what string, code int, in, out []string) {
	t.Helper()
	if p.code != code {
		t.Errorf("%s: status %d, want %d\n%s", what, p.code, code, p.body)
		return
	}
	for _, s := range in {
		if !strings.Contains(p.body, s) {
			t.Errorf("%s: page lacks %q", what, s)
		}
	}
	for _, s := range out {
		if strings.Contains(p.body, s) {
			t.Errorf("%s: page shows %q", what, s)
		}
	}
}
