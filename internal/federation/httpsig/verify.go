package httpsig

import (
	"context"
	"crypto"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// KeyLookup returns the public key for a key ID (an actor's key URL). With
// refresh=false it may answer from a cache; with refresh=true it must
// fetch the key again, because verification with the cached one failed
// and the actor may have rotated it. Verify calls it at most twice, and
// only after the signature passed every check that needs no key. keyID is
// untrusted input: a lookup that fetches it must go through the outbound
// client's address checks.
type KeyLookup func(ctx context.Context, keyID string, refresh bool) (crypto.PublicKey, error)

// Default time bounds. A sender's Date or created may be up to an hour old
// (queues, slow networks; Mastodon allows a little more) and up to 15
// minutes ahead of our clock (a sender whose clock runs fast).
const (
	DefaultMaxAge    = time.Hour
	DefaultMaxFuture = 15 * time.Minute
)

// VerifyOptions tunes Verify. The zero value is the production policy.
type VerifyOptions struct {
	// MaxAge is how old a signature's Date / created may be; 0 means
	// DefaultMaxAge.
	MaxAge time.Duration
	// MaxFuture is how far ahead of our clock Date / created may be, and the
	// grace after an expires parameter; 0 means DefaultMaxFuture.
	MaxFuture time.Duration
	// SkipTimeCheck disables the freshness checks (not the requirement that
	// a time be signed). Only for replaying captured traffic in tests.
	SkipTimeCheck bool
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Scheme is the public scheme of this server, for "@target-uri" and
	// "@scheme" when the request URL has none (always, on a server). ""
	// means "https".
	Scheme string
}

func (o VerifyOptions) withDefaults() VerifyOptions {
	if o.MaxAge <= 0 {
		o.MaxAge = DefaultMaxAge
	}
	if o.MaxFuture <= 0 {
		o.MaxFuture = DefaultMaxFuture
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Result describes a verified signature.
type Result struct {
	Mode      Mode      // which format was verified
	KeyID     string    // the key that verified it; its owner is the sender
	Algorithm string    // as sent; when absent, "hs2019" (cavage) or the key's RFC 9421 name
	Label     string    // RFC 9421 label; "" for cavage
	Covered   []string  // covered header / component names, in signed order
	Created   time.Time // signed Date or created; zero if neither parsed
	Key       crypto.PublicKey
	Refreshed bool // the key had to be fetched again (rotation)
}

// candidate is a parsed signature ready to be checked.
type candidate struct {
	mode    Mode
	keyID   string
	alg     string
	scheme  scheme
	label   string
	covered []string
	base    []byte
	sig     []byte
	times   []time.Time // signed created / Date
	expires time.Time
}

func (c *candidate) covers(name string) bool {
	for _, h := range c.covered {
		if h == name {
			return true
		}
	}
	return false
}

// Verify checks the signature on an incoming request. body is the request
// body as received (the caller has already read it, within its size
// limit). It returns what was verified, or an error wrapping one of the
// package's Err values, or the lookup's own error when no key could be had.
// See the package documentation for the policy.
func Verify(req *http.Request, body []byte, lookup KeyLookup, opts VerifyOptions) (*Result, error) {
	if req == nil || req.URL == nil || lookup == nil {
		return nil, fmt.Errorf("httpsig: verify: %w: no request or key lookup", ErrMalformed)
	}
	opts = opts.withDefaults()
	c, err := selectCandidate(req, body, opts)
	if err != nil {
		return nil, fmt.Errorf("httpsig: verify: %w", err)
	}
	if err := c.checkTime(opts); err != nil {
		return nil, fmt.Errorf("httpsig: verify: %w", err)
	}
	if err := checkBodyDigests(req.Header, body, c.covers); err != nil {
		return nil, fmt.Errorf("httpsig: verify: %w", err)
	}
	key, refreshed, err := c.verify(req.Context(), lookup)
	if err != nil {
		return nil, fmt.Errorf("httpsig: verify: %w", err)
	}
	res := &Result{Mode: c.mode, KeyID: c.keyID, Algorithm: c.alg, Label: c.label, Covered: c.covered, Key: key, Refreshed: refreshed}
	if len(c.times) > 0 {
		res.Created = c.times[0]
	}
	if res.Algorithm == "" {
		res.Algorithm = defaultAlgName(c.mode, key)
	}
	return res, nil
}

// selectCandidate parses the signature headers and applies the coverage
// policy. With several RFC 9421 labels, the first that parses and meets
// the policy is used.
func selectCandidate(req *http.Request, body []byte, opts VerifyOptions) (*candidate, error) {
	if _, ok := req.Header["Signature-Input"]; !ok {
		c, err := cavageCandidate(req)
		if err != nil {
			return nil, err
		}
		return c, c.checkCoverage(req, body)
	}
	inputs, err := rfc9421Inputs(req.Header)
	if err != nil {
		return nil, err
	}
	var first error
	for _, in := range inputs {
		c, err := rfc9421Candidate(req, in, opts)
		if err == nil {
			if err = c.checkCoverage(req, body); err == nil {
				return c, nil
			}
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}

func cavageCandidate(req *http.Request) (*candidate, error) {
	raw, err := cavageHeader(req.Header)
	if err != nil {
		return nil, err
	}
	p, err := parseCavageSignature(raw)
	if err != nil {
		return nil, err
	}
	s, err := cavageScheme(p.algorithm)
	if err != nil {
		return nil, err
	}
	base, err := p.signingString(req)
	if err != nil {
		return nil, err
	}
	c := &candidate{mode: ModeCavage, keyID: p.keyID, alg: p.algorithm, scheme: s, covered: p.headers, base: base, sig: p.signature}
	if p.covers("(created)") {
		t, _ := parseUnixTime(p.created) // checked by the parser
		c.times = append(c.times, t)
	}
	if p.expires != "" {
		c.expires, _ = parseUnixTime(p.expires)
	}
	return c, c.addDate(req)
}

// cavageHeader finds a cavage signature: the Signature header (tolerating a
// stray "Signature " prefix, as some old PeerTube sent) or Authorization:
// Signature ....
func cavageHeader(h http.Header) (string, error) {
	const prefix = "Signature "
	if vals := h.Values("Signature"); len(vals) > 0 {
		if len(vals) > 1 {
			return "", fmt.Errorf("%w: several Signature headers", ErrMalformed)
		}
		v := strings.TrimSpace(vals[0])
		if len(v) > len(prefix) && strings.EqualFold(v[:len(prefix)], prefix) {
			v = v[len(prefix):]
		}
		return v, nil
	}
	if v := h.Get("Authorization"); len(v) > len(prefix) && strings.EqualFold(v[:len(prefix)], prefix) {
		return v[len(prefix):], nil
	}
	return "", ErrNoSignature
}

func rfc9421Inputs(h http.Header) ([]*sigInput, error) {
	input, err := boundedHeader(h, "Signature-Input")
	if err != nil {
		return nil, err
	}
	sigs, err := boundedHeader(h, "Signature")
	if err != nil {
		return nil, err
	}
	if sigs == "" {
		return nil, fmt.Errorf("%w: Signature-Input without Signature", ErrMalformed)
	}
	inputs, err := parseSignatureInput(input)
	if err != nil {
		return nil, err
	}
	return inputs, attachSignatures(inputs, sigs)
}

func rfc9421Candidate(req *http.Request, in *sigInput, opts VerifyOptions) (*candidate, error) {
	s, err := rfc9421Scheme(in.alg)
	if err != nil {
		return nil, err
	}
	base, err := in.signatureBase(req, requestScheme(req, opts.Scheme))
	if err != nil {
		return nil, err
	}
	c := &candidate{mode: ModeRFC9421, keyID: in.keyID, alg: in.alg, scheme: s, label: in.label,
		covered: in.coveredNames(), base: base, sig: in.signature, expires: in.expires}
	if !in.created.IsZero() {
		c.times = append(c.times, in.created)
	}
	return c, c.addDate(req)
}

// addDate adds the Date header's time when the signature covers it.
func (c *candidate) addDate(req *http.Request) error {
	if !c.covers("date") {
		return nil
	}
	t, err := http.ParseTime(req.Header.Get("Date"))
	if err != nil {
		return fmt.Errorf("%w: Date header", ErrMalformed)
	}
	c.times = append(c.times, t)
	return nil
}

// checkCoverage enforces what a signature must cover: method and target,
// host, a time, and the body digest when there is a body or a POST.
func (c *candidate) checkCoverage(req *http.Request, body []byte) error {
	var missing string
	switch c.mode {
	case ModeCavage:
		switch {
		case !c.covers("(request-target)"):
			missing = "(request-target)"
		case !c.covers("host"):
			missing = "host"
		}
	default:
		_, query, _ := splitTarget(requestTarget(req))
		target := c.covers("@target-uri") || c.covers("@request-target") ||
			(c.covers("@path") && (query == "" || c.covers("@query")))
		switch {
		case !c.covers("@method"):
			missing = "@method"
		case !target:
			missing = "@target-uri"
		case !c.covers("@target-uri") && !c.covers("@authority") && !c.covers("host"):
			missing = "@authority"
		}
	}
	switch {
	case missing != "":
	case len(c.times) == 0:
		missing = "date or created"
	case needsBodyDigest(req.Method, body) && !c.covers("digest") && !c.covers("content-digest"):
		missing = "digest"
	}
	if missing != "" {
		return fmt.Errorf("%w: %s", ErrNotCovered, missing)
	}
	return nil
}

func (c *candidate) checkTime(opts VerifyOptions) error {
	if opts.SkipTimeCheck {
		return nil
	}
	now := opts.Now()
	for _, t := range c.times {
		if now.Sub(t) > opts.MaxAge {
			return fmt.Errorf("%w: signed %s ago", ErrExpired, now.Sub(t).Round(time.Second))
		}
		if t.Sub(now) > opts.MaxFuture {
			return fmt.Errorf("%w: signed %s ahead", ErrSkew, t.Sub(now).Round(time.Second))
		}
	}
	if !c.expires.IsZero() && now.After(c.expires.Add(opts.MaxFuture)) {
		return fmt.Errorf("%w: past its expires parameter", ErrExpired)
	}
	return nil
}

// verify looks the key up and checks the signature; on failure it fetches
// the key once more (refresh) and checks again.
func (c *candidate) verify(ctx context.Context, lookup KeyLookup) (crypto.PublicKey, bool, error) {
	key, err := lookup(ctx, c.keyID, false)
	if err != nil {
		return nil, false, fmt.Errorf("key %.200q: %w", c.keyID, err)
	}
	if verifyMessage(c.scheme, key, c.base, c.sig) == nil {
		return key, false, nil
	}
	key, err = lookup(ctx, c.keyID, true)
	if err != nil {
		return nil, true, fmt.Errorf("%w: key %.200q, and refreshing it failed: %w", ErrBadSignature, c.keyID, err)
	}
	if err := verifyMessage(c.scheme, key, c.base, c.sig); err != nil {
		return nil, true, fmt.Errorf("%w: key %.200q (refreshed)", err, c.keyID)
	}
	return key, true, nil
}

func defaultAlgName(m Mode, key crypto.PublicKey) string {
	if m == ModeCavage {
		return AlgHS2019
	}
	if s, err := keyScheme(key); err == nil && s == schemeEd25519 {
		return AlgEd25519
	}
	return AlgRSAv15SHA256
}
