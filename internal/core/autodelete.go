package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Auto-delete (issue 4 §2): each local account may have its own posts
// deleted once they reach an age it chooses, with Mastodon's options
// (automated post deletion, AccountStatusesCleanupPolicy). The retention
// sweep runs it (PurgeAutoDelete); each deletion is published like the
// author's own delete, so federation sends the Delete. Boosts are left
// alone (undoing one is an Undo, not a Delete), and so are held accounts.

// AutoDeleteAges are the ages, in days, a policy may choose: Mastodon's
// one and two weeks, one, two, three and six months, one and two years.
var AutoDeleteAges = []int{7, 14, 30, 60, 90, 180, 365, 730}

// DefaultAutoDelete is an account's policy until it sets one: off, two
// weeks, keeping direct messages, pinned posts and posts the account
// favourited or bookmarked (Mastodon's defaults).
func DefaultAutoDelete(accountID int64) store.AutoDeletePolicy {
	return store.AutoDeletePolicy{AccountID: accountID, MinAgeDays: 14, KeepDirect: true, KeepPinned: true,
		KeepSelfFav: true, KeepSelfBookmark: true}
}

// maxAutoDeleteThreshold bounds MinFavs and MinReblogs.
const maxAutoDeleteThreshold = 1_000_000

// AutoDelete returns the account's auto-delete policy, or the default.
func (s *Service) AutoDelete(ctx context.Context, a *Auth) (store.AutoDeletePolicy, error) {
	p, err := s.store.AutoDeletePolicy(ctx, a.Account.ID)
	switch {
	case errors.Is(err, model.ErrNotFound):
		return DefaultAutoDelete(a.Account.ID), nil
	case err != nil:
		return store.AutoDeletePolicy{}, fmt.Errorf("core: auto-delete: %w", err)
	}
	return *p, nil
}

// SetAutoDelete replaces the account's auto-delete policy with p (its
// AccountID and UpdatedAt are the service's to fill). An age not in
// AutoDeleteAges, or a negative or huge threshold, is model.ErrInvalid
// and changes nothing.
func (s *Service) SetAutoDelete(ctx context.Context, a *Auth, p store.AutoDeletePolicy) (store.AutoDeletePolicy, error) {
	if !slices.Contains(AutoDeleteAges, p.MinAgeDays) {
		ages := make([]string, len(AutoDeleteAges))
		for i, d := range AutoDeleteAges {
			ages[i] = strconv.Itoa(d)
		}
		return p, fmt.Errorf("core: auto-delete: %w", model.Invalid("min_status_age must be one of "+strings.Join(ages, ", ")+" days"))
	}
	for _, n := range []int{p.MinFavs, p.MinReblogs} {
		if n < 0 || n > maxAutoDeleteThreshold {
			return p, fmt.Errorf("core: auto-delete: %w", model.Invalid("min_favs and min_reblogs must be between 0 and 1000000"))
		}
	}
	p.AccountID, p.UpdatedAt = a.Account.ID, s.now()
	if err := s.store.PutAutoDeletePolicy(ctx, &p); err != nil {
		return p, fmt.Errorf("core: auto-delete: %w", err)
	}
	return p, nil
}

// PurgeAutoDelete deletes at most limit posts that the enabled policies
// of accounts not under a hold make due, account after account, and
// returns how many it deleted; fewer than limit means none is left.
func (s *Service) PurgeAutoDelete(ctx context.Context, limit int) (int, error) {
	now, done := s.now(), 0
	for after := int64(0); done < limit; {
		ps, err := s.store.EnabledAutoDeletePolicies(ctx, after, now, 100)
		if err != nil {
			return done, fmt.Errorf("core: auto-delete: %w", err)
		}
		for _, p := range ps {
			n, err := s.purgeStatuses(ctx, func() ([]int64, error) {
				return s.store.ExpiredOwnStatuses(ctx, p, now.Add(-time.Duration(p.MinAgeDays)*24*time.Hour), limit-done)
			})
			done += n
			if err != nil {
				return done, fmt.Errorf("core: auto-delete: %w", err)
			}
			if done >= limit {
				return done, nil
			}
		}
		if len(ps) < 100 {
			break
		}
		after = ps[len(ps)-1].AccountID
	}
	return done, nil
}
