package httpsig

import (
	"crypto"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Bounds on a cavage Signature header's contents.
const (
	maxCavageParams   = 16
	maxCoveredHeaders = 32
	maxHeaderNameLen  = 64
	maxSignatureBytes = 1024 // an 8192-bit RSA signature
)

// cavageParams is a parsed draft-cavage Signature header.
type cavageParams struct {
	keyID     string
	algorithm string   // as sent, "" when absent
	headers   []string // lower case, in order
	signature []byte
	created   string // digits, "" when absent
	expires   string // digits with an optional fraction, "" when absent
}

// parseCavageSignature parses the parameters of a cavage signature:
// keyId="...",algorithm="...",headers="...",signature="..." with optional
// created=N and expires=N. Values are quoted strings without escapes (the
// draft has none) or, for created and expires, bare numbers. Parameter
// names are matched case-insensitively, duplicates are refused, unknown
// ones ignored.
func parseCavageSignature(s string) (*cavageParams, error) {
	if len(s) > maxHeaderValue {
		return nil, fmt.Errorf("%w: signature header too long", ErrMalformed)
	}
	raw, err := splitCavageParams(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	p := &cavageParams{keyID: raw["keyid"], algorithm: raw["algorithm"], created: raw["created"], expires: raw["expires"]}
	if err := checkKeyID(p.keyID); err != nil {
		return nil, err
	}
	if p.signature, err = decodeSignature(raw["signature"]); err != nil {
		return nil, err
	}
	if err := p.parseHeaders(raw); err != nil {
		return nil, err
	}
	if p.created != "" && !isDigits(p.created) {
		return nil, fmt.Errorf("%w: created is not a number", ErrMalformed)
	}
	if _, ok := parseUnixTime(p.expires); p.expires != "" && !ok {
		return nil, fmt.Errorf("%w: expires is not a number", ErrMalformed)
	}
	return p, nil
}

// splitCavageParams splits name=value pairs separated by commas.
func splitCavageParams(s string) (map[string]string, error) {
	out := map[string]string{}
	i := 0
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	for {
		skip()
		start := i
		for i < len(s) && isTChar(s[i]) {
			i++
		}
		name := strings.ToLower(s[start:i])
		skip()
		if name == "" || i >= len(s) || s[i] != '=' {
			return nil, errors.New("expected name=value")
		}
		i++
		skip()
		val, n, err := cavageValue(s[i:])
		if err != nil {
			return nil, err
		}
		i += n
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("duplicate parameter %.20q", name)
		}
		if out[name] = val; len(out) > maxCavageParams {
			return nil, errors.New("too many parameters")
		}
		skip()
		if i == len(s) {
			return out, nil
		}
		if s[i] != ',' {
			return nil, errors.New("expected ','")
		}
		i++
	}
}

// cavageValue reads a quoted string or a bare number at the start of s and
// returns it with the number of bytes consumed.
func cavageValue(s string) (string, int, error) {
	if strings.HasPrefix(s, `"`) {
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return "", 0, errors.New("unterminated quoted value")
		}
		v := s[1 : 1+end]
		for i := 0; i < len(v); i++ {
			if v[i] < 0x20 || v[i] == 0x7f || v[i] == '\\' {
				return "", 0, errors.New("forbidden character in value")
			}
		}
		return v, end + 2, nil
	}
	n := 0
	for n < len(s) && (isDigit(s[n]) || s[n] == '.') {
		n++
	}
	if n == 0 {
		return "", 0, errors.New("expected a quoted value or a number")
	}
	return s[:n], n, nil
}

func decodeSignature(s string) ([]byte, error) {
	if s == "" {
		return nil, fmt.Errorf("%w: no signature parameter", ErrMalformed)
	}
	sig, err := base64.StdEncoding.DecodeString(s)
	if err != nil { // some senders drop the padding
		sig, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	if err != nil || len(sig) == 0 || len(sig) > maxSignatureBytes {
		return nil, fmt.Errorf("%w: signature is not base64 of a sane length", ErrMalformed)
	}
	return sig, nil
}

// parseHeaders reads the headers parameter. When absent, the draft (and
// Mastodon) default to "(created)" for hs2019 and "date" otherwise.
func (p *cavageParams) parseHeaders(raw map[string]string) error {
	list, ok := raw["headers"]
	if !ok {
		if a := strings.ToLower(p.algorithm); a == "" || a == AlgHS2019 {
			list = "(created)"
		} else {
			list = "date"
		}
	}
	p.headers = strings.Fields(strings.ToLower(list))
	if len(p.headers) == 0 || len(p.headers) > maxCoveredHeaders {
		return fmt.Errorf("%w: headers parameter empty or too long", ErrMalformed)
	}
	for i, h := range p.headers {
		if len(h) > maxHeaderNameLen || !validCavageName(h) {
			return fmt.Errorf("%w: bad name in headers parameter", ErrMalformed)
		}
		for _, prev := range p.headers[:i] {
			if prev == h {
				return fmt.Errorf("%w: %s listed twice in headers", ErrMalformed, h)
			}
		}
	}
	return nil
}

func validCavageName(h string) bool {
	if strings.HasPrefix(h, "(") {
		return h == "(request-target)" || h == "(created)" || h == "(expires)"
	}
	for i := 0; i < len(h); i++ {
		if !isTChar(h[i]) {
			return false
		}
	}
	return true
}

func (p *cavageParams) covers(name string) bool {
	for _, h := range p.headers {
		if h == name {
			return true
		}
	}
	return false
}

// signingString builds the cavage signing string: "name: value" lines
// joined by "\n", no trailing newline.
func (p *cavageParams) signingString(r *http.Request) ([]byte, error) {
	var b strings.Builder
	for i, h := range p.headers {
		v, err := p.value(r, h)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(h)
		b.WriteString(": ")
		b.WriteString(v)
		if b.Len() > maxBaseLen {
			return nil, fmt.Errorf("%w: signing string too long", ErrMalformed)
		}
	}
	return []byte(b.String()), nil
}

func (p *cavageParams) value(r *http.Request, h string) (string, error) {
	switch h {
	case "(request-target)":
		return strings.ToLower(r.Method) + " " + requestTarget(r), nil
	case "(created)", "(expires)":
		// The draft forbids these pseudo-headers with the legacy algorithms.
		if a := strings.ToLower(p.algorithm); strings.HasPrefix(a, "rsa") || strings.HasPrefix(a, "hmac") || strings.HasPrefix(a, "ecdsa") {
			return "", fmt.Errorf("%w: %s with algorithm %s", ErrMalformed, h, a)
		}
		v := p.created
		if h == "(expires)" {
			v = p.expires
		}
		if v == "" {
			return "", fmt.Errorf("%w: %s signed without its parameter", ErrMalformed, h)
		}
		return v, nil
	case "host":
		if host := requestHost(r); host != "" {
			return host, nil
		}
	default:
		v, ok, err := headerValue(r.Header, h)
		if err != nil {
			return "", fmt.Errorf("%w: %s: %w", ErrMalformed, h, err)
		}
		if ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("%w: signed header %s is missing", ErrMalformed, h)
}

// SignCavage signs req as draft-cavage-http-signatures-12 with
// algorithm="hs2019" (RSA PKCS #1 v1.5 SHA-256 for RSA keys, Ed25519 for
// Ed25519 keys), as GoToSocial does. See SignCavageAlg.
func SignCavage(req *http.Request, body []byte, key crypto.Signer, keyID string, now time.Time) error {
	return SignCavageAlg(req, body, key, keyID, AlgHS2019, now)
}

// SignCavageAlg signs req as draft-cavage-http-signatures-12. alg is
// AlgHS2019 or, for an RSA key, AlgRSASHA256 (what Mastodon sends; every
// fediverse verifier accepts both for RSA). Note that only hs2019 verifiers
// that know Ed25519 (not Mastodon) accept an Ed25519 key here.
//
// It sets Host (req.Host), Date, and for a POST or a non-empty body
// Digest: SHA-256=<base64>; body must be exactly the bytes req will send.
// The signature covers "(request-target) host date" plus "digest" when
// there is one, the set Mastodon requires. Headers of an earlier RFC 9421
// signature are removed.
func SignCavageAlg(req *http.Request, body []byte, key crypto.Signer, keyID, alg string, now time.Time) error {
	if err := checkSignable(req, key, keyID); err != nil {
		return fmt.Errorf("httpsig: sign cavage: %w", err)
	}
	if err := checkCavageSignAlg(alg, key); err != nil {
		return fmt.Errorf("httpsig: sign cavage: %w", err)
	}
	req.Host = requestHost(req)
	req.Header.Del("Signature-Input")
	req.Header.Del("Content-Digest")
	req.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	p := &cavageParams{keyID: keyID, algorithm: alg, headers: []string{"(request-target)", "host", "date"}}
	if needsBodyDigest(req.Method, body) {
		req.Header.Set("Digest", "SHA-256="+sha256Base64(body))
		p.headers = append(p.headers, "digest")
	}
	base, err := p.signingString(req)
	if err != nil {
		return fmt.Errorf("httpsig: sign cavage: %w", err)
	}
	sig, err := signMessage(key, base)
	if err != nil {
		return fmt.Errorf("httpsig: sign cavage: %w", err)
	}
	req.Header.Set("Signature", fmt.Sprintf(`keyId="%s",algorithm="%s",headers="%s",signature="%s"`,
		keyID, alg, strings.Join(p.headers, " "), base64.StdEncoding.EncodeToString(sig)))
	return nil
}

func checkCavageSignAlg(alg string, key crypto.Signer) error {
	s, err := keyScheme(key.Public())
	if err != nil {
		return err
	}
	if alg == AlgHS2019 || (alg == AlgRSASHA256 && s == schemeRSAPKCS1SHA256) {
		return nil
	}
	return fmt.Errorf("%w: cannot sign %.40q with a %T", ErrUnsupportedAlgorithm, alg, key.Public())
}

// checkSignable validates the arguments every Sign function shares.
func checkSignable(req *http.Request, key crypto.Signer, keyID string) error {
	if req == nil || req.URL == nil || req.Header == nil {
		return errors.New("request without URL or header map")
	}
	if key == nil {
		return fmt.Errorf("%w: nil key", ErrUnsupportedAlgorithm)
	}
	if requestHost(req) == "" {
		return errors.New("request without host")
	}
	return checkKeyID(keyID)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != "" && len(s) <= 15
}

// parseUnixTime parses seconds since the epoch, with an optional fraction.
func parseUnixTime(s string) (time.Time, bool) {
	whole, frac, dot := strings.Cut(s, ".")
	if !isDigits(whole) || (dot && !isDigits(frac)) {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(sec, 0), true
}
