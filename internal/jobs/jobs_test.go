package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

// noteArgs is a test job; Name tells jobs apart.
type noteArgs struct {
	Name string `json:"name"`
}

func (noteArgs) Kind() string { return "test_note" }

// noteWorker records every attempt and fails while failUntil says so.
type noteWorker struct {
	river.WorkerDefaults[noteArgs]
	mu        sync.Mutex
	attempts  map[string][]int
	errCounts map[string][]int
	failUntil int // attempts up to this number fail
	worked    chan string
}

func newNoteWorker() *noteWorker {
	return &noteWorker{attempts: map[string][]int{}, errCounts: map[string][]int{}, worked: make(chan string, 1000)}
}

func (w *noteWorker) Work(ctx context.Context, job *river.Job[noteArgs]) error {
	w.mu.Lock()
	w.attempts[job.Args.Name] = append(w.attempts[job.Args.Name], job.Attempt)
	w.errCounts[job.Args.Name] = append(w.errCounts[job.Args.Name], len(job.Errors))
	w.mu.Unlock()
	if job.Attempt <= w.failUntil {
		return errors.New("delivery refused for alice@private.example")
	}
	w.worked <- job.Args.Name
	return nil
}

func (w *noteWorker) attemptsOf(name string) []int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]int(nil), w.attempts[name]...)
}

func (w *noteWorker) waitWorked(t *testing.T, name string) {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case got := <-w.worked:
			if got == name {
				return
			}
		case <-timeout:
			t.Fatalf("job %q not worked within 20s", name)
		}
	}
}

// newQueue migrates c and builds a queue working w, logging to logs; the
// queue is stopped when the test ends, if not before.
func newQueue(t *testing.T, c *conn, w *noteWorker, logs *logRecorder) *Queue {
	t.Helper()
	ctx := context.Background()
	if err := Migrate(ctx, c.backend); err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	q, err := New(c.backend, workers, Options{Logger: logs.logger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stop(t, q) })
	return q
}

func stop(t *testing.T, q *Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := q.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestJobSurvivesRestart inserts a job while nothing works jobs, closes the
// database, reopens it as a restarted server would, and checks that the job
// is worked exactly once: not before the restart and not again after a
// second restart.
func TestJobSurvivesRestart(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		logs := &logRecorder{}
		w := newNoteWorker()

		// First life: insert only.
		c1 := db.open(t)
		q1 := newQueue(t, c1, w, logs)
		res, err := q1.Insert(ctx, noteArgs{Name: "survivor"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		id := res.Job.ID
		if state, _, err := c1.state(ctx, id); err != nil || state != "available" {
			t.Fatalf("before restart: state %q, err %v", state, err)
		}
		stop(t, q1)
		c1.close()

		// Second life: the job is worked.
		c2 := db.open(t)
		q2 := newQueue(t, c2, w, logs)
		if err := q2.Start(ctx); err != nil {
			t.Fatal(err)
		}
		w.waitWorked(t, "survivor")
		if attempt := c2.waitState(t, id, "completed"); attempt != 1 {
			t.Errorf("completed at attempt %d, want 1", attempt)
		}
		stop(t, q2)
		c2.close()

		// Third life: a marker job inserted now is fetched after the old
		// one would be (same priority, later id), so once it is worked the
		// old job has had its chance to run twice.
		c3 := db.open(t)
		q3 := newQueue(t, c3, w, logs)
		if err := q3.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := q3.Insert(ctx, noteArgs{Name: "marker"}, nil); err != nil {
			t.Fatal(err)
		}
		w.waitWorked(t, "marker")
		stop(t, q3)
		c3.close()

		if got := w.attemptsOf("survivor"); len(got) != 1 {
			t.Errorf("survivor worked %d times (attempts %v), want exactly once", len(got), got)
		}
		logs.check(t)
	})
}

// TestFailingJobIsRetried checks that an error schedules another attempt,
// that the attempt sees the recorded error, and that the error text (which
// here quotes an email address) stays out of the log.
func TestFailingJobIsRetried(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		logs := &logRecorder{}
		w := newNoteWorker()
		w.failUntil = 1
		c := db.open(t)
		defer c.close()
		q := newQueue(t, c, w, logs)
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer stop(t, q)
		res, err := q.Insert(ctx, noteArgs{Name: "flaky"}, &river.InsertOpts{Queue: QueueDelivery})
		if err != nil {
			t.Fatal(err)
		}
		w.waitWorked(t, "flaky")
		if attempt := c.waitState(t, res.Job.ID, "completed"); attempt != 2 {
			t.Errorf("completed at attempt %d, want 2", attempt)
		}
		w.mu.Lock()
		attempts, errCounts := w.attempts["flaky"], w.errCounts["flaky"]
		w.mu.Unlock()
		if fmt.Sprint(attempts) != "[1 2]" || fmt.Sprint(errCounts) != "[0 1]" {
			t.Errorf("attempts %v with prior errors %v, want [1 2] and [0 1]", attempts, errCounts)
		}
		logs.check(t, "alice@private.example")
	})
}

// TestInsertTx checks that a job inserted in a rolled-back transaction never
// exists and one inserted in a committed transaction is worked.
func TestInsertTx(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		logs := &logRecorder{}
		w := newNoteWorker()
		c := db.open(t)
		defer c.close()
		q := newQueue(t, c, w, logs)

		tx, _, rollback, err := c.begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		res, err := q.InsertTx(ctx, tx, noteArgs{Name: "rolled-back"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := rollback(); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.state(ctx, res.Job.ID); err == nil {
			t.Errorf("job from a rolled-back transaction exists")
		}

		tx, commit, _, err := c.begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := q.InsertTx(ctx, tx, noteArgs{Name: "committed"}, nil); err != nil {
			t.Fatal(err)
		}
		if err := commit(); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer stop(t, q)
		w.waitWorked(t, "committed")
		if got := w.attemptsOf("rolled-back"); len(got) != 0 {
			t.Errorf("rolled-back job was worked %v", got)
		}

		_, err = q.InsertTx(ctx, "not a transaction", noteArgs{Name: "x"}, nil)
		if err == nil || !strings.Contains(err.Error(), "transaction is string") {
			t.Errorf("wrong transaction type: err = %v", err)
		}
		logs.check(t)
	})
}

// TestConcurrentLoad works many jobs on both queues while more are being
// inserted from several goroutines, and fails on any error River logs; on
// SQLite this is what would surface "database is locked" with unsuitable
// connection settings.
func TestConcurrentLoad(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		logs := &logRecorder{}
		w := newNoteWorker()
		c := db.open(t)
		defer c.close()
		q := newQueue(t, c, w, logs)
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		const inserters, perInserter = 4, 40
		var wg sync.WaitGroup
		errs := make(chan error, inserters*perInserter)
		for i := range inserters {
			wg.Go(func() {
				for j := range perInserter {
					opts := &river.InsertOpts{Queue: []string{QueueDefault, QueueDelivery}[j%2]}
					if _, err := q.Insert(ctx, noteArgs{Name: fmt.Sprintf("load-%d-%d", i, j)}, opts); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		timeout := time.After(60 * time.Second)
		for len(seen) < inserters*perInserter {
			select {
			case name := <-w.worked:
				if seen[name] {
					t.Errorf("%s worked twice", name)
				}
				seen[name] = true
			case <-timeout:
				t.Fatalf("only %d of %d jobs worked", len(seen), inserters*perInserter)
			}
		}
		stop(t, q)
		logs.check(t)
	})
}

func TestPingWorkerRegistered(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		c := db.open(t)
		defer c.close()
		if err := Migrate(ctx, c.backend); err != nil {
			t.Fatal(err)
		}
		// No workers of its own: the built-in ping worker lets it start.
		q, err := New(c.backend, nil, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer stop(t, q)
		res, err := q.Insert(ctx, PingArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.waitState(t, res.Job.ID, "completed")
	})
}

func TestMigrateIsIdempotent(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		c := db.open(t)
		defer c.close()
		for range 2 {
			if err := Migrate(context.Background(), c.backend); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestZeroBackend(t *testing.T) {
	if err := Migrate(context.Background(), Backend{}); err == nil {
		t.Error("Migrate accepted a zero Backend")
	}
	if _, err := New(Backend{}, nil, Options{}); err == nil {
		t.Error("New accepted a zero Backend")
	}
}
