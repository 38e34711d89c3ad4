package vault

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// errSystemOwner refuses to shred the vault's own keys: losing the
// blind-index key would break every blind index of the instance.
var errSystemOwner = errors.New("vault: refusing to shred the system owner's keys")

// Shred destroys every data key of owner. Everything sealed for owner, in
// the database and in every data backup, becomes unreadable
// (model.ErrShredded). A later Seal for owner creates a new key.
func (v *Vault) Shred(ctx context.Context, owner int64) error {
	return v.shredWhere(ctx, owner, func(*WrappedKey) bool { return true })
}

// ShredBefore destroys owner's data keys for the months (UTC) that ended at
// or before t, and keeps the month t falls in and later ones. It is the
// retention purge: data sealed in those months becomes unreadable,
// including in old data backups.
func (v *Vault) ShredBefore(ctx context.Context, owner int64, t time.Time) error {
	return v.shredWhere(ctx, owner, func(k *WrappedKey) bool {
		start, ok := monthStart(k.Period)
		return ok && !start.AddDate(0, 1, 0).After(t)
	})
}

func (v *Vault) shredWhere(ctx context.Context, owner int64, match func(*WrappedKey) bool) error {
	if owner == systemOwner {
		return errSystemOwner
	}
	keys, err := v.ks.OwnerKeys(ctx, owner)
	if err != nil {
		return fmt.Errorf("vault: shred owner %d: %w", owner, err)
	}
	var ids []int64
	for _, k := range keys {
		if k.Owner == owner && match(k) {
			ids = append(ids, k.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if err := v.ks.DeleteKeys(ctx, ids); err != nil {
		return fmt.Errorf("vault: shred owner %d: %w", owner, err)
	}
	v.forget(ids)
	return nil
}

// forget drops shredded keys from the cache, and makes lookups that began
// before the shred not cache what they fetched.
func (v *Vault) forget(ids []int64) {
	gone := make(map[int64]bool, len(ids))
	for _, id := range ids {
		gone[id] = true
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.shreds++
	v.act.forget(gone)
	for id := range gone {
		delete(v.cache, id)
	}
	for op, id := range v.byOwn {
		if gone[id] {
			delete(v.byOwn, op)
		}
	}
}

const periodLayout = "2006-01"

// period is the data-key period holding t: its UTC month.
func period(t time.Time) string { return t.UTC().Format(periodLayout) }

// classPeriod is the period of class's key holding t: the month alone for
// the general class, "class/month" for the others.
func classPeriod(class string, t time.Time) string {
	if class == "" {
		return period(t)
	}
	return class + "/" + period(t)
}

// monthStart parses a data-key period, of any class; system keys' purpose
// names are not periods.
func monthStart(p string) (time.Time, bool) {
	_, t, ok := parsePeriod(p)
	return t, ok
}

// parsePeriod splits a data-key period into its class ("" for general
// keys) and the start of its month.
func parsePeriod(p string) (class string, start time.Time, ok bool) {
	month := p
	if i := len(p) - len(periodLayout) - 1; i > 0 && p[i] == '/' {
		class, month = p[:i], p[i+1:]
		if !validClass(class) {
			return "", time.Time{}, false
		}
	}
	if len(month) != len(periodLayout) {
		return "", time.Time{}, false
	}
	t, err := time.Parse(periodLayout, month)
	return class, t, err == nil
}

func isMonth(p string) bool {
	_, ok := monthStart(p)
	return ok
}
