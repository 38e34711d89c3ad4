package mastoapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/testutil/teststore"
	"github.com/roost-social/roost/internal/vault"
)

// testEnv is a running API over a real SQLite store, for tests of both the
// accounts and the statuses endpoints.
type testEnv struct {
	srv *httptest.Server
	api *Server
	svc *core.Service
	// schema validates every JSON response; nil when the spec is absent.
	schema responseChecker
}

// responseChecker validates a response against the Mastodon OpenAPI schema.
type responseChecker interface {
	CheckResponse(t testing.TB, method, path string, status int, header http.Header, body []byte)
}

// testSettings are the instance settings every API test starts from.
func testSettings() core.Settings {
	return core.Settings{
		Domain:         "roost.test",
		BaseURL:        "https://roost.test",
		Title:          "Roost test",
		Description:    "A test instance",
		ContactEmail:   "admin@roost.test",
		Rules:          []string{"Be kind"},
		Languages:      []string{"en"},
		Registration:   model.RegistrationOpen,
		MaxStatusChars: 500,
		ShowPeers:      true,
		ShowActivity:   true,
	}
}

// newTestEnv starts the API over a fresh store with testSettings.
func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	return newTestEnvWith(t, testSettings())
}

// newTestEnvWith starts the API over a fresh store with set.
func newTestEnvWith(t testing.TB, set core.Settings) *testEnv {
	t.Helper()
	return newTestEnvLogged(t, set, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
}

// newTestEnvLogged starts the API with set, logging to log, over a fresh
// store that wrap (when not nil) may wrap.
func newTestEnvLogged(t testing.TB, set core.Settings, log *slog.Logger, wrap func(store.Store) store.Store) *testEnv {
	t.Helper()
	st := openTestStore(t)
	used := st.Store
	if wrap != nil {
		used = wrap(st)
	}
	svc := core.New(core.Options{Store: used, Vault: st.vault, Settings: set})
	api := New(svc, Options{MaxBodyBytes: 64 << 10, Logger: log})
	e := &testEnv{srv: httptest.NewServer(api), api: api, svc: svc, schema: loadSchema(t)}
	t.Cleanup(e.srv.Close)
	return e
}

// testStore is a store with its vault.
type testStore struct {
	store.Store
	vault *vault.Vault
}

// openTestStore opens a fresh store, closed when t ends: SQLite in a
// temporary directory or, with ROOST_TEST_API_STORE=postgres, PostgreSQL
// in fresh schemas (skipped where the server cannot be reached).
func openTestStore(t testing.TB) testStore {
	t.Helper()
	if os.Getenv("ROOST_TEST_API_STORE") == "postgres" {
		st, v := teststore.Postgres(t)
		return testStore{st, v}
	}
	st, v := teststore.SQLite(t)
	return testStore{st, v}
}

// user creates an approved local user with the password
// "password-"+username and returns it with a bearer token carrying scopes.
func (e *testEnv) user(t testing.TB, username, scopes string) (*model.Account, string) {
	t.Helper()
	ctx := context.Background()
	a, err := e.svc.CreateUser(ctx, core.NewUser{
		Username: username, Password: "password-" + username, Role: model.RoleUser, Approved: true,
	})
	if err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return a, e.token(t, username, scopes)
}

// token signs username in through the password grant of a fresh app and
// returns a bearer token carrying scopes.
func (e *testEnv) token(t testing.TB, username, scopes string) string {
	t.Helper()
	ctx := context.Background()
	app, _, err := e.svc.CreateApp(ctx, core.NewApp{Name: "test", RedirectURIs: []string{core.OOBRedirect}, Scopes: scopes})
	if err != nil {
		t.Fatalf("create app: %v", err)
	}
	g, err := e.svc.PasswordGrant(ctx, app, username, "password-"+username, scopes)
	if err != nil {
		t.Fatalf("password grant for %s: %v", username, err)
	}
	return g.AccessToken
}

// do sends a request and returns the response. body is sent as a form when
// it is url.Values, as-is when it is a string or []byte (with a JSON content
// type), and as JSON otherwise. Every JSON response is validated against the
// Mastodon OpenAPI schema.
func (e *testEnv) do(t testing.TB, method, path, token string, body any) (int, http.Header, []byte) {
	t.Helper()
	return e.send(t, e.request(t, method, path, token, body))
}

// request builds the request do sends.
func (e *testEnv) request(t testing.TB, method, path, token string, body any) *http.Request {
	t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// send performs req without following redirects, and validates a JSON
// response against the schema.
func (e *testEnv) send(t testing.TB, req *http.Request) (int, http.Header, []byte) {
	t.Helper()
	c := *e.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if e.schema != nil && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		e.schema.CheckResponse(t, req.Method, req.URL.Path, resp.StatusCode, resp.Header, out)
	}
	return resp.StatusCode, resp.Header, out
}

// decode unmarshals a response body, failing the test when it is not JSON.
func decode[T any](t testing.TB, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, body)
	}
	return v
}

// wantStatus fails the test unless got is want.
func wantStatus(t testing.TB, got, want int, body []byte) {
	t.Helper()
	if got != want {
		t.Fatalf("status %d, want %d; body: %s", got, want, body)
	}
}
