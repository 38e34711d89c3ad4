package app

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// testSite serves newHandler over a stand-in API that answers 418 at
// /api/ and panics at /api/panic.
func testSite(t *testing.T, s *site) (*httptest.Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	s.log = slog.New(slog.NewTextHandler(&logs, nil))
	s.landing = parseLanding()
	api := http.NewServeMux()
	api.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	api.HandleFunc("/api/panic", func(http.ResponseWriter, *http.Request) { panic("boom with secret-body") })
	srv := httptest.NewServer(newHandler(s, api))
	t.Cleanup(srv.Close)
	return srv, &logs
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

func TestLandingPage(t *testing.T) {
	srv, _ := testSite(t, &site{title: "Rook <&> Roost", domain: "social.example", reg: "closed"})
	res, body := get(t, srv.URL+"/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q", ct)
	}
	for _, want := range []string{"Rook &lt;&amp;&gt; Roost", "social.example", "Mastodon app", "created by its administrators"} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("landing page lacks %q:\n%s", want, body)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("landing CSP = %q", csp)
	}
	// Other paths are the API's, not the landing page's.
	if res, _ := get(t, srv.URL+"/api/v1/x"); res.StatusCode != http.StatusTeapot {
		t.Errorf("GET /api/v1/x = %d, want the API's 418", res.StatusCode)
	}
}

func TestMissingImages(t *testing.T) {
	srv, _ := testSite(t, &site{})
	for _, path := range []string{"/avatars/original/missing.png", "/headers/original/missing.png"} {
		res, body := get(t, srv.URL+path)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("GET %s = %d %q", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
		img, err := png.Decode(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if b := img.Bounds(); b.Dx() < 50 || b.Dy() < 50 {
			t.Errorf("%s is %v, too small to show", path, b)
		}
	}
}

func TestHealth(t *testing.T) {
	var fail error
	srv, logs := testSite(t, &site{ping: func(context.Context) error { return fail }})
	if res, body := get(t, srv.URL+"/health"); res.StatusCode != http.StatusOK || string(body) != "OK\n" {
		t.Fatalf("healthy: %d %q", res.StatusCode, body)
	}
	fail = errors.New("database is gone")
	if res, _ := get(t, srv.URL+"/health"); res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("database down: %d, want 503", res.StatusCode)
	}
	if !strings.Contains(logs.String(), "database is gone") {
		t.Errorf("the failed ping is not logged: %s", logs)
	}
}

func TestSecurityHeaders(t *testing.T) {
	for _, https := range []bool{false, true} {
		srv, _ := testSite(t, &site{https: https})
		for _, path := range []string{"/", "/health", "/api/v1/x"} {
			res, _ := get(t, srv.URL+path)
			for h, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "same-origin",
			} {
				if got := res.Header.Get(h); got != want {
					t.Errorf("%s %s = %q, want %q", path, h, got, want)
				}
			}
			if hsts := res.Header.Get("Strict-Transport-Security"); (hsts != "") != https {
				t.Errorf("https=%v: %s Strict-Transport-Security = %q", https, path, hsts)
			}
		}
	}
}

func TestPanicIsA500WithoutRequestData(t *testing.T) {
	srv, logs := testSite(t, &site{})
	res, _ := get(t, srv.URL+"/api/panic?token=secret-query")
	if res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("panic gave %d, want 500", res.StatusCode)
	}
	l := logs.String()
	if !strings.Contains(l, "panic") {
		t.Errorf("panic not logged: %q", l)
	}
	for _, leak := range []string{"secret-query", "secret-body", "127.0.0.1"} {
		if strings.Contains(l, leak) {
			t.Errorf("log holds %q: %s", leak, l)
		}
	}
}
