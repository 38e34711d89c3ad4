package vault_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/vault"
)

var ctx = context.Background()

var (
	place = vault.Place{Table: "statuses", Column: "text", Row: 1001}
	bio   = vault.Place{Table: "accounts", Column: "note", Row: 7}
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock(t time.Time) *clock { return &clock{now: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

func masterKey(t testing.TB) vault.MasterKey {
	t.Helper()
	mk, err := vault.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	return mk
}

func newVault(t testing.TB, mk vault.MasterKey, ks vault.KeyStore, opts ...vault.Option) *vault.Vault {
	t.Helper()
	v, err := vault.New(ctx, mk, ks, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return v
}

func seal(t testing.TB, v *vault.Vault, owner int64, p vault.Place, s string) []byte {
	t.Helper()
	ct, err := v.SealString(ctx, owner, p, s)
	if err != nil {
		t.Fatalf("Seal(owner %d): %v", owner, err)
	}
	return ct
}

func mustOpen(t testing.TB, v *vault.Vault, owner int64, p vault.Place, ct []byte, want string) {
	t.Helper()
	got, err := v.OpenString(ctx, owner, p, ct)
	if err != nil || got != want {
		t.Fatalf("Open(owner %d, %v) = %q, %v; want %q", owner, p, got, err, want)
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	v := newVault(t, masterKey(t), vault.NewMemKeyStore())
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	for _, pt := range [][]byte{[]byte("x"), []byte("hello, fediverse 🐦"), {0, 0, 0xff, 0}, big} {
		ct, err := v.Seal(ctx, 42, place, pt)
		if err != nil {
			t.Fatal(err)
		}
		if len(pt) >= 8 && bytes.Contains(ct, pt) {
			t.Fatal("ciphertext contains the plaintext")
		}
		got, err := v.Open(ctx, 42, place, ct)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("Open = %d bytes, %v; want the %d sealed", len(got), err, len(pt))
		}
	}
	a, b := seal(t, v, 42, place, "same"), seal(t, v, 42, place, "same")
	if bytes.Equal(a, b) {
		t.Fatal("two seals of one value are equal: nonce reused")
	}
}

func TestEmptyPlaintext(t *testing.T) {
	t.Parallel()
	v := newVault(t, masterKey(t), vault.NewMemKeyStore())
	for _, pt := range [][]byte{nil, {}} {
		ct, err := v.Seal(ctx, 1, place, pt)
		if err != nil || ct != nil {
			t.Fatalf("Seal(empty) = %v, %v; want nil, nil", ct, err)
		}
	}
	if s, err := v.OpenString(ctx, 1, place, nil); err != nil || s != "" {
		t.Fatalf("OpenString(nil) = %q, %v", s, err)
	}
}

func TestPlaceBinding(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	v := newVault(t, mk, ks)
	uncached := newVault(t, mk, ks, vault.WithCacheTTL(0))
	ct := seal(t, v, 1, place, "secret")
	seal(t, v, 2, place, "owner 2 has a key too")
	moved := []vault.Place{
		{Table: place.Table, Column: place.Column, Row: place.Row + 1},
		{Table: place.Table, Column: "spoiler_text", Row: place.Row},
		{Table: "accounts", Column: place.Column, Row: place.Row},
	}
	for _, vv := range []*vault.Vault{v, uncached} {
		mustOpen(t, vv, 1, place, ct, "secret")
		for _, p := range moved {
			if _, err := vv.Open(ctx, 1, p, ct); err == nil || errors.Is(err, model.ErrShredded) {
				t.Fatalf("Open at %v = %v, want an authentication error", p, err)
			}
		}
		for _, other := range []int64{2, 3} {
			_, err := vv.Open(ctx, other, place, ct)
			if err == nil || !strings.Contains(err.Error(), "another owner") {
				t.Fatalf("Open as owner %d = %v, want the owner check to refuse", other, err)
			}
		}
	}
}

func TestTampering(t *testing.T) {
	t.Parallel()
	v := newVault(t, masterKey(t), vault.NewMemKeyStore())
	ct := seal(t, v, 1, place, "do not touch")
	for i := range ct {
		for _, bit := range []byte{0x01, 0x80} {
			bad := bytes.Clone(ct)
			bad[i] ^= bit
			if _, err := v.Open(ctx, 1, place, bad); err == nil {
				t.Fatalf("Open with byte %d flipped succeeded", i)
			}
		}
	}
	for _, n := range []int{1, 8, 9, 20, len(ct) - 1} {
		if _, err := v.Open(ctx, 1, place, ct[:n]); err == nil {
			t.Fatalf("Open of the first %d bytes succeeded", n)
		}
	}
	if _, err := v.Open(ctx, 1, place, append(bytes.Clone(ct), 0)); err == nil {
		t.Fatal("Open with a byte appended succeeded")
	}
}

func TestNewNeedsMasterKey(t *testing.T) {
	t.Parallel()
	if _, err := vault.New(ctx, vault.MasterKey{}, vault.NewMemKeyStore()); err == nil {
		t.Fatal("New with a zero master key succeeded")
	}
}

func TestShred(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	v := newVault(t, mk, ks)
	ct1 := seal(t, v, 1, place, "owner one")
	ct2 := seal(t, v, 2, place, "owner two")
	if err := v.Shred(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for _, vv := range []*vault.Vault{v, newVault(t, mk, ks)} {
		if _, err := vv.Open(ctx, 1, place, ct1); !errors.Is(err, model.ErrShredded) {
			t.Fatalf("Open after Shred = %v, want model.ErrShredded", err)
		}
		mustOpen(t, vv, 2, place, ct2, "owner two")
	}
	if keys, _ := ks.OwnerKeys(ctx, 1); len(keys) != 0 {
		t.Fatalf("owner 1 still has %d keys after Shred", len(keys))
	}
	// Data written after a shred is new data, under a new key.
	again := seal(t, v, 1, place, "written later")
	if bytes.Equal(again[1:9], ct1[1:9]) {
		t.Fatal("Seal after Shred reused the shredded key id")
	}
	mustOpen(t, v, 1, place, again, "written later")
	if _, err := v.Open(ctx, 1, place, ct1); !errors.Is(err, model.ErrShredded) {
		t.Fatalf("old data after a new key = %v, want model.ErrShredded", err)
	}
}

func TestShredNeverTouchesSystemOwner(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	v := newVault(t, mk, ks)
	blind := v.Blind("email", "a@example.org")
	if err := v.Shred(ctx, 0); err == nil {
		t.Fatal("Shred(0) succeeded")
	}
	if err := v.ShredBefore(ctx, 0, time.Now().AddDate(10, 0, 0)); err == nil {
		t.Fatal("ShredBefore(0) succeeded")
	}
	if keys, _ := ks.OwnerKeys(ctx, 0); len(keys) != 1 {
		t.Fatalf("system owner has %d keys, want the blind-index key", len(keys))
	}
	if got := newVault(t, mk, ks).Blind("email", "a@example.org"); !bytes.Equal(got, blind) {
		t.Fatal("Blind changed after a refused shred")
	}
}

func TestShredBefore(t *testing.T) {
	t.Parallel()
	clk := newClock(time.Time{})
	ks := vault.NewMemKeyStore()
	v := newVault(t, masterKey(t), ks, vault.WithClock(clk.Now))
	at := func(ts string) time.Time {
		tm, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	sealed := map[string][]byte{}
	for _, ts := range []string{"2023-12-15T12:00:00Z", "2024-01-31T23:59:59Z", "2024-02-01T00:00:00Z", "2024-03-10T08:00:00Z"} {
		clk.Set(at(ts))
		sealed[ts] = seal(t, v, 5, place, ts)
	}
	clk.Set(at("2023-12-20T00:00:00Z"))
	other := seal(t, v, 6, place, "owner six")
	clk.Set(at("2024-03-20T00:00:00Z"))

	check := func(shredded ...string) {
		t.Helper()
		gone := map[string]bool{}
		for _, s := range shredded {
			gone[s] = true
		}
		for ts, ct := range sealed {
			_, err := v.Open(ctx, 5, place, ct)
			if gone[ts] != errors.Is(err, model.ErrShredded) {
				t.Fatalf("value sealed at %s: Open = %v, shredded want %v", ts, err, gone[ts])
			}
		}
		mustOpen(t, v, 6, place, other, "owner six")
	}
	// 00:30 in UTC+1 is still February in UTC: February has not ended.
	if err := v.ShredBefore(ctx, 5, at("2024-03-01T00:30:00+01:00")); err != nil {
		t.Fatal(err)
	}
	check("2023-12-15T12:00:00Z", "2024-01-31T23:59:59Z")
	if err := v.ShredBefore(ctx, 5, at("2024-03-01T00:00:00Z")); err != nil {
		t.Fatal(err)
	}
	check("2023-12-15T12:00:00Z", "2024-01-31T23:59:59Z", "2024-02-01T00:00:00Z")
	keys, _ := ks.OwnerKeys(ctx, 5)
	if len(keys) != 1 || keys[0].Period != "2024-03" {
		t.Fatalf("owner 5 keeps %d keys, want only 2024-03", len(keys))
	}
}

// TestCacheTTL plays two nodes: one shreds, the other keeps a cached key
// until the TTL runs out.
func TestCacheTTL(t *testing.T) {
	t.Parallel()
	clk := newClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	a := newVault(t, mk, ks, vault.WithClock(clk.Now), vault.WithCacheTTL(time.Minute))
	b := newVault(t, mk, ks, vault.WithClock(clk.Now))
	ct := seal(t, a, 9, place, "cached")
	if err := b.Shred(ctx, 9); err != nil {
		t.Fatal(err)
	}
	clk.Add(59 * time.Second)
	mustOpen(t, a, 9, place, ct, "cached") // still cached on node a
	clk.Add(time.Second)
	if _, err := a.Open(ctx, 9, place, ct); !errors.Is(err, model.ErrShredded) {
		t.Fatalf("Open after the TTL = %v, want model.ErrShredded", err)
	}
	fresh := seal(t, a, 9, place, "new key")
	if bytes.Equal(fresh[1:9], ct[1:9]) {
		t.Fatal("Seal after the TTL used the shredded key")
	}
}

func TestRotate(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	old, next := masterKey(t), masterKey(t)
	v := newVault(t, old, ks)
	ct := seal(t, v, 3, bio, "before rotation")
	blind := v.Blind("tag", "roost")
	if err := v.Rotate(ctx, next); err != nil {
		t.Fatal(err)
	}
	mustOpen(t, v, 3, bio, ct, "before rotation") // cached key still right
	after := seal(t, v, 4, bio, "after rotation")
	w := newVault(t, next, ks, vault.WithCacheTTL(0))
	mustOpen(t, w, 3, bio, ct, "before rotation")
	mustOpen(t, w, 4, bio, after, "after rotation")
	if !bytes.Equal(w.Blind("tag", "roost"), blind) {
		t.Fatal("Blind changed across rotation")
	}
	_, err := vault.New(ctx, old, ks)
	if !errors.Is(err, vault.ErrWrongMasterKey) || !strings.Contains(err.Error(), old.ID()) ||
		!strings.Contains(err.Error(), next.ID()) {
		t.Fatalf("New with the retired key = %v, want ErrWrongMasterKey naming both key ids", err)
	}
}

func TestRotateFailureChangesNothing(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	v := newVault(t, mk, ks)
	ct := seal(t, v, 3, bio, "kept")
	foreign := &vault.WrappedKey{ID: model.NewID(time.Now()), Owner: 8, Period: "2020-01", MasterID: "0123456789abcdef", Wrapped: make([]byte, 60)}
	if err := ks.PutKey(ctx, foreign); err != nil {
		t.Fatal(err)
	}
	if err := v.Rotate(ctx, masterKey(t)); !errors.Is(err, vault.ErrWrongMasterKey) {
		t.Fatalf("Rotate over a foreign key = %v, want ErrWrongMasterKey", err)
	}
	mustOpen(t, v, 3, bio, ct, "kept")
	mustOpen(t, newVault(t, mk, ks, vault.WithCacheTTL(0)), 3, bio, ct, "kept")
	seal(t, v, 10, bio, "the vault still creates keys under its master key")
}

// TestStaleNode: a node that missed a rotation must not wrap new keys under
// the retired master key, where they would be lost.
func TestStaleNode(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	stale := newVault(t, mk, ks)
	rotator := newVault(t, mk, ks)
	ct := seal(t, rotator, 1, place, "x")
	if err := rotator.Rotate(ctx, masterKey(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := stale.SealString(ctx, 2, place, "y"); !errors.Is(err, vault.ErrWrongMasterKey) {
		t.Fatalf("stale node creating a key = %v, want ErrWrongMasterKey", err)
	}
	if _, err := stale.Open(ctx, 1, place, ct); !errors.Is(err, vault.ErrWrongMasterKey) {
		t.Fatalf("stale node opening = %v, want ErrWrongMasterKey", err)
	}
}

func TestOwnerCheckRefusesSystemKeys(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	v := newVault(t, masterKey(t), ks, vault.WithCacheTTL(0))
	sys, err := ks.KeyFor(ctx, 0, "blind-index")
	if err != nil {
		t.Fatal(err)
	}
	ct := seal(t, v, 0, place, "instance data")
	mustOpen(t, v, 0, place, ct, "instance data")
	forged := bytes.Clone(ct)
	for i := range 8 {
		forged[1+i] = byte(uint64(sys.ID) >> (56 - 8*i))
	}
	if _, err := v.Open(ctx, 0, place, forged); err == nil || !strings.Contains(err.Error(), "another owner") {
		t.Fatalf("Open under the blind-index key = %v, want a refusal", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	v := newVault(t, mk, ks, vault.WithCacheTTL(time.Millisecond))
	var wg sync.WaitGroup
	errc := make(chan error, 1000)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := int64(1 + g%4)
			for i := range 200 {
				p := vault.Place{Table: "t", Column: "c", Row: int64(i)}
				want := fmt.Sprintf("g%d-%d", g, i)
				ct, err := v.SealString(ctx, owner, p, want)
				if err != nil {
					errc <- err
					return
				}
				if got, err := v.OpenString(ctx, owner, p, ct); err != nil || got != want {
					errc <- fmt.Errorf("open = %q, %v", got, err)
					return
				}
			}
		}()
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		for range 50 {
			if _, err := v.SealString(ctx, 99, place, "doomed"); err != nil {
				errc <- err
			}
			if err := v.Shred(ctx, 99); err != nil {
				errc <- err
			}
			if err := v.ShredBefore(ctx, 98, time.Now()); err != nil {
				errc <- err
			}
		}
	}()
	next := masterKey(t)
	go func() {
		defer wg.Done()
		if err := v.Rotate(ctx, next); err != nil {
			errc <- err
		}
	}()
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	newVault(t, next, ks) // every key ended up under the new master key
}

func TestConcurrentFirstKey(t *testing.T) {
	t.Parallel()
	ks := vault.NewMemKeyStore()
	mk := masterKey(t)
	nodes := []*vault.Vault{newVault(t, mk, ks), newVault(t, mk, ks), newVault(t, mk, ks)}
	cts := make([][]byte, 12)
	var wg sync.WaitGroup
	for i := range cts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ct, err := nodes[i%3].SealString(ctx, 50, place, "race")
			if err != nil {
				t.Error(err)
			}
			cts[i] = ct
		}()
	}
	wg.Wait()
	for i, ct := range cts {
		mustOpen(t, nodes[(i+1)%3], 50, place, ct, "race")
	}
	if keys, _ := ks.OwnerKeys(ctx, 50); len(keys) != 1 {
		t.Fatalf("owner has %d keys for one month, want 1", len(keys))
	}
}

func BenchmarkSeal(b *testing.B) {
	v := newVault(b, masterKey(b), vault.NewMemKeyStore())
	pt := []byte("Good morning, fediverse! Coffee first.")
	if _, err := v.Seal(ctx, 1, place, pt); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Seal(ctx, 1, place, pt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	v := newVault(b, masterKey(b), vault.NewMemKeyStore())
	ct, err := v.SealString(ctx, 1, place, "Good morning, fediverse! Coffee first.")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Open(ctx, 1, place, ct); err != nil {
			b.Fatal(err)
		}
	}
}

// hookStore runs after once RewrapAll has committed, and onKey after Key
// has read a key, before either returns.
type hookStore struct {
	*vault.MemKeyStore
	after func()
	onKey func()
}

func (s hookStore) Key(ctx context.Context, id int64) (*vault.WrappedKey, error) {
	k, err := s.MemKeyStore.Key(ctx, id)
	if s.onKey != nil {
		s.onKey()
	}
	return k, err
}

func (s hookStore) RewrapAll(ctx context.Context, fn func(*vault.WrappedKey) ([]byte, string, error)) error {
	err := s.MemKeyStore.RewrapAll(ctx, fn)
	if err == nil && s.after != nil {
		s.after()
	}
	return err
}

// TestOpenDuringRotate reads a key the store has already re-wrapped while
// Rotate has not yet returned.
func TestOpenDuringRotate(t *testing.T) {
	t.Parallel()
	ks := &hookStore{MemKeyStore: vault.NewMemKeyStore()}
	v := newVault(t, masterKey(t), ks, vault.WithCacheTTL(0))
	ct := seal(t, v, 1, place, "mid-rotation")
	ks.after = func() { mustOpen(t, v, 1, place, ct, "mid-rotation") }
	if err := v.Rotate(ctx, masterKey(t)); err != nil {
		t.Fatal(err)
	}
}

// TestShredDuringFetch shreds between a key's read and its caching: the
// open in flight may finish, but the key must not be cached afterwards.
func TestShredDuringFetch(t *testing.T) {
	t.Parallel()
	ks := &hookStore{MemKeyStore: vault.NewMemKeyStore()}
	mk := masterKey(t)
	ct := seal(t, newVault(t, mk, ks), 1, place, "racing")
	v := newVault(t, mk, ks)
	ks.onKey = func() {
		ks.onKey = nil
		if err := v.Shred(ctx, 1); err != nil {
			t.Error(err)
		}
	}
	mustOpen(t, v, 1, place, ct, "racing")
	if _, err := v.Open(ctx, 1, place, ct); !errors.Is(err, model.ErrShredded) {
		t.Fatalf("Open after a shred that raced the fetch = %v, want model.ErrShredded", err)
	}
}
