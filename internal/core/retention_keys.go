package core

import (
	"context"
	"fmt"
	"time"

	"github.com/roost-social/roost/internal/retention"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/vault"
)

// Key retirement (issue 4 §3): the row purges delete rows, but the copies
// in old data backups would still open while the month key that sealed
// them lives. So once every row of a key class sealed in a month is past
// that class's maximum age (the month ended at least that long ago), the
// month's key is retired: the rows a rule keeps (a favourited remote post,
// a pinned one, an open report) are re-sealed under a current key, then
// the key is destroyed. Shredding thus follows a purge by at most one key
// period, a month. A crash between the two steps is harmless: the next
// sweep re-seals nothing and destroys the key. Keys of accounts under a
// legal hold are kept while it lasts.

// classAge is a key class retired instance-wide at a maximum age.
type classAge struct {
	class string
	age   time.Duration
}

// instanceClasses are the key classes whose age the instance policy sets
// (the general class is never retired: it goes with its account).
func (s *Service) instanceClasses() []classAge {
	p := s.settings().Retention
	return []classAge{
		{vault.ClassCache, p.MaxAge(retention.RemoteStatuses)},
		{vault.ClassDirect, p.MaxAge(retention.DirectMessages)},
		{vault.ClassReports, p.MaxAge(retention.ClosedReports)},
		{vault.ClassExports, ExportLifetime},
	}
}

// RetireKeys retires at most limit keys that the instance policy and the
// accounts' auto-delete policies make due, and returns how many it
// destroyed; fewer than limit means none is due now (but held ones).
func (s *Service) RetireKeys(ctx context.Context, limit int) (int, error) {
	now, done := s.now(), 0
	// Expired archives go first, or they would count as kept and be
	// re-sealed.
	if _, err := s.PurgeExpiredExports(ctx, now); err != nil {
		return 0, fmt.Errorf("core: retire keys: %w", err)
	}
	for _, c := range s.instanceClasses() {
		if c.age <= 0 || done >= limit {
			continue
		}
		n, err := s.retireClass(ctx, c.class, now.Add(-c.age), now, limit-done)
		done += n
		if err != nil {
			return done, fmt.Errorf("core: retire %s keys: %w", c.class, err)
		}
	}
	if done >= limit {
		return done, nil
	}
	n, err := s.retireAutoDeleteKeys(ctx, now, limit-done)
	done += n
	if err != nil {
		return done, fmt.Errorf("core: retire auto-delete keys: %w", err)
	}
	return done, nil
}

// retireClass retires up to limit keys of class whose month ended by
// before, owner by owner. Held owners' keys stay where they are in the
// listing, so each round asks for as many more as it skipped.
func (s *Service) retireClass(ctx context.Context, class string, before, now time.Time, limit int) (int, error) {
	done, skipped := 0, 0
	for done < limit {
		want := skipped + limit - done
		refs, err := s.vault.RetiringKeys(ctx, class, before, want)
		if err != nil {
			return done, err
		}
		held := map[int64]bool{}
		progressed := false
		for _, group := range byOwner(refs) {
			owner := group[0].Owner
			if ok, err := s.store.UnderHold(ctx, owner, now); err != nil {
				return done, err
			} else if ok {
				held[owner] = true
				continue
			}
			n, err := s.retire(ctx, owner, class, group[:min(len(group), limit-done)])
			done += n
			progressed = progressed || n > 0
			if err != nil || done >= limit {
				return done, err
			}
		}
		still := countHeld(refs, held)
		if len(refs) < want || (!progressed && still == skipped) {
			return done, nil // the listing is exhausted, or only held keys are left
		}
		skipped = still
	}
	return done, nil
}

// retireAutoDeleteKeys retires, for every account whose auto-delete is on
// (and not held: the store's listing leaves held accounts out), its posts' keys at its threshold, and its direct
// messages' keys too unless its policy keeps direct messages.
func (s *Service) retireAutoDeleteKeys(ctx context.Context, now time.Time, limit int) (int, error) {
	done := 0
	for after := int64(0); done < limit; {
		ps, err := s.store.EnabledAutoDeletePolicies(ctx, after, now, 100)
		if err != nil {
			return done, err
		}
		for _, p := range ps {
			n, err := s.retireOwnKeys(ctx, p, now, limit-done)
			done += n
			if err != nil || done >= limit {
				return done, err
			}
		}
		if len(ps) < 100 {
			break
		}
		after = ps[len(ps)-1].AccountID
	}
	return done, nil
}

func (s *Service) retireOwnKeys(ctx context.Context, p store.AutoDeletePolicy, now time.Time, limit int) (int, error) {
	before := now.Add(-time.Duration(p.MinAgeDays) * retention.Day)
	classes := []string{vault.ClassPosts}
	if !p.KeepDirect {
		classes = append(classes, vault.ClassDirect)
	}
	done := 0
	for _, class := range classes {
		refs, err := s.vault.OwnerRetiringKeys(ctx, p.AccountID, class, before)
		if err != nil {
			return done, err
		}
		n, err := s.retire(ctx, p.AccountID, class, refs[:min(len(refs), limit-done)])
		done += n
		if err != nil || done >= limit {
			return done, err
		}
	}
	return done, nil
}

// retire re-seals what owner's keys refs still seal and is kept, then
// destroys the keys, and returns how many it destroyed.
func (s *Service) retire(ctx context.Context, owner int64, class string, refs []vault.KeyRef) (int, error) {
	if len(refs) == 0 {
		return 0, nil
	}
	ids := make([]int64, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	if _, err := s.store.ResealKeys(ctx, owner, class, ids); err != nil {
		return 0, err
	}
	return s.vault.ShredKeys(ctx, owner, ids)
}

// byOwner groups refs by owner, in the order owners first appear.
func byOwner(refs []vault.KeyRef) [][]vault.KeyRef {
	at := map[int64]int{}
	var out [][]vault.KeyRef
	for _, r := range refs {
		i, ok := at[r.Owner]
		if !ok {
			i = len(out)
			at[r.Owner] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], r)
	}
	return out
}

func countHeld(refs []vault.KeyRef, held map[int64]bool) int {
	n := 0
	for _, r := range refs {
		if held[r.Owner] {
			n++
		}
	}
	return n
}
