package httpsig

import (
	"crypto"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const gtsSignature = `keyId="http://localhost:8182/users/bob/main-key",algorithm="hs2019",headers="(request-target) host date",signature="psWmX25UAYGPwZJsUezwVW9+6jcegq0QGpQ5pzAQ3uYCMp/humKgibl/u2J7HzBd8BX7arSqW2IiIRTnAl7wXRZbue8aThHPwxi6EFHGgD0OCa4p0sYgeqbPK9/4od1poSRbIkVVgob61FB1Cdd1PmexHtAW7SwbWrbrWIYKCFXSaoyVncw3vIsta1/W0zOQgn7RZDoyAbdJwPDD2GhVBKnqWEGv7bsev6AU6fbzemigEiSsOrvomF9YzRqHnmozcQASvqJV6c2RyCEgEjJqssqmocL6tLj4b/xIZgZPgx6JPVL+TahQgaloz/ZyacYbCHgWinW1gCsrAAurol0Qxg=="`

func FuzzParseCavageSignature(f *testing.F) {
	for _, s := range []string{
		gtsSignature,
		`keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date content-type digest content-length",signature="AAAA"`,
		`keyId="k",created=1402170695,expires=1402170995.5,headers="(created) (expires)",signature="AAAA"`,
		`keyId = "k" ,signature="AAA"`, `a=`, `="x"`, `keyId="k",,`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseCavageSignature(s)
		if err != nil {
			return
		}
		if checkKeyID(p.keyID) != nil || len(p.signature) == 0 || len(p.headers) == 0 || len(p.headers) > maxCoveredHeaders {
			t.Fatalf("accepted an invalid signature: %+v", p)
		}
		req, _ := http.NewRequest("GET", "https://h.example/p?q", nil)
		req.Header.Set("Date", "x")
		_, _ = p.signingString(req) // must not panic
	})
}

func FuzzParseSignatureInput(f *testing.F) {
	for _, s := range []string{
		`sig1=("@method" "@target-uri" "content-digest" "content-type");created=1795881201;keyid="https://a.example/k";alg="rsa-v1_5-sha256"`,
		`sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"`,
		`sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"`,
		`a=("x";bs);keyid="k";n=1.5;t=tok;b=:AQ==:;f=?0, b=();keyid="j"`,
		`sig1=("@method"`, `x=(`, `x=1`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		inputs, err := parseSignatureInput(s)
		if err != nil {
			return
		}
		// What we accept reserializes to a canonical form that parses to
		// the same thing.
		var parts []string
		for _, in := range inputs {
			list, err := serializeInnerList(in.components, in.params)
			if err != nil {
				t.Fatalf("accepted but cannot serialize: %v", err)
			}
			parts = append(parts, in.label+"="+list)
		}
		canon := strings.Join(parts, ", ")
		again, err := parseSignatureInput(canon)
		if err != nil {
			t.Fatalf("canonical form %q does not parse: %v", canon, err)
		}
		for i, in := range again {
			list, _ := serializeInnerList(in.components, in.params)
			if in.label+"="+list != parts[i] || in.keyID != inputs[i].keyID || !in.created.Equal(inputs[i].created) {
				t.Fatalf("round trip changed %q to %q", parts[i], in.label+"="+list)
			}
		}
	})
}

// FuzzVerify feeds arbitrary headers, targets and bodies to Verify, seeded
// with valid signatures of both formats so that the fuzzer starts deep in
// the verifier. It must never panic and never accept a request whose
// digest does not match. A digest header the signature does not cover and
// that cannot be parsed is ignored, as Verify does: it says nothing that
// could disagree with the body (testdata/fuzz/FuzzVerify keeps such a case).
func FuzzVerify(f *testing.F) {
	for _, c := range signCases() {
		req, body, _ := c.signed(f)
		f.Add(req.Method, req.RequestURI, req.Host, req.Header.Get("Signature"), req.Header.Get("Signature-Input"),
			req.Header.Get("Date"), req.Header.Get("Digest"), req.Header.Get("Content-Digest"), body)
	}
	f.Add("GET", "/", "h", gtsSignature, "", "Sat, 28 Nov 2026 15:53:21 GMT", "", "", []byte(nil))
	keys := map[string]crypto.PublicKey{}
	for _, c := range signCases() {
		keys[c.keyID] = c.key.Public()
	}
	lookup := staticLookup(keys)
	f.Fuzz(func(t *testing.T, method, target, host, sig, input, date, digest, contentDigest string, body []byte) {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return
		}
		req := &http.Request{Method: method, URL: u, RequestURI: target, Host: host, Header: http.Header{}}
		for name, v := range map[string]string{"Signature": sig, "Signature-Input": input, "Date": date, "Digest": digest, "Content-Digest": contentDigest} {
			if v != "" {
				req.Header.Set(name, v)
			}
		}
		res, err := Verify(req, body, lookup, testOpts)
		if err != nil {
			return
		}
		if res.KeyID == "" || res.Key == nil {
			t.Fatalf("accepted without a key: %+v", res)
		}
		if needsBodyDigest(method, body) && errors.Is(checkBodyDigests(req.Header, body, func(string) bool { return false }), ErrDigestMismatch) {
			t.Fatal("accepted a body that does not match its digest")
		}
	})
}
