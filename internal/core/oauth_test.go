package core

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
)

const testRedirect = "https://app.example/callback"

func pkcePair(t *testing.T) (verifier, challenge string) {
	t.Helper()
	v, err := randomToken(32)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(v))
	return v, base64.RawURLEncoding.EncodeToString(sum[:])
}

func TestCreateApp(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	app, secret, err := s.CreateApp(ctx, NewApp{Name: " Tusky ", Website: "https://tusky.app", RedirectURIs: []string{testRedirect, OOBRedirect}, Scopes: "read write push"})
	if err != nil {
		t.Fatal(err)
	}
	if app.Name != "Tusky" || app.Scopes != "read write push" || len(app.ClientID) < 43 || len(secret) < 43 {
		t.Errorf("app = %+v, secret length %d", app, len(secret))
	}
	sum := sha256.Sum256([]byte(secret))
	if !bytes.Equal(app.ClientSecretHash, sum[:]) {
		t.Error("the client secret is not stored as its SHA-256")
	}
	if got, err := s.AppByCredentials(ctx, app.ClientID, secret); err != nil || got.ID != app.ID {
		t.Errorf("AppByCredentials = %v, %v", got, err)
	}
	for _, bad := range [][2]string{{app.ClientID, "wrong"}, {"nope", secret}, {app.ClientID, ""}, {"", ""}} {
		if _, err := s.AppByCredentials(ctx, bad[0], bad[1]); err != ErrInvalidClient {
			t.Errorf("AppByCredentials(%q, %q) = %v", bad[0], bad[1], err)
		}
	}
	if a, _, _ := s.CreateApp(ctx, NewApp{Name: "x", RedirectURIs: []string{OOBRedirect}}); a.Scopes != "read" {
		t.Errorf("default scopes %q, want read", a.Scopes)
	}
}

func TestCreateAppValidation(t *testing.T) {
	s := newTestService(t)
	for _, tt := range []struct {
		app   NewApp
		field string
	}{
		{NewApp{Name: "", RedirectURIs: []string{OOBRedirect}}, "name"},
		{NewApp{Name: "a", RedirectURIs: nil}, "redirect_uri"},
		{NewApp{Name: "a", RedirectURIs: []string{"/relative"}}, "redirect_uri"},
		{NewApp{Name: "a", RedirectURIs: []string{"https://x.example/cb#frag"}}, "redirect_uri"},
		{NewApp{Name: "a", RedirectURIs: []string{"javascript:alert(1)"}}, "redirect_uri"},
		{NewApp{Name: "a", RedirectURIs: []string{OOBRedirect}, Scopes: "read admin:everything"}, "scopes"},
		{NewApp{Name: "a", RedirectURIs: []string{OOBRedirect}, Website: "ftp://x"}, "website"},
	} {
		_, _, err := s.CreateApp(context.Background(), tt.app)
		if fieldCodes(t, err)[tt.field] == "" {
			t.Errorf("%+v: %v, want an error on %s", tt.app, err, tt.field)
		}
	}
	if _, _, err := s.CreateApp(context.Background(), NewApp{Name: "a", RedirectURIs: []string{"org.joinmastodon.app://callback"}}); err != nil {
		t.Errorf("an app scheme redirect was refused: %v", err)
	}
}

type codeWorld struct {
	s      *Service
	clock  *testClock
	app    *model.App
	secret string
	alice  *model.Account
}

func newCodeWorld(t *testing.T) *codeWorld {
	clock := newTestClock()
	s := newTestServiceWith(t, testSettings(), clock.Now)
	app, secret, err := s.CreateApp(context.Background(), NewApp{Name: "app", RedirectURIs: []string{testRedirect, OOBRedirect}, Scopes: "read write follow"})
	if err != nil {
		t.Fatal(err)
	}
	return &codeWorld{s: s, clock: clock, app: app, secret: secret, alice: mustCreateUser(t, s, "alice")}
}

func (w *codeWorld) code(t *testing.T, challenge, scope string) string {
	t.Helper()
	req := AuthRequest{ClientID: w.app.ClientID, RedirectURI: testRedirect, ResponseType: "code", Scope: scope, CodeChallenge: challenge}
	if challenge != "" {
		req.CodeChallengeMethod = "S256"
	}
	code, err := w.s.IssueCode(context.Background(), req, w.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	ctx := context.Background()
	w := newCodeWorld(t)
	verifier, challenge := pkcePair(t)
	code := w.code(t, challenge, "read write:statuses")

	g, err := w.s.ExchangeCode(ctx, w.app, code, testRedirect, verifier)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	a := mustAuth(t, w.s, g.AccessToken)
	if a.ViewerID() != w.alice.ID || a.Scopes.String() != "read write:statuses" || a.App.ID != w.app.ID {
		t.Errorf("token: account %d scopes %q", a.ViewerID(), a.Scopes)
	}
	if _, err := w.s.ExchangeCode(ctx, w.app, code, testRedirect, verifier); err != ErrInvalidGrant {
		t.Errorf("a code worked twice: %v", err)
	}
}

func TestAuthorizationCodeRefusals(t *testing.T) {
	ctx := context.Background()
	w := newCodeWorld(t)
	verifier, challenge := pkcePair(t)
	other, _, _ := w.s.CreateApp(ctx, NewApp{Name: "other", RedirectURIs: []string{testRedirect}})

	tests := []struct {
		name     string
		app      *model.App
		redirect string
		verifier string
		wait     time.Duration
	}{
		{"bad verifier", w.app, testRedirect, verifier[:len(verifier)-1] + "x", 0},
		{"no verifier", w.app, testRedirect, "", 0},
		{"challenge as verifier", w.app, testRedirect, challenge, 0},
		{"expired", w.app, testRedirect, verifier, authCodeTTL + time.Second},
		{"other redirect", w.app, OOBRedirect, verifier, 0},
		{"other app", other, testRedirect, verifier, 0},
	}
	for _, tt := range tests {
		code := w.code(t, challenge, "")
		w.clock.Advance(tt.wait)
		if _, err := w.s.ExchangeCode(ctx, tt.app, code, tt.redirect, tt.verifier); err != ErrInvalidGrant {
			t.Errorf("%s: %v, want invalid_grant", tt.name, err)
		}
		// A failed exchange still uses the code up.
		if _, err := w.s.ExchangeCode(ctx, w.app, code, testRedirect, verifier); err != ErrInvalidGrant {
			t.Errorf("%s: the code survived a failed exchange: %v", tt.name, err)
		}
	}
	if _, err := w.s.ExchangeCode(ctx, w.app, "never-issued", testRedirect, verifier); err != ErrInvalidGrant {
		t.Errorf("unknown code: %v", err)
	}
	// Without PKCE the code alone (with the client's secret) is enough.
	if _, err := w.s.ExchangeCode(ctx, w.app, w.code(t, "", ""), testRedirect, ""); err != nil {
		t.Errorf("code without PKCE: %v", err)
	}
}

func TestAuthorizationCodeForSuspendedUser(t *testing.T) {
	ctx := context.Background()
	w := newCodeWorld(t)
	code := w.code(t, "", "")
	if err := w.s.SuspendAccount(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ExchangeCode(ctx, w.app, code, testRedirect, ""); err != ErrInvalidGrant {
		t.Errorf("a suspended user's code was exchanged: %v", err)
	}
}

func TestCheckAuthRequest(t *testing.T) {
	ctx := context.Background()
	w := newCodeWorld(t)
	_, challenge := pkcePair(t)
	good := AuthRequest{ClientID: w.app.ClientID, RedirectURI: testRedirect, ResponseType: "code", Scope: "read follow"}
	if _, sc, err := w.s.CheckAuthRequest(ctx, good); err != nil || sc.String() != "read follow" {
		t.Fatalf("good request: %v, %v", sc, err)
	}
	noScope := good
	noScope.Scope = ""
	if _, sc, _ := w.s.CheckAuthRequest(ctx, noScope); sc.String() != "read write follow" {
		t.Errorf("no scope asked: got %q, want the app's", sc)
	}
	for _, tt := range []struct {
		name string
		edit func(*AuthRequest)
		code string
	}{
		{"unknown client", func(r *AuthRequest) { r.ClientID = "nope" }, "invalid_client"},
		{"unregistered redirect", func(r *AuthRequest) { r.RedirectURI = "https://evil.example/cb" }, "invalid_redirect_uri"},
		{"token response", func(r *AuthRequest) { r.ResponseType = "token" }, "unsupported_response_type"},
		{"scope beyond the app", func(r *AuthRequest) { r.Scope = "read push" }, "invalid_scope"},
		{"unknown scope", func(r *AuthRequest) { r.Scope = "read:everything" }, "invalid_scope"},
		{"plain PKCE", func(r *AuthRequest) { r.CodeChallenge, r.CodeChallengeMethod = challenge, "plain" }, "invalid_request"},
		{"PKCE without method", func(r *AuthRequest) { r.CodeChallenge = challenge }, "invalid_request"},
		{"malformed challenge", func(r *AuthRequest) { r.CodeChallenge, r.CodeChallengeMethod = "short", "S256" }, "invalid_request"},
	} {
		r := good
		tt.edit(&r)
		_, _, err := w.s.CheckAuthRequest(ctx, r)
		var oe *OAuthError
		if !errors.As(err, &oe) || oe.Code != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}
}

func TestPasswordGrant(t *testing.T) {
	ctx := context.Background()
	w := newCodeWorld(t)
	g, err := w.s.PasswordGrant(ctx, w.app, "alice", "password-alice", "read")
	if err != nil {
		t.Fatal(err)
	}
	if a := mustAuth(t, w.s, g.AccessToken); a.Scopes.String() != "read" || a.User == nil {
		t.Errorf("auth = %+v", a)
	}
	// The token keeps the day of the sign-in, not its moment, in its
	// creation time and in its ID alike.
	if !g.Token.CreatedAt.Equal(g.Token.CreatedAt.Truncate(24*time.Hour)) || g.Token.CreatedAt.Location() != time.UTC {
		t.Errorf("token created at %v, want the start of a UTC day", g.Token.CreatedAt)
	}
	if ms := g.Token.ID >> 16; ms > time.Now().Add(-time.Hour).UnixMilli() && ms <= time.Now().UnixMilli() {
		t.Errorf("token ID %d encodes the sign-in time", g.Token.ID)
	}
	if _, err := w.s.PasswordGrant(ctx, w.app, "alice", "wrong", ""); err != ErrInvalidGrant {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := w.s.PasswordGrant(ctx, w.app, "alice", "password-alice", "push"); err != ErrInvalidScope {
		t.Errorf("scope beyond the app: %v", err)
	}

	// Two-factor users must use the browser flow.
	u, _ := w.s.store.User(ctx, w.alice.ID)
	u.OTPEnabled = true
	if err := w.s.store.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.PasswordGrant(ctx, w.app, "alice", "password-alice", ""); err != ErrInvalidGrant {
		t.Errorf("password grant with OTP on: %v", err)
	}

	// Unapproved and suspended users are refused too.
	if _, err := w.s.CreateUser(ctx, NewUser{Username: "pending", Password: "password-pending"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.PasswordGrant(ctx, w.app, "pending", "password-pending", ""); err != ErrInvalidGrant {
		t.Errorf("unapproved user: %v", err)
	}
	mustCreateUser(t, w.s, "sus")
	if err := w.s.SuspendAccount(ctx, "sus"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.PasswordGrant(ctx, w.app, "sus", "password-sus", ""); err != ErrInvalidGrant {
		t.Errorf("suspended user: %v", err)
	}
}

func TestPasswordGrantThrottled(t *testing.T) {
	ctx := context.Background()
	w := newCodeWorld(t)
	for range 5 {
		_, _ = w.s.PasswordGrant(ctx, w.app, "alice", "wrong", "")
	}
	if _, err := w.s.PasswordGrant(ctx, w.app, "alice", "password-alice", ""); !errors.Is(err, model.ErrRateLimited) {
		t.Errorf("locked account: %v, want ErrRateLimited", err)
	}
}

func TestClientCredentialsGrant(t *testing.T) {
	ctx := context.Background()
	w := newCodeWorld(t)
	g, err := w.s.ClientCredentialsGrant(ctx, w.app, "read")
	if err != nil {
		t.Fatal(err)
	}
	a := mustAuth(t, w.s, g.AccessToken)
	if a.Account != nil || a.User != nil || a.ViewerID() != 0 || a.App.ID != w.app.ID {
		t.Errorf("app token carries a user: %+v", a)
	}
}

func TestRevokeAndAuthenticate(t *testing.T) {
	ctx := context.Background()
	w := newCodeWorld(t)
	g, _ := w.s.PasswordGrant(ctx, w.app, "alice", "password-alice", "")
	other, _, _ := w.s.CreateApp(ctx, NewApp{Name: "other", RedirectURIs: []string{OOBRedirect}})

	if err := w.s.RevokeToken(ctx, other, g.AccessToken); err != ErrUnauthorizedClient {
		t.Errorf("another app revoked the token: %v", err)
	}
	mustAuth(t, w.s, g.AccessToken)
	if err := w.s.RevokeToken(ctx, w.app, "no-such-token"); err != nil {
		t.Errorf("unknown token: %v", err)
	}
	if err := w.s.RevokeToken(ctx, w.app, g.AccessToken); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Authenticate(ctx, g.AccessToken); !errors.Is(err, model.ErrUnauthorized) {
		t.Errorf("revoked token: %v", err)
	}
	for _, bad := range []string{"", "garbage", string(make([]byte, 1000))} {
		if _, err := w.s.Authenticate(ctx, bad); !errors.Is(err, model.ErrUnauthorized) {
			t.Errorf("Authenticate(%.10q) = %v", bad, err)
		}
	}
}

func TestTokenStoredAsHashAndDayOnly(t *testing.T) {
	ctx := context.Background()
	w := newCodeWorld(t)
	g, _ := w.s.PasswordGrant(ctx, w.app, "alice", "password-alice", "")
	sum := sha256.Sum256([]byte(g.AccessToken))
	tok, err := w.s.store.TokenByHash(ctx, sum[:])
	if err != nil {
		t.Fatalf("token not found by its SHA-256: %v", err)
	}
	if len(g.AccessToken) < 43 {
		t.Errorf("token %d characters, want 32 random bytes", len(g.AccessToken))
	}
	w.clock.Advance(48 * time.Hour)
	mustAuth(t, w.s, g.AccessToken)
	tok, _ = w.s.store.TokenByHash(ctx, sum[:])
	if want := w.clock.Now().UTC().Format("2006-01-02"); tok.LastUsedDay != want {
		t.Errorf("LastUsedDay = %q, want %q", tok.LastUsedDay, want)
	}
}

func TestAuthenticateRefusesSuspendedAndDisabled(t *testing.T) {
	ctx := context.Background()
	w := newCodeWorld(t)
	g, _ := w.s.PasswordGrant(ctx, w.app, "alice", "password-alice", "")
	now := time.Now()
	if err := w.s.store.SetAccountSuspended(ctx, w.alice.ID, &now); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Authenticate(ctx, g.AccessToken); !errors.Is(err, ErrLoginDisabled) || !errors.Is(err, model.ErrForbidden) {
		t.Errorf("suspended account's token: %v", err)
	}
	if err := w.s.store.SetAccountSuspended(ctx, w.alice.ID, nil); err != nil {
		t.Fatal(err)
	}
	mustAuth(t, w.s, g.AccessToken)
	u, _ := w.s.store.User(ctx, w.alice.ID)
	u.DisabledAt = &now
	if err := w.s.store.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Authenticate(ctx, g.AccessToken); !errors.Is(err, ErrLoginDisabled) {
		t.Errorf("disabled user's token: %v", err)
	}
}
