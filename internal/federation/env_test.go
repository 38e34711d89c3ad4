package federation

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/testutil/teststore"
)

// testEnv is the federation handler over a real SQLite-backed core.
type testEnv struct {
	svc *core.Service
	h   *Handler
}

// fixedNow is the clock of golden-file tests, so that dates are stable.
var fixedNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

func testSettings() core.Settings {
	return core.Settings{
		Domain:         "roost.test",
		BaseURL:        "https://roost.test",
		Title:          "Roost test",
		Description:    "A test instance",
		Registration:   model.RegistrationOpen,
		MaxStatusChars: 500,
	}
}

// newTestEnv builds a service over a fresh store in a temporary directory,
// with testSettings and clock now (nil: time.Now).
func newTestEnv(t testing.TB, now func() time.Time) *testEnv {
	t.Helper()
	return newTestEnvWith(t, testSettings(), now)
}

func newTestEnvWith(t testing.TB, set core.Settings, now func() time.Time) *testEnv {
	t.Helper()
	st, v := teststore.SQLite(t)
	svc := core.New(core.Options{Store: st, Vault: v, Settings: set, Now: now})
	h := New(svc, Options{Version: "1.2.3-test", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: now})
	return &testEnv{svc: svc, h: h}
}

// user creates an approved local user.
func (e *testEnv) user(t testing.TB, username string) *model.Account {
	t.Helper()
	return e.userWith(t, core.NewUser{Username: username, Approved: true})
}

func (e *testEnv) userWith(t testing.TB, n core.NewUser) *model.Account {
	t.Helper()
	n.Password = "password-" + n.Username
	a, err := e.svc.CreateUser(context.Background(), n)
	if err != nil {
		t.Fatalf("create user %s: %v", n.Username, err)
	}
	return a
}

// post publishes a status by author.
func (e *testEnv) post(t testing.TB, author *model.Account, text string, vis model.Visibility) *model.Status {
	t.Helper()
	return e.postStatus(t, author, core.NewStatus{Text: text, Visibility: vis})
}

func (e *testEnv) postStatus(t testing.TB, author *model.Account, in core.NewStatus) *model.Status {
	t.Helper()
	v, err := e.svc.PostStatus(context.Background(), author, in)
	if err != nil {
		t.Fatalf("post status: %v", err)
	}
	return v.Status
}

// apAccept is what Mastodon sends when it fetches an object.
const apAccept = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

// get serves a GET of target with the given Accept header ("" for none).
func (e *testEnv) get(target, accept string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// getAP fetches target as a peer would and requires status want.
func (e *testEnv) getAP(t testing.TB, target string, want int) *httptest.ResponseRecorder {
	t.Helper()
	w := e.get(target, apAccept)
	if w.Code != want {
		t.Fatalf("GET %s: status %d, want %d; body %s", target, w.Code, want, w.Body)
	}
	return w
}

// decodeMap decodes a JSON response body.
func decodeMap(t testing.TB, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatalf("decode %s: %v", w.Body, err)
	}
	return m
}
