package httpsig

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
)

// digestSum returns the digest of body for a Digest / Content-Digest
// algorithm name (lower case), or nil when we do not support it.
func digestSum(alg string, body []byte) []byte {
	switch alg {
	case "sha-256":
		s := sha256.Sum256(body)
		return s[:]
	case "sha-512":
		s := sha512.Sum512(body)
		return s[:]
	}
	return nil
}

// checkBodyDigests checks the Digest (RFC 3230) and Content-Digest
// (RFC 9530) headers present on the request against body. A covered header
// must carry at least one algorithm we support; in an uncovered one,
// unknown algorithms and unparseable values are ignored. Any supported
// digest that differs from the body is ErrDigestMismatch.
func checkBodyDigests(h http.Header, body []byte, covered func(string) bool) error {
	if v, err := boundedHeader(h, "Digest"); err != nil {
		return err
	} else if v != "" {
		if err := checkDigest(v, body, covered("digest")); err != nil {
			return err
		}
	}
	if v, err := boundedHeader(h, "Content-Digest"); err != nil {
		return err
	} else if v != "" {
		if err := checkContentDigest(v, body, covered("content-digest")); err != nil {
			return err
		}
	}
	return nil
}

// checkDigest checks an RFC 3230 value: "SHA-256=<base64>[, alg=value...]".
func checkDigest(v string, body []byte, strict bool) error {
	checked := 0
	for part := range strings.SplitSeq(v, ",") {
		alg, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			if strict {
				return fmt.Errorf("%w: Digest header", ErrMalformed)
			}
			continue
		}
		want := digestSum(strings.ToLower(alg), body)
		if want == nil {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(val))
		if err != nil {
			return fmt.Errorf("%w: Digest %s value", ErrMalformed, strings.ToLower(alg))
		}
		if subtle.ConstantTimeCompare(got, want) != 1 {
			return fmt.Errorf("%w: Digest %s", ErrDigestMismatch, strings.ToLower(alg))
		}
		checked++
	}
	if strict && checked == 0 {
		return fmt.Errorf("%w: Digest has no SHA-256 or SHA-512 value", ErrUnsupportedAlgorithm)
	}
	return nil
}

// checkContentDigest checks an RFC 9530 value: "sha-256=:<base64>:, ...".
func checkContentDigest(v string, body []byte, strict bool) error {
	members, err := parseSFDictionary(v)
	if err != nil {
		if strict {
			return fmt.Errorf("%w: Content-Digest: %w", ErrMalformed, err)
		}
		return nil
	}
	checked := 0
	for _, m := range members {
		want := digestSum(m.key, body)
		if want == nil {
			continue
		}
		got, ok := m.item.value.([]byte)
		if m.isList || !ok {
			return fmt.Errorf("%w: Content-Digest %s is not a byte sequence", ErrMalformed, m.key)
		}
		if subtle.ConstantTimeCompare(got, want) != 1 {
			return fmt.Errorf("%w: Content-Digest %s", ErrDigestMismatch, m.key)
		}
		checked++
	}
	if strict && checked == 0 {
		return fmt.Errorf("%w: Content-Digest has no sha-256 or sha-512 value", ErrUnsupportedAlgorithm)
	}
	return nil
}
