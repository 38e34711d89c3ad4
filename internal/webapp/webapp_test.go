package webapp

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func server(t *testing.T) *httptest.Server {
	t.Helper()
	h, err := New(func() string { return `Roost <test> & "co"` })
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func fetch(t *testing.T, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestAppPage checks that every address of the app answers with the page
// that loads it, under the strict policy, naming only this origin.
func TestAppPage(t *testing.T) {
	srv := server(t)
	for _, p := range []string{"/web/", "/web/statuses/123", "/web/@alice@example.com/followers", "/web/settings/export"} {
		res, body := fetch(t, srv.URL+p)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s = %d", p, res.StatusCode)
		}
		if got := res.Header.Get("Content-Security-Policy"); got != CSP || !strings.HasPrefix(got, "default-src 'self'") {
			t.Errorf("GET %s: CSP %q", p, got)
		}
		if !strings.Contains(body, `Roost &lt;test&gt; &amp; &#34;co&#34;`) {
			t.Errorf("GET %s: title not escaped in %s", p, body)
		}
		if m := regexp.MustCompile(`(?i)(src|href)="(https?:)?//`).FindString(body); m != "" {
			t.Errorf("GET %s: the page names another origin: %s", p, m)
		}
		for _, a := range assets {
			if !strings.Contains(body, "/web/assets/"+a+"?v=") {
				t.Errorf("GET %s: page does not load %s", p, a)
			}
		}
	}
	res, _ := fetch(t, srv.URL+"/web")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/web/" {
		t.Errorf("GET /web = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestAssets checks content types, cache rules by version, ETags and that
// nothing but the built assets is served.
func TestAssets(t *testing.T) {
	srv := server(t)
	h, _ := New(func() string { return "x" })
	for name, ct := range map[string]string{"app.js": "text/javascript", "style.css": "text/css"} {
		v := h.versions[name]
		res, body := fetch(t, srv.URL+"/web/assets/"+name+"?v="+v)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), ct) || body == "" {
			t.Fatalf("%s: %d %q (%d bytes)", name, res.StatusCode, res.Header.Get("Content-Type"), len(body))
		}
		if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s at its version: Cache-Control %q", name, res.Header.Get("Cache-Control"))
		}
		res, _ = fetch(t, srv.URL+"/web/assets/"+name+"?v=old")
		if strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s at another version is cached for good", name)
		}
		res, _ = fetch(t, srv.URL+"/web/assets/"+name, "If-None-Match", `"`+v+`"`)
		if res.StatusCode != http.StatusNotModified {
			t.Errorf("%s with its ETag = %d, want 304", name, res.StatusCode)
		}
	}
	for _, p := range []string{"build.json", "..%2fwebapp.go", "missing.js", "%2e%2e"} {
		if res, _ := fetch(t, srv.URL+"/web/assets/"+p); res.StatusCode != 404 {
			t.Errorf("GET /web/assets/%s = %d, want 404", p, res.StatusCode)
		}
	}
}

// TestBudget checks the build's record of the JavaScript a first visit
// loads against issue 5's budget; the build itself refuses to exceed it,
// and CI rebuilds and compares, so the record is the real size.
func TestBudget(t *testing.T) {
	b, err := fs.ReadFile(dist, "dist/build.json")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		FirstLoad int `json:"first_load_js_gzip"`
		Budget    int `json:"budget_gzip"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.FirstLoad <= 0 || r.FirstLoad > 150*1024 || r.Budget != 150*1024 {
		t.Errorf("first-load JavaScript %d bytes gzipped, budget %d", r.FirstLoad, r.Budget)
	}
}
