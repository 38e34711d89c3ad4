package httpsig

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"strings"
)

// Algorithm names as they appear on the wire.
const (
	AlgHS2019       = "hs2019"          // cavage: the key decides (RSA PKCS #1 v1.5 SHA-256 or Ed25519)
	AlgRSASHA256    = "rsa-sha256"      // cavage
	AlgRSASHA512    = "rsa-sha512"      // cavage, accepted when verifying
	AlgRSAv15SHA256 = "rsa-v1_5-sha256" // RFC 9421
	AlgRSAPSSSHA512 = "rsa-pss-sha512"  // RFC 9421, accepted when verifying
	AlgEd25519      = "ed25519"         // RFC 9421; also accepted in cavage
)

// Bounds on RSA keys we accept: Go refuses smaller ones, larger ones only
// cost CPU.
const (
	minRSABits = 1024
	maxRSABits = 8192
)

// scheme is a concrete signature algorithm.
type scheme uint8

const (
	schemeFromKey scheme = iota // "hs2019" or no algorithm given: decided by the key type
	schemeRSAPKCS1SHA256
	schemeRSAPKCS1SHA512
	schemeRSAPSSSHA512
	schemeEd25519
)

// cavageScheme maps a cavage algorithm parameter ("" when absent).
func cavageScheme(alg string) (scheme, error) {
	switch strings.ToLower(alg) {
	case "", AlgHS2019:
		return schemeFromKey, nil
	case AlgRSASHA256:
		return schemeRSAPKCS1SHA256, nil
	case AlgRSASHA512:
		return schemeRSAPKCS1SHA512, nil
	case AlgEd25519:
		return schemeEd25519, nil
	}
	return 0, fmt.Errorf("%w: cavage algorithm %.40q", ErrUnsupportedAlgorithm, alg)
}

// rfc9421Scheme maps an RFC 9421 alg parameter ("" when absent).
func rfc9421Scheme(alg string) (scheme, error) {
	switch alg {
	case "":
		return schemeFromKey, nil
	case AlgRSAv15SHA256:
		return schemeRSAPKCS1SHA256, nil
	case AlgRSAPSSSHA512:
		return schemeRSAPSSSHA512, nil
	case AlgEd25519:
		return schemeEd25519, nil
	}
	return 0, fmt.Errorf("%w: alg %.40q", ErrUnsupportedAlgorithm, alg)
}

// keyScheme is the default scheme for a key: what hs2019 means for it.
func keyScheme(pub crypto.PublicKey) (scheme, error) {
	switch pub.(type) {
	case *rsa.PublicKey:
		return schemeRSAPKCS1SHA256, nil
	case ed25519.PublicKey:
		return schemeEd25519, nil
	}
	return 0, fmt.Errorf("%w: key type %T", ErrUnsupportedAlgorithm, pub)
}

// verifyMessage checks sig over msg. Any failure, including a key that does
// not fit the scheme (a rotated key may have changed type), is
// ErrBadSignature so that the caller refreshes the key.
func verifyMessage(s scheme, pub crypto.PublicKey, msg, sig []byte) error {
	if s == schemeFromKey {
		var err error
		if s, err = keyScheme(pub); err != nil {
			return fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
	}
	var ok bool
	switch s {
	case schemeRSAPKCS1SHA256, schemeRSAPKCS1SHA512, schemeRSAPSSSHA512:
		ok = verifyRSA(s, pub, msg, sig)
	case schemeEd25519:
		k, isEd := pub.(ed25519.PublicKey)
		ok = isEd && len(k) == ed25519.PublicKeySize && ed25519.Verify(k, msg, sig)
	}
	if !ok {
		return ErrBadSignature
	}
	return nil
}

func verifyRSA(s scheme, pub crypto.PublicKey, msg, sig []byte) bool {
	k, ok := pub.(*rsa.PublicKey)
	if !ok || k.N == nil || k.N.BitLen() > maxRSABits {
		return false
	}
	switch s {
	case schemeRSAPKCS1SHA256:
		h := sha256.Sum256(msg)
		return rsa.VerifyPKCS1v15(k, crypto.SHA256, h[:], sig) == nil
	case schemeRSAPKCS1SHA512:
		h := sha512.Sum512(msg)
		return rsa.VerifyPKCS1v15(k, crypto.SHA512, h[:], sig) == nil
	default: // schemeRSAPSSSHA512; RFC 9421 §3.3.1 fixes the salt at 64 bytes
		h := sha512.Sum512(msg)
		return rsa.VerifyPSS(k, crypto.SHA512, h[:], sig, &rsa.PSSOptions{SaltLength: sha512.Size}) == nil
	}
}

// signMessage signs msg with the key's default scheme (RSA PKCS #1 v1.5
// SHA-256 or Ed25519). key may be any crypto.Signer, e.g. one held by the
// vault.
func signMessage(key crypto.Signer, msg []byte) ([]byte, error) {
	if key == nil {
		return nil, fmt.Errorf("%w: nil key", ErrUnsupportedAlgorithm)
	}
	s, err := keyScheme(key.Public())
	if err != nil {
		return nil, err
	}
	if s == schemeEd25519 {
		return key.Sign(rand.Reader, msg, crypto.Hash(0))
	}
	h := sha256.Sum256(msg)
	return key.Sign(rand.Reader, h[:], crypto.SHA256)
}
