// Package vault owns every piece of key material in Roost and is the only
// package that touches it. It encrypts personal data at rest under per-owner
// data keys (envelope encryption: a master key wraps each data key), binds
// every ciphertext to its place (table, column, row), and destroys data by
// destroying keys (crypto-shredding).
//
// Data keys are per owner per period (a calendar month, UTC), so that a
// retention purge can shred one owner's old months and, because wrapped keys
// live in a key store that data backups never contain, the shredded months
// stay unreadable in every old data backup too. See docs/ARCHITECTURE.md.
package vault

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/roost-social/roost/internal/model"
)

// Place is where a ciphertext lives. It is bound into the ciphertext as
// associated data, so a ciphertext copied to another row, column or table
// fails to open.
type Place struct {
	Table  string
	Column string
	Row    int64
}

func (p Place) aad(owner int64) []byte {
	return []byte(p.Table + "\x00" + p.Column + "\x00" + strconv.FormatInt(p.Row, 10) + "\x00" + strconv.FormatInt(owner, 10))
}

// WrappedKey is a data key as the key store holds it: encrypted under the
// master key identified by MasterID.
type WrappedKey struct {
	ID        int64
	Owner     int64
	Period    string // "2006-01" (UTC month); "" for the vault's own keys
	MasterID  string // fingerprint of the wrapping master key
	Wrapped   []byte
	CreatedAt time.Time
}

// KeyStore persists wrapped keys. It must live apart from the data (another
// file, schema or database) so that data backups never contain it, and it
// must erase deleted rows (SQLite secure_delete, for instance).
type KeyStore interface {
	// PutKey inserts k and sets k.ID; an existing (Owner, Period) is
	// model.ErrConflict.
	PutKey(ctx context.Context, k *WrappedKey) error
	Key(ctx context.Context, id int64) (*WrappedKey, error)
	KeyFor(ctx context.Context, owner int64, period string) (*WrappedKey, error)
	OwnerKeys(ctx context.Context, owner int64) ([]*WrappedKey, error)
	DeleteKeys(ctx context.Context, ids []int64) error
	// RewrapAll replaces every key's Wrapped and MasterID with what fn
	// returns, in one transaction.
	RewrapAll(ctx context.Context, fn func(k *WrappedKey) (wrapped []byte, masterID string, err error)) error
}

// systemOwner owns the vault's own keys (the blind-index key).
const systemOwner = 0

// cacheTTL bounds how long an unwrapped data key stays in memory, so a key
// shredded by another node stops working here within that time.
const cacheTTL = time.Minute

const headerV1 = 1

// Vault seals and opens personal data. It is safe for concurrent use.
type Vault struct {
	ks    KeyStore
	now   func() time.Time
	mu    sync.RWMutex
	mk    MasterKey
	blind []byte
	cache map[int64]cachedKey // by key id
	byOwn map[ownerPeriod]int64
}

type cachedKey struct {
	aead    cipher.AEAD
	owner   int64
	expires time.Time
}

type ownerPeriod struct {
	owner  int64
	period string
}

// New returns a vault over ks, unlocked with mk.
func New(ctx context.Context, mk MasterKey, ks KeyStore) (*Vault, error) {
	v := &Vault{ks: ks, now: time.Now, mk: mk, cache: map[int64]cachedKey{}, byOwn: map[ownerPeriod]int64{}}
	blind, err := v.systemKey(ctx, "blind-index")
	if err != nil {
		return nil, fmt.Errorf("vault: blind-index key: %w", err)
	}
	v.blind = blind
	return v, nil
}

// Seal encrypts plaintext for owner at place under the owner's key for the
// current period. An empty plaintext seals to nil.
func (v *Vault) Seal(ctx context.Context, owner int64, place Place, plaintext []byte) ([]byte, error) {
	if len(plaintext) == 0 {
		return nil, nil
	}
	id, aead, err := v.currentKey(ctx, owner)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+8, 1+8+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out[0] = headerV1
	binary.BigEndian.PutUint64(out[1:9], uint64(id))
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plaintext, place.aad(owner)), nil
}

// SealString is Seal for a string.
func (v *Vault) SealString(ctx context.Context, owner int64, place Place, s string) ([]byte, error) {
	return v.Seal(ctx, owner, place, []byte(s))
}

// Open decrypts a ciphertext made by Seal for the same owner and place. A
// destroyed key is model.ErrShredded; a ciphertext moved to another place or
// altered fails.
func (v *Vault) Open(ctx context.Context, owner int64, place Place, ct []byte) ([]byte, error) {
	if len(ct) == 0 {
		return nil, nil
	}
	if len(ct) < 1+8 || ct[0] != headerV1 {
		return nil, errors.New("vault: malformed ciphertext")
	}
	id := int64(binary.BigEndian.Uint64(ct[1:9]))
	aead, err := v.keyByID(ctx, id, owner)
	if err != nil {
		return nil, err
	}
	rest := ct[9:]
	if len(rest) < aead.NonceSize() {
		return nil, errors.New("vault: malformed ciphertext")
	}
	pt, err := aead.Open(nil, rest[:aead.NonceSize()], rest[aead.NonceSize():], place.aad(owner))
	if err != nil {
		return nil, fmt.Errorf("vault: open %s.%s: authentication failed", place.Table, place.Column)
	}
	return pt, nil
}

// OpenString is Open for a string.
func (v *Vault) OpenString(ctx context.Context, owner int64, place Place, ct []byte) (string, error) {
	b, err := v.Open(ctx, owner, place, ct)
	return string(b), err
}

// Blind returns a keyed hash of value for purpose, for indexes over secret
// values (an email's uniqueness, a hashtag's timeline). It is stable across
// master-key rotations.
func (v *Vault) Blind(purpose, value string) []byte {
	m := hmac.New(sha256.New, v.blind)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(nil)
}

// Shred destroys every data key of owner. Everything sealed for owner, in
// the database and in every data backup, becomes unreadable.
func (v *Vault) Shred(ctx context.Context, owner int64) error {
	return v.shredWhere(ctx, owner, func(*WrappedKey) bool { return true })
}

// ShredBefore destroys owner's data keys for periods that ended before t.
func (v *Vault) ShredBefore(ctx context.Context, owner int64, t time.Time) error {
	cut := period(t)
	return v.shredWhere(ctx, owner, func(k *WrappedKey) bool { return k.Period < cut })
}

func (v *Vault) shredWhere(ctx context.Context, owner int64, match func(*WrappedKey) bool) error {
	if owner == systemOwner {
		return errors.New("vault: refusing to shred the vault's own keys")
	}
	keys, err := v.ks.OwnerKeys(ctx, owner)
	if err != nil {
		return fmt.Errorf("vault: shred %d: %w", owner, err)
	}
	var ids []int64
	for _, k := range keys {
		if match(k) {
			ids = append(ids, k.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if err := v.ks.DeleteKeys(ctx, ids); err != nil {
		return fmt.Errorf("vault: shred %d: %w", owner, err)
	}
	v.mu.Lock()
	for _, id := range ids {
		delete(v.cache, id)
	}
	for op := range v.byOwn {
		if op.owner == owner {
			delete(v.byOwn, op)
		}
	}
	v.mu.Unlock()
	return nil
}

// Rotate re-wraps every data key under next without touching the data, and
// makes next the vault's master key.
func (v *Vault) Rotate(ctx context.Context, next MasterKey) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	cur := v.mk
	err := v.ks.RewrapAll(ctx, func(k *WrappedKey) ([]byte, string, error) {
		dk, err := cur.unwrap(k)
		if err != nil {
			return nil, "", err
		}
		w, err := next.wrap(k, dk)
		return w, next.ID(), err
	})
	if err != nil {
		return fmt.Errorf("vault: rotate: %w", err)
	}
	v.mk = next
	return nil
}

func period(t time.Time) string { return t.UTC().Format("2006-01") }

func (v *Vault) currentKey(ctx context.Context, owner int64) (int64, cipher.AEAD, error) {
	op := ownerPeriod{owner, period(v.now())}
	v.mu.RLock()
	id, ok := v.byOwn[op]
	ck, cached := v.cache[id]
	v.mu.RUnlock()
	if ok && cached && v.now().Before(ck.expires) {
		return id, ck.aead, nil
	}
	k, err := v.ks.KeyFor(ctx, owner, op.period)
	if errors.Is(err, model.ErrNotFound) {
		k, err = v.newKey(ctx, owner, op.period)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("vault: key for %d: %w", owner, err)
	}
	aead, err := v.remember(k)
	return k.ID, aead, err
}

func (v *Vault) keyByID(ctx context.Context, id, owner int64) (cipher.AEAD, error) {
	v.mu.RLock()
	ck, ok := v.cache[id]
	v.mu.RUnlock()
	if ok && v.now().Before(ck.expires) {
		if ck.owner != owner {
			return nil, errors.New("vault: key does not belong to owner")
		}
		return ck.aead, nil
	}
	k, err := v.ks.Key(ctx, id)
	if errors.Is(err, model.ErrNotFound) {
		return nil, fmt.Errorf("vault: key %d: %w", id, model.ErrShredded)
	}
	if err != nil {
		return nil, fmt.Errorf("vault: key %d: %w", id, err)
	}
	if k.Owner != owner {
		return nil, errors.New("vault: key does not belong to owner")
	}
	return v.remember(k)
}

func (v *Vault) newKey(ctx context.Context, owner int64, per string) (*WrappedKey, error) {
	dk := make([]byte, 32)
	if _, err := rand.Read(dk); err != nil {
		return nil, err
	}
	k := &WrappedKey{ID: model.NewID(v.now()), Owner: owner, Period: per, CreatedAt: v.now()}
	v.mu.RLock()
	mk := v.mk
	v.mu.RUnlock()
	w, err := mk.wrap(k, dk)
	if err != nil {
		return nil, err
	}
	k.Wrapped, k.MasterID = w, mk.ID()
	if err := v.ks.PutKey(ctx, k); errors.Is(err, model.ErrConflict) {
		return v.ks.KeyFor(ctx, owner, per) // another writer won the race
	} else if err != nil {
		return nil, err
	}
	return k, nil
}

func (v *Vault) remember(k *WrappedKey) (cipher.AEAD, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	dk, err := v.mk.unwrap(k)
	if err != nil {
		return nil, err
	}
	aead, err := newAEAD(dk)
	if err != nil {
		return nil, err
	}
	v.cache[k.ID] = cachedKey{aead: aead, owner: k.Owner, expires: v.now().Add(cacheTTL)}
	v.byOwn[ownerPeriod{k.Owner, k.Period}] = k.ID
	return aead, nil
}

// systemKey returns one of the vault's own long-lived secrets, creating it
// on first use.
func (v *Vault) systemKey(ctx context.Context, name string) ([]byte, error) {
	k, err := v.ks.KeyFor(ctx, systemOwner, name)
	if errors.Is(err, model.ErrNotFound) {
		k, err = v.newKey(ctx, systemOwner, name)
	}
	if err != nil {
		return nil, err
	}
	return v.mk.unwrap(k)
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}
