package export

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/jobs"
	"github.com/roost-social/roost/internal/model"
)

// Args is the job that builds one export. It carries the export's id
// only: River keeps job arguments in clear.
type Args struct {
	ExportID int64 `json:"export_id"`
}

// Kind implements river.JobArgs.
func (Args) Kind() string { return "roost_export" }

// maxAttempts is how often an export is tried before it is marked failed.
const maxAttempts = 3

// InsertOpts implements river.JobArgsWithInsertOpts.
func (Args) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueDefault, MaxAttempts: maxAttempts}
}

// CleanupArgs is the periodic job that deletes expired exports.
type CleanupArgs struct{}

// Kind implements river.JobArgs.
func (CleanupArgs) Kind() string { return "roost_export_cleanup" }

// InsertOpts implements river.JobArgsWithInsertOpts: one try, the next
// run comes anyway.
func (CleanupArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueDefault, MaxAttempts: 1}
}

// jobTimeout bounds one attempt at building an archive.
const jobTimeout = 10 * time.Minute

// CleanupEvery is how often expired exports are deleted, besides when an
// export is asked for, read or built.
const CleanupEvery = time.Hour

type worker struct {
	river.WorkerDefaults[Args]
	svc *core.Service
	b   *Builder
	log *slog.Logger
	now func() time.Time
}

// Timeout implements river.Worker.
func (w *worker) Timeout(*river.Job[Args]) time.Duration { return jobTimeout }

// Work builds the archive, reporting progress, and stores it. A finished,
// failed, expired or deleted export is left alone, so a retried job does
// no harm; the last failed attempt marks the export failed. Errors carry
// ids only.
func (w *worker) Work(ctx context.Context, job *river.Job[Args]) error {
	id := job.Args.ExportID
	if _, err := w.svc.PurgeExpiredExports(ctx, w.now()); err != nil {
		return err
	}
	e, todo, err := w.svc.ExportJob(ctx, id)
	if err != nil || !todo {
		return err
	}
	last := -1
	progress := func(p int) error {
		if p == last {
			return nil
		}
		last = p
		return w.svc.ExportProgress(ctx, id, p)
	}
	archive, err := w.b.Build(ctx, e.AccountID, progress)
	if err == nil {
		err = w.svc.FinishExport(ctx, id, archive)
	}
	switch {
	case err == nil:
		w.log.Info("export: archive ready", "export", id, "bytes", len(archive))
		return nil
	case errors.Is(err, model.ErrNotFound):
		return nil // the export or its account went meanwhile
	case job.Attempt >= job.MaxAttempts:
		w.log.Warn("export: giving up", "export", id)
		return errors.Join(err, w.svc.FailExport(ctx, id))
	}
	return err
}

type cleanupWorker struct {
	river.WorkerDefaults[CleanupArgs]
	svc *core.Service
	log *slog.Logger
	now func() time.Time
}

// Work deletes expired exports.
func (w *cleanupWorker) Work(ctx context.Context, _ *river.Job[CleanupArgs]) error {
	n, err := w.svc.PurgeExpiredExports(ctx, w.now())
	if n > 0 {
		w.log.Info("export: deleted expired exports", "count", n)
	}
	return err
}

// Register adds the export and cleanup workers to workers and returns the
// periodic cleanup job.
func Register(workers *river.Workers, svc *core.Service, log *slog.Logger) (*river.PeriodicJob, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := river.AddWorkerSafely(workers, &worker{svc: svc, b: NewBuilder(svc), log: log, now: time.Now}); err != nil {
		return nil, fmt.Errorf("export: register: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &cleanupWorker{svc: svc, log: log, now: time.Now}); err != nil {
		return nil, fmt.Errorf("export: register: %w", err)
	}
	return river.NewPeriodicJob(river.PeriodicInterval(CleanupEvery), func() (river.JobArgs, *river.InsertOpts) {
		return CleanupArgs{}, nil
	}, nil), nil
}

// Queue hands export jobs to the job queue: core's ExportQueue.
type Queue struct{ q *jobs.Queue }

// NewQueue returns a Queue over q.
func NewQueue(q *jobs.Queue) *Queue { return &Queue{q: q} }

// EnqueueExport implements core.ExportQueue.
func (q *Queue) EnqueueExport(ctx context.Context, exportID int64) error {
	_, err := q.q.Insert(ctx, Args{ExportID: exportID}, nil)
	return err
}
