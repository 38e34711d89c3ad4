package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/roost-social/roost/internal/model"
)

// Moving followers in the background, as Mastodon's MoveWorker does. A
// move (an incoming Move, or MoveAccount) is recorded in the request; the
// local followers of the old account then move in a durable job, in steps
// of MigrateFollowersBatch, so that an account with thousands of local
// followers neither holds the request (a remote sender gives up after
// seconds and sends the Move again) nor loses its migration to a crash.
//
// The job keeps no progress of its own: a moved follower no longer
// follows the old account, so what is left to do is the old account's
// remaining local followers. A step, or the whole job, run again after a
// crash finds the followers already moved gone and moves the rest; a
// follower caught half-way (following both) is finished.

// MoveBatchSize is how many of the old account's followers one step of
// a migration looks at.
const MoveBatchSize = 100

// MoveQueue starts the durable job that moves an account's local
// followers to the account it moved to, one MigrateFollowersBatch after
// another. The app wires one in (SetMoveQueue). Without one (unit tests,
// a Service with no job queue) the followers move in the call that
// recorded the move, in the same steps.
type MoveQueue interface {
	// EnqueueMove starts (or, while one waits or runs, keeps) the job
	// moving originID's local followers to targetID.
	EnqueueMove(ctx context.Context, originID, targetID int64) error
}

// SetMoveQueue sets the queue follower migrations go to.
func (s *Service) SetMoveQueue(q MoveQueue) { s.moves = q }

// MoveBatch is what one step of a migration did.
type MoveBatch struct {
	// Moved is how many local followers now follow (or asked to follow)
	// the new account and no longer the old one.
	Moved int
	// Next is the last follower (account id) the step looked at, where the
	// next step starts; 0 when none is left to look at.
	Next int64
}

// startMigration has origin's local followers moved to target: through
// the queue, or at once when there is none. A failure to queue is
// returned, so that the caller fails and the move is asked for again (a
// remote server retries its Move; a user repeats the move); recording the
// move again is harmless.
func (s *Service) startMigration(ctx context.Context, origin, target *model.Account) error {
	if s.moves == nil {
		return s.migrateFollowers(ctx, origin, target)
	}
	if err := s.moves.EnqueueMove(ctx, origin.ID, target.ID); err != nil {
		return fmt.Errorf("core: queue move of %d: %w", origin.ID, err)
	}
	return nil
}

// migrateFollowers moves all of origin's local followers to target, step
// by step, in the caller's time.
func (s *Service) migrateFollowers(ctx context.Context, origin, target *model.Account) error {
	var after int64
	for {
		b, err := s.MigrateFollowersBatch(ctx, origin.ID, target.ID, after, MoveBatchSize)
		if err != nil || b.Next == 0 {
			return err
		}
		after = b.Next
	}
}

// MigrateFollowersBatch is one step of moving originID's local followers
// to targetID: of origin's followers with an account id above after, in
// id order, it looks at the first n and moves each local one (see
// moveFollower). after is only where the caller's walk stands, to pass
// over the followers kept on origin (who block the target or cannot see
// it); starting again at 0 is always right, since moved followers no
// longer follow origin. A step whose move is no longer recorded (the
// account came back, or moved on to another account, whose own migration
// then runs) or whose target is gone or suspended moves no one and says
// none is left. Running a step again changes nothing already done.
func (s *Service) MigrateFollowersBatch(ctx context.Context, originID, targetID, after int64, n int) (MoveBatch, error) {
	origin, target, err := s.migration(ctx, originID, targetID)
	if err != nil || origin == nil {
		return MoveBatch{}, err
	}
	ids, err := s.store.FollowerIDsAfter(ctx, originID, after, n+1)
	if err != nil {
		return MoveBatch{}, fmt.Errorf("core: move followers of %d: %w", originID, err)
	}
	var b MoveBatch
	if len(ids) > n {
		ids, b.Next = ids[:n], ids[n-1]
	}
	followers, err := s.store.AccountsByID(ctx, ids)
	if err != nil {
		return MoveBatch{}, fmt.Errorf("core: move followers of %d: %w", originID, err)
	}
	for _, id := range ids {
		f := followers[id]
		if f == nil || !f.Local() || f.SuspendedAt != nil || f.ID == target.ID {
			continue
		}
		moved, err := s.moveFollower(ctx, f, origin, target)
		if err != nil {
			return MoveBatch{}, err
		}
		if moved {
			b.Moved++
		}
	}
	return b, nil
}

// migration returns the two accounts of a recorded move of originID to
// targetID; nil accounts when the move is not (or no longer) recorded, or
// either account is gone or the target suspended: nothing to do.
func (s *Service) migration(ctx context.Context, originID, targetID int64) (origin, target *model.Account, err error) {
	m, err := s.store.Move(ctx, originID)
	if errors.Is(err, model.ErrNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("core: move of %d: %w", originID, err)
	}
	if m.TargetID != targetID {
		return nil, nil, nil
	}
	accounts, err := s.store.AccountsByID(ctx, []int64{originID, targetID})
	if err != nil {
		return nil, nil, fmt.Errorf("core: move of %d: %w", originID, err)
	}
	origin, target = accounts[originID], accounts[targetID]
	if origin == nil || target == nil || target.SuspendedAt != nil {
		return nil, nil, nil
	}
	return origin, target, nil
}
