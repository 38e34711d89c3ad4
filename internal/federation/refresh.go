package federation

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/jobs"
)

// RefreshArgs is one pass of the scheduled refresh of cached remote actors
// (core.Service.RefreshRemoteActors). It carries nothing: where the walk
// stands is kept by the worker.
type RefreshArgs struct{}

// Kind implements river.JobArgs.
func (RefreshArgs) Kind() string { return "roost_refresh_actors" }

// InsertOpts implements river.JobArgsWithInsertOpts. A pass is not retried,
// since the next one comes anyway, and at most one waits or runs at a time.
func (RefreshArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueDefault, MaxAttempts: 1, UniqueOpts: jobs.OneAtATime(false)}
}

// refreshTimeout bounds one pass: RefreshBatch fetches, one after the
// other, each bounded by the outbound client's own timeouts.
const refreshTimeout = 15 * time.Minute

// refreshWorker runs refresh passes, each starting where the last one
// stopped, so that actors whose fetch keeps failing (and so stay stale) do
// not hold back the others. The position is in memory: a restart starts
// the walk over, which only costs a few early refetches.
type refreshWorker struct {
	river.WorkerDefaults[RefreshArgs]
	svc *core.Service
	log *slog.Logger

	mu   sync.Mutex
	next int64
}

// Timeout implements river.Worker.
func (w *refreshWorker) Timeout(*river.Job[RefreshArgs]) time.Duration { return refreshTimeout }

// Work runs one pass. Failed fetches are counted, not returned: they are
// the remote servers' state, not the job's.
func (w *refreshWorker) Work(ctx context.Context, _ *river.Job[RefreshArgs]) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	pass, err := w.svc.RefreshRemoteActors(ctx, w.next, core.RefreshBatch)
	w.next = pass.Next
	if err != nil {
		return err
	}
	if pass != (core.RefreshPass{Next: pass.Next}) {
		w.log.Info("federation: refreshed remote actors", "refreshed", pass.Refreshed,
			"purged", pass.Purged, "failed", pass.Failed)
	}
	return nil
}

// RegisterRefresh adds the refresh worker to workers and returns the
// periodic job that runs a pass every interval, first one interval after
// the queue starts; a zero interval turns the schedule off (nil job), and
// a RefreshArgs inserted by hand still runs a pass.
func RegisterRefresh(workers *river.Workers, svc *core.Service, log *slog.Logger, interval time.Duration) (*river.PeriodicJob, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := river.AddWorkerSafely(workers, &refreshWorker{svc: svc, log: log}); err != nil {
		return nil, fmt.Errorf("federation: register refresh: %w", err)
	}
	if interval <= 0 {
		return nil, nil
	}
	return river.NewPeriodicJob(river.PeriodicInterval(interval), func() (river.JobArgs, *river.InsertOpts) {
		return RefreshArgs{}, nil
	}, nil), nil
}
