package vault_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/vault"
)

// actorVault is newVault with small RSA keys, which generate quickly.
func actorVault(t testing.TB, mk vault.MasterKey, ks vault.KeyStore, opts ...vault.Option) *vault.Vault {
	t.Helper()
	return newVault(t, mk, ks, append(opts, vault.WithActorRSABits(1024))...)
}

func actorKeys(t testing.TB, v *vault.Vault, owner int64) *vault.ActorKeys {
	t.Helper()
	k, err := v.ActorKeys(ctx, owner)
	if err != nil {
		t.Fatalf("ActorKeys(%d): %v", owner, err)
	}
	return k
}

func sameActor(a, b *vault.ActorKeys) bool {
	return a.RSAPublicPEM() == b.RSAPublicPEM() && a.Ed25519Public().Equal(b.Ed25519Public())
}

// mustDiffer fails unless both keys of a and b differ.
func mustDiffer(t testing.TB, a, b *vault.ActorKeys, what string) {
	t.Helper()
	if a.RSAPublicPEM() == b.RSAPublicPEM() || a.Ed25519Public().Equal(b.Ed25519Public()) {
		t.Fatalf("%s: actor keys unchanged", what)
	}
}

func rsaPublic(t testing.TB, k *vault.ActorKeys) *rsa.PublicKey {
	t.Helper()
	block, rest := pem.Decode([]byte(k.RSAPublicPEM()))
	if block == nil || block.Type != "PUBLIC KEY" || len(bytes.TrimSpace(rest)) != 0 {
		t.Fatalf("RSAPublicPEM is not one PUBLIC KEY block: %q", k.RSAPublicPEM())
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatalf("RSAPublicPEM: %v", err)
	}
	rp, ok := pub.(*rsa.PublicKey)
	if !ok {
		t.Fatalf("RSAPublicPEM holds a %T", pub)
	}
	return rp
}

// verifies checks that both signers make signatures their public keys
// verify, and that those signatures do not verify another message.
func verifies(t testing.TB, k *vault.ActorKeys) {
	t.Helper()
	msg := []byte("(request-target): post /users/alice/inbox\nhost: example.org")
	digest := sha256.Sum256(msg)
	sig, err := k.RSA.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		t.Fatalf("RSA sign: %v", err)
	}
	pub := rsaPublic(t, k)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		t.Fatalf("RSA signature does not verify with RSAPublicPEM: %v", err)
	}
	if !pub.Equal(k.RSA.Public()) {
		t.Fatal("RSA.Public() is not the key in RSAPublicPEM")
	}
	other := sha256.Sum256(append(msg, '!'))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, other[:], sig) == nil {
		t.Fatal("RSA signature verifies another message")
	}
	esig, err := k.Ed25519.Sign(rand.Reader, msg, crypto.Hash(0))
	if err != nil {
		t.Fatalf("Ed25519 sign: %v", err)
	}
	if !ed25519.Verify(k.Ed25519Public(), msg, esig) {
		t.Fatal("Ed25519 signature does not verify with Ed25519Public")
	}
	if ed25519.Verify(k.Ed25519Public(), append(msg, '!'), esig) {
		t.Fatal("Ed25519 signature verifies another message")
	}
	if !k.Ed25519Public().Equal(k.Ed25519.Public()) {
		t.Fatal("Ed25519.Public() is not Ed25519Public()")
	}
}

// periods lists the periods of owner's keys in the store.
func periods(t testing.TB, ks vault.KeyStore, owner int64) []string {
	t.Helper()
	keys, err := ks.OwnerKeys(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range keys {
		out = append(out, k.Period)
	}
	slices.Sort(out)
	return out
}

func TestActorKeysFirstUse(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	v := actorVault(t, mk, ks)
	if got := periods(t, ks, 4); len(got) != 0 {
		t.Fatalf("owner 4 has keys %v before first use", got)
	}
	k := actorKeys(t, v, 4)
	verifies(t, k)
	if got := periods(t, ks, 4); !slices.Equal(got, []string{"actor-ed25519", "actor-rsa"}) {
		t.Fatalf("owner 4 keys after first use = %v", got)
	}
	if !sameActor(actorKeys(t, v, 4), k) {
		t.Fatal("second call returned other keys")
	}
	fresh := actorVault(t, mk, ks, vault.WithCacheTTL(0))
	again := actorKeys(t, fresh, 4)
	if !sameActor(again, k) {
		t.Fatal("a fresh vault over the same key store returned other keys")
	}
	verifies(t, again)
	// Another owner gets its own keys.
	mustDiffer(t, actorKeys(t, v, 5), k, "another owner")
}

func TestActorKeysStoredWrapped(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	v := actorVault(t, masterKey(t), ks)
	k := actorKeys(t, v, 4)
	rk, err := ks.KeyFor(ctx, 4, "actor-rsa")
	if err != nil {
		t.Fatal(err)
	}
	ek, err := ks.KeyFor(ctx, 4, "actor-ed25519")
	if err != nil {
		t.Fatal(err)
	}
	// A PKCS #8 key in clear would contain the modulus and the public key.
	if bytes.Contains(rk.Wrapped, rsaPublic(t, k).N.Bytes()[:32]) {
		t.Fatal("the stored RSA key is not encrypted")
	}
	if bytes.Contains(ek.Wrapped, k.Ed25519Public()) {
		t.Fatal("the stored Ed25519 key is not encrypted")
	}
	if _, ok := k.RSA.(*rsa.PrivateKey); ok {
		t.Fatal("RSA signer is the raw private key")
	}
	if _, ok := k.Ed25519.(ed25519.PrivateKey); ok {
		t.Fatal("Ed25519 signer is the raw private key")
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%d", "%x", "%s"} {
		out := fmt.Sprintf(verb, k)
		if strings.Count(out, "redacted") != 2 {
			t.Fatalf("Sprintf(%q, keys) = %s: signers not redacted", verb, out)
		}
	}
}

func TestActorKeysDefaultSize(t *testing.T) {
	t.Parallel()
	v := newVault(t, masterKey(t), vault.NewMemKeyStore()) // production size
	k := actorKeys(t, v, 0)
	if n := rsaPublic(t, k).N.BitLen(); n != 2048 {
		t.Fatalf("RSA key is %d bits, want 2048", n)
	}
	verifies(t, k)
}

func TestActorKeysCopies(t *testing.T) {
	t.Parallel()
	v := actorVault(t, masterKey(t), vault.NewMemKeyStore())
	k := actorKeys(t, v, 4)
	want := k.Ed25519Public()
	k.Ed25519Public()[0] ^= 0xff
	k.Ed25519.Public().(ed25519.PublicKey)[0] ^= 0xff
	k.RSA.Public().(*rsa.PublicKey).N.SetInt64(3)
	k.RSA, k.Ed25519 = nil, nil
	again := actorKeys(t, v, 4)
	if again.RSA == nil || again.Ed25519 == nil || !again.Ed25519Public().Equal(want) {
		t.Fatal("changing returned keys changed the vault's")
	}
	verifies(t, again)
}

func TestActorKeysConcurrentFirstUse(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	nodes := []*vault.Vault{actorVault(t, mk, ks), actorVault(t, mk, ks), actorVault(t, mk, ks, vault.WithCacheTTL(0))}
	got := make([]*vault.ActorKeys, 12)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			k, err := nodes[i%3].ActorKeys(ctx, 8)
			if err != nil {
				t.Error(err)
			}
			got[i] = k
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for i, k := range got {
		if !sameActor(k, got[0]) {
			t.Fatalf("call %d returned other keys than call 0", i)
		}
	}
	if p := periods(t, ks, 8); len(p) != 2 {
		t.Fatalf("owner 8 has keys %v, want one pair", p)
	}
}

// putHookStore runs onPut before PutKey stores a key.
type putHookStore struct {
	*vault.MemKeyStore
	onPut func(k *vault.WrappedKey)
}

func (s *putHookStore) PutKey(ctx context.Context, k *vault.WrappedKey) error {
	if s.onPut != nil {
		s.onPut(k)
	}
	return s.MemKeyStore.PutKey(ctx, k)
}

// TestActorKeysLostRace has another node store the keys between this
// node's lookup and its PutKey: this node must adopt the winner's keys.
func TestActorKeysLostRace(t *testing.T) {
	t.Parallel()
	mem := vault.NewMemKeyStore()
	ks := &putHookStore{MemKeyStore: mem}
	mk := masterKey(t)
	loser := actorVault(t, mk, ks)
	winner := actorVault(t, mk, mem)
	var won *vault.ActorKeys
	ks.onPut = func(k *vault.WrappedKey) {
		if k.Period == "actor-rsa" && won == nil {
			won = actorKeys(t, winner, k.Owner)
		}
	}
	got := actorKeys(t, loser, 9)
	if won == nil {
		t.Fatal("the hook never ran")
	}
	if !sameActor(got, won) {
		t.Fatal("the node that lost the race kept its own keys")
	}
	verifies(t, got)
	if p := periods(t, mem, 9); len(p) != 2 {
		t.Fatalf("owner 9 has keys %v, want one pair", p)
	}
}

func TestActorKeysShred(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	v := actorVault(t, mk, ks)
	old := actorKeys(t, v, 6)
	other := actorKeys(t, v, 7)
	seal(t, v, 6, place, "data")
	if err := v.Shred(ctx, 6); err != nil {
		t.Fatal(err)
	}
	if p := periods(t, ks, 6); len(p) != 0 {
		t.Fatalf("owner 6 keeps keys %v after Shred", p)
	}
	renewed := actorKeys(t, v, 6) // the shredding node forgets at once
	mustDiffer(t, renewed, old, "ActorKeys after Shred")
	verifies(t, renewed)
	if !sameActor(actorKeys(t, v, 7), other) {
		t.Fatal("Shred(6) changed owner 7's keys")
	}
}

// TestActorKeysShredOtherNode: another node keeps its cached keys until
// the TTL runs out, like data keys.
func TestActorKeysShredOtherNode(t *testing.T) {
	t.Parallel()
	clk := newClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	a := actorVault(t, mk, ks, vault.WithClock(clk.Now), vault.WithCacheTTL(time.Minute))
	b := actorVault(t, mk, ks, vault.WithClock(clk.Now))
	old := actorKeys(t, a, 6)
	if err := b.Shred(ctx, 6); err != nil {
		t.Fatal(err)
	}
	clk.Add(59 * time.Second)
	if !sameActor(actorKeys(t, a, 6), old) {
		t.Fatal("node a dropped its cached keys before the TTL")
	}
	clk.Add(time.Second)
	mustDiffer(t, actorKeys(t, a, 6), old, "ActorKeys after the TTL")
}

func TestActorKeysShredBeforeKeepsThem(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	v := actorVault(t, mk, ks)
	k := actorKeys(t, v, 6)
	ct := seal(t, v, 6, place, "old month")
	if err := v.ShredBefore(ctx, 6, time.Now().AddDate(1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Open(ctx, 6, place, ct); !errors.Is(err, model.ErrShredded) {
		t.Fatalf("Open after ShredBefore = %v, want model.ErrShredded", err)
	}
	if p := periods(t, ks, 6); !slices.Equal(p, []string{"actor-ed25519", "actor-rsa"}) {
		t.Fatalf("owner 6 keys after ShredBefore = %v, want the actor keys", p)
	}
	if !sameActor(actorKeys(t, actorVault(t, mk, ks), 6), k) {
		t.Fatal("ShredBefore changed the actor keys")
	}
}

func TestActorKeysSurviveMasterRotation(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	v := actorVault(t, masterKey(t), ks)
	k := actorKeys(t, v, 3)
	sys := actorKeys(t, v, 0)
	next := masterKey(t)
	if err := v.Rotate(ctx, next); err != nil {
		t.Fatal(err)
	}
	if !sameActor(actorKeys(t, v, 3), k) {
		t.Fatal("rotating vault returned other keys")
	}
	fresh := actorVault(t, next, ks, vault.WithCacheTTL(0))
	for owner, want := range map[int64]*vault.ActorKeys{3: k, 0: sys} {
		got := actorKeys(t, fresh, owner)
		if !sameActor(got, want) {
			t.Fatalf("owner %d: keys changed with the master key", owner)
		}
		verifies(t, got)
	}
}

func TestRotateActorKeys(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	v := actorVault(t, mk, ks)
	old := actorKeys(t, v, 2)
	oldRSA, err := ks.KeyFor(ctx, 2, "actor-rsa")
	if err != nil {
		t.Fatal(err)
	}
	k, err := v.RotateActorKeys(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	mustDiffer(t, k, old, "RotateActorKeys")
	verifies(t, k)
	if !sameActor(actorKeys(t, v, 2), k) {
		t.Fatal("ActorKeys after rotation returned other keys than RotateActorKeys")
	}
	if !sameActor(actorKeys(t, actorVault(t, mk, ks, vault.WithCacheTTL(0)), 2), k) {
		t.Fatal("a fresh vault does not see the rotated keys")
	}
	if p := periods(t, ks, 2); len(p) != 2 {
		t.Fatalf("owner 2 keys after rotation = %v, want one pair", p)
	}
	if _, err := ks.Key(ctx, oldRSA.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("old RSA key after rotation = %v, want it erased", err)
	}
	// Rotating keys that never existed makes them.
	fresh, err := v.RotateActorKeys(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !sameActor(actorKeys(t, v, 0), fresh) {
		t.Fatal("instance actor keys differ from the rotated ones")
	}
}

func TestActorKeysSystemOwner(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	v := actorVault(t, mk, ks)
	blind := v.Blind("email", "a@example.org")
	k := actorKeys(t, v, 0)
	verifies(t, k)
	if err := v.Shred(ctx, 0); err == nil {
		t.Fatal("Shred(0) succeeded")
	}
	if p := periods(t, ks, 0); !slices.Equal(p, []string{"actor-ed25519", "actor-rsa", "blind-index"}) {
		t.Fatalf("system owner keys = %v", p)
	}
	fresh := actorVault(t, mk, ks)
	if !sameActor(actorKeys(t, fresh, 0), k) || !bytes.Equal(fresh.Blind("email", "a@example.org"), blind) {
		t.Fatal("instance keys changed after a refused shred")
	}
}

// TestActorKeysStaleNode: a node that missed a master-key rotation must not
// create actor keys the other nodes cannot unwrap.
func TestActorKeysStaleNode(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	a := actorVault(t, mk, ks)
	stale := actorVault(t, mk, ks)
	if err := a.Rotate(ctx, masterKey(t)); err != nil {
		t.Fatal(err)
	}
	for _, owner := range []int64{0, 12} {
		if _, err := stale.ActorKeys(ctx, owner); !errors.Is(err, vault.ErrWrongMasterKey) {
			t.Fatalf("ActorKeys(%d) on a stale node = %v, want vault.ErrWrongMasterKey", owner, err)
		}
		if _, err := stale.RotateActorKeys(ctx, owner); !errors.Is(err, vault.ErrWrongMasterKey) {
			t.Fatalf("RotateActorKeys(%d) on a stale node = %v, want vault.ErrWrongMasterKey", owner, err)
		}
		if p := periods(t, ks, owner); slices.Contains(p, "actor-rsa") {
			t.Fatalf("stale node stored actor keys for owner %d", owner)
		}
	}
}

// TestActorKeysAreNotDataKeys: a ciphertext naming an actor key's id does
// not open, so an actor key never serves as a data key.
func TestActorKeysAreNotDataKeys(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	v := actorVault(t, masterKey(t), ks)
	actorKeys(t, v, 4)
	ct := seal(t, v, 4, place, "x")
	for _, name := range []string{"actor-rsa", "actor-ed25519"} {
		k, err := ks.KeyFor(ctx, 4, name)
		if err != nil {
			t.Fatal(err)
		}
		forged := bytes.Clone(ct)
		binary.BigEndian.PutUint64(forged[1:9], uint64(k.ID))
		if _, err := v.Open(ctx, 4, place, forged); err == nil || !strings.Contains(err.Error(), "another owner") {
			t.Fatalf("Open under the %s key = %v, want a refusal", name, err)
		}
	}
}

// TestActorKeysCanceled: a call waiting for another call's key generation
// gives up with its context.
func TestActorKeysCanceled(t *testing.T) {
	t.Parallel()
	mem := vault.NewMemKeyStore()
	ks := &putHookStore{MemKeyStore: mem}
	v := actorVault(t, masterKey(t), ks)
	inPut, release := make(chan struct{}), make(chan struct{})
	ks.onPut = func(k *vault.WrappedKey) {
		if k.Period == "actor-rsa" {
			close(inPut)
			<-release
		}
	}
	first := make(chan error)
	go func() {
		_, err := v.ActorKeys(ctx, 4)
		first <- err
	}()
	<-inPut
	c, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := v.ActorKeys(c, 4); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting ActorKeys = %v, want context.DeadlineExceeded", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	verifies(t, actorKeys(t, v, 4))
}

// TestActorKeysOneGeneration: concurrent first calls on one node wait for
// one generation instead of each making (and throwing away) a key pair.
func TestActorKeysOneGeneration(t *testing.T) {
	t.Parallel()
	ks := &putHookStore{MemKeyStore: vault.NewMemKeyStore()}
	v := actorVault(t, masterKey(t), ks)
	var mu sync.Mutex
	puts := 0
	ks.onPut = func(k *vault.WrappedKey) {
		if k.Period == "actor-rsa" {
			mu.Lock()
			puts++
			mu.Unlock()
		}
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := v.ActorKeys(ctx, 4); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if puts != 1 {
		t.Fatalf("8 concurrent first calls stored %d RSA keys, want 1", puts)
	}
}
