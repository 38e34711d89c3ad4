package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

// uniqueNoteArgs is a test job unique by its arguments, as deliveries are.
type uniqueNoteArgs struct {
	noteArgs
}

func (uniqueNoteArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// TestInsertMany inserts a batch in one call, with a unique job already
// queued among them, and checks that each distinct job is worked once.
func TestInsertMany(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		logs := &logRecorder{}
		w := newNoteWorker()
		c := db.open(t)
		q := newQueue(t, c, w, logs)
		var batch []river.JobArgs
		for i := range 30 {
			batch = append(batch, noteArgs{Name: fmt.Sprintf("n%d", i)})
		}
		first, err := q.Insert(ctx, uniqueNoteArgs{noteArgs{Name: "once"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, uniqueNoteArgs{noteArgs{Name: "once"}})
		res, err := q.InsertMany(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != len(batch) || res[0].Job.ID == 0 || !res[len(res)-1].UniqueSkippedAsDuplicate {
			t.Fatalf("%d results for %d jobs; last skipped as duplicate: %v", len(res), len(batch),
				len(res) > 0 && res[len(res)-1].UniqueSkippedAsDuplicate)
		}
		if res, err := q.InsertMany(ctx, nil); err != nil || res != nil {
			t.Errorf("empty batch: %v, %v", res, err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		for i := range 30 {
			c.waitState(t, res[i].Job.ID, "completed")
		}
		c.waitState(t, first.Job.ID, "completed")
		if got := w.attemptsOf("once"); len(got) != 1 {
			t.Errorf("the unique job ran %d times", len(got))
		}
		logs.check(t)
	})
}

// TestPeriodic checks that a periodic job given in Options is inserted and
// worked once the queue runs, on a queue whose rescue delay is below
// River's default job timeout (which New then lowers to match).
func TestPeriodic(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		c := db.open(t)
		if err := Migrate(ctx, c.backend); err != nil {
			t.Fatal(err)
		}
		w := newNoteWorker()
		workers := river.NewWorkers()
		river.AddWorker(workers, w)
		tick := river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
			return noteArgs{Name: "tick"}, nil
		}, &river.PeriodicJobOpts{RunOnStart: true})
		logs := &logRecorder{}
		q, err := New(c.backend, workers, Options{Logger: logs.logger(), Periodic: []*river.PeriodicJob{tick},
			RescueStuckJobsAfter: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer stop(t, q)
		w.waitWorked(t, "tick")
		logs.check(t)
	})
}

// TestInsertManyBatches inserts more jobs than one statement holds: every
// job is stored once, in order.
func TestInsertManyBatches(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		c := db.open(t)
		q := newQueue(t, c, newNoteWorker(), &logRecorder{})
		n := 2*insertManyBatch + 50
		batch := make([]river.JobArgs, n)
		for i := range batch {
			batch[i] = uniqueNoteArgs{noteArgs{Name: fmt.Sprintf("b%d", i)}}
		}
		res, err := q.InsertMany(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != n {
			t.Fatalf("%d results for %d jobs", len(res), n)
		}
		seen := map[int64]bool{}
		for i, r := range res {
			var args uniqueNoteArgs
			if err := json.Unmarshal(r.Job.EncodedArgs, &args); err != nil || args.Name != fmt.Sprintf("b%d", i) ||
				r.UniqueSkippedAsDuplicate || seen[r.Job.ID] {
				t.Fatalf("result %d: %s, skipped %v, id %d seen %v", i, r.Job.EncodedArgs, r.UniqueSkippedAsDuplicate,
					r.Job.ID, seen[r.Job.ID])
			}
			seen[r.Job.ID] = true
		}
		// Again: all already queued, all skipped.
		res, err = q.InsertMany(ctx, batch)
		if err != nil || len(res) != n || !res[0].UniqueSkippedAsDuplicate || !res[n-1].UniqueSkippedAsDuplicate {
			t.Fatalf("second insert: %d results, %v", len(res), err)
		}
	})
}
