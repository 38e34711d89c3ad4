package mastoapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestCORS(t *testing.T) {
	e := newTestEnv(t)
	_, tok := e.user(t, "corsy", "read")

	// Preflight from a browser client on another origin.
	req, _ := http.NewRequest(http.MethodOptions, e.srv.URL+"/api/v1/timelines/home", nil)
	req.Header.Set("Origin", "https://elk.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "authorization")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("preflight status = %d, want 204", resp.StatusCode)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("preflight Allow-Origin = %q", got)
	}
	if got := resp.Header.Get("Access-Control-Allow-Headers"); got != "authorization" {
		t.Errorf("preflight Allow-Headers = %q", got)
	}

	// The actual request carries the headers too, and exposes Link.
	req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/timelines/home", nil)
	req.Header.Set("Origin", "https://elk.example")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("GET: status %d, Allow-Origin %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}

	// The HTML sign-in page is not for cross-origin use.
	rec := httptest.NewRecorder()
	req = httptest.NewRequest(http.MethodOptions, "/oauth/authorize", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	e.api.ServeHTTP(rec, req)
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("/oauth/authorize answered a cross-origin preflight")
	}
}
