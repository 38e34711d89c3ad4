package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/roost-social/roost/internal/model"
)

// What the federation adapter needs, beyond ids, to say what a local
// account did: the rows Likes and Blocks are named by, the follows a block
// ends, and whether a pin is public enough to be told.

// favouriteRow is the row id of accountID's favourite of statusID, 0 when
// there is none (or it cannot be read: the activity then falls back to an
// id by status, and the action stands).
func (s *Service) favouriteRow(ctx context.Context, accountID, statusID int64) int64 {
	id, err := s.store.FavouriteID(ctx, accountID, statusID)
	if err != nil {
		return 0
	}
	return id
}

// blockRow is the row id of accountID's block of targetID, 0 when there is
// none.
func (s *Service) blockRow(ctx context.Context, accountID, targetID int64) int64 {
	id, err := s.store.BlockID(ctx, accountID, targetID)
	if err != nil {
		return 0
	}
	return id
}

// endFollowsForBlock tells a remote account that me is about to block
// that the follows between them end, as Mastodon's BlockService does: its
// follow of me (or request) is rejected, and me's follow of it (or
// request) is undone. The events are published while the follow rows
// still exist, since the publisher reads the follow's id from them; the
// block deletes the rows afterwards. A local target needs no telling.
func (s *Service) endFollowsForBlock(ctx context.Context, me int64, target *model.Account) error {
	if target.Local() {
		return nil
	}
	for _, e := range []Event{
		{Kind: EventFollowRejected, ActorID: me, TargetID: target.ID}, // target → me
		{Kind: EventUnfollowed, ActorID: me, TargetID: target.ID},     // me → target
	} {
		from, to := me, target.ID
		if e.Kind == EventFollowRejected {
			from, to = target.ID, me
		}
		_, err := s.store.Follow(ctx, from, to)
		switch {
		case errors.Is(err, model.ErrNotFound):
			continue
		case err != nil:
			return fmt.Errorf("core: block: %w", err)
		}
		s.publish(ctx, e)
	}
	return nil
}

// federatesPin reports whether pinning st is told to other servers: only
// public and unlisted statuses are in the featured collection.
func federatesPin(st *model.Status) bool {
	return st.Visibility == model.VisibilityPublic || st.Visibility == model.VisibilityUnlisted
}

// DeliveryPin returns local status statusID and whether accountID has it
// pinned now, so that an Add or Remove delivered late says what is still
// true (a pin undone before its Add went out is not added). A missing or
// remote status, or another account's, is model.ErrNotFound.
func (s *Service) DeliveryPin(ctx context.Context, accountID, statusID int64) (*model.Status, bool, error) {
	st, err := s.store.Status(ctx, statusID)
	if err != nil {
		return nil, false, fmt.Errorf("core: delivery pin %d: %w", statusID, err)
	}
	if !st.Local || st.AccountID != accountID || st.ReblogOfID != 0 || !federatesPin(st) {
		return nil, false, fmt.Errorf("core: delivery pin %d: %w", statusID, model.ErrNotFound)
	}
	flags, err := s.store.StatusFlags(ctx, accountID, []int64{statusID})
	if err != nil {
		return nil, false, fmt.Errorf("core: delivery pin %d: %w", statusID, err)
	}
	return st, flags[statusID].Pinned, nil
}
