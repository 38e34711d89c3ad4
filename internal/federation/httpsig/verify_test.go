package httpsig

import (
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

var signTime = time.Date(2026, 11, 28, 15, 53, 21, 0, time.UTC)

type signCase struct {
	mode   Mode
	method string
	key    crypto.Signer
	keyID  string
}

func (c signCase) String() string {
	return fmt.Sprintf("%s/%s/%T", c.mode, c.method, c.key.Public())
}

func signCases() []signCase {
	var out []signCase
	for _, mode := range []Mode{ModeCavage, ModeRFC9421} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			out = append(out,
				signCase{mode, method, rsaKey(0), "https://a.example/users/alice#main-key"},
				signCase{mode, method, edKey(0), "https://a.example/users/alice#ed25519-key"})
		}
	}
	return out
}

// signed builds and signs a client request for c, and returns it as the
// receiving server sees it, with the body and a lookup knowing the key.
func (c signCase) signed(t testing.TB) (*http.Request, []byte, *countingLookup) {
	t.Helper()
	var body []byte
	if c.method == http.MethodPost {
		body = []byte(`{"type":"Create","actor":"https://a.example/users/alice"}`)
	}
	req, err := http.NewRequest(c.method, "https://b.example/users/bob/inbox?page=2", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/activity+json")
	}
	if err := SignFor(c.mode, req, body, c.key, c.keyID, signTime); err != nil {
		t.Fatal(err)
	}
	l := &countingLookup{keys: map[string]crypto.PublicKey{
		c.keyID:                           c.key.Public(),
		"https://a.example/users/mallory": rsaKey(1).Public(),
	}}
	return toServer(t, req, body), body, l
}

var testOpts = VerifyOptions{Now: fixedNow(signTime.Add(5 * time.Second))}

func TestRoundTrip(t *testing.T) {
	for _, c := range signCases() {
		t.Run(c.String(), func(t *testing.T) {
			req, body, l := c.signed(t)
			res, err := Verify(req, body, l.lookup, testOpts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Mode != c.mode || res.KeyID != c.keyID || res.Refreshed || !res.Created.Equal(signTime) || len(l.calls) != 1 {
				t.Fatalf("result %+v, lookups %v", res, l.calls)
			}
			wantAlg := AlgHS2019
			if c.mode == ModeRFC9421 {
				wantAlg = AlgRSAv15SHA256
				if _, isEd := c.key.Public().(ed25519.PublicKey); isEd {
					wantAlg = AlgEd25519
				}
			}
			if res.Algorithm != wantAlg {
				t.Fatalf("algorithm %q, want %q", res.Algorithm, wantAlg)
			}
			if c.method == http.MethodPost && !res.coversDigest() {
				t.Fatalf("POST signature covers %v", res.Covered)
			}
		})
	}
}

func (r *Result) coversDigest() bool {
	for _, c := range r.Covered {
		if c == "digest" || c == "content-digest" {
			return true
		}
	}
	return false
}

// TestSignedHeaders pins the exact wire format we send, the shapes Mastodon
// requires.
func TestSignedHeaders(t *testing.T) {
	body := []byte(`{}`)
	req, _ := http.NewRequest(http.MethodPost, "https://b.example/inbox", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/activity+json")
	if err := SignRFC9421(req, body, rsaKey(0), "https://a.example/k", "", signTime); err != nil {
		t.Fatal(err)
	}
	wantInput := `sig1=("@method" "@target-uri" "content-digest" "content-type");created=1795881201;keyid="https://a.example/k";alg="rsa-v1_5-sha256"`
	if got := req.Header.Get("Signature-Input"); got != wantInput {
		t.Errorf("Signature-Input\n%s\nwant\n%s", got, wantInput)
	}
	if got := req.Header.Get("Content-Digest"); got != "sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:" {
		t.Errorf("Content-Digest %s", got)
	}
	if !strings.HasPrefix(req.Header.Get("Signature"), "sig1=:") || req.Header.Get("Date") != "Sat, 28 Nov 2026 15:53:21 GMT" {
		t.Errorf("Signature %s, Date %s", req.Header.Get("Signature"), req.Header.Get("Date"))
	}

	// Signing the same request again as cavage replaces the RFC 9421 headers.
	if err := SignCavage(req, body, rsaKey(0), "https://a.example/k", signTime); err != nil {
		t.Fatal(err)
	}
	if req.Header.Get("Signature-Input") != "" || req.Header.Get("Content-Digest") != "" {
		t.Error("RFC 9421 headers left behind")
	}
	if got := req.Header.Get("Digest"); got != "SHA-256=RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=" {
		t.Errorf("Digest %s", got)
	}
	sig := req.Header.Get("Signature")
	if !strings.HasPrefix(sig, `keyId="https://a.example/k",algorithm="hs2019",headers="(request-target) host date digest",signature="`) {
		t.Errorf("Signature %s", sig)
	}
	if _, err := Verify(toServer(t, req, body), body, staticLookup(map[string]crypto.PublicKey{"https://a.example/k": rsaKey(0).Public()}), testOpts); err != nil {
		t.Fatalf("re-signed request: %v", err)
	}
	// And back to RFC 9421: the Digest goes.
	if err := SignRFC9421(req, body, rsaKey(0), "https://a.example/k", AlgRSAv15SHA256, signTime); err != nil {
		t.Fatal(err)
	}
	if req.Header.Get("Digest") != "" {
		t.Error("Digest left behind")
	}
	if _, err := Verify(toServer(t, req, body), body, staticLookup(map[string]crypto.PublicKey{"https://a.example/k": rsaKey(0).Public()}), testOpts); err != nil {
		t.Fatalf("re-signed request: %v", err)
	}
}

func TestSignErrors(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://b.example/", nil)
	cases := []error{
		SignRFC9421(req, nil, edKey(0), "k", AlgRSAv15SHA256, signTime),
		SignRFC9421(req, nil, rsaKey(0), "k", AlgRSAPSSSHA512, signTime),
		SignCavageAlg(req, nil, edKey(0), "k", AlgRSASHA256, signTime),
		SignCavageAlg(req, nil, rsaKey(0), "k", "hmac-sha256", signTime),
		SignCavage(req, nil, nil, "k", signTime),
	}
	for i, err := range cases {
		if !errors.Is(err, ErrUnsupportedAlgorithm) {
			t.Errorf("case %d: %v", i, err)
		}
	}
	for _, id := range []string{"", `a"b`, "a\nb", strings.Repeat("a", maxKeyIDLen+1)} {
		if err := SignCavage(req, nil, rsaKey(0), id, signTime); !errors.Is(err, ErrMalformed) {
			t.Errorf("key ID %.20q: %v", id, err)
		}
	}
	if err := SignFor(0, req, nil, rsaKey(0), "k", signTime); err == nil {
		t.Error("SignFor accepted mode 0")
	}
}

func TestTampering(t *testing.T) {
	type tamper struct {
		name  string
		apply func(c signCase, req *http.Request, body []byte) []byte
		want  error
		only  func(c signCase) bool
	}
	posts := func(c signCase) bool { return c.method == http.MethodPost }
	tampers := []tamper{
		{"body", func(_ signCase, _ *http.Request, body []byte) []byte { return append(body, ' ') }, ErrDigestMismatch, posts},
		{"body and digest", func(c signCase, req *http.Request, body []byte) []byte {
			body = append(body, ' ')
			req.Header.Set("Digest", "SHA-256="+sha256Base64(body))
			req.Header.Set("Content-Digest", "sha-256=:"+sha256Base64(body)+":")
			return body
		}, ErrBadSignature, posts},
		{"host", func(_ signCase, req *http.Request, body []byte) []byte { req.Host = "c.example"; return body }, ErrBadSignature, nil},
		{"method", func(_ signCase, req *http.Request, body []byte) []byte {
			req.Method = map[string]string{"GET": "HEAD", "POST": "PUT"}[req.Method]
			return body
		}, ErrBadSignature, nil},
		{"path", func(_ signCase, req *http.Request, body []byte) []byte {
			req.RequestURI = strings.Replace(req.RequestURI, "/bob/", "/carol/", 1)
			return body
		}, ErrBadSignature, nil},
		{"query", func(_ signCase, req *http.Request, body []byte) []byte {
			req.RequestURI = strings.Replace(req.RequestURI, "page=2", "page=3", 1)
			return body
		}, ErrBadSignature, nil},
		{"date", func(_ signCase, req *http.Request, body []byte) []byte {
			req.Header.Set("Date", signTime.Add(time.Second).Format(http.TimeFormat))
			return body
		}, ErrBadSignature, func(c signCase) bool { return c.mode == ModeCavage }},
		{"content-type", func(_ signCase, req *http.Request, body []byte) []byte {
			req.Header.Set("Content-Type", "text/plain")
			return body
		}, ErrBadSignature, func(c signCase) bool { return c.mode == ModeRFC9421 && c.method == http.MethodPost }},
		{"keyId", func(c signCase, req *http.Request, body []byte) []byte {
			for _, h := range []string{"Signature", "Signature-Input"} {
				if v := req.Header.Get(h); v != "" {
					req.Header.Set(h, strings.Replace(v, c.keyID, "https://a.example/users/mallory", 1))
				}
			}
			return body
		}, ErrBadSignature, nil},
		{"signature bytes", func(c signCase, req *http.Request, body []byte) []byte {
			v := req.Header.Get("Signature")
			i := strings.LastIndex(v, "signature=\"") + len("signature=\"")
			if c.mode == ModeRFC9421 {
				i = strings.Index(v, ":") + 1
			}
			req.Header.Set("Signature", v[:i]+flipBase64(v[i:i+4])+v[i+4:])
			return body
		}, ErrBadSignature, nil},
	}
	for _, c := range signCases() {
		for _, tp := range tampers {
			if tp.only != nil && !tp.only(c) {
				continue
			}
			t.Run(c.String()+"/"+tp.name, func(t *testing.T) {
				req, body, l := c.signed(t)
				body = tp.apply(c, req, body)
				_, err := Verify(req, body, l.lookup, testOpts)
				wantErr(t, err, tp.want)
				if tp.want == ErrBadSignature && (len(l.calls) != 2 || !l.calls[1]) {
					t.Fatalf("lookups %v, want one normal and one refresh", l.calls)
				}
				if tp.want == ErrDigestMismatch && len(l.calls) != 0 {
					t.Fatalf("key looked up for a digest mismatch: %v", l.calls)
				}
			})
		}
	}
}

// flipBase64 changes a 4-character base64 group into a different valid one.
func flipBase64(s string) string {
	b, _ := base64.StdEncoding.DecodeString(s)
	b[0] ^= 0x55
	return base64.StdEncoding.EncodeToString(b)
}

func TestClockSkew(t *testing.T) {
	for _, c := range signCases() {
		t.Run(c.String(), func(t *testing.T) {
			req, body, l := c.signed(t)
			for _, tc := range []struct {
				now  time.Time
				want error
			}{
				{signTime.Add(59 * time.Minute), nil},
				{signTime.Add(-14 * time.Minute), nil},
				{signTime.Add(61 * time.Minute), ErrExpired},
				{signTime.Add(-16 * time.Minute), ErrSkew},
			} {
				_, err := Verify(req, body, l.lookup, VerifyOptions{Now: fixedNow(tc.now)})
				if tc.want == nil && err != nil {
					t.Errorf("at %v: %v", tc.now.Sub(signTime), err)
				}
				if tc.want != nil && !errors.Is(err, tc.want) {
					t.Errorf("at %v: %v, want %v", tc.now.Sub(signTime), err, tc.want)
				}
			}
			// Tighter bounds are honoured, and SkipTimeCheck skips.
			_, err := Verify(req, body, l.lookup, VerifyOptions{Now: fixedNow(signTime.Add(2 * time.Minute)), MaxAge: time.Minute})
			wantErr(t, err, ErrExpired)
			if _, err := Verify(req, body, l.lookup, VerifyOptions{Now: fixedNow(signTime.AddDate(1, 0, 0)), SkipTimeCheck: true}); err != nil {
				t.Errorf("SkipTimeCheck: %v", err)
			}
		})
	}
}

func TestKeyRefresh(t *testing.T) {
	c := signCase{ModeRFC9421, http.MethodPost, rsaKey(0), "https://a.example/users/alice#main-key"}
	t.Run("rotated key", func(t *testing.T) {
		req, body, l := c.signed(t)
		l.fresh = map[string]crypto.PublicKey{c.keyID: l.keys[c.keyID]}
		l.keys[c.keyID] = rsaKey(1).Public() // the cache holds the old key
		res, err := Verify(req, body, l.lookup, testOpts)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Refreshed || fmt.Sprint(l.calls) != "[false true]" {
			t.Fatalf("refreshed %v, calls %v", res.Refreshed, l.calls)
		}
	})
	t.Run("rotated to another key type", func(t *testing.T) {
		req, body, l := c.signed(t)
		l.fresh = map[string]crypto.PublicKey{c.keyID: l.keys[c.keyID]}
		l.keys[c.keyID] = edKey(1).Public()
		if _, err := Verify(req, body, l.lookup, testOpts); err != nil || len(l.calls) != 2 {
			t.Fatalf("%v, calls %v", err, l.calls)
		}
	})
	t.Run("still wrong", func(t *testing.T) {
		req, body, l := c.signed(t)
		l.keys[c.keyID] = rsaKey(1).Public()
		_, err := Verify(req, body, l.lookup, testOpts)
		wantErr(t, err, ErrBadSignature)
		if fmt.Sprint(l.calls) != "[false true]" {
			t.Fatalf("calls %v, want exactly one refresh", l.calls)
		}
	})
	t.Run("lookup fails", func(t *testing.T) {
		req, body, l := c.signed(t)
		l.err = errors.New("actor gone")
		_, err := Verify(req, body, l.lookup, testOpts)
		wantErr(t, err, l.err)
		if len(l.calls) != 1 {
			t.Fatalf("calls %v", l.calls)
		}
	})
	t.Run("refresh fails", func(t *testing.T) {
		req, body, l := c.signed(t)
		l.keys[c.keyID] = rsaKey(1).Public()
		l.freshEr = errors.New("fetch failed")
		_, err := Verify(req, body, l.lookup, testOpts)
		wantErr(t, err, ErrBadSignature)
		wantErr(t, err, l.freshEr)
		if len(l.calls) != 2 {
			t.Fatalf("calls %v", l.calls)
		}
	})
}

// signCavageWith signs req with a chosen cavage header list, bypassing
// SignCavage's choices, to test the verifier's policy.
func signCavageWith(t *testing.T, req *http.Request, params string, headers []string, key crypto.Signer) {
	t.Helper()
	p := &cavageParams{algorithm: AlgHS2019, headers: headers, created: fmt.Sprint(signTime.Unix())}
	if strings.Contains(params, "rsa-sha256") {
		p.algorithm = AlgRSASHA256
	}
	base, err := p.signingString(req)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := signMessage(key, base)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Signature", fmt.Sprintf(`keyId="k",%sheaders="%s",signature="%s"`, params, strings.Join(headers, " "), base64.StdEncoding.EncodeToString(sig)))
}

// signRFC9421With signs req with a chosen component list and parameters.
func signRFC9421With(t *testing.T, req *http.Request, components []string, params []sfParam, key crypto.Signer) {
	t.Helper()
	in := &sigInput{label: "x"}
	for _, c := range components {
		in.components = append(in.components, sfItem{value: c})
	}
	in.params = append([]sfParam{{"keyid", "k"}}, params...)
	base, err := in.signatureBase(req, "https")
	if err != nil {
		t.Fatal(err)
	}
	sig, err := signMessage(key, base)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := serializeInnerList(in.components, in.params)
	req.Header.Set("Signature-Input", "x="+list)
	req.Header.Set("Signature", "x=:"+base64.StdEncoding.EncodeToString(sig)+":")
}

func TestPolicy(t *testing.T) {
	key := edKey(0)
	lookup := staticLookup(map[string]crypto.PublicKey{"k": key.Public()})
	body := []byte(`{"a":1}`)
	newReq := func(method, target string, b []byte) *http.Request {
		req, _ := http.NewRequest(method, "https://b.example"+target, strings.NewReader(string(b)))
		req.Header.Set("Date", signTime.Format(http.TimeFormat))
		if b != nil {
			req.Header.Set("Digest", "SHA-256="+sha256Base64(b))
			req.Header.Set("Content-Digest", "sha-256=:"+sha256Base64(b)+":")
		}
		return req
	}
	created := []sfParam{{"created", signTime.Unix()}}
	cases := []struct {
		name string
		req  *http.Request
		body []byte
		sign func(*testing.T, *http.Request)
		want error
	}{
		{"cavage POST without digest", newReq("POST", "/inbox", body), body, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, "", []string{"(request-target)", "host", "date"}, key)
		}, ErrNotCovered},
		{"cavage empty POST without digest", newReq("POST", "/inbox", nil), nil, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, "", []string{"(request-target)", "host", "date"}, key)
		}, ErrNotCovered},
		{"cavage digest signed but absent", newReq("POST", "/inbox", body), body, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, "", []string{"(request-target)", "host", "date", "digest"}, key)
			r.Header.Del("Digest")
		}, ErrMalformed},
		{"cavage without host", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, "", []string{"(request-target)", "date"}, key)
		}, ErrNotCovered},
		{"cavage without target", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, "", []string{"host", "date"}, key)
		}, ErrNotCovered},
		{"cavage without time", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, "", []string{"(request-target)", "host"}, key)
		}, ErrNotCovered},
		{"cavage (created) instead of date", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, fmt.Sprintf("created=%d,", signTime.Unix()), []string{"(request-target)", "host", "(created)"}, key)
		}, nil},
		{"cavage (created) with rsa-sha256", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			// Refused before any signature check, so any signature will do.
			r.Header.Set("Signature", fmt.Sprintf(`keyId="k",algorithm="rsa-sha256",created=%d,headers="(request-target) host (created)",signature="AAAA"`, signTime.Unix()))
		}, ErrMalformed},
		{"cavage expired by expires", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, fmt.Sprintf(`expires=%d,`, signTime.Add(-time.Hour).Unix()), []string{"(request-target)", "host", "date"}, key)
		}, ErrExpired},
		{"cavage unsupported algorithm", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, `algorithm="hmac-sha256",`, []string{"(request-target)", "host", "date"}, key)
		}, ErrUnsupportedAlgorithm},
		{"cavage in Authorization", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, "", []string{"(request-target)", "host", "date"}, key)
			r.Header.Set("Authorization", "Signature "+r.Header.Get("Signature"))
			r.Header.Del("Signature")
		}, nil},
		{"cavage with a Signature prefix", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, "", []string{"(request-target)", "host", "date"}, key)
			r.Header.Set("Signature", "Signature "+r.Header.Get("Signature"))
		}, nil},
		{"cavage two Signature headers", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, "", []string{"(request-target)", "host", "date"}, key)
			r.Header.Add("Signature", r.Header.Get("Signature"))
		}, ErrMalformed},
		{"rfc9421 POST without content-digest", newReq("POST", "/inbox", body), body, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@target-uri"}, created, key)
		}, ErrNotCovered},
		{"rfc9421 POST with digest instead", newReq("POST", "/inbox", body), body, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@target-uri", "digest"}, created, key)
		}, nil},
		{"rfc9421 without method", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@target-uri"}, created, key)
		}, ErrNotCovered},
		{"rfc9421 path without query", newReq("GET", "/x?a=1", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@authority", "@path"}, created, key)
		}, ErrNotCovered},
		{"rfc9421 path and query", newReq("GET", "/x?a=1", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@authority", "@path", "@query"}, created, key)
		}, nil},
		{"rfc9421 request-target and host", newReq("GET", "/x?a=1", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@request-target", "host"}, created, key)
		}, nil},
		{"rfc9421 without authority", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@request-target"}, created, key)
		}, ErrNotCovered},
		{"rfc9421 without time", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@target-uri"}, nil, key)
		}, ErrNotCovered},
		{"rfc9421 date instead of created", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@target-uri", "date"}, nil, key)
		}, nil},
		{"rfc9421 expired", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@target-uri"}, append(created, sfParam{"expires", signTime.Add(-time.Hour).Unix()}), key)
		}, ErrExpired},
		{"rfc9421 unsupported alg", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@target-uri"}, append(created, sfParam{"alg", "hmac-sha256"}), key)
		}, ErrUnsupportedAlgorithm},
		{"rfc9421 alg does not match key", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@target-uri"}, append(created, sfParam{"alg", "rsa-v1_5-sha256"}), key)
		}, ErrBadSignature},
		{"rfc9421 second label is the good one", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@target-uri"}, created, key)
			r.Header.Set("Signature-Input", `a=("@method");keyid="k";created=1, `+r.Header.Get("Signature-Input"))
			r.Header.Set("Signature", `a=:AAAA:, `+r.Header.Get("Signature"))
		}, nil},
		{"rfc9421 without Signature", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@target-uri"}, created, key)
			r.Header.Del("Signature")
		}, ErrMalformed},
		{"rfc9421 label without signature", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signRFC9421With(t, r, []string{"@method", "@target-uri"}, created, key)
			r.Header.Set("Signature", "y=:AAAA:")
		}, ErrMalformed},
		{"unsigned", newReq("GET", "/x", nil), nil, func(*testing.T, *http.Request) {}, ErrNoSignature},
		{"digest mismatch not covered", newReq("GET", "/x", nil), nil, func(t *testing.T, r *http.Request) {
			signCavageWith(t, r, "", []string{"(request-target)", "host", "date"}, key)
			r.Header.Set("Digest", "SHA-256="+sha256Base64([]byte("other")))
		}, ErrDigestMismatch},
		{"covered digest with unknown algorithm", newReq("POST", "/inbox", body), body, func(t *testing.T, r *http.Request) {
			r.Header.Set("Digest", "MD5=AAAA")
			signCavageWith(t, r, "", []string{"(request-target)", "host", "date", "digest"}, key)
		}, ErrUnsupportedAlgorithm},
		{"sha-512 digest", newReq("POST", "/inbox", body), body, func(t *testing.T, r *http.Request) {
			r.Header.Set("Digest", "SHA-512="+base64.StdEncoding.EncodeToString(digestSum("sha-512", body)))
			signCavageWith(t, r, "", []string{"(request-target)", "host", "date", "digest"}, key)
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.sign(t, tc.req)
			srv := toServer(t, tc.req, tc.body)
			_, err := Verify(srv, tc.body, lookup, testOpts)
			if tc.want == nil && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if tc.want != nil {
				wantErr(t, err, tc.want)
			}
		})
	}
}

func TestVerifyNilArguments(t *testing.T) {
	_, err := Verify(nil, nil, staticLookup(nil), VerifyOptions{})
	wantErr(t, err, ErrMalformed)
	req, _ := http.NewRequest("GET", "https://b.example/", nil)
	_, err = Verify(req, nil, nil, VerifyOptions{})
	wantErr(t, err, ErrMalformed)
}
