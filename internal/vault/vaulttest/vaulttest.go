// Package vaulttest owns the conformance suite for vault.KeyStore. Every
// implementation (in memory, SQLite, PostgreSQL) runs the same checks:
//
//	func TestKeyStore(t *testing.T) {
//		vaulttest.RunKeyStore(t, func(t *testing.T) vault.KeyStore { return newStore(t) })
//	}
package vaulttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/vault"
)

// RunKeyStore runs the KeyStore contract against stores made by newStore,
// which must return an empty store for each call.
func RunKeyStore(t *testing.T, newStore func(t *testing.T) vault.KeyStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, ks vault.KeyStore)
	}{
		{"PutAndRead", testPutAndRead},
		{"PutConflict", testPutConflict},
		{"ConcurrentPut", testConcurrentPut},
		{"NotFound", testNotFound},
		{"OwnerKeys", testOwnerKeys},
		{"DeleteKeys", testDeleteKeys},
		{"ClassKeysBefore", testClassKeysBefore},
		{"Copies", testCopies},
		{"LargeKey", testLargeKey},
		{"RewrapAll", testRewrapAll},
		{"RewrapAllAtomic", testRewrapAllAtomic},
		{"Vault", testVault},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

var (
	ctx   = context.Background()
	epoch = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
)

// key returns a wrapped key with distinctive binary content.
func key(owner int64, period string) *vault.WrappedKey {
	w := make([]byte, 60)
	for i := range w {
		w[i] = byte(int(owner)*31 + i*7 + len(period))
	}
	w[0], w[1] = 0, 0xff // a NUL and a high byte must survive
	return &vault.WrappedKey{ID: model.NewID(epoch), Owner: owner, Period: period,
		MasterID: "m-" + period, Wrapped: w, CreatedAt: epoch}
}

func put(t *testing.T, ks vault.KeyStore, k *vault.WrappedKey) *vault.WrappedKey {
	t.Helper()
	if err := ks.PutKey(ctx, k); err != nil {
		t.Fatalf("PutKey(owner %d, %q): %v", k.Owner, k.Period, err)
	}
	return k
}

func same(t *testing.T, got, want *vault.WrappedKey) {
	t.Helper()
	if got.ID != want.ID || got.Owner != want.Owner || got.Period != want.Period ||
		got.MasterID != want.MasterID || !bytes.Equal(got.Wrapped, want.Wrapped) {
		t.Fatalf("key = %+v, want %+v", got, want)
	}
	if d := got.CreatedAt.Sub(want.CreatedAt); d > time.Second || d < -time.Second {
		t.Fatalf("CreatedAt = %v, want %v", got.CreatedAt, want.CreatedAt)
	}
}

func testPutAndRead(t *testing.T, ks vault.KeyStore) {
	k := put(t, ks, key(42, "2025-03"))
	sys := put(t, ks, key(0, "blind-index"))
	big := key(1<<40, "1999-12")
	big.ID = 1<<62 + 12345
	put(t, ks, big)
	for _, want := range []*vault.WrappedKey{k, sys, big} {
		got, err := ks.Key(ctx, want.ID)
		if err != nil {
			t.Fatalf("Key(%d): %v", want.ID, err)
		}
		same(t, got, want)
		got, err = ks.KeyFor(ctx, want.Owner, want.Period)
		if err != nil {
			t.Fatalf("KeyFor(%d, %q): %v", want.Owner, want.Period, err)
		}
		same(t, got, want)
	}
}

func testPutConflict(t *testing.T, ks vault.KeyStore) {
	first := put(t, ks, key(7, "2025-03"))
	dup := key(7, "2025-03")
	dup.Wrapped[5]++
	if err := ks.PutKey(ctx, dup); !errors.Is(err, model.ErrConflict) {
		t.Fatalf("PutKey of a taken (owner, period) = %v, want model.ErrConflict", err)
	}
	sameID := key(8, "2025-04")
	sameID.ID = first.ID
	if err := ks.PutKey(ctx, sameID); !errors.Is(err, model.ErrConflict) {
		t.Fatalf("PutKey of a taken ID = %v, want model.ErrConflict", err)
	}
	got, err := ks.KeyFor(ctx, 7, "2025-03")
	if err != nil {
		t.Fatal(err)
	}
	same(t, got, first)
	// The same period for another owner, and another period for the same
	// owner, are no conflict.
	put(t, ks, key(8, "2025-03"))
	put(t, ks, key(7, "2025-04"))
}

func testConcurrentPut(t *testing.T, ks vault.KeyStore) {
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = ks.PutKey(ctx, key(9, "2025-05"))
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, model.ErrConflict):
			t.Fatalf("racing PutKey = %v, want nil or model.ErrConflict", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d racing PutKey calls succeeded, want exactly 1", won)
	}
}

func testNotFound(t *testing.T, ks vault.KeyStore) {
	k := put(t, ks, key(3, "2025-03"))
	if _, err := ks.Key(ctx, k.ID+1); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("Key(missing) = %v, want model.ErrNotFound", err)
	}
	for _, c := range []struct {
		owner  int64
		period string
	}{{3, "2025-04"}, {4, "2025-03"}, {0, "blind-index"}} {
		if _, err := ks.KeyFor(ctx, c.owner, c.period); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("KeyFor(%d, %q) = %v, want model.ErrNotFound", c.owner, c.period, err)
		}
	}
}

func ids(keys []*vault.WrappedKey) []int64 {
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = k.ID
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func testOwnerKeys(t *testing.T, ks vault.KeyStore) {
	a1 := put(t, ks, key(5, "2025-01"))
	a2 := put(t, ks, key(5, "2025-02"))
	put(t, ks, key(6, "2025-01"))
	got, err := ks.OwnerKeys(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ids(got)) != fmt.Sprint(ids([]*vault.WrappedKey{a1, a2})) {
		t.Fatalf("OwnerKeys(5) ids = %v, want %v", ids(got), ids([]*vault.WrappedKey{a1, a2}))
	}
	for _, k := range got {
		want := a1
		if k.ID == a2.ID {
			want = a2
		}
		same(t, k, want)
	}
	none, err := ks.OwnerKeys(ctx, 99)
	if err != nil || len(none) != 0 {
		t.Fatalf("OwnerKeys(unknown) = %v, %v; want no keys and no error", none, err)
	}
}

func testDeleteKeys(t *testing.T, ks vault.KeyStore) {
	a := put(t, ks, key(5, "2025-01"))
	b := put(t, ks, key(5, "2025-02"))
	c := put(t, ks, key(6, "2025-01"))
	if err := ks.DeleteKeys(ctx, nil); err != nil {
		t.Fatalf("DeleteKeys(nil): %v", err)
	}
	if err := ks.DeleteKeys(ctx, []int64{a.ID, c.ID, c.ID + 1000}); err != nil {
		t.Fatalf("DeleteKeys: %v", err)
	}
	for _, k := range []*vault.WrappedKey{a, c} {
		if _, err := ks.Key(ctx, k.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("Key(deleted %d) = %v, want model.ErrNotFound", k.ID, err)
		}
		if _, err := ks.KeyFor(ctx, k.Owner, k.Period); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("KeyFor(deleted) = %v, want model.ErrNotFound", err)
		}
	}
	got, err := ks.Key(ctx, b.ID)
	if err != nil {
		t.Fatalf("Key(kept): %v", err)
	}
	same(t, got, b)
	// A deleted (owner, period) can be keyed again: Seal after Shred.
	put(t, ks, key(5, "2025-01"))
}

func testClassKeysBefore(t *testing.T, ks vault.KeyStore) {
	b1 := put(t, ks, key(5, "direct/2025-01"))
	a1 := put(t, ks, key(6, "direct/2025-01"))
	c2 := put(t, ks, key(5, "direct/2025-02"))
	put(t, ks, key(5, "direct/2025-03")) // not before the cut
	put(t, ks, key(5, "2025-01"))        // general class
	put(t, ks, key(5, "posts/2025-01"))  // another class
	put(t, ks, key(5, "directs/2025-01"))
	put(t, ks, key(5, "actor-rsa"))
	got, err := ks.ClassKeysBefore(ctx, "direct", "direct/2025-03", 10)
	if err != nil {
		t.Fatal(err)
	}
	// Ordered by period, then id.
	first := []*vault.WrappedKey{b1, a1}
	if a1.ID < b1.ID {
		first = []*vault.WrappedKey{a1, b1}
	}
	want := append(first, c2)
	if len(got) != len(want) {
		t.Fatalf("ClassKeysBefore = %d keys, want %d", len(got), len(want))
	}
	for i := range want {
		same(t, got[i], want[i])
	}
	got, err = ks.ClassKeysBefore(ctx, "direct", "direct/2025-03", 2)
	if err != nil || len(got) != 2 || got[0].ID != first[0].ID || got[1].ID != first[1].ID {
		t.Fatalf("ClassKeysBefore(limit 2) = %d keys, %v; want the first two", len(got), err)
	}
	if none, err := ks.ClassKeysBefore(ctx, "reports", "reports/2030-01", 10); err != nil || len(none) != 0 {
		t.Fatalf("ClassKeysBefore(no such class) = %d keys, %v; want none", len(none), err)
	}
}

func testCopies(t *testing.T, ks vault.KeyStore) {
	k := key(5, "2025-01")
	want := *k
	want.Wrapped = bytes.Clone(k.Wrapped)
	put(t, ks, k)
	k.Wrapped[3]++ // the caller's slice is not the store's
	got, err := ks.Key(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	same(t, got, &want)
	got.Wrapped[4]++
	got, err = ks.Key(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	same(t, got, &want)
}

func testRewrapAll(t *testing.T, ks vault.KeyStore) {
	if err := ks.RewrapAll(ctx, func(*vault.WrappedKey) ([]byte, string, error) {
		return nil, "", errors.New("called on an empty store")
	}); err != nil {
		t.Fatalf("RewrapAll(empty): %v", err)
	}
	keys := []*vault.WrappedKey{put(t, ks, key(0, "blind-index")), put(t, ks, key(5, "2025-01")), put(t, ks, key(6, "2025-02"))}
	seen := map[int64]int{}
	err := ks.RewrapAll(ctx, func(k *vault.WrappedKey) ([]byte, string, error) {
		seen[k.ID]++
		return append([]byte("new:"), k.Wrapped...), "next-" + k.MasterID, nil
	})
	if err != nil {
		t.Fatalf("RewrapAll: %v", err)
	}
	for _, k := range keys {
		if seen[k.ID] != 1 {
			t.Fatalf("RewrapAll called fn %d times for key %d, want once", seen[k.ID], k.ID)
		}
		got, err := ks.Key(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *k
		want.Wrapped, want.MasterID = append([]byte("new:"), k.Wrapped...), "next-"+k.MasterID
		same(t, got, &want)
	}
}

func testRewrapAllAtomic(t *testing.T, ks vault.KeyStore) {
	var keys []*vault.WrappedKey
	for i := range 5 {
		keys = append(keys, put(t, ks, key(int64(10+i), "2025-01")))
	}
	boom := errors.New("boom")
	calls := 0
	err := ks.RewrapAll(ctx, func(k *vault.WrappedKey) ([]byte, string, error) {
		calls++
		if calls == 3 {
			return nil, "", boom
		}
		return []byte("half-done"), "half", nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("RewrapAll with a failing fn = %v, want its error", err)
	}
	for _, k := range keys {
		got, err := ks.Key(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, got, k) // nothing changed
	}
}

// testLargeKey stores a wrapped key of several kilobytes: actor keys wrap
// whole RSA private keys, not 32-byte data keys.
func testLargeKey(t *testing.T, ks vault.KeyStore) {
	k := key(11, "actor-rsa")
	k.Wrapped = bytes.Repeat(k.Wrapped, 70) // 4,200 bytes
	put(t, ks, k)
	got, err := ks.KeyFor(ctx, 11, "actor-rsa")
	if err != nil {
		t.Fatal(err)
	}
	same(t, got, k)
}

// testVault runs the vault itself over the store: sealing, rotation and
// shredding end to end.
func testVault(t *testing.T, ks vault.KeyStore) {
	mk, err := vault.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	v, err := vault.New(ctx, mk, ks)
	if err != nil {
		t.Fatal(err)
	}
	place := vault.Place{Table: "statuses", Column: "text", Row: 1}
	ct, err := v.SealString(ctx, 77, place, "hello")
	if err != nil {
		t.Fatal(err)
	}
	actor, err := v.ActorKeys(ctx, 77)
	if err != nil {
		t.Fatalf("ActorKeys: %v", err)
	}
	next, err := vault.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Rotate(ctx, next); err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	fresh, err := vault.New(ctx, next, ks, vault.WithCacheTTL(0))
	if err != nil {
		t.Fatalf("New after rotation: %v", err)
	}
	if got, err := fresh.OpenString(ctx, 77, place, ct); err != nil || got != "hello" {
		t.Fatalf("Open after rotation = %q, %v", got, err)
	}
	if got, err := fresh.ActorKeys(ctx, 77); err != nil || got.RSAPublicPEM() != actor.RSAPublicPEM() {
		t.Fatalf("ActorKeys after rotation = %v, or keys other than before", err)
	}
	if _, err := vault.New(ctx, mk, ks); !errors.Is(err, vault.ErrWrongMasterKey) {
		t.Fatalf("New with the retired master key = %v, want vault.ErrWrongMasterKey", err)
	}
	if err := v.Shred(ctx, 77); err != nil {
		t.Fatal(err)
	}
	for name, vv := range map[string]*vault.Vault{"shredding vault": v, "uncached vault": fresh} {
		if _, err := vv.Open(ctx, 77, place, ct); !errors.Is(err, model.ErrShredded) {
			t.Fatalf("Open after Shred on the %s = %v, want model.ErrShredded", name, err)
		}
	}
	if keys, err := ks.OwnerKeys(ctx, 77); err != nil || len(keys) != 0 {
		t.Fatalf("owner keys after Shred = %d, %v; want none (actor keys too)", len(keys), err)
	}
}
