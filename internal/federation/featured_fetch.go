package federation

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

// FeaturedArgs is the job that reads a remote actor's featured collection
// (core.Service.FetchFeatured). It carries the account's id only: River
// keeps job arguments in clear.
type FeaturedArgs struct {
	AccountID int64 `json:"account_id"`
}

// Kind implements river.JobArgs.
func (FeaturedArgs) Kind() string { return "roost_fetch_featured" }

// featuredAttempts is how often a read that failed on the network is
// tried; the next refresh of the actor asks again anyway.
const featuredAttempts = 3

// InsertOpts implements river.JobArgsWithInsertOpts. One read per account
// waits or runs at a time: asking again meanwhile adds nothing.
func (FeaturedArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueDefault, MaxAttempts: featuredAttempts, UniqueOpts: jobs.OneAtATime(true)}
}

// featuredTimeout bounds one read: the collection, its first page, up to
// core.MaxFeaturedItems posts and a few parents, one after the other.
const featuredTimeout = 5 * time.Minute

type featuredWorker struct {
	river.WorkerDefaults[FeaturedArgs]
	svc *core.Service
	log *slog.Logger
}

// Timeout implements river.Worker.
func (w *featuredWorker) Timeout(*river.Job[FeaturedArgs]) time.Duration { return featuredTimeout }

// Work reads the collection. A collection that is gone or unusable is the
// remote server's state, not the job's: logged, not retried.
func (w *featuredWorker) Work(ctx context.Context, job *river.Job[FeaturedArgs]) error {
	err := w.svc.FetchFeatured(ctx, job.Args.AccountID)
	if err != nil && (errors.Is(err, model.ErrNotFound) || errors.Is(err, model.ErrInvalid)) {
		w.log.Info("federation: featured collection not read", "account", job.Args.AccountID, "err", err)
		return nil
	}
	return err
}

// RegisterFeaturedFetch adds the worker that reads featured collections to
// workers.
func RegisterFeaturedFetch(workers *river.Workers, svc *core.Service, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	if err := river.AddWorkerSafely(workers, &featuredWorker{svc: svc, log: log}); err != nil {
		return fmt.Errorf("federation: register featured fetch: %w", err)
	}
	return nil
}

// FeaturedQueue hands featured-collection reads to the job queue: core's
// FeaturedQueue. The job queue is asked for when a read is queued, since
// it is made after its workers are registered.
type FeaturedQueue struct {
	queue func() *jobs.Queue
	log   *slog.Logger
}

// NewFeaturedQueue returns a FeaturedQueue inserting into the queue that
// queue returns (nil while there is none yet).
func NewFeaturedQueue(queue func() *jobs.Queue, log *slog.Logger) *FeaturedQueue {
	if log == nil {
		log = slog.Default()
	}
	return &FeaturedQueue{queue: queue, log: log}
}

// errNoQueue is a job asked for before the job queue exists.
var errNoQueue = errors.New("federation: no job queue yet")

// EnqueueFeaturedFetch implements core.FeaturedQueue. A failure is logged
// here, since core goes on without the read.
func (q *FeaturedQueue) EnqueueFeaturedFetch(ctx context.Context, accountID int64) error {
	jq := q.queue()
	if jq == nil {
		return errNoQueue
	}
	if _, err := jq.Insert(ctx, FeaturedArgs{AccountID: accountID}, nil); err != nil {
		q.log.Warn("federation: featured collection read not queued", "account", accountID, "err", err)
		return err
	}
	return nil
}
