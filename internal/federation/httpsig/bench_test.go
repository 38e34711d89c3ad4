package httpsig

import (
	"crypto"
	"net/http"
	"strings"
	"testing"
)

var benchBody = []byte(`{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","actor":"https://a.example/users/alice","object":{"type":"Note","content":"hello"}}`)

func benchRequest(b *testing.B) *http.Request {
	req, err := http.NewRequest(http.MethodPost, "https://b.example/users/bob/inbox", strings.NewReader(string(benchBody)))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	return req
}

func BenchmarkSignCavageRSA(b *testing.B) {
	key := rsaKey(0)
	req := benchRequest(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := SignCavage(req, benchBody, key, "https://a.example/users/alice#main-key", signTime); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyCavageRSA(b *testing.B) {
	c := signCase{ModeCavage, http.MethodPost, rsaKey(0), "https://a.example/users/alice#main-key"}
	req, body, _ := c.signed(b)
	lookup := staticLookup(map[string]crypto.PublicKey{c.keyID: c.key.Public()})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(req, body, lookup, testOpts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignRFC9421Ed25519(b *testing.B) {
	key := edKey(0)
	req := benchRequest(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := SignRFC9421(req, benchBody, key, "https://a.example/users/alice#ed25519-key", "", signTime); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyRFC9421Ed25519(b *testing.B) {
	c := signCase{ModeRFC9421, http.MethodPost, edKey(0), "https://a.example/users/alice#ed25519-key"}
	req, body, _ := c.signed(b)
	lookup := staticLookup(map[string]crypto.PublicKey{c.keyID: c.key.Public()})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(req, body, lookup, testOpts); err != nil {
			b.Fatal(err)
		}
	}
}
