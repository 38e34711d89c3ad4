package vault_test

import (
	"errors"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/vault"
)

func TestClassKeys(t *testing.T) {
	ks := vault.NewMemKeyStore()
	clk := newClock(time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
	v := newVault(t, masterKey(t), ks, vault.WithClock(clk.Now))
	dm := vault.Place{Table: "statuses", Column: "text", Row: 5, Class: vault.ClassDirect}
	general := seal(t, v, 9, place, "general")
	direct := seal(t, v, 9, dm, "direct")
	gid, _ := vault.KeyIDOf(general)
	did, ok := vault.KeyIDOf(direct)
	if !ok || gid == did {
		t.Fatalf("a direct value shares the general key (%d, %d, %v)", gid, did, ok)
	}
	if _, err := ks.KeyFor(ctx, 9, "direct/2026-03"); err != nil {
		t.Fatalf("no key of period direct/2026-03: %v", err)
	}
	// The class is not bound into the ciphertext: Open needs only the place.
	mustOpen(t, v, 9, vault.Place{Table: "statuses", Column: "text", Row: 5}, direct, "direct")
	if again := seal(t, v, 9, dm, "again"); !sameKey(again, direct) {
		t.Fatal("a second direct value in the month got another key")
	}
	if _, err := v.Seal(ctx, 9, vault.Place{Table: "t", Column: "c", Class: "nope"}, []byte("x")); err == nil {
		t.Fatal("Seal with an unknown class succeeded")
	}
	if _, ok := vault.KeyIDOf([]byte{9, 1}); ok {
		t.Fatal("KeyIDOf accepted a malformed ciphertext")
	}
}

func sameKey(a, b []byte) bool {
	x, _ := vault.KeyIDOf(a)
	y, _ := vault.KeyIDOf(b)
	return x == y
}

func TestRetireClassKeys(t *testing.T) {
	ks := vault.NewMemKeyStore()
	clk := newClock(time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC))
	v := newVault(t, masterKey(t), ks, vault.WithClock(clk.Now))
	dm := vault.Place{Table: "statuses", Column: "text", Row: 5, Class: vault.ClassDirect}
	jan := seal(t, v, 9, dm, "january")
	janOther := seal(t, v, 10, dm, "other owner")
	janGeneral := seal(t, v, 9, place, "profile")
	clk.Set(time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC))
	feb := seal(t, v, 9, dm, "february")

	// January ended on Feb 1: a cut before that retires nothing.
	if got, err := v.RetiringKeys(ctx, vault.ClassDirect, time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC), 10); err != nil || len(got) != 0 {
		t.Fatalf("RetiringKeys before the month ended = %v, %v", got, err)
	}
	cut := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	got, err := v.RetiringKeys(ctx, vault.ClassDirect, cut, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("RetiringKeys = %v, %v; want the two January keys", got, err)
	}
	if one, _ := v.RetiringKeys(ctx, vault.ClassDirect, cut, 1); len(one) != 1 {
		t.Fatalf("RetiringKeys(limit 1) = %d keys", len(one))
	}
	if _, err := v.RetiringKeys(ctx, vault.ClassGeneral, cut, 10); err == nil {
		t.Fatal("RetiringKeys of the general class succeeded")
	}
	mine, err := v.OwnerRetiringKeys(ctx, 9, vault.ClassDirect, cut)
	if err != nil || len(mine) != 1 || mine[0].Owner != 9 || mine[0].Period != "direct/2026-01" {
		t.Fatalf("OwnerRetiringKeys = %+v, %v", mine, err)
	}
	// ShredKeys ignores another owner's key named among the ids.
	n, err := v.ShredKeys(ctx, 9, []int64{got[0].ID, got[1].ID})
	if err != nil || n != 1 {
		t.Fatalf("ShredKeys = %d, %v; want 1 (owner 9's key only)", n, err)
	}
	if _, err := v.Open(ctx, 9, dm, jan); !errors.Is(err, model.ErrShredded) {
		t.Fatalf("Open of a retired key's value = %v, want model.ErrShredded", err)
	}
	mustOpen(t, v, 10, dm, janOther, "other owner")
	mustOpen(t, v, 9, place, janGeneral, "profile")
	mustOpen(t, v, 9, dm, feb, "february")
	if _, err := v.ShredKeys(ctx, 0, []int64{1}); err == nil {
		t.Fatal("ShredKeys of the system owner succeeded")
	}
	// A Seal after the retirement, in the same month as the retired key
	// (a clock set back), makes a fresh key.
	clk.Set(time.Date(2026, 1, 25, 0, 0, 0, 0, time.UTC))
	late := seal(t, v, 9, dm, "late")
	mustOpen(t, v, 9, dm, late, "late")
}

func TestShredBeforeCoversClasses(t *testing.T) {
	ks := vault.NewMemKeyStore()
	clk := newClock(time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC))
	v := newVault(t, masterKey(t), ks, vault.WithClock(clk.Now))
	ct := seal(t, v, 9, vault.Place{Table: "reports", Column: "comment", Row: 1, Class: vault.ClassReports}, "r")
	if err := v.ShredBefore(ctx, 9, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Open(ctx, 9, vault.Place{Table: "reports", Column: "comment", Row: 1}, ct); !errors.Is(err, model.ErrShredded) {
		t.Fatalf("Open after ShredBefore = %v, want model.ErrShredded", err)
	}
}
