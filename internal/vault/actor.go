package vault

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/roost-social/roost/internal/model"
)

// Periods reserved for actor keys in the key store. They are not months, so
// ShredBefore and Open never take them for data keys.
const (
	actorRSAName = "actor-rsa"
	actorEdName  = "actor-ed25519"
)

// actorRSABits is the modulus size of actor RSA keys: what Mastodon
// expects in publicKey.
const actorRSABits = 2048

// ActorKeys are the signing keys of an ActivityPub actor: a Person (owner =
// account id) or the instance's Service actor (owner 0). The private keys
// stay inside the signers; only public keys leave them. An ActorKeys is a
// copy: changing its fields changes nothing in the vault.
type ActorKeys struct {
	// RSA signs digests with the RSA-2048 key: PKCS #1 v1.5 when opts is a
	// crypto.Hash (crypto.SHA256 for rsa-sha256 and rsa-v1_5-sha256), PSS
	// when opts is an *rsa.PSSOptions.
	RSA crypto.Signer
	// Ed25519 signs whole messages (not digests) with the Ed25519 key; opts
	// is crypto.Hash(0).
	Ed25519 crypto.Signer

	rsaPEM string
	edPub  ed25519.PublicKey
	ids    [2]int64 // key store ids, so a shred evicts them
}

// RSAPublicPEM returns the RSA public key as a PKIX "PUBLIC KEY" PEM block,
// the form of publicKey.publicKeyPem.
func (k *ActorKeys) RSAPublicPEM() string { return k.rsaPEM }

// Ed25519Public returns the Ed25519 public key (a copy).
func (k *ActorKeys) Ed25519Public() ed25519.PublicKey {
	return append(ed25519.PublicKey(nil), k.edPub...)
}

// ActorKeys returns owner's actor signing keys, creating and storing them on
// first use; owner 0 is the instance actor. Concurrent first calls, on one
// node or several, all return the same keys. The keys are cached like data
// keys, and Shred destroys them: the next call makes new ones.
func (v *Vault) ActorKeys(ctx context.Context, owner int64) (*ActorKeys, error) {
	if k, ok := v.cachedActor(owner); ok {
		return k, nil
	}
	release, err := v.lockActor(ctx, owner)
	if err != nil {
		return nil, fmt.Errorf("vault: actor keys of owner %d: %w", owner, err)
	}
	defer release()
	if k, ok := v.cachedActor(owner); ok { // made while we waited
		return k, nil
	}
	gen := v.shredGeneration()
	k, err := v.loadActorKeys(ctx, owner)
	if err != nil {
		return nil, fmt.Errorf("vault: actor keys of owner %d: %w", owner, err)
	}
	v.cacheActor(owner, k, gen)
	return k, nil
}

// RotateActorKeys replaces owner's actor keys with new ones and returns them.
// The old keys are destroyed first, so a failure half way leaves the owner
// with fewer keys, never old ones: the next ActorKeys makes what is missing.
// Either way the actor's keys changed and must be announced. Other nodes
// keep signing with cached old keys for up to the cache TTL.
func (v *Vault) RotateActorKeys(ctx context.Context, owner int64) (*ActorKeys, error) {
	rsaDER, edDER, err := newActorSecrets(v.act.rsaBits)
	if err != nil {
		return nil, fmt.Errorf("vault: rotate actor keys of owner %d: %w", owner, err)
	}
	defer clear(rsaDER)
	defer clear(edDER)
	release, err := v.lockActor(ctx, owner)
	if err != nil {
		return nil, fmt.Errorf("vault: rotate actor keys of owner %d: %w", owner, err)
	}
	defer release()
	k, err := v.replaceActorKeys(ctx, owner, rsaDER, edDER)
	if err != nil {
		return nil, fmt.Errorf("vault: rotate actor keys of owner %d: %w", owner, err)
	}
	return k, nil
}

func (v *Vault) replaceActorKeys(ctx context.Context, owner int64, rsaDER, edDER []byte) (*ActorKeys, error) {
	v.mu.RLock()
	mk := v.mk
	v.mu.RUnlock()
	// Refuse before deleting anything if new keys could not be stored.
	if err := v.checkStoreMaster(ctx, mk); err != nil {
		return nil, err
	}
	var old []int64
	for _, name := range []string{actorRSAName, actorEdName} {
		k, err := v.ks.KeyFor(ctx, owner, name)
		if err == nil {
			old = append(old, k.ID)
		} else if !errors.Is(err, model.ErrNotFound) {
			return nil, err
		}
	}
	if len(old) > 0 {
		if err := v.ks.DeleteKeys(ctx, old); err != nil {
			return nil, err
		}
		v.forget(old)
	}
	gen := v.shredGeneration()
	rk, err := v.putSecret(ctx, owner, actorRSAName, rsaDER)
	if err != nil {
		return nil, err
	}
	ek, err := v.putSecret(ctx, owner, actorEdName, edDER)
	if err != nil {
		return nil, err
	}
	k, err := v.openActorKeys(rk, ek)
	if err != nil {
		return nil, err
	}
	v.cacheActor(owner, k, gen)
	return k, nil
}

// loadActorKeys reads owner's actor keys from the key store, creating the
// missing ones.
func (v *Vault) loadActorKeys(ctx context.Context, owner int64) (*ActorKeys, error) {
	rk, err := v.actorKey(ctx, owner, actorRSAName, func() ([]byte, error) { return newRSAKey(v.act.rsaBits) })
	if err != nil {
		return nil, err
	}
	ek, err := v.actorKey(ctx, owner, actorEdName, newEd25519Key)
	if err != nil {
		return nil, err
	}
	return v.openActorKeys(rk, ek)
}

func (v *Vault) actorKey(ctx context.Context, owner int64, name string, generate func() ([]byte, error)) (*WrappedKey, error) {
	k, err := v.ks.KeyFor(ctx, owner, name)
	if !errors.Is(err, model.ErrNotFound) {
		return k, err
	}
	der, err := generate()
	if err != nil {
		return nil, err
	}
	defer clear(der)
	return v.putSecret(ctx, owner, name, der)
}

func newActorSecrets(rsaBits int) (rsaDER, edDER []byte, err error) {
	if rsaDER, err = newRSAKey(rsaBits); err != nil {
		return nil, nil, err
	}
	if edDER, err = newEd25519Key(); err != nil {
		return nil, nil, err
	}
	return rsaDER, edDER, nil
}

// newRSAKey returns a new RSA private key in PKCS #8 form; bits 0 means
// actorRSABits.
func newRSAKey(bits int) ([]byte, error) {
	if bits == 0 {
		bits = actorRSABits
	}
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return nil, fmt.Errorf("generate RSA key: %w", err)
	}
	return x509.MarshalPKCS8PrivateKey(key)
}

func newEd25519Key() ([]byte, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate Ed25519 key: %w", err)
	}
	return x509.MarshalPKCS8PrivateKey(key)
}

// openActorKeys unwraps and parses the stored RSA and Ed25519 keys.
func (v *Vault) openActorKeys(rk, ek *WrappedKey) (*ActorKeys, error) {
	rsaKey, err := v.openActorKey(rk)
	if err != nil {
		return nil, err
	}
	edKey, err := v.openActorKey(ek)
	if err != nil {
		return nil, err
	}
	rs, ok := rsaKey.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("key store entry %d is not an RSA key", rk.ID)
	}
	es, ok := edKey.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("key store entry %d is not an Ed25519 key", ek.ID)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&rs.PublicKey)
	if err != nil {
		return nil, err
	}
	return &ActorKeys{
		RSA:     &rsaSigner{key: rs},
		Ed25519: &ed25519Signer{key: es},
		rsaPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})),
		edPub:   es.Public().(ed25519.PublicKey),
		ids:     [2]int64{rk.ID, ek.ID},
	}, nil
}

func (v *Vault) openActorKey(k *WrappedKey) (any, error) {
	der, err := unwrapAny(k, v.masters())
	if err != nil {
		return nil, err
	}
	defer clear(der)
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("key store entry %d does not hold a private key", k.ID)
	}
	return key, nil
}

// rsaSigner signs with an actor's RSA key. Its concrete type is not
// *rsa.PrivateKey, so a type assertion cannot take the key out of it, and
// it prints as a placeholder. (Reflection and unsafe still could: the
// wrapper keeps honest code honest, it is no sandbox.)
type rsaSigner struct{ key *rsa.PrivateKey }

// Public returns a copy of the public key.
func (s *rsaSigner) Public() crypto.PublicKey {
	return &rsa.PublicKey{N: new(big.Int).Set(s.key.N), E: s.key.E}
}

func (s *rsaSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return s.key.Sign(r, digest, opts)
}

func (s *rsaSigner) Format(f fmt.State, _ rune) { io.WriteString(f, "vault.RSASigner(redacted)") }

// ed25519Signer is rsaSigner for the Ed25519 key.
type ed25519Signer struct{ key ed25519.PrivateKey }

// Public returns a copy of the public key.
func (s *ed25519Signer) Public() crypto.PublicKey {
	return append(ed25519.PublicKey(nil), s.key.Public().(ed25519.PublicKey)...)
}

func (s *ed25519Signer) Sign(r io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	return s.key.Sign(r, msg, opts)
}

func (s *ed25519Signer) Format(f fmt.State, _ rune) {
	io.WriteString(f, "vault.Ed25519Signer(redacted)")
}

// actorCache holds parsed actor keys per owner, with the data keys' TTL:
// parsing and, above all, generating RSA keys is slow. Its maps are guarded
// by Vault.mu; busy serializes loads and rotations per owner on this node,
// so concurrent first calls generate one key pair, not one each.
type actorCache struct {
	rsaBits int // 0 means actorRSABits; tests lower it
	keys    map[int64]cachedActorKeys
	busy    map[int64]chan struct{}
	sweepAt time.Time
}

type cachedActorKeys struct {
	keys    ActorKeys
	expires time.Time
}

// forget drops the actor keys that use any of the gone key ids. Vault.mu
// must be held.
func (c *actorCache) forget(gone map[int64]bool) {
	for owner, ck := range c.keys {
		if gone[ck.keys.ids[0]] || gone[ck.keys.ids[1]] {
			delete(c.keys, owner)
		}
	}
}

func (v *Vault) cachedActor(owner int64) (*ActorKeys, bool) {
	v.mu.RLock()
	ck, ok := v.act.keys[owner]
	v.mu.RUnlock()
	if !ok || !v.now().Before(ck.expires) {
		return nil, false
	}
	k := ck.keys
	return &k, true
}

// cacheActor remembers a copy of k, unless the cache is off or a shred
// happened since the caller read generation gen (k may hold shredded keys).
func (v *Vault) cacheActor(owner int64, k *ActorKeys, gen uint64) {
	if v.ttl <= 0 {
		return
	}
	now := v.now()
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.shreds != gen {
		return
	}
	if v.act.keys == nil {
		v.act.keys = map[int64]cachedActorKeys{}
	}
	if !now.Before(v.act.sweepAt) {
		v.act.sweepAt = now.Add(v.ttl)
		for o, ck := range v.act.keys {
			if !now.Before(ck.expires) {
				delete(v.act.keys, o)
			}
		}
	}
	v.act.keys[owner] = cachedActorKeys{keys: *k, expires: now.Add(v.ttl)}
}

func (v *Vault) shredGeneration() uint64 {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.shreds
}

// lockActor waits until no other call on this node loads or rotates owner's
// actor keys, and marks owner busy until release is called.
func (v *Vault) lockActor(ctx context.Context, owner int64) (release func(), err error) {
	c := &v.act
	for {
		v.mu.Lock()
		wait, busy := c.busy[owner]
		if !busy {
			if c.busy == nil {
				c.busy = map[int64]chan struct{}{}
			}
			done := make(chan struct{})
			c.busy[owner] = done
			v.mu.Unlock()
			return func() {
				v.mu.Lock()
				delete(c.busy, owner)
				v.mu.Unlock()
				close(done)
			}, nil
		}
		v.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
