package vault

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"time"
)

// Key classes. A class's keys are retired on its own schedule: once every
// row of a class sealed in a month is past the class's retention, the
// survivors (rows a rule keeps) are re-sealed under a current key and the
// month's key is destroyed, so the purged rows die in every data backup
// too. The general class ("") holds what lives as long as its account
// (profiles, users, notes, domain blocks) and is destroyed only with it.
const (
	ClassGeneral = ""
	// ClassPosts: local statuses that are not direct, and their edits.
	ClassPosts = "posts"
	// ClassCache: remote statuses that are not direct, and their edits.
	ClassCache = "cache"
	// ClassDirect: direct statuses, local and remote, and their edits.
	ClassDirect = "direct"
	// ClassReports: report comments.
	ClassReports = "reports"
	// ClassExports: export archives.
	ClassExports = "exports"
)

var retirable = []string{ClassPosts, ClassCache, ClassDirect, ClassReports, ClassExports}

// Classes lists the retirable key classes.
func Classes() []string { return slices.Clone(retirable) }

func validClass(c string) bool { return c == ClassGeneral || slices.Contains(retirable, c) }

// KeyIDOf returns the id of the key a ciphertext made by Seal names in its
// header; false for nil or a malformed ciphertext. It reads no key.
func KeyIDOf(ct []byte) (int64, bool) {
	if len(ct) < 9 || ct[0] != headerV1 {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(ct[1:9])), true
}

// KeyRef names a data key without its material.
type KeyRef struct {
	ID     int64
	Owner  int64
	Class  string
	Period string
	// Start is the first instant of the key's month.
	Start time.Time
}

// End is the first instant after the key's month.
func (k KeyRef) End() time.Time { return k.Start.AddDate(0, 1, 0) }

func refOf(k *WrappedKey) (KeyRef, bool) {
	class, start, ok := parsePeriod(k.Period)
	if !ok || k.Owner == systemOwner {
		return KeyRef{}, false
	}
	return KeyRef{ID: k.ID, Owner: k.Owner, Class: class, Period: k.Period, Start: start}, true
}

// RetiringKeys returns at most limit keys of class, of every owner, whose
// month ended at or before before, ordered by period then id. The general
// class is refused: its keys go only with their account.
func (v *Vault) RetiringKeys(ctx context.Context, class string, before time.Time, limit int) ([]KeyRef, error) {
	if class == ClassGeneral || !validClass(class) {
		return nil, fmt.Errorf("vault: retiring keys: not a retirable class %q", class)
	}
	if limit <= 0 {
		return nil, nil
	}
	keys, err := v.ks.ClassKeysBefore(ctx, class, classPeriod(class, before), limit)
	if err != nil {
		return nil, fmt.Errorf("vault: retiring keys of %s: %w", class, err)
	}
	return refs(keys, class, before), nil
}

// OwnerRetiringKeys is RetiringKeys for one owner's keys.
func (v *Vault) OwnerRetiringKeys(ctx context.Context, owner int64, class string, before time.Time) ([]KeyRef, error) {
	if class == ClassGeneral || !validClass(class) {
		return nil, fmt.Errorf("vault: retiring keys: not a retirable class %q", class)
	}
	keys, err := v.ks.OwnerKeys(ctx, owner)
	if err != nil {
		return nil, fmt.Errorf("vault: retiring keys of owner %d: %w", owner, err)
	}
	return refs(keys, class, before), nil
}

// refs keeps the keys of class whose month ended at or before before.
func refs(keys []*WrappedKey, class string, before time.Time) []KeyRef {
	var out []KeyRef
	for _, k := range keys {
		r, ok := refOf(k)
		if ok && r.Class == class && !r.End().After(before) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b KeyRef) int {
		return cmp.Or(cmp.Compare(a.Period, b.Period), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// ShredKeys destroys the data keys of owner among ids (ids of other owners,
// actor keys and unknown ids are ignored) and returns how many it
// destroyed. What they sealed opens as model.ErrShredded from then on, in
// the database and in every data backup. The caller re-seals what must
// survive first (store ResealKeys).
func (v *Vault) ShredKeys(ctx context.Context, owner int64, ids []int64) (int, error) {
	want := make(map[int64]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	n := 0
	err := v.shredWhere(ctx, owner, func(k *WrappedKey) bool {
		_, ok := refOf(k)
		if ok && want[k.ID] {
			n++
			return true
		}
		return false
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
