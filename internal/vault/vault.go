// Package vault owns every piece of key material in Roost and is the only
// package that touches it. It encrypts personal data at rest under per-owner
// data keys (envelope encryption), binds every ciphertext to its place
// (table, column, row, owner), and destroys data by destroying keys
// (crypto-shredding).
//
// # Key hierarchy
//
//   - The master key (32 bytes) lives only in process memory. It comes from
//     ROOST_MASTER_KEY or a key file, optionally sealed with an admin
//     passphrase (argon2id + AES-GCM); see LoadMasterKey.
//   - It wraps (AES-256-GCM, bound to key id, owner and period) one data key
//     per owner per period, a UTC calendar month "2006-01", and per key class:
//     a value sealed with a Place.Class (ClassPosts, ClassDirect ...) uses
//     the period "class/2006-01". Wrapped keys live in a KeyStore, kept
//     apart from the data so data backups never hold them.
//   - Each data key seals that owner's values written in that month
//     (AES-256-GCM, random 96-bit nonce, associated data = place + owner).
//     A ciphertext is: version byte 1 | key id (8 bytes, big endian) | nonce |
//     sealed bytes. An empty value seals to nil.
//   - Owner 0 is the system owner. It holds the vault's own secrets (the
//     blind-index key, named by purpose instead of a month) and the
//     instance actor's keys, and is never shredded.
//
// # Actor keys
//
// ActivityPub actors sign with keys the vault keeps too (ActorKeys): one
// RSA-2048 key (publicKey, for Mastodon) and one Ed25519 key (a Multikey in
// assertionMethod) per owner, owner 0 being the instance's Service actor.
// Each private key is a key-store entry like a data key, its PKCS #8 form
// wrapped under the master key, with a reserved period ("actor-rsa",
// "actor-ed25519") in place of a month. So Shred destroys an account's
// actor keys with its data keys (the next ActorKeys makes new ones),
// ShredBefore leaves them alone, and master-key rotation re-wraps them.
// They are made on first use, cached like data keys, and leave the vault
// only as crypto.Signers and public keys. RotateActorKeys replaces them.
//
// # Shredding
//
// Shred deletes all of an owner's data keys; ShredBefore deletes the keys of
// months that ended at or before a time, of every class; RetiringKeys and
// ShredKeys retire one class's month keys once its data has aged out (the
// retention sweep, which re-seals what it keeps first). Ciphertexts under a
// deleted key, in the database and in every data backup, then open as
// model.ErrShredded. A Seal after a shred creates a fresh key for the
// current month: what is written after a shred is new data. Unwrapped keys
// are cached per node for a TTL (a minute by default, WithCacheTTL), so on a
// multi-node install another node may still open shredded data until its
// cached key expires; the node that shreds forgets its copies at once.
//
// # Rotation
//
// Rotating the master key re-wraps the data keys (RewrapKeys, Vault.Rotate)
// without re-encrypting data; data keys, cached keys and blind indexes are
// unchanged. RotateMasterKeyFile rotates a key file so that a crash at any
// point is recoverable:
//
//  1. the current file is copied to path+".old" (written atomically);
//  2. a new key is written to path (temp file + rename), sealed if the old
//     one was, with the same passphrase;
//  3. the key store re-wraps every key under the new key in one transaction,
//     accepting keys wrapped under either;
//  4. path+".old" is removed.
//
// While path+".old" exists, LoadMasterKey returns ErrRotationPending, and
// running RotateMasterKeyFile again resumes from whichever step was
// interrupted (if path still holds the old key, it generates the new one).
// A key from ROOST_MASTER_KEY is rotated by calling RewrapKeys with the old
// and new keys, then changing the variable. Rotate with every server node
// stopped: a node still holding the old key refuses to create keys once it
// sees the store re-wrapped, and fails with ErrWrongMasterKey on keys it
// cannot unwrap.
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
//
// Class picks the family of keys a value is sealed under (see ClassPosts
// and the others): values of one class for one owner and month share a
// key, so that the key can be destroyed when that class's data has aged
// out. It is not bound into the ciphertext, and Open ignores it (the key
// id is in the header).
type Place struct {
	Table  string
	Column string
	Row    int64
	Class  string
}

func (p Place) aad(owner int64) []byte {
	b := make([]byte, 0, len(p.Table)+len(p.Column)+44)
	b = append(b, p.Table...)
	b = append(b, 0)
	b = append(b, p.Column...)
	b = append(b, 0)
	b = strconv.AppendInt(b, p.Row, 10)
	b = append(b, 0)
	return strconv.AppendInt(b, owner, 10)
}

// WrappedKey is a data key as the key store holds it: encrypted under the
// master key identified by MasterID.
type WrappedKey struct {
	ID        int64
	Owner     int64
	Period    string // "2006-01" (UTC month), "class/2006-01" for a key class; a purpose name for the system owner's keys
	MasterID  string // fingerprint of the wrapping master key
	Wrapped   []byte
	CreatedAt time.Time
}

// KeyStore persists wrapped keys. It must live apart from the data (another
// file, schema or database) so that data backups never contain it, and it
// must erase deleted rows (SQLite secure_delete, for instance).
// vaulttest.RunKeyStore checks an implementation against this contract.
type KeyStore interface {
	// PutKey inserts k, keeping k.ID as given (the vault chooses it and binds
	// it into the wrapping). An existing (Owner, Period) or ID is
	// model.ErrConflict, also when two writers race.
	PutKey(ctx context.Context, k *WrappedKey) error
	// Key and KeyFor return model.ErrNotFound for a missing key.
	Key(ctx context.Context, id int64) (*WrappedKey, error)
	KeyFor(ctx context.Context, owner int64, period string) (*WrappedKey, error)
	// OwnerKeys returns every key of owner, none being no error.
	OwnerKeys(ctx context.Context, owner int64) ([]*WrappedKey, error)
	// ClassKeysBefore returns at most limit keys of every owner whose period
	// is class+"/" followed by a month and is less than before (a period of
	// the same class), ordered by period, then id.
	ClassKeysBefore(ctx context.Context, class, before string, limit int) ([]*WrappedKey, error)
	// DeleteKeys erases the keys with these ids; missing ids are ignored.
	DeleteKeys(ctx context.Context, ids []int64) error
	// RewrapAll replaces every key's Wrapped and MasterID with what fn
	// returns (fn is called once per key, one call at a time), in one transaction that includes every key committed before
	// it started: when fn fails, nothing changes and fn's error is returned.
	RewrapAll(ctx context.Context, fn func(k *WrappedKey) (wrapped []byte, masterID string, err error)) error
}

// systemOwner owns the vault's own keys (the blind-index key).
const systemOwner = 0

// blindKeyName is the period of the system owner's blind-index key.
const blindKeyName = "blind-index"

// DefaultCacheTTL bounds how long an unwrapped data key stays in memory, so a
// key shredded by another node stops working here within that time.
const DefaultCacheTTL = time.Minute

const headerV1 = 1

// Vault seals and opens personal data. It is safe for concurrent use.
type Vault struct {
	ks    KeyStore
	now   func() time.Time
	ttl   time.Duration
	blind []byte // immutable after New

	// rot is held shared while a data key is created and exclusively while
	// the master key is rotated, so no key is wrapped under a retiring master.
	rot sync.RWMutex

	mu      sync.RWMutex // guards what follows
	mk      MasterKey
	next    MasterKey // the incoming master key while Rotate runs
	cache   map[int64]cachedKey
	byOwn   map[ownerMonth]int64
	shreds  uint64 // bumped by every shred: a key fetched before one is not cached
	sweepAt time.Time
	act     actorCache // ActivityPub actor keys (actor.go)
}

type cachedKey struct {
	aead    cipher.AEAD
	owner   int64
	expires time.Time
}

// ownerMonth keys the cache of current keys; a month is year*12 + month-1,
// which spares formatting a period on every Seal.
type ownerMonth struct {
	owner int64
	class string
	month int
}

func monthOf(t time.Time) int {
	y, m, _ := t.UTC().Date()
	return y*12 + int(m) - 1
}

// Option tunes a Vault.
type Option func(*Vault)

// WithClock makes the vault read the time from now: it decides the period a
// value is sealed in and when cached keys expire. For tests.
func WithClock(now func() time.Time) Option { return func(v *Vault) { v.now = now } }

// WithCacheTTL sets how long an unwrapped data key is cached; zero or less
// disables the cache, so every call reads the key store.
func WithCacheTTL(d time.Duration) Option { return func(v *Vault) { v.ttl = d } }

// New returns a vault over ks, unlocked with mk. It fails with
// ErrWrongMasterKey when ks was written under another master key.
func New(ctx context.Context, mk MasterKey, ks KeyStore, opts ...Option) (*Vault, error) {
	if !mk.valid() {
		return nil, errors.New("vault: no master key")
	}
	v := &Vault{ks: ks, now: time.Now, ttl: DefaultCacheTTL, mk: mk,
		cache: map[int64]cachedKey{}, byOwn: map[ownerMonth]int64{}}
	for _, o := range opts {
		o(v)
	}
	blind, err := v.systemKey(ctx, blindKeyName)
	if err != nil {
		return nil, fmt.Errorf("vault: blind-index key: %w", err)
	}
	v.blind = blind
	return v, nil
}

// Seal encrypts plaintext for owner at place under the owner's key for the
// current period, creating that key if needed. An empty plaintext seals to
// nil.
func (v *Vault) Seal(ctx context.Context, owner int64, place Place, plaintext []byte) ([]byte, error) {
	if len(plaintext) == 0 {
		return nil, nil
	}
	if !validClass(place.Class) {
		return nil, fmt.Errorf("vault: seal %s.%s: unknown key class %q", place.Table, place.Column, place.Class)
	}
	id, aead, err := v.currentKey(ctx, owner, place.Class)
	if err != nil {
		return nil, err
	}
	ns := aead.NonceSize()
	out := make([]byte, 9+ns, 9+ns+len(plaintext)+aead.Overhead())
	out[0] = headerV1
	binary.BigEndian.PutUint64(out[1:9], uint64(id))
	nonce := out[9 : 9+ns]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("vault: seal: %w", err)
	}
	return aead.Seal(out, nonce, plaintext, place.aad(owner)), nil
}

// SealString is Seal for a string.
func (v *Vault) SealString(ctx context.Context, owner int64, place Place, s string) ([]byte, error) {
	return v.Seal(ctx, owner, place, []byte(s))
}

// Open decrypts a ciphertext made by Seal for the same owner and place; nil
// opens to nil. A destroyed key is model.ErrShredded; a ciphertext moved to
// another place or owner, or altered, fails.
func (v *Vault) Open(ctx context.Context, owner int64, place Place, ct []byte) ([]byte, error) {
	if len(ct) == 0 {
		return nil, nil
	}
	if len(ct) < 9 || ct[0] != headerV1 {
		return nil, fmt.Errorf("vault: open %s.%s: malformed ciphertext", place.Table, place.Column)
	}
	id := int64(binary.BigEndian.Uint64(ct[1:9]))
	aead, err := v.keyByID(ctx, id, owner)
	if err != nil {
		return nil, fmt.Errorf("vault: open %s.%s: %w", place.Table, place.Column, err)
	}
	rest := ct[9:]
	ns := aead.NonceSize()
	if len(rest) < ns+aead.Overhead() {
		return nil, fmt.Errorf("vault: open %s.%s: malformed ciphertext", place.Table, place.Column)
	}
	pt, err := aead.Open(nil, rest[:ns], rest[ns:], place.aad(owner))
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

// Rotate re-wraps every data key under next without touching the data, and
// makes next the vault's master key. Cached keys stay valid: the data keys
// do not change, only their wrapping. When it fails, the key store and the
// vault keep the current master key.
func (v *Vault) Rotate(ctx context.Context, next MasterKey) error {
	if !next.valid() {
		return errors.New("vault: rotate: no new master key")
	}
	v.rot.Lock()
	defer v.rot.Unlock()
	v.mu.Lock()
	cur := v.mk
	v.next = next // readers may see re-wrapped keys before RewrapAll returns
	v.mu.Unlock()
	err := RewrapKeys(ctx, v.ks, next, cur)
	v.mu.Lock()
	if err == nil {
		v.mk = next
	}
	v.next = MasterKey{}
	v.mu.Unlock()
	if err != nil {
		return fmt.Errorf("vault: rotate: %w", err)
	}
	return nil
}

// masters returns the master keys that may have wrapped a stored key.
func (v *Vault) masters() []MasterKey {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if v.next.valid() {
		return []MasterKey{v.mk, v.next}
	}
	return []MasterKey{v.mk}
}

func (v *Vault) currentKey(ctx context.Context, owner int64, class string) (int64, cipher.AEAD, error) {
	now := v.now()
	v.mu.RLock()
	id, ok := v.byOwn[ownerMonth{owner, class, monthOf(now)}]
	ck, hit := v.cache[id]
	gen := v.shreds
	v.mu.RUnlock()
	if ok && hit && now.Before(ck.expires) {
		return id, ck.aead, nil
	}
	per := classPeriod(class, now)
	k, err := v.ks.KeyFor(ctx, owner, per)
	if errors.Is(err, model.ErrNotFound) {
		k, err = v.newKey(ctx, owner, per)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("vault: key for owner %d: %w", owner, err)
	}
	aead, err := v.remember(k, gen)
	if err != nil {
		return 0, nil, fmt.Errorf("vault: key for owner %d: %w", owner, err)
	}
	return k.ID, aead, nil
}

func (v *Vault) keyByID(ctx context.Context, id, owner int64) (cipher.AEAD, error) {
	v.mu.RLock()
	ck, hit := v.cache[id]
	gen := v.shreds
	v.mu.RUnlock()
	if hit && v.now().Before(ck.expires) {
		if ck.owner != owner {
			return nil, fmt.Errorf("key %d belongs to another owner", id)
		}
		return ck.aead, nil
	}
	k, err := v.ks.Key(ctx, id)
	if errors.Is(err, model.ErrNotFound) {
		return nil, fmt.Errorf("key %d: %w", id, model.ErrShredded)
	}
	if err != nil {
		return nil, fmt.Errorf("key %d: %w", id, err)
	}
	// The owner check keeps one owner's key from opening another's data;
	// the period check keeps the vault's own secrets out of data sealing.
	if k.Owner != owner || !isMonth(k.Period) {
		return nil, fmt.Errorf("key %d belongs to another owner", id)
	}
	return v.remember(k, gen)
}

func (v *Vault) newKey(ctx context.Context, owner int64, per string) (*WrappedKey, error) {
	dk := make([]byte, 32)
	if _, err := rand.Read(dk); err != nil {
		return nil, err
	}
	return v.putSecret(ctx, owner, per, dk)
}

// putSecret wraps secret under the master key and stores it as owner's key
// for period per. When another writer stored that key first, it returns
// theirs, so racing creators all end up with one key.
func (v *Vault) putSecret(ctx context.Context, owner int64, per string, secret []byte) (*WrappedKey, error) {
	v.rot.RLock()
	defer v.rot.RUnlock()
	v.mu.RLock()
	mk := v.mk
	v.mu.RUnlock()
	// The blind-index key is a store's first key; every later key must be
	// wrapped by the master key the store is under.
	if owner != systemOwner || per != blindKeyName {
		if err := v.checkStoreMaster(ctx, mk); err != nil {
			return nil, err
		}
	}
	now := v.now()
	k := &WrappedKey{ID: model.NewID(now), Owner: owner, Period: per, CreatedAt: now}
	w, err := mk.wrap(k, secret)
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

// checkStoreMaster refuses to wrap a new key under mk when the key store has
// been re-wrapped under another master key (by another node or process):
// such a key would be lost with the retired master key.
func (v *Vault) checkStoreMaster(ctx context.Context, mk MasterKey) error {
	sk, err := v.ks.KeyFor(ctx, systemOwner, blindKeyName)
	if err != nil {
		return err
	}
	if sk.MasterID != mk.ID() {
		return wrongMaster(sk, mk.ID())
	}
	return nil
}

// remember unwraps k and caches it, unless a shred happened since the
// caller read generation gen (k may be one of the shredded keys).
func (v *Vault) remember(k *WrappedKey, gen uint64) (cipher.AEAD, error) {
	dk, err := unwrapAny(k, v.masters())
	if err != nil {
		return nil, err
	}
	aead, err := newAEAD(dk)
	if err != nil {
		return nil, err
	}
	if v.ttl <= 0 {
		return aead, nil
	}
	now := v.now()
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.shreds != gen {
		return aead, nil
	}
	v.sweep(now)
	v.cache[k.ID] = cachedKey{aead: aead, owner: k.Owner, expires: now.Add(v.ttl)}
	if class, start, ok := parsePeriod(k.Period); ok {
		v.byOwn[ownerMonth{k.Owner, class, monthOf(start)}] = k.ID
	}
	return aead, nil
}

// sweep drops expired keys, at most once per TTL. v.mu must be held.
func (v *Vault) sweep(now time.Time) {
	if now.Before(v.sweepAt) {
		return
	}
	v.sweepAt = now.Add(v.ttl)
	for id, ck := range v.cache {
		if !now.Before(ck.expires) {
			delete(v.cache, id)
		}
	}
	for op, id := range v.byOwn {
		if _, ok := v.cache[id]; !ok {
			delete(v.byOwn, op)
		}
	}
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
	return unwrapAny(k, v.masters())
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}
