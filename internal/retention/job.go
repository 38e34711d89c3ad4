package retention

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/jobs"
)

// Batch is how many rows one purge batch handles at most; each batch is
// one query and, for statuses and accounts, one transaction per row.
const Batch = 500

// maxBatches bounds the batches of one category in one sweep, so that a
// large backlog (a policy just shortened) is worked off over several
// sweeps instead of one that outlives its timeout.
const maxBatches = 40

// sweepTimeout bounds one sweep.
const sweepTimeout = 30 * time.Minute

// Purger is what the sweep needs: core.Service implements it.
type Purger interface {
	// PurgeBatch purges at most limit expired rows of category c and
	// returns how many it removed.
	PurgeBatch(ctx context.Context, c Category, limit int) (int, error)
	// RecordPurge records a sweep of c that removed n rows.
	RecordPurge(ctx context.Context, c Category, n int) error
	// PurgeAutoDelete deletes at most limit posts the accounts' own
	// auto-delete policies make due, and returns how many.
	PurgeAutoDelete(ctx context.Context, limit int) (int, error)
	// RetireKeys retires at most limit data keys whose data the policies
	// made due and returns how many it destroyed.
	RetireKeys(ctx context.Context, limit int) (int, error)
}

// PurgeArgs is one sweep of every category the purge handles. It carries
// nothing: what is due is found by age each time.
type PurgeArgs struct{}

// Kind implements river.JobArgs.
func (PurgeArgs) Kind() string { return "roost_retention_purge" }

// InsertOpts implements river.JobArgsWithInsertOpts. A sweep is not
// retried, since the next one comes anyway and takes up where this one
// stopped, and at most one waits or runs at a time.
func (PurgeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueDefault, MaxAttempts: 1, UniqueOpts: jobs.OneAtATime(false)}
}

// purgeWorker runs sweeps.
type purgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	p   Purger
	log *slog.Logger
}

// Timeout implements river.Worker.
func (w *purgeWorker) Timeout(*river.Job[PurgeArgs]) time.Duration { return sweepTimeout }

// Work runs one sweep.
func (w *purgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	return SweepOnce(ctx, w.p, w.log)
}

// SweepOnce purges every swept category in order, then the accounts'
// auto-delete policies, then retires the keys the purges made due, in
// batches of Batch, until a batch comes back short or maxBatches ran, and
// records and logs each category's count (never what was purged). It
// stops at the first error; what it deleted until then stays deleted, and
// the next sweep goes on.
func SweepOnce(ctx context.Context, p Purger, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	for _, c := range append(Swept(), AutoDelete, Keys) {
		batch := func(ctx context.Context) (int, error) { return p.PurgeBatch(ctx, c, Batch) }
		switch c {
		case AutoDelete:
			batch = func(ctx context.Context) (int, error) { return p.PurgeAutoDelete(ctx, Batch) }
		case Keys:
			batch = func(ctx context.Context) (int, error) { return p.RetireKeys(ctx, Batch) }
		}
		if err := sweepCategory(ctx, p, log, c, batch); err != nil {
			return err
		}
	}
	return nil
}

// sweepCategory runs batch until it comes back short or maxBatches ran,
// then records and logs the count.
func sweepCategory(ctx context.Context, p Purger, log *slog.Logger, c Category, batch func(context.Context) (int, error)) error {
	total := 0
	for range maxBatches {
		n, err := batch(ctx)
		total += n
		if err != nil {
			log.Warn("retention: purge failed", "category", string(c), "purged", total)
			return fmt.Errorf("retention: purge %s: %w", c, err)
		}
		if n < Batch {
			break
		}
	}
	if err := p.RecordPurge(ctx, c, total); err != nil {
		return fmt.Errorf("retention: %w", err)
	}
	if total > 0 {
		log.Info("retention: purged", "category", string(c), "count", total)
	}
	return nil
}

// Register adds the purge worker to workers and returns the periodic job
// that sweeps every interval, first one interval after the queue starts; a
// zero interval turns the schedule off (nil job), and a PurgeArgs inserted
// by hand still sweeps.
func Register(workers *river.Workers, p Purger, log *slog.Logger, interval time.Duration) (*river.PeriodicJob, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := river.AddWorkerSafely(workers, &purgeWorker{p: p, log: log}); err != nil {
		return nil, fmt.Errorf("retention: register: %w", err)
	}
	if interval <= 0 {
		return nil, nil
	}
	return river.NewPeriodicJob(river.PeriodicInterval(interval), func() (river.JobArgs, *river.InsertOpts) {
		return PurgeArgs{}, nil
	}, nil), nil
}

// JobRetention is how long the job queue keeps failed (discarded) job
// records under p: the jobs category's maximum age, or -1 (forever) when
// it has none. Completed and cancelled jobs are kept a day at most
// whatever the policy (see jobs.Options.JobRetention).
func JobRetention(p Policy) time.Duration {
	if a := p.MaxAge(Jobs); a > 0 {
		return a
	}
	return -1
}
