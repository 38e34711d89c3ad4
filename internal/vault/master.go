package vault

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
)

// ErrWrongMasterKey means a data key in the key store was wrapped by another
// master key than the ones this process holds: the wrong key file or
// ROOST_MASTER_KEY, or a rotation this process has not seen.
var ErrWrongMasterKey = errors.New("wrong master key")

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

func (m MasterKey) valid() bool { return len(m.key) == 32 }

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
		return nil, wrongMaster(k, m.id)
	}
	aead, err := newAEAD(m.key)
	if err != nil {
		return nil, err
	}
	n := aead.NonceSize()
	if len(k.Wrapped) < n+aead.Overhead() {
		return nil, fmt.Errorf("key store entry %d is malformed", k.ID)
	}
	dk, err := aead.Open(nil, k.Wrapped[:n], k.Wrapped[n:], m.wrapAAD(k))
	if err != nil {
		return nil, fmt.Errorf("key store entry %d failed authentication: it was altered or damaged", k.ID)
	}
	return dk, nil
}

func wrongMaster(k *WrappedKey, have string) error {
	return fmt.Errorf("%w: key store entry %d is wrapped by master key %s but this process holds %s "+
		"(wrong key file or ROOST_MASTER_KEY, or a rotation made elsewhere)", ErrWrongMasterKey, k.ID, k.MasterID, have)
}

// unwrapAny unwraps k with whichever of masters wrapped it.
func unwrapAny(k *WrappedKey, masters []MasterKey) ([]byte, error) {
	for _, m := range masters {
		if m.valid() && m.id == k.MasterID {
			return m.unwrap(k)
		}
	}
	return nil, wrongMaster(k, masters[0].id)
}

// RewrapKeys re-wraps every data key in ks under next, in one transaction of
// the key store. Each key may currently be wrapped by next or by any of
// known; a key wrapped by another master aborts the whole re-wrap with
// ErrWrongMasterKey and changes nothing. Running it twice is harmless, which
// is what makes an interrupted rotation resumable. The data is not touched:
// the data keys themselves stay the same.
func RewrapKeys(ctx context.Context, ks KeyStore, next MasterKey, known ...MasterKey) error {
	if !next.valid() {
		return errors.New("vault: rewrap: no new master key")
	}
	masters := append([]MasterKey{next}, known...)
	err := ks.RewrapAll(ctx, func(k *WrappedKey) ([]byte, string, error) {
		dk, err := unwrapAny(k, masters)
		if err != nil {
			return nil, "", err
		}
		w, err := next.wrap(k, dk)
		return w, next.id, err
	})
	if err != nil {
		return fmt.Errorf("vault: rewrap keys: %w", err)
	}
	return nil
}
