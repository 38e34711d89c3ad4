package ap

import (
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// ErrBadKey is returned when a key in an actor document cannot be used.
var ErrBadKey = errors.New("activitystreams: unusable public key")

// NewPublicKey describes an RSA key as Mastodon publishes it: a PKIX
// "PUBLIC KEY" PEM block under publicKey.
func NewPublicKey(id, owner string, pub *rsa.PublicKey) (PublicKey, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return PublicKey{}, fmt.Errorf("activitystreams: marshal rsa key: %w", err)
	}
	p := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	return PublicKey{ID: id, Owner: owner, PEM: string(p)}, nil
}

// RSA parses the key's PEM. It accepts PKIX ("PUBLIC KEY", what Mastodon
// and GoToSocial send) and PKCS #1 ("RSA PUBLIC KEY", seen from older
// software).
func (k PublicKey) RSA() (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(k.PEM))
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block", ErrBadKey)
	}
	switch block.Type {
	case "PUBLIC KEY":
		pub, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
		}
		rsaPub, ok := pub.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("%w: not an RSA key", ErrBadKey)
		}
		return rsaPub, nil
	case "RSA PUBLIC KEY":
		pub, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
		}
		return pub, nil
	}
	return nil, fmt.Errorf("%w: PEM type %.32q", ErrBadKey, block.Type)
}

// ed25519Multicodec is the multicodec prefix for an Ed25519 public key
// (varint 0xed).
var ed25519Multicodec = []byte{0xed, 0x01}

// NewMultikey describes an Ed25519 key as FEP-521a does: a Multikey whose
// publicKeyMultibase is "z" + base58btc(0xed01 || key).
func NewMultikey(id, controller string, pub ed25519.PublicKey) Multikey {
	raw := append(append([]byte(nil), ed25519Multicodec...), pub...)
	return Multikey{ID: id, Controller: controller, PublicKeyMultibase: "z" + base58Encode(raw)}
}

// Ed25519 decodes the key, which must be a base58btc multibase Ed25519
// multikey.
func (k Multikey) Ed25519() (ed25519.PublicKey, error) {
	rest, ok := strings.CutPrefix(k.PublicKeyMultibase, "z")
	if !ok || len(rest) > 100 {
		return nil, fmt.Errorf("%w: not base58btc multibase", ErrBadKey)
	}
	raw, err := base58Decode(rest)
	if err != nil {
		return nil, err
	}
	if len(raw) != 2+ed25519.PublicKeySize || raw[0] != ed25519Multicodec[0] || raw[1] != ed25519Multicodec[1] {
		return nil, fmt.Errorf("%w: not an Ed25519 multikey", ErrBadKey)
	}
	return ed25519.PublicKey(raw[2:]), nil
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

func base58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	n := new(big.Int).SetBytes(b)
	radix, mod := big.NewInt(58), new(big.Int)
	var out []byte
	for n.Sign() > 0 {
		n.DivMod(n, radix, mod)
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
	n, radix := new(big.Int), big.NewInt(58)
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	for i := range len(s) {
		d := strings.IndexByte(base58Alphabet, s[i])
		if d < 0 {
			return nil, fmt.Errorf("%w: bad base58", ErrBadKey)
		}
		n.Mul(n, radix)
		n.Add(n, big.NewInt(int64(d)))
	}
	return append(make([]byte, zeros), n.Bytes()...), nil
}
