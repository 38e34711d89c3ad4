package app

import (
	"fmt"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/federation"
)

// wireMoves adds the worker that moves the local followers of an account
// that moved (core.MigrateFollowersBatch, step by step).
func (a *App) wireMoves(workers *river.Workers) error {
	if err := federation.RegisterMoveFollowers(workers, a.svc, a.log); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}

// startMoves lets core queue follower migrations, once the queue exists:
// a move is then recorded in its request and its followers move in a job.
func (a *App) startMoves() { a.svc.SetMoveQueue(federation.NewMoveQueue(a.queue)) }
