package federation

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/jobs"
)

// MoveFollowersArgs is the job that moves the local followers of an
// account that moved (OriginID) to its new account (TargetID), in steps
// of core.MigrateFollowersBatch; core queues it through MoveQueue when it
// records a move (an incoming Move, or a local account's). It carries ids
// only, and no progress: what is left is read from the follows each step.
type MoveFollowersArgs struct {
	OriginID int64 `json:"origin_id"`
	TargetID int64 `json:"target_id"`
}

// Kind implements river.JobArgs.
func (MoveFollowersArgs) Kind() string { return "roost_move_followers" }

// moveFollowersAttempts is how often a migration is tried. Each attempt
// goes on from what the last one left, so a retry after a failure or a
// timeout only costs the steps still to do.
const moveFollowersAttempts = 10

// InsertOpts implements river.JobArgsWithInsertOpts: one job per move
// waits or runs at a time (a repeated Move finds it queued).
func (MoveFollowersArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueDefault, MaxAttempts: moveFollowersAttempts, UniqueOpts: jobs.OneAtATime(true)}
}

// moveFollowersTimeout bounds one attempt. A step moves at most
// core.MoveBatchSize followers (a few database writes and a queued
// delivery each), so an attempt moves many thousands.
const moveFollowersTimeout = 30 * time.Minute

type moveFollowersWorker struct {
	river.WorkerDefaults[MoveFollowersArgs]
	svc *core.Service
	log *slog.Logger
}

// Timeout implements river.Worker.
func (w *moveFollowersWorker) Timeout(*river.Job[MoveFollowersArgs]) time.Duration {
	return moveFollowersTimeout
}

// Work runs steps until none of the old account's followers is left to
// look at. It logs ids and counts only.
func (w *moveFollowersWorker) Work(ctx context.Context, job *river.Job[MoveFollowersArgs]) error {
	a := job.Args
	var after int64
	moved := 0
	for {
		b, err := w.svc.MigrateFollowersBatch(ctx, a.OriginID, a.TargetID, after, core.MoveBatchSize)
		moved += b.Moved
		if err != nil {
			return err
		}
		if b.Next == 0 {
			break
		}
		after = b.Next
	}
	if moved > 0 {
		w.log.Info("federation: moved followers", "origin", a.OriginID, "target", a.TargetID, "followers", moved)
	}
	return nil
}

// RegisterMoveFollowers adds the worker of follower migrations to workers.
func RegisterMoveFollowers(workers *river.Workers, svc *core.Service, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	if err := river.AddWorkerSafely(workers, &moveFollowersWorker{svc: svc, log: log}); err != nil {
		return fmt.Errorf("federation: register move followers: %w", err)
	}
	return nil
}

// MoveQueue hands follower migrations to the job queue: core's MoveQueue.
type MoveQueue struct{ q *jobs.Queue }

// NewMoveQueue returns a MoveQueue over q.
func NewMoveQueue(q *jobs.Queue) *MoveQueue { return &MoveQueue{q: q} }

// EnqueueMove implements core.MoveQueue. A migration of the same move
// already waiting or running is kept, and no second one is queued.
func (q *MoveQueue) EnqueueMove(ctx context.Context, originID, targetID int64) error {
	_, err := q.q.Insert(ctx, MoveFollowersArgs{OriginID: originID, TargetID: targetID}, nil)
	return err
}
