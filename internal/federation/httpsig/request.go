package httpsig

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"strings"
)

// Bounds on what a peer may make us build or hash.
const (
	maxHeaderValue = 8 << 10  // a Signature, Signature-Input or digest header
	maxKeyIDLen    = 2048     // keyId / keyid
	maxBaseLen     = 64 << 10 // signing string or signature base
)

// requestTarget is the path and query as the client sent them. On a server
// request RequestURI is the raw request line target (origin form); routers
// may rewrite URL.Path but not RequestURI. Client requests have no
// RequestURI, and absolute-form targets fall back to the URL too.
func requestTarget(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}

// splitTarget splits a request target into path ("/" when empty) and raw
// query (without '?'), reporting whether a '?' was present.
func splitTarget(target string) (path, query string, hasQuery bool) {
	path, query, hasQuery = strings.Cut(target, "?")
	if path == "" {
		path = "/"
	}
	return path, query, hasQuery
}

// requestHost is the authority the request was sent to: the Host header
// on a server, Host or URL.Host on a client.
func requestHost(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	return r.URL.Host
}

// requestScheme is the scheme for "@target-uri" and "@scheme". A server
// behind a TLS-terminating proxy cannot see it, so the caller configures it
// (VerifyOptions.Scheme); an absolute URL (client side) says it itself.
func requestScheme(r *http.Request, configured string) string {
	switch {
	case r.URL.Scheme != "":
		return strings.ToLower(r.URL.Scheme)
	case configured != "":
		return strings.ToLower(configured)
	}
	return "https"
}

// normalizeAuthority lower-cases the host and drops the scheme's default
// port (RFC 9421 §2.2.3).
func normalizeAuthority(host, scheme string) string {
	h := strings.ToLower(host)
	switch {
	case scheme == "https" && strings.HasSuffix(h, ":443"):
		h = strings.TrimSuffix(h, ":443")
	case scheme == "http" && strings.HasSuffix(h, ":80"):
		h = strings.TrimSuffix(h, ":80")
	}
	return h
}

// headerValue returns the combined value of a header field (each line
// trimmed, joined with ", "), as both formats define it.
func headerValue(h http.Header, name string) (string, bool, error) {
	vals, ok := h[textproto.CanonicalMIMEHeaderKey(name)]
	if !ok {
		return "", false, nil
	}
	trimmed := make([]string, len(vals))
	for i, v := range vals {
		trimmed[i] = strings.Trim(v, " \t")
	}
	v := strings.Join(trimmed, ", ")
	if strings.ContainsAny(v, "\r\n") {
		return "", true, errors.New("header value has a line break")
	}
	return v, true, nil
}

// boundedHeader returns the combined value of a signature-related header,
// refusing oversized ones.
func boundedHeader(h http.Header, name string) (string, error) {
	v, _, err := headerValue(h, name)
	if err == nil && len(v) > maxHeaderValue {
		err = errors.New("too long")
	}
	if err != nil {
		return "", fmt.Errorf("%w: %s header: %w", ErrMalformed, name, err)
	}
	return v, nil
}

// needsBodyDigest says whether a request must carry and sign a digest of its
// body: every POST (even empty) and any request with a body.
func needsBodyDigest(method string, body []byte) bool {
	return len(body) > 0 || method == http.MethodPost
}

// checkKeyID refuses key IDs we would not put in (or accept from) a header.
func checkKeyID(keyID string) error {
	if keyID == "" || len(keyID) > maxKeyIDLen {
		return fmt.Errorf("%w: key ID empty or too long", ErrMalformed)
	}
	for i := 0; i < len(keyID); i++ {
		if c := keyID[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return fmt.Errorf("%w: key ID has a forbidden character", ErrMalformed)
		}
	}
	return nil
}

func sha256Base64(body []byte) string {
	sum := sha256.Sum256(body)
	return base64.StdEncoding.EncodeToString(sum[:])
}
