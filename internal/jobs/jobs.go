// Package jobs owns Roost's durable job queue, a thin wrapper over River
// (github.com/riverqueue/river). Jobs live in the same database as the data,
// so a job inserted before a crash or restart is worked after it, and a job
// inserted inside a store transaction (InsertTx) exists exactly when that
// transaction commits.
//
// The rest of the program does not branch on the database: it builds a
// Backend with SQLite or Postgres, runs Migrate, then New, Start and Stop.
//
// Two queues exist: QueueDefault for local housekeeping and QueueDelivery for
// federation's outgoing deliveries, which wait on remote servers and so get
// more concurrent workers.
//
// # SQLite
//
// River's SQLite driver (riversqlite) takes a *sql.DB and is, by its own
// documentation, in early testing. River runs several operations in parallel
// (producers, completer, leader election, maintenance), and SQLite allows one
// writer at a time, answering others with "database is locked (SQLITE_BUSY)".
// River's docs suggest SetMaxOpenConns(1); River's own test suite also turns
// on WAL. The *sql.DB given to SQLite must therefore either be limited to one
// connection, or be opened (modernc.org/sqlite DSN parameters) with
//
//	_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate
//
// Without the busy timeout, River fails at once with SQLITE_BUSY on a
// multi-connection pool (observed in this package's tests). _txlock=immediate
// makes every transaction take the write lock at BEGIN: a deferred
// transaction that reads and then writes cannot be rescued by a busy timeout,
// since SQLite refuses its upgrade outright. The tests run every case on both
// configurations and fail on any error River logs.
//
// With a single connection, never call Insert while holding a store
// transaction on the same pool: it would wait for the connection forever; use
// InsertTx. SQLite has no LISTEN/NOTIFY, so River polls for new jobs (once a
// second by default).
//
// # Personal data
//
// Job arguments, and the error text of failed attempts, are stored in clear in
// River's tables (river_job) and kept after completion for River's retention
// periods (a day for completed jobs, a week for discarded ones). They are
// outside the vault and survive crypto-shredding. Job arguments must therefore
// carry only identifiers (account, status and delivery ids), never text,
// emails, addresses or tokens, and workers must not return errors quoting
// such data. River's own log is capped at warn level (see Options.Logger):
// below that it logs every failed attempt with its error text.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Queue names.
const (
	QueueDefault  = river.QueueDefault
	QueueDelivery = "delivery"
)

// Default worker counts per queue.
const (
	DefaultWorkers  = 10
	DeliveryWorkers = 20
)

// deliveryFetchCooldown is the least time between two fetches of the
// delivery queue (River's default is 100 ms). A delivery is short and a
// fan-out queues thousands at once: at 100 ms the workers sat idle between
// fetches, and a fan-out took at least a tenth of a second per batch of
// DeliveryWorkers jobs whatever the CPU.
const deliveryFetchCooldown = 10 * time.Millisecond

// Options tunes a Queue; the zero value is ready for production.
type Options struct {
	// Logger receives River's log. Records below warn are dropped whatever
	// the logger's own level, since River's info records carry job error
	// text. Nil means slog.Default().
	Logger *slog.Logger
	// DefaultWorkers and DeliveryWorkers bound how many jobs of each queue
	// run at once in this process. Zero means the package defaults.
	DefaultWorkers  int
	DeliveryWorkers int
	// Periodic are jobs inserted on a schedule while the queue runs; with
	// several processes on one database, only River's elected leader
	// inserts them.
	Periodic []*river.PeriodicJob
	// RescueStuckJobsAfter is how long a job may stay running before River
	// takes its process for dead and works it again. Zero means River's
	// default, an hour. Below River's default job timeout (a minute), it
	// also becomes the timeout of jobs whose worker sets none, as River
	// requires; a worker's own Timeout must stay below it too, or a slow
	// job would run twice.
	RescueStuckJobsAfter time.Duration
	// JobRetention is how long failed (discarded) job records are kept;
	// completed and cancelled ones are kept for it too, but a day at most.
	// Zero means River's defaults (a day, a day, a week); negative keeps
	// discarded ones forever. The retention policy's jobs category sets it.
	JobRetention time.Duration
}

// Queue is a River client: it inserts jobs and, once started, works them.
type Queue struct {
	c client
}

// New builds a Queue on backend with the given workers. It also registers
// the built-in ping worker, so that a server without other job kinds still
// starts. workers may be nil. The queue does not work jobs until Start, but
// it can insert them right away.
func New(backend Backend, workers *river.Workers, opts Options) (*Queue, error) {
	if backend.impl == nil {
		return nil, fmt.Errorf("jobs: new: no backend")
	}
	if workers == nil {
		workers = river.NewWorkers()
	}
	// An error means a ping worker is already registered, which is fine.
	_ = river.AddWorkerSafely(workers, pingWorker{})
	cfg := &river.Config{
		Logger: quietLogger(opts.Logger),
		Queues: map[string]river.QueueConfig{
			QueueDefault:  {MaxWorkers: orDefault(opts.DefaultWorkers, DefaultWorkers)},
			QueueDelivery: {MaxWorkers: orDefault(opts.DeliveryWorkers, DeliveryWorkers), FetchCooldown: deliveryFetchCooldown},
		},
		Workers:              workers,
		PeriodicJobs:         opts.Periodic,
		RescueStuckJobsAfter: opts.RescueStuckJobsAfter,
	}
	setJobRetention(cfg, opts.JobRetention)
	if r := opts.RescueStuckJobsAfter; r > 0 && r < river.JobTimeoutDefault {
		cfg.JobTimeout = r
	}
	c, err := backend.impl.newClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: new: %w", err)
	}
	return &Queue{c: c}, nil
}

func orDefault(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

// Start begins working jobs until Stop or until ctx is cancelled, which
// cancels running jobs.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.c.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish, or for ctx
// to be done. Jobs it interrupts are worked again after the next start.
func (q *Queue) Stop(ctx context.Context) error {
	if err := q.c.Stop(ctx); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// Insert stores a job; it runs even if the process stops before working it.
// opts may be nil; set opts.Queue to QueueDelivery for deliveries, or have
// the args' InsertOpts method do so.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	res, err := q.c.Insert(ctx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res, nil
}

// InsertTx stores a job inside tx, so the job exists only if tx commits. tx
// must be the backend's transaction type: *sql.Tx for SQLite, pgx.Tx for
// PostgreSQL.
func (q *Queue) InsertTx(ctx context.Context, tx any, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	res, err := q.c.insertTx(ctx, tx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res, nil
}

// InsertMany stores jobs in batches of up to insertManyBatch, one statement
// per batch rather than one per job: much cheaper than Insert in a loop for
// a fan-out. Each job's options are its args' InsertOpts. It returns the
// results in the order of args; a unique job already queued reports
// UniqueSkippedAsDuplicate, but two jobs with the same unique key in one
// call are an error, so args must be distinct. On an error, earlier batches
// may be stored: callers retry with unique jobs, which are then skipped.
func (q *Queue) InsertMany(ctx context.Context, args []river.JobArgs) ([]*rivertype.JobInsertResult, error) {
	var out []*rivertype.JobInsertResult
	for len(args) > 0 {
		n := min(len(args), insertManyBatch)
		params := make([]river.InsertManyParams, n)
		for i, a := range args[:n] {
			params[i] = river.InsertManyParams{Args: a}
		}
		res, err := q.c.InsertMany(ctx, params)
		if err != nil {
			return nil, fmt.Errorf("jobs: insert %d %s: %w", n, args[0].Kind(), err)
		}
		out = append(out, res...)
		args = args[n:]
	}
	return out, nil
}

// insertManyBatch bounds one InsertMany statement, so that a fan-out to
// tens of thousands of inboxes does not build one huge statement.
const insertManyBatch = 1000

// PingArgs is the built-in job that does nothing. Inserting one checks the
// queue end to end.
type PingArgs struct{}

// Kind implements river.JobArgs.
func (PingArgs) Kind() string { return "roost_ping" }

type pingWorker struct {
	river.WorkerDefaults[PingArgs]
}

func (pingWorker) Work(context.Context, *river.Job[PingArgs]) error { return nil }

// OneAtATime is the uniqueness of a job of which at most one may wait or
// run at a time (per arguments when byArgs): inserting another meanwhile
// adds nothing, while a finished one does not stand in the way.
func OneAtATime(byArgs bool) river.UniqueOpts {
	return river.UniqueOpts{ByArgs: byArgs, ByState: []rivertype.JobState{rivertype.JobStateAvailable,
		rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}
}
