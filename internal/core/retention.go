package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
	"github.com/roost-social/roost/internal/store"
)

// Retention (issue 4 §2): the instance policy (Settings.Retention) gives
// each category of data a maximum age, and PurgeBatch deletes, a bounded
// batch at a time, what is older. Every purge is a delete by age, so a
// batch interrupted half-way is finished by the next; each status goes in
// its own transaction with everything that depends on it
// (store.Statuses.DeleteStatus), and each cached remote account as an
// incoming Delete of it would go (its rows, then its keys). Legal holds
// keep an account's data out of every purge until they lapse.

// deliveryRecordsMinAge is the least age at which delivery bookkeeping is
// purged, whatever the policy: a pending Create holds back the Delete of
// the same status for up to three days (federation's pendingCreateLimit),
// and a host's failure streak needs that long to mark it unavailable.
const deliveryRecordsMinAge = 3 * 24 * time.Hour

// RetentionPolicy returns the instance's retention policy.
func (s *Service) RetentionPolicy() retention.Policy { return s.settings().Retention }

// PurgeBatch purges at most limit rows (statuses, accounts, notifications,
// tokens, reports or delivery records) of category c that are older than
// the policy allows, and returns how many it removed; fewer than limit
// means the category is done for now. A category kept forever, or not
// purged by a sweep (jobs, media, audit), purges nothing. Deleting a local
// direct message publishes its deletion, as its author's delete would;
// purging the cache of other servers sends nothing.
func (s *Service) PurgeBatch(ctx context.Context, c retention.Category, limit int) (int, error) {
	age := s.settings().Retention.MaxAge(c)
	if age <= 0 || limit <= 0 {
		return 0, nil
	}
	now := s.now()
	before := now.Add(-age)
	var n int
	var err error
	switch c {
	case retention.RemoteStatuses:
		n, err = s.purgeStatuses(ctx, func() ([]int64, error) {
			return s.store.ExpiredRemoteStatuses(ctx, before, now, limit)
		})
	case retention.DirectMessages:
		n, err = s.purgeStatuses(ctx, func() ([]int64, error) {
			return s.store.ExpiredDirectStatuses(ctx, before, now, limit)
		})
	case retention.RemoteAccounts:
		n, err = s.purgeRemoteAccounts(ctx, before, now, limit)
	case retention.Notifications:
		n, err = s.store.PurgeNotifications(ctx, before, now, limit)
	case retention.Tokens:
		n, err = s.store.PurgeTokens(ctx, before, now, limit)
	case retention.ClosedReports:
		n, err = s.store.PurgeClosedReports(ctx, before, now, limit)
	case retention.Delivery:
		n, err = s.store.PurgeDeliveryRecords(ctx, now.Add(-max(age, deliveryRecordsMinAge)), limit)
	}
	if err != nil {
		return n, fmt.Errorf("core: purge %s: %w", c, err)
	}
	return n, nil
}

// purgeStatuses deletes the statuses list names, one transaction each.
func (s *Service) purgeStatuses(ctx context.Context, list func() ([]int64, error)) (int, error) {
	ids, err := list()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		gone, err := s.purgeStatus(ctx, id)
		if err != nil {
			return n, err
		}
		if gone {
			n++
		}
	}
	return n, nil
}

// purgeStatus deletes status id; a local one's deletion is published so
// that federation sends its Delete. A status deleted meanwhile is not an
// error (gone is false).
func (s *Service) purgeStatus(ctx context.Context, id int64) (gone bool, err error) {
	st, err := s.store.Status(ctx, id)
	if errors.Is(err, model.ErrNotFound) {
		return false, nil
	}
	if err != nil && !errors.Is(err, model.ErrShredded) {
		return false, err
	}
	if err := s.store.DeleteStatus(ctx, id); errors.Is(err, model.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if st != nil && st.Local {
		s.publish(ctx, Event{Kind: EventStatusDeleted, ActorID: st.AccountID, StatusID: id, Deleted: DeletedStatusOf(st)})
	}
	return true, nil
}

// purgeRemoteAccounts removes cached remote accounts nothing refers to,
// with their keys.
func (s *Service) purgeRemoteAccounts(ctx context.Context, before, now time.Time, limit int) (int, error) {
	ids, err := s.store.ExpiredRemoteAccounts(ctx, before, now, limit)
	if err != nil {
		return 0, err
	}
	for i, id := range ids {
		if err := ctx.Err(); err != nil {
			return i, err
		}
		if err := s.purgeRemoteAccount(ctx, id); err != nil {
			return i, err
		}
	}
	return len(ids), nil
}

// RecordPurge adds a sweep of category c that purged n rows to the
// progress the admin API shows.
func (s *Service) RecordPurge(ctx context.Context, c retention.Category, n int) error {
	if err := s.store.RecordRetentionRun(ctx, string(c), s.now(), n); err != nil {
		return fmt.Errorf("core: record purge: %w", err)
	}
	return nil
}

// RetentionCategory is one category of the policy with the progress of its
// purge: when it last ran (nil: never) and what it removed.
type RetentionCategory struct {
	retention.Info
	LastRunAt   *time.Time
	LastPurged  int64
	TotalPurged int64
}

// RetentionStatus lists every category of the policy, in sweep order, with
// its purge's progress.
func (s *Service) RetentionStatus(ctx context.Context) ([]RetentionCategory, error) {
	runs, err := s.store.RetentionRuns(ctx)
	if err != nil {
		return nil, fmt.Errorf("core: retention status: %w", err)
	}
	by := map[string]store.RetentionRun{}
	for _, r := range runs {
		by[r.Category] = r
	}
	var out []RetentionCategory
	for _, info := range retention.Categories(s.settings().Retention) {
		c := RetentionCategory{Info: info}
		if r, ok := by[string(info.Category)]; ok {
			at := r.LastRunAt
			c.LastRunAt, c.LastPurged, c.TotalPurged = &at, r.LastPurged, r.TotalPurged
		}
		out = append(out, c)
	}
	return out, nil
}

// PutHold puts account accountID (local or remote) under a legal hold
// until until, or moves the end of its hold there. An end not in the
// future is model.ErrInvalid: a hold that has lapsed holds nothing.
func (s *Service) PutHold(ctx context.Context, accountID int64, until time.Time) error {
	now := s.now()
	if !until.After(now) {
		return fmt.Errorf("core: hold: %w", model.Invalid("the hold must end in the future"))
	}
	if err := s.store.PutHold(ctx, accountID, until, now); err != nil {
		return fmt.Errorf("core: hold: %w", err)
	}
	return nil
}

// ReleaseHold ends account accountID's hold; its data becomes subject to
// the policy again at the next sweep. No hold is model.ErrNotFound.
func (s *Service) ReleaseHold(ctx context.Context, accountID int64) error {
	ok, err := s.store.ReleaseHold(ctx, accountID)
	if err != nil {
		return fmt.Errorf("core: release hold: %w", err)
	}
	if !ok {
		return fmt.Errorf("core: release hold: %w", model.ErrNotFound)
	}
	return nil
}

// Holds lists every legal hold, lapsed ones included, by account id.
func (s *Service) Holds(ctx context.Context) ([]store.Hold, error) {
	h, err := s.store.Holds(ctx)
	if err != nil {
		return nil, fmt.Errorf("core: holds: %w", err)
	}
	return h, nil
}

// UnderHold reports whether account accountID has a legal hold in force at
// now. Whatever deletes an account's data (the purges, account deletion)
// must ask first and leave a held account's data alone.
func (s *Service) UnderHold(ctx context.Context, accountID int64, now time.Time) (bool, error) {
	held, err := s.store.UnderHold(ctx, accountID, now)
	if err != nil {
		return false, fmt.Errorf("core: under hold: %w", err)
	}
	return held, nil
}

// holdTarget finds the account a hold names by handle ("alice" or
// "alice@example.org"), suspended accounts included: a hold often follows
// a suspension.
func (s *Service) holdTarget(ctx context.Context, acct string) (*model.Account, error) {
	name, domain := s.splitAcct(acct)
	if name == "" {
		return nil, model.ErrNotFound
	}
	return s.store.AccountByUsername(ctx, name, domain)
}

// HoldAccount puts the account with handle acct under a legal hold until
// until (see PutHold) and returns it.
func (s *Service) HoldAccount(ctx context.Context, acct string, until time.Time) (*model.Account, error) {
	a, err := s.holdTarget(ctx, acct)
	if err != nil {
		return nil, fmt.Errorf("core: hold: %w", err)
	}
	return a, s.PutHold(ctx, a.ID, until)
}

// ReleaseAccountHold ends the hold of the account with handle acct (see
// ReleaseHold).
func (s *Service) ReleaseAccountHold(ctx context.Context, acct string) error {
	a, err := s.holdTarget(ctx, acct)
	if err != nil {
		return fmt.Errorf("core: release hold: %w", err)
	}
	return s.ReleaseHold(ctx, a.ID)
}
