package ap

import (
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/roost-social/roost/internal/federation/httpsig"
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
// software); the parsing rules are httpsig's, which verifies with the key.
func (k PublicKey) RSA() (*rsa.PublicKey, error) {
	pub, err := httpsig.ParsePublicKeyPEM(k.PEM)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	rsaPub, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: not an RSA key", ErrBadKey)
	}
	return rsaPub, nil
}

// NewMultikey describes an Ed25519 key as FEP-521a does: a Multikey whose
// publicKeyMultibase is "z" + base58btc(0xed01 || key). A key of the wrong
// length gets an empty publicKeyMultibase, which no peer will accept.
func NewMultikey(id, controller string, pub ed25519.PublicKey) Multikey {
	mb, _ := httpsig.EncodeMultikey(pub)
	return Multikey{ID: id, Controller: controller, PublicKeyMultibase: mb}
}

// Ed25519 decodes the key, which must be a base58btc multibase Ed25519
// multikey.
func (k Multikey) Ed25519() (ed25519.PublicKey, error) {
	pub, err := httpsig.ParseMultikey(k.PublicKeyMultibase)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadKey, err)
	}
	ed, ok := pub.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: not an Ed25519 multikey", ErrBadKey)
	}
	return ed, nil
}
