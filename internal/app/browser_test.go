package app_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/roost-social/roost/internal/testutil/browser"
)

// TestBrowserSignIn is issue 2's browser proof: the OAuth
// authorization-code sign-in, with PKCE, through Roost's HTML pages in
// Chromium, the way a web or mobile Mastodon app signs its user in.
func TestBrowserSignIn(t *testing.T) {
	s := startServer(t, databases[0])
	const password = "carol-pass-5e8d1f20"
	s.roost(t, "", "admin", "create-user", "--username", "carol", "--email", "carol@example.com", "--password", password)

	// The app's redirect URI: a page that captures the code.
	codes := make(chan url.Values, 1)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case codes <- r.URL.Query():
		default:
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><title>done</title><p id=done>Signed in.</p>"))
	}))
	defer cb.Close()
	redirect := cb.URL + "/callback"

	hc := checkedClient(t)
	clientID, secret := registerApp(t, hc, s.URL, redirect)
	verifier := pkceVerifier(t)
	sum := sha256.Sum256([]byte(verifier))
	authorize := s.URL + "/oauth/authorize?" + url.Values{
		"client_id": {clientID}, "response_type": {"code"}, "redirect_uri": {redirect},
		"scope": {"read write"}, "state": {"xyz-state"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}.Encode()

	ctx := browser.New(t)
	step, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	err := chromedp.Do(step,
		chromedp.Navigate(authorize),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), "carol"),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Click(chromedp.CSS(`button[value="approve"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#done`)),
	)
	if err != nil {
		t.Fatalf("sign in through the browser: %v", err)
	}
	var q url.Values
	select {
	case q = <-codes:
	case <-time.After(10 * time.Second):
		t.Fatal("the redirect URI was never called")
	}
	if q.Get("state") != "xyz-state" || q.Get("code") == "" {
		t.Fatalf("redirected with %v, want a code and the state", q)
	}

	status, tok := exchange(t, hc, s.URL, clientID, secret, redirect, q.Get("code"), verifier)
	if status != http.StatusOK || tok.AccessToken == "" || tok.TokenType != "Bearer" || tok.Scope != "read write" {
		t.Fatalf("token exchange = %d %+v", status, tok)
	}
	var me struct{ Username, Acct string }
	if status := getJSON(t, hc, s.URL+"/api/v1/accounts/verify_credentials", tok.AccessToken, &me); status != http.StatusOK || me.Username != "carol" {
		t.Fatalf("verify_credentials = %d %+v", status, me)
	}
	// The code works once.
	if status, _ := exchange(t, hc, s.URL, clientID, secret, redirect, q.Get("code"), verifier); status == http.StatusOK {
		t.Error("the code was exchanged twice")
	}
	s.assertLogsClean(t, password, tok.AccessToken, q.Get("code"), secret, verifier, "carol@example.com")
}

func registerApp(t *testing.T, hc *http.Client, base, redirect string) (clientID, secret string) {
	t.Helper()
	res, err := hc.PostForm(base+"/api/v1/apps", url.Values{
		"client_name": {"browser e2e"}, "redirect_uris": {redirect}, "scopes": {"read write"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var app struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := json.NewDecoder(res.Body).Decode(&app); err != nil || res.StatusCode != http.StatusOK || app.ClientID == "" {
		t.Fatalf("register app: %d %v", res.StatusCode, err)
	}
	return app.ClientID, app.ClientSecret
}

// pkceVerifier returns a fresh RFC 7636 code verifier.
func pkceVerifier(t *testing.T) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
}

func exchange(t *testing.T, hc *http.Client, base, clientID, secret, redirect, code, verifier string) (int, tokenResponse) {
	t.Helper()
	res, err := hc.PostForm(base+"/oauth/token", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect},
		"client_id": {clientID}, "client_secret": {secret}, "code_verifier": {verifier},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var tok tokenResponse
	_ = json.NewDecoder(res.Body).Decode(&tok)
	return res.StatusCode, tok
}

func getJSON(t *testing.T, hc *http.Client, u, token string, v any) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil && !strings.Contains(err.Error(), "EOF") {
		t.Fatalf("GET %s: %v", u, err)
	}
	return res.StatusCode
}
