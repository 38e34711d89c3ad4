package mastoapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// logBuffer is a goroutine-safe buffer for a captured log.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// failingStore fails to store statuses whose text holds "fail-me", so that
// a request meets an internal error.
type failingStore struct{ store.Store }

func (f failingStore) CreateStatus(ctx context.Context, st *model.Status) error {
	if strings.Contains(st.Text, "fail-me") {
		return errors.New("store: create status: disk on fire")
	}
	return f.Store.CreateStatus(ctx, st)
}

// TestNothingPersonalIsLogged runs sign-up, both sign-ins, posting and a
// range of failures (an internal one included) with everything logged at
// debug level, and checks the log holds no token, password, email, post
// body, user agent or address.
func TestNothingPersonalIsLogged(t *testing.T) {
	var logs logBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	prev := slog.Default()
	slog.SetDefault(logger)
	t.Cleanup(func() { slog.SetDefault(prev) })
	e := newTestEnvLogged(t, testSettings(), logger, func(s store.Store) store.Store { return failingStore{s} })

	const (
		email    = "canary.person@example.org"
		password = "Canary-Passw0rd-Secret"
		wrongPw  = "Wrong-Canary-Passw0rd"
		body     = "canary post body with a secret"
		agent    = "CanaryAgent/1.0"
		idemKey  = "canary-idempotency-key"
	)
	var secrets []string
	do := func(method, path, token string, payload any) (int, http.Header, []byte) {
		t.Helper()
		req := e.request(t, method, path, token, payload)
		req.Header.Set("User-Agent", agent)
		req.Header.Set("X-Forwarded-For", "203.0.113.77")
		if method == "POST" && path == "/api/v1/statuses" && token != "" {
			req.Header.Set("Idempotency-Key", idemKey+"-"+strings.Repeat("x", len(secrets)))
			secrets = append(secrets, "") // a new key for each post
		}
		return e.send(t, req)
	}

	app := e.newApp(t, "read write follow")
	secrets = append(secrets, app.ClientSecret)
	appTok := e.appToken(t, "read write follow")
	secrets = append(secrets, appTok)
	code, _, out := do("POST", "/api/v1/accounts", appTok, map[string]any{
		"username": "canary", "email": email, "password": password, "agreement": true, "reason": body,
	})
	wantStatus(t, code, 200, out)
	secrets = append(secrets, decode[tokenJSON](t, out).AccessToken)

	grant := url.Values{"grant_type": {"password"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret},
		"username": {email}, "password": {wrongPw}, "scope": {"read write"}}
	code, _, out = do("POST", "/oauth/token", "", grant)
	wantStatus(t, code, 400, out)
	grant.Set("password", password)
	code, _, out = do("POST", "/oauth/token", "", grant)
	wantStatus(t, code, 200, out)
	tok := decode[tokenJSON](t, out).AccessToken
	secrets = append(secrets, tok)

	// The sign-in page: a wrong password, then the right one; the redirect
	// carries the code and state only.
	verifier := strings.Repeat("canary-verifier-", 4)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"client_id": {app.ClientID}, "redirect_uri": {callback}, "response_type": {"code"},
		"scope": {"read"}, "state": {"st"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"}}
	b := &browser{e: e}
	_, csrf, _ := b.open(t, q)
	form := url.Values{"csrf": {csrf}, "decision": {"approve"}, "username": {"canary"}, "password": {wrongPw}}
	for k, v := range q {
		form[k] = v
	}
	_, _, page := b.submit(t, form)
	form.Set("csrf", csrfField.FindStringSubmatch(page)[1])
	form.Set("password", password)
	code, h, _ := b.submit(t, form)
	if code != http.StatusFound {
		t.Fatalf("sign-in: %d", code)
	}
	loc, _ := url.Parse(h.Get("Location"))
	for k := range loc.Query() {
		if k != "code" && k != "state" {
			t.Errorf("the redirect carries %q: %s", k, loc)
		}
	}
	secrets = append(secrets, loc.Query().Get("code"), verifier)
	code, out = e.grant(t, url.Values{"grant_type": {"authorization_code"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "code": {loc.Query().Get("code")}, "redirect_uri": {callback},
		"code_verifier": {verifier}})
	wantStatus(t, code, 200, out)
	secrets = append(secrets, decode[tokenJSON](t, out).AccessToken)

	// Posting, and failing in every way.
	code, _, out = do("POST", "/api/v1/statuses", tok, map[string]any{"status": body, "spoiler_text": body})
	wantStatus(t, code, 200, out)
	for _, c := range []struct {
		payload any
		token   string
		want    int
	}{
		{map[string]any{"status": body + " fail-me"}, tok, 500},
		{`{"status": "` + body + `"`, tok, 400},
		{map[string]any{"status": body + strings.Repeat("!", 600)}, tok, 422},
		{url.Values{"status": {body + strings.Repeat("!", 70<<10)}}, tok, 413},
		{map[string]any{"status": body}, "canary-bad-token-" + password, 401},
		{map[string]any{"status": body, "in_reply_to_id": "1"}, tok, 404},
	} {
		code, _, out := do("POST", "/api/v1/statuses", c.token, c.payload)
		if code != c.want {
			t.Errorf("post: %d, want %d: %s", code, c.want, out)
		}
	}
	code, _, out = do("POST", "/oauth/revoke", "", url.Values{"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "token": {tok}})
	wantStatus(t, code, 200, out)
	code, _, out = do("GET", "/api/v1/accounts/verify_credentials", tok, nil)
	wantStatus(t, code, 401, out)

	log := logs.String()
	if !strings.Contains(log, "request failed") {
		t.Fatalf("the internal error was not logged; the test saw nothing:\n%s", log)
	}
	canaries := append(secrets, email, password, wrongPw, "canary post body", agent, idemKey, "203.0.113.77", "127.0.0.1", "canary-bad-token")
	for _, c := range canaries {
		if c != "" && strings.Contains(log, c) {
			t.Errorf("the log holds %q:\n%s", c, log)
		}
	}
	if m := regexp.MustCompile(`\[::1\]|127\.0\.0\.1:\d+`).FindString(log); m != "" {
		t.Errorf("the log holds an address %q", m)
	}
}
