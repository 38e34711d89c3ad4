package httpsig

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
)

// maxPEMBytes bounds a publicKeyPem value: an 8192-bit RSA key is ~1.5 KB.
const maxPEMBytes = 8 << 10

// ParsePublicKeyPEM parses the publicKeyPem of an actor document: a
// "PUBLIC KEY" (PKIX, RSA or Ed25519) or "RSA PUBLIC KEY" (PKCS #1) block.
// RSA keys must have 1024 to 8192 bits. Anything after the block other
// than white space is an error.
func ParsePublicKeyPEM(text string) (crypto.PublicKey, error) {
	if len(text) > maxPEMBytes {
		return nil, fmt.Errorf("%w: PEM too long", ErrInvalidKey)
	}
	block, rest := pem.Decode([]byte(text))
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block", ErrInvalidKey)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, fmt.Errorf("%w: data after the PEM block", ErrInvalidKey)
	}
	var pub crypto.PublicKey
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		pub, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
	default:
		return nil, fmt.Errorf("%w: PEM type %.40q", ErrInvalidKey, block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	return checkPublicKey(pub)
}

// checkPublicKey accepts the key types and sizes we can verify with.
func checkPublicKey(pub crypto.PublicKey) (crypto.PublicKey, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if n := k.N.BitLen(); n < minRSABits || n > maxRSABits {
			return nil, fmt.Errorf("%w: RSA key of %d bits", ErrInvalidKey, n)
		}
		return k, nil
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 key of %d bytes", ErrInvalidKey, len(k))
		}
		return k, nil
	}
	return nil, fmt.Errorf("%w: key type %T", ErrUnsupportedAlgorithm, pub)
}

// Multicodec prefixes (unsigned varints) used by FEP-521a Multikey.
var (
	codecEd25519Pub = []byte{0xed, 0x01} // ed25519-pub, 0xed
	codecRSAPub     = []byte{0x85, 0x24} // rsa-pub, 0x1205, PKCS #1 DER follows
)

// maxMultikeyLen bounds a publicKeyMultibase value (an 8192-bit RSA key is
// about 1,440 base58 characters); base58 decoding is quadratic.
const maxMultikeyLen = 2048

// ParseMultikey parses a FEP-521a publicKeyMultibase value: "z" (base58btc)
// followed by the multicodec ed25519-pub (0xed01) and 32 key bytes, or
// rsa-pub (0x1205) and a PKCS #1 DER RSA public key.
func ParseMultikey(s string) (crypto.PublicKey, error) {
	if len(s) < 2 || len(s) > maxMultikeyLen || s[0] != 'z' {
		return nil, fmt.Errorf("%w: not a base58btc multibase value", ErrInvalidKey)
	}
	raw, err := base58Decode(s[1:])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
	}
	switch {
	case bytes.HasPrefix(raw, codecEd25519Pub):
		key := raw[len(codecEd25519Pub):]
		if len(key) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 key of %d bytes", ErrInvalidKey, len(key))
		}
		return ed25519.PublicKey(bytes.Clone(key)), nil
	case bytes.HasPrefix(raw, codecRSAPub):
		pub, err := x509.ParsePKCS1PublicKey(raw[len(codecRSAPub):])
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
		}
		return checkPublicKey(pub)
	}
	return nil, fmt.Errorf("%w: unknown multicodec", ErrUnsupportedAlgorithm)
}

// EncodeMultikey returns the FEP-521a publicKeyMultibase value of an
// Ed25519 or RSA public key.
func EncodeMultikey(pub crypto.PublicKey) (string, error) {
	var raw []byte
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return "", fmt.Errorf("%w: Ed25519 key of %d bytes", ErrInvalidKey, len(k))
		}
		raw = append(bytes.Clone(codecEd25519Pub), k...)
	case *rsa.PublicKey:
		raw = append(bytes.Clone(codecRSAPub), x509.MarshalPKCS1PublicKey(k)...)
	default:
		return "", fmt.Errorf("%w: key type %T", ErrUnsupportedAlgorithm, pub)
	}
	return "z" + base58Encode(raw), nil
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

var base58Index = func() (idx [256]int8) {
	for i := range idx {
		idx[i] = -1
	}
	for i := 0; i < len(base58Alphabet); i++ {
		idx[base58Alphabet[i]] = int8(i)
	}
	return idx
}()

// base58Encode encodes with the Bitcoin alphabet; leading zero bytes become
// leading '1's.
func base58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	n := new(big.Int).SetBytes(b)
	base, mod := big.NewInt(58), new(big.Int)
	var out []byte
	for n.Sign() > 0 {
		n.DivMod(n, base, mod)
		out = append(out, base58Alphabet[mod.Int64()])
	}
	for range zeros {
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func base58Decode(s string) ([]byte, error) {
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	n, base := new(big.Int), big.NewInt(58)
	for i := zeros; i < len(s); i++ {
		d := base58Index[s[i]]
		if d < 0 {
			return nil, errors.New("invalid base58 character")
		}
		n.Mul(n, base)
		n.Add(n, big.NewInt(int64(d)))
	}
	return append(make([]byte, zeros), n.Bytes()...), nil
}
