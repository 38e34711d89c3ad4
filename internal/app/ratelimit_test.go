package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/app"
)

const (
	canaryAddr  = "203.0.113.77"
	canaryAgent = "CanaryAgent/9.9 (canary-ua-5150)"
)

// sendAs sends form to path with the canary User-Agent, xff as
// X-Forwarded-For and tok as the bearer token (when not empty), and
// returns the response with its body read.
func sendAs(t *testing.T, s *server, tok, method, path, xff string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", canaryAgent)
	req.Header.Set("X-Forwarded-For", xff)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// TestRateLimitsThroughTrustedProxy drives the real server: behind a
// declared proxy, sign-in and sign-up are limited per forwarded address,
// and so they are behind a proxy on loopback without the setting. Neither leaves the address or
// the user agent in the log.
func TestRateLimitsThroughTrustedProxy(t *testing.T) {
	db := databases[0]
	badGrant := url.Values{"grant_type": {"password"}, "client_id": {"nope"}, "client_secret": {"nope"},
		"username": {"nobody"}, "password": {"wrong"}}

	t.Run("trusted proxy", func(t *testing.T) {
		s := startWith(t, db, []string{"--http-trusted-proxies", "127.0.0.1/32,::1"}, app.Options{})
		for i := range 25 {
			if res, body := sendAs(t, s, "", "POST", "/oauth/token", canaryAddr, badGrant); res.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("sign-in %d refused early: %s", i+1, body)
			}
		}
		res, body := sendAs(t, s, "", "POST", "/oauth/token", "198.51.100.1, "+canaryAddr, badGrant)
		if res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("26th sign-in: %d %s, want 429", res.StatusCode, body)
		}
		var e struct{ Error string }
		if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error != "Too many requests" {
			t.Errorf("429 body = %s", body)
		}
		if res.Header.Get("X-RateLimit-Limit") != "25" || res.Header.Get("X-RateLimit-Remaining") != "0" ||
			res.Header.Get("Retry-After") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("429 headers: %v", res.Header)
		}
		if _, err := time.Parse(time.RFC3339Nano, res.Header.Get("X-RateLimit-Reset")); err != nil {
			t.Errorf("X-RateLimit-Reset: %v", err)
		}
		// Another client behind the same proxy is not affected.
		if res, _ := sendAs(t, s, "", "POST", "/oauth/token", "203.0.113.78", badGrant); res.StatusCode == http.StatusTooManyRequests {
			t.Error("another forwarded address was refused")
		}
		// Sign-up: five attempts per half hour per address, token or not.
		for i := range 5 {
			if res, _ := sendAs(t, s, "", "POST", "/api/v1/accounts", canaryAddr, url.Values{"username": {"x"}}); res.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("sign-up %d refused early", i+1)
			}
		}
		if res, _ := sendAs(t, s, "", "POST", "/api/v1/accounts", canaryAddr, url.Values{"username": {"x"}}); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("sixth sign-up: %d, want 429", res.StatusCode)
		}
		// Ordinary API answers say how much is left.
		res, _ = sendAs(t, s, "", "GET", "/api/v1/instance", "203.0.113.79", nil)
		if res.StatusCode != http.StatusOK || res.Header.Get("X-RateLimit-Limit") != "300" || res.Header.Get("X-RateLimit-Remaining") != "299" {
			t.Errorf("instance: %d %v", res.StatusCode, res.Header)
		}
		// A token is counted per token, wherever it comes from; a made-up
		// one counts against its address.
		_, tok := s.userToken(t, "alice")
		for i, xff := range []string{"203.0.113.80", "203.0.113.81"} {
			res, _ := sendAs(t, s, tok, "GET", "/api/v1/accounts/verify_credentials", xff, nil)
			if res.StatusCode != http.StatusOK || res.Header.Get("X-RateLimit-Remaining") != strconv.Itoa(299-i) {
				t.Errorf("token call %d: %d %v", i+1, res.StatusCode, res.Header)
			}
		}
		res, _ = sendAs(t, s, "made-up", "GET", "/api/v1/accounts/verify_credentials", "203.0.113.79", nil)
		if res.StatusCode != http.StatusUnauthorized || res.Header.Get("X-RateLimit-Remaining") != "298" {
			t.Errorf("made-up token: %d %v, want the address's count", res.StatusCode, res.Header)
		}
		for _, path := range []string{"/", "/health", "/users/nobody", "/.well-known/webfinger?resource=acct:nobody@x", "/api/v1/nothing"} {
			sendAs(t, s, "", "GET", path, canaryAddr, nil)
		}
		s.assertLogsClean(t, tok, canaryAddr, "203.0.113.78", "203.0.113.79", "203.0.113.80", "203.0.113.81", "198.51.100.1", "canary-ua-5150", "CanaryAgent")
	})

	t.Run("default proxies", func(t *testing.T) {
		// Without the setting, a proxy on loopback (or a private network)
		// is trusted, as Rails trusts it: each forwarded client counts.
		s := startServer(t, db)
		for i := range 25 {
			if res, _ := sendAs(t, s, "", "POST", "/oauth/token", canaryAddr, badGrant); res.StatusCode == http.StatusTooManyRequests {
				t.Fatalf("sign-in %d refused early", i+1)
			}
		}
		if res, _ := sendAs(t, s, "", "POST", "/oauth/token", canaryAddr, badGrant); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("26th sign-in through the default proxy: %d, want 429", res.StatusCode)
		}
		// A request from loopback itself, with no forwarded address, is
		// not counted ("allow from localhost").
		req, err := http.NewRequest(http.MethodGet, s.URL+"/api/v1/instance", nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.Header.Get("X-RateLimit-Limit") != "" {
			t.Errorf("loopback is counted: %v", res.Header)
		}
		s.assertLogsClean(t, canaryAddr, "canary-ua-5150", "CanaryAgent")
	})
}
