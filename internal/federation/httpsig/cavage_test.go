package httpsig

import (
	"bufio"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"io"
	"net/http"
	"strings"
	"testing"
)

// cavageVectors holds draft-cavage-12 appendix C as read from the shared
// specs directory.
type cavageVectors struct {
	pub        *rsa.PublicKey
	priv       *rsa.PrivateKey
	req        *http.Request
	body       []byte
	signatures []string // Signature header values of C.1, C.2, C.3
}

func loadCavageVectors(t *testing.T) *cavageVectors {
	t.Helper()
	text := readShared(t, sharedDir(t, "specs/httpsig"), "cavage-12-appendix-c.txt")
	v := &cavageVectors{}
	rest := []byte(text)
	for {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		switch block.Type {
		case "PUBLIC KEY":
			pub, err := ParsePublicKeyPEM(string(pem.EncodeToMemory(block)))
			if err != nil {
				t.Fatal(err)
			}
			v.pub = pub.(*rsa.PublicKey)
		case "RSA PRIVATE KEY":
			priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			v.priv = priv
		}
	}
	lines := strings.Split(text, "\n")
	var reqLines []string
	for i, l := range lines {
		if strings.HasPrefix(l, "POST /foo") {
			for _, r := range lines[i:] {
				reqLines = append(reqLines, r)
				if strings.HasPrefix(r, "{") {
					break
				}
			}
		}
		if strings.HasPrefix(l, "Signature: ") {
			v.signatures = append(v.signatures, strings.TrimPrefix(l, "Signature: "))
		}
	}
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(strings.Join(reqLines, "\r\n"))))
	if err != nil {
		t.Fatal(err)
	}
	v.body, _ = io.ReadAll(req.Body)
	v.req = req
	if v.pub == nil || v.priv == nil || len(v.signatures) != 3 || string(v.body) != `{"hello": "world"}` {
		t.Fatalf("could not read the vectors: pub %v priv %v sigs %d body %q", v.pub != nil, v.priv != nil, len(v.signatures), v.body)
	}
	return v
}

func TestCavageAppendixC(t *testing.T) {
	v := loadCavageVectors(t)
	cases := []struct {
		name, signingString string
	}{
		{"C.1 default", "date: Sun, 05 Jan 2014 21:31:40 GMT"},
		{"C.2 basic", "(request-target): post /foo?param=value&pet=dog\nhost: example.com\ndate: Sun, 05 Jan 2014 21:31:40 GMT"},
		{"C.3 all headers", "(request-target): post /foo?param=value&pet=dog\nhost: example.com\ndate: Sun, 05 Jan 2014 21:31:40 GMT\n" +
			"content-type: application/json\ndigest: SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\ncontent-length: 18"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := parseCavageSignature(v.signatures[i])
			if err != nil {
				t.Fatal(err)
			}
			base, err := p.signingString(v.req)
			if err != nil {
				t.Fatal(err)
			}
			if string(base) != tc.signingString {
				t.Fatalf("signing string\n%s\nwant\n%s", base, tc.signingString)
			}
			s, err := cavageScheme(p.algorithm)
			if err != nil {
				t.Fatal(err)
			}
			if err := verifyMessage(s, v.pub, base, p.signature); err != nil {
				t.Fatalf("vector signature does not verify: %v", err)
			}
			// PKCS #1 v1.5 is deterministic: our signer reproduces the vector.
			sig, err := signMessage(v.priv, base)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(v.signatures[i], `signature="`+base64.StdEncoding.EncodeToString(sig)+`"`) {
				t.Fatalf("our signature differs from the vector")
			}
		})
	}
}

func TestCavageAppendixCPolicy(t *testing.T) {
	v := loadCavageVectors(t)
	lookup := staticLookup(map[string]crypto.PublicKey{"Test": v.pub})
	opts := VerifyOptions{SkipTimeCheck: true}
	for i, want := range []error{ErrNotCovered, ErrNotCovered, nil} {
		req := v.req.Clone(v.req.Context())
		req.Header.Set("Signature", v.signatures[i])
		res, err := Verify(req, v.body, lookup, opts)
		if want != nil {
			wantErr(t, err, want) // C.1 signs only date; C.2 is a POST without digest
			continue
		}
		if err != nil {
			t.Fatalf("C.3: %v", err)
		}
		if res.KeyID != "Test" || res.Algorithm != "rsa-sha256" || res.Mode != ModeCavage {
			t.Fatalf("C.3 result %+v", res)
		}
	}
	// The vector's Date is from 2014: with the clock on, it is expired.
	req := v.req.Clone(v.req.Context())
	req.Header.Set("Signature", v.signatures[2])
	_, err := Verify(req, v.body, lookup, VerifyOptions{})
	wantErr(t, err, ErrExpired)
}

// TestSignCavageVectorKey signs the appendix request with our signer and
// the vector key: the signing string's first lines are C.2's, and the
// Digest header is the vector's.
func TestSignCavageVectorKey(t *testing.T) {
	v := loadCavageVectors(t)
	req, _ := http.NewRequest(http.MethodPost, "http://example.com/foo?param=value&pet=dog", strings.NewReader(string(v.body)))
	now, _ := http.ParseTime("Sun, 05 Jan 2014 21:31:40 GMT")
	if err := SignCavageAlg(req, v.body, v.priv, "Test", AlgRSASHA256, now); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("Digest"); got != v.req.Header.Get("Digest") {
		t.Fatalf("Digest %q, want %q", got, v.req.Header.Get("Digest"))
	}
	p, err := parseCavageSignature(req.Header.Get("Signature"))
	if err != nil {
		t.Fatal(err)
	}
	base, _ := p.signingString(req)
	want := "(request-target): post /foo?param=value&pet=dog\nhost: example.com\ndate: Sun, 05 Jan 2014 21:31:40 GMT\n" +
		"digest: SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="
	if string(base) != want {
		t.Fatalf("signing string\n%s\nwant\n%s", base, want)
	}
	if p.algorithm != "rsa-sha256" || strings.Join(p.headers, " ") != "(request-target) host date digest" {
		t.Fatalf("params %+v", p)
	}
	if err := verifyMessage(schemeRSAPKCS1SHA256, v.pub, base, p.signature); err != nil {
		t.Fatal(err)
	}
}

func TestParseCavageSignatureErrors(t *testing.T) {
	good := `keyId="https://a.example/k",algorithm="hs2019",headers="(request-target) host date",signature="AAAA"`
	if _, err := parseCavageSignature(good); err != nil {
		t.Fatalf("good header: %v", err)
	}
	// Tolerated variations.
	for _, s := range []string{
		`keyId = "k" , headers="date",  signature="AAAA"`,
		`KEYID="k",signature="AAA",created=1402170695,expires=1402170995.5`,
		`keyId="k",signature="AAAA",unknown="x"`,
	} {
		if _, err := parseCavageSignature(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	bad := map[string]string{
		"empty":             ``,
		"no signature":      `keyId="k",headers="date"`,
		"no keyId":          `headers="date",signature="AAAA"`,
		"empty keyId":       `keyId="",signature="AAAA"`,
		"bad base64":        `keyId="k",signature="!!!!"`,
		"unquoted word":     `keyId=k,signature="AAAA"`,
		"unterminated":      `keyId="k,signature="AAAA`,
		"duplicate":         `keyId="k",keyId="j",signature="AAAA"`,
		"trailing comma":    `keyId="k",signature="AAAA",`,
		"junk after value":  `keyId="k"x,signature="AAAA"`,
		"empty headers":     `keyId="k",headers=" ",signature="AAAA"`,
		"unknown pseudo":    `keyId="k",headers="(foo)",signature="AAAA"`,
		"repeated header":   `keyId="k",headers="date date",signature="AAAA"`,
		"bad created":       `keyId="k",created=1.5,signature="AAAA"`,
		"bad expires":       `keyId="k",expires=1..5,signature="AAAA"`,
		"control character": "keyId=\"k\x01\",signature=\"AAAA\"",
		"huge signature":    `keyId="k",signature="` + strings.Repeat("A", 2000) + `"`,
		"too long":          `keyId="k",signature="AAAA",x="` + strings.Repeat("a", maxHeaderValue) + `"`,
	}
	for name, s := range bad {
		if _, err := parseCavageSignature(s); err == nil {
			t.Errorf("%s: parsed %q", name, s)
		} else {
			wantErr(t, err, ErrMalformed)
		}
	}
}
