package httpsig

import (
	"crypto"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// gtsExchange is the part of a captured GoToSocial exchange we need.
type gtsExchange struct {
	Request struct {
		Method  string              `json:"method"`
		URL     string              `json:"url"`
		Headers map[string][]string `json:"headers"`
		BodyRaw *string             `json:"body_raw"`
	} `json:"request"`
	Response struct {
		Body json.RawMessage `json:"body"`
	} `json:"response"`
}

func loadGTS(t *testing.T, dir, name string) *gtsExchange {
	t.Helper()
	var ex gtsExchange
	if err := json.Unmarshal([]byte(readShared(t, dir, name)), &ex); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &ex
}

// serverRequest rebuilds the request as GoToSocial's receiving server saw
// it: origin-form target, Host outside the header map.
func (ex *gtsExchange) serverRequest(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	u, err := url.Parse(ex.Request.URL)
	if err != nil {
		t.Fatal(err)
	}
	var body []byte
	if ex.Request.BodyRaw != nil {
		body = []byte(*ex.Request.BodyRaw)
	}
	req := httptest.NewRequest(ex.Request.Method, u.RequestURI(), strings.NewReader(string(body)))
	for k, vs := range ex.Request.Headers {
		if k == "Host" {
			req.Host = vs[0]
			continue
		}
		req.Header[k] = vs
	}
	return req, body
}

// gtsKeys reads the two actors' keys from the captured actor documents.
func gtsKeys(t *testing.T, dir string) map[string]crypto.PublicKey {
	keys := map[string]crypto.PublicKey{}
	for _, name := range []string{"02-get-actor-alice.json", "07-get-actor-bob.json"} {
		var actor struct {
			PublicKey struct {
				ID  string `json:"id"`
				PEM string `json:"publicKeyPem"`
			} `json:"publicKey"`
		}
		if err := json.Unmarshal(loadGTS(t, dir, name).Response.Body, &actor); err != nil {
			t.Fatal(err)
		}
		pub, err := ParsePublicKeyPEM(actor.PublicKey.PEM)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		keys[actor.PublicKey.ID] = pub
	}
	if len(keys) != 2 {
		t.Fatalf("keys: %v", keys)
	}
	return keys
}

// TestGoToSocialTraffic verifies every signed request GoToSocial v0.20
// sent in the captured scenario, with the keys from the captured actors.
func TestGoToSocialTraffic(t *testing.T) {
	dir := sharedDir(t, "fixtures/gotosocial-v0.20")
	lookup := staticLookup(gtsKeys(t, dir))
	files, err := filepath.Glob(filepath.Join(dir, "[0-9][0-9]-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, f := range files {
		ex := loadGTS(t, dir, filepath.Base(f))
		req, body := ex.serverRequest(t)
		// The captures are from 2026-11-28: the README says to skip freshness.
		res, err := Verify(req, body, lookup, VerifyOptions{SkipTimeCheck: true, Scheme: "http"})
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if res.Mode != ModeCavage || res.Algorithm != "hs2019" || !strings.HasSuffix(res.KeyID, "/main-key") {
			t.Errorf("%s: result %+v", filepath.Base(f), res)
		}
		counts[req.Method]++
	}
	// The README: 49 exchanges, 20 inbox POSTs and 29 GETs, all signed.
	if counts["POST"] != 20 || counts["GET"] != 29 {
		t.Fatalf("verified %v, want 20 POST and 29 GET", counts)
	}
}

func TestGoToSocialTampered(t *testing.T) {
	dir := sharedDir(t, "fixtures/gotosocial-v0.20")
	lookup := staticLookup(gtsKeys(t, dir))
	opts := VerifyOptions{SkipTimeCheck: true, Scheme: "http"}
	post := loadGTS(t, dir, "21-inbox-create-note-public.json")
	get := loadGTS(t, dir, "22-get-replies-of-public-post.json")

	t.Run("body", func(t *testing.T) {
		req, body := post.serverRequest(t)
		body = []byte(strings.Replace(string(body), "Hello fediverse", "Hello fediversE", 1))
		_, err := Verify(req, body, lookup, opts)
		wantErr(t, err, ErrDigestMismatch)
	})
	t.Run("body and digest", func(t *testing.T) {
		req, body := post.serverRequest(t)
		body = append(body, ' ')
		req.Header.Set("Digest", "SHA-256="+sha256Base64(body))
		_, err := Verify(req, body, lookup, opts)
		wantErr(t, err, ErrBadSignature)
	})
	t.Run("query", func(t *testing.T) {
		req, body := get.serverRequest(t)
		req.RequestURI = strings.Replace(req.RequestURI, "page=true", "page=false", 1)
		_, err := Verify(req, body, lookup, opts)
		wantErr(t, err, ErrBadSignature)
	})
	t.Run("other key", func(t *testing.T) {
		req, body := get.serverRequest(t)
		req.Header.Set("Signature", strings.Replace(req.Header.Get("Signature"), "8182/users/bob", "8181/users/alice", 1))
		_, err := Verify(req, body, lookup, opts)
		wantErr(t, err, ErrBadSignature)
	})
	t.Run("freshness", func(t *testing.T) {
		req, body := post.serverRequest(t)
		date, err := http.ParseTime(req.Header.Get("Date"))
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			now  time.Time
			want error
		}{
			{date.Add(time.Minute), nil},
			{date.Add(-time.Minute), nil},
			{date.Add(2 * time.Hour), ErrExpired},
			{date.Add(-time.Hour), ErrSkew},
		} {
			_, err := Verify(req, body, lookup, VerifyOptions{Scheme: "http", Now: fixedNow(tc.now)})
			if tc.want == nil && err != nil {
				t.Errorf("now %v: %v", tc.now, err)
			} else if tc.want != nil {
				wantErr(t, err, tc.want)
			}
		}
	})
}
