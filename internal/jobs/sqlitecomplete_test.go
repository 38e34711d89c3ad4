package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
)

// TestSQLiteBatchedCompletion sets the same mix of job states through the
// batched executor and through River's own, on two databases holding the
// same jobs, and checks that both leave and report the same rows: plain
// completions (batched), a failure with its error and new schedule, a
// completion with metadata, and completions of jobs that are not running
// (one not yet started, one already completed, one that does not exist).
func TestSQLiteBatchedCompletion(t *testing.T) {
	ours := completionOutcome(t, func(db *sql.DB) riverdriver.Executor { return newSQLiteDriver(db).GetExecutor() })
	theirs := completionOutcome(t, func(db *sql.DB) riverdriver.Executor { return riversqlite.New(db).GetExecutor() })
	if len(ours.returned) != len(theirs.returned) {
		t.Fatalf("returned %v, River returns %v", ours.returned, theirs.returned)
	}
	for i := range ours.returned {
		if ours.returned[i] != theirs.returned[i] {
			t.Errorf("returned %s, River returns %s", ours.returned[i], theirs.returned[i])
		}
	}
	for i := range ours.stored {
		if ours.stored[i] != theirs.stored[i] {
			t.Errorf("stored %s, River stores %s", ours.stored[i], theirs.stored[i])
		}
	}
	for _, want := range []string{"1 completed", "2 completed", "4 available"} {
		if !slices.ContainsFunc(ours.returned, func(s string) bool { return len(s) >= len(want) && s[:len(want)] == want }) {
			t.Errorf("no returned row %q in %v", want, ours.returned)
		}
	}
}

type outcome struct {
	returned, stored []string
}

// completionOutcome makes six jobs in a fresh database (1 to 3 and 6
// running, 4 available, 5 completed), sets states through the executor exec makes,
// and describes the rows it returned and those then stored.
func completionOutcome(t *testing.T, exec func(*sql.DB) riverdriver.Executor) outcome {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "roost.db")+
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := Migrate(ctx, SQLite(db)); err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, newNoteWorker())
	q, err := New(SQLite(db), workers, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		if _, err := q.Insert(ctx, noteArgs{Name: fmt.Sprint(i)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []string{
		"UPDATE river_job SET scheduled_at = '2026-01-01 00:00:00.000'",
		"UPDATE river_job SET state = 'running', attempt = 1, attempted_at = '2026-01-01 00:00:00.000' WHERE id <= 3 OR id = 6",
		"UPDATE river_job SET state = 'completed', finalized_at = '2026-01-01 00:00:00.000' WHERE id = 5",
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 2, 3, 4, 5, 6, 7_890_000, time.UTC)
	retryAt := at.Add(time.Minute)
	one := 1
	p := &riverdriver.JobSetStateIfRunningManyParams{
		ID:              []int64{1, 2, 3, 4, 5, 6, 7},
		Attempt:         []*int{nil, nil, &one, nil, nil, nil, nil},
		ErrData:         [][]byte{nil, nil, []byte(`{"error":"refused"}`), nil, nil, nil, nil},
		FinalizedAt:     []*time.Time{&at, &at, nil, &at, &at, &at, &at},
		MetadataDoMerge: []bool{false, false, false, false, false, false, true},
		MetadataUpdates: [][]byte{nil, nil, nil, nil, nil, nil, []byte(`{"k":1}`)},
		ScheduledAt:     []*time.Time{nil, nil, &retryAt, nil, nil, nil, nil},
		State: []rivertype.JobState{rivertype.JobStateCompleted, rivertype.JobStateCompleted,
			rivertype.JobStateRetryable, rivertype.JobStateCompleted, rivertype.JobStateCompleted,
			rivertype.JobStateCompleted, rivertype.JobStateCompleted},
	}
	e := exec(db)
	rows, err := e.JobSetStateIfRunningMany(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	var o outcome
	for _, r := range rows {
		o.returned = append(o.returned, describeJob(r))
	}
	slices.Sort(o.returned)
	stored, err := e.JobGetByIDMany(ctx, &riverdriver.JobGetByIDManyParams{ID: []int64{1, 2, 3, 4, 5, 6}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range stored {
		o.stored = append(o.stored, describeJob(r))
	}
	slices.Sort(o.stored)
	return o
}

func describeJob(r *rivertype.JobRow) string {
	fin := "-"
	if r.FinalizedAt != nil {
		fin = r.FinalizedAt.UTC().Format(time.RFC3339Nano)
	}
	var meta map[string]any
	_ = json.Unmarshal(r.Metadata, &meta)
	delete(meta, "river:unique_nonce") // random
	return fmt.Sprintf("%d %s attempt=%d errors=%d finalized=%s scheduled=%s metadata=%v", r.ID, r.State, r.Attempt,
		len(r.Errors), fin, r.ScheduledAt.UTC().Format(time.RFC3339Nano), meta)
}
