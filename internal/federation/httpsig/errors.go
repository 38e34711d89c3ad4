package httpsig

import "errors"

// Error kinds returned (wrapped) by this package. Test with errors.Is. All of
// them mean "reject the request" (401 at an inbox); they differ so that the
// caller can count and debug them.
var (
	// ErrNoSignature: the request carries no signature at all.
	ErrNoSignature = errors.New("httpsig: no signature")
	// ErrMalformed: a signature, digest or covered header could not be parsed
	// or is missing.
	ErrMalformed = errors.New("httpsig: malformed signature")
	// ErrUnsupportedAlgorithm: a signature or digest algorithm we do not
	// implement, or a key type we cannot use.
	ErrUnsupportedAlgorithm = errors.New("httpsig: unsupported algorithm")
	// ErrNotCovered: the signature is well formed but does not cover what
	// our policy requires (target, host, time, body digest).
	ErrNotCovered = errors.New("httpsig: required component not signed")
	// ErrDigestMismatch: a Digest or Content-Digest header does not match
	// the body.
	ErrDigestMismatch = errors.New("httpsig: body digest mismatch")
	// ErrExpired: the signature is older than the allowed age or past its
	// expires parameter.
	ErrExpired = errors.New("httpsig: signature expired")
	// ErrSkew: the signature claims a time too far in the future.
	ErrSkew = errors.New("httpsig: signature date in the future")
	// ErrBadSignature: the signature does not verify with the key, even
	// after refreshing the key once.
	ErrBadSignature = errors.New("httpsig: signature does not verify")
	// ErrInvalidKey: a public key (PEM or Multikey) could not be parsed or
	// is of an unacceptable size.
	ErrInvalidKey = errors.New("httpsig: invalid public key")
)
