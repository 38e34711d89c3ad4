package vault

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
)

// MasterKey wraps data keys. It never leaves the process.
type MasterKey struct {
	key []byte
	id  string
}

// NewMasterKey returns a fresh random master key.
func NewMasterKey() (MasterKey, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return MasterKey{}, err
	}
	return MasterKeyFromBytes(b)
}

// MasterKeyFromBytes makes a master key from 32 secret bytes.
func MasterKeyFromBytes(b []byte) (MasterKey, error) {
	if len(b) != 32 {
		return MasterKey{}, errors.New("vault: master key must be 32 bytes")
	}
	sum := sha256.Sum256(append([]byte("roost-master-id\x00"), b...))
	return MasterKey{key: append([]byte(nil), b...), id: hex.EncodeToString(sum[:8])}, nil
}

// ID is a public fingerprint of the key, recorded beside what it wraps.
func (m MasterKey) ID() string { return m.id }

func (m MasterKey) wrapAAD(k *WrappedKey) []byte {
	return []byte("roost-dk\x00" + strconv.FormatInt(k.ID, 10) + "\x00" + strconv.FormatInt(k.Owner, 10) + "\x00" + k.Period)
}

func (m MasterKey) wrap(k *WrappedKey, dk []byte) ([]byte, error) {
	aead, err := newAEAD(m.key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, dk, m.wrapAAD(k)), nil
}

func (m MasterKey) unwrap(k *WrappedKey) ([]byte, error) {
	if k.MasterID != m.id {
		return nil, fmt.Errorf("vault: key %d is wrapped by master key %s, not %s", k.ID, k.MasterID, m.id)
	}
	aead, err := newAEAD(m.key)
	if err != nil {
		return nil, err
	}
	if len(k.Wrapped) < aead.NonceSize() {
		return nil, errors.New("vault: malformed wrapped key")
	}
	n := aead.NonceSize()
	dk, err := aead.Open(nil, k.Wrapped[:n], k.Wrapped[n:], m.wrapAAD(k))
	if err != nil {
		return nil, fmt.Errorf("vault: unwrap key %d: authentication failed", k.ID)
	}
	return dk, nil
}
