package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
)

// River's SQLite driver marks finished jobs one UPDATE at a time, and the
// SQLite driver prepares (parses) each statement anew: on a fan-out to a
// thousand inboxes that came to about a third of a millisecond of CPU per
// job, more than half of all the work besides signing. sqliteDriver
// replaces the common case, a job completed without errors, metadata or
// rescheduling, with one statement per completer batch; every other
// transition still goes through River's own query. TestSQLiteBatchedCompletion
// holds the result to what River's query does, so a River upgrade that
// changes what a completion writes fails there.

// sqliteDriver is River's SQLite driver with batched completion.
type sqliteDriver struct {
	*riversqlite.Driver
	db *sql.DB
}

func newSQLiteDriver(db *sql.DB) sqliteDriver {
	return sqliteDriver{Driver: riversqlite.New(db), db: db}
}

// GetExecutor returns River's executor with batched completion.
func (d sqliteDriver) GetExecutor() riverdriver.Executor {
	return sqliteExecutor{Executor: d.Driver.GetExecutor(), db: d.db}
}

type sqliteExecutor struct {
	riverdriver.Executor
	db *sql.DB
}

// completeRunningSQL sets the jobs of its one argument, a JSON array of
// [id, finalized_at] pairs, to completed if they are still running. For
// such a job River's JobSetStateIfRunning query changes exactly these two
// columns: nothing else when no attempt, error, metadata or schedule
// update comes with it. The unary + keeps SQLite from scanning the running
// jobs by the state index for each pair: it looks each id up instead.
const completeRunningSQL = `UPDATE river_job
SET state = 'completed', finalized_at = j.value ->> 1
FROM json_each(?) AS j
WHERE river_job.id = j.value ->> 0 AND +river_job.state = 'running'
RETURNING river_job.id`

// sqliteTimeFormat is how River's SQLite driver writes times; its queries
// compare them as text, so no other format will do.
const sqliteTimeFormat = "2006-01-02 15:04:05.000"

// JobSetStateIfRunningMany completes plain completions in one statement
// and hands the rest, including jobs it found no longer running, to
// River's executor. Like River's, it returns the rows it changed and those
// it found in another state, in no particular order.
func (e sqliteExecutor) JobSetStateIfRunningMany(ctx context.Context, p *riverdriver.JobSetStateIfRunningManyParams) ([]*rivertype.JobRow, error) {
	fast, rest := splitCompletions(p)
	if len(fast) == 0 {
		return e.Executor.JobSetStateIfRunningMany(ctx, p)
	}
	done, err := e.completeRunning(ctx, p, fast)
	if err != nil {
		return nil, err
	}
	var rows []*rivertype.JobRow
	if len(done) > 0 {
		ids := make([]int64, 0, len(done))
		for id := range done {
			ids = append(ids, id)
		}
		if rows, err = e.Executor.JobGetByIDMany(ctx, &riverdriver.JobGetByIDManyParams{ID: ids}); err != nil {
			return nil, err
		}
	}
	for _, i := range fast {
		if !done[p.ID[i]] {
			rest = append(rest, i) // not running: River's query reports its state
		}
	}
	if len(rest) > 0 {
		more, err := e.Executor.JobSetStateIfRunningMany(ctx, subset(p, rest))
		if err != nil {
			return nil, err
		}
		rows = append(rows, more...)
	}
	return rows, nil
}

// splitCompletions sorts p's entries (by index) into plain completions and
// the rest.
func splitCompletions(p *riverdriver.JobSetStateIfRunningManyParams) (fast, rest []int) {
	for i := range p.ID {
		if p.Schema == "" && p.State[i] == rivertype.JobStateCompleted && p.FinalizedAt[i] != nil &&
			p.Attempt[i] == nil && p.ErrData[i] == nil && !p.MetadataDoMerge[i] && p.ScheduledAt[i] == nil {
			fast = append(fast, i)
		} else {
			rest = append(rest, i)
		}
	}
	return fast, rest
}

// completeRunning runs completeRunningSQL on p's entries at idx and
// returns the ids it completed.
func (e sqliteExecutor) completeRunning(ctx context.Context, p *riverdriver.JobSetStateIfRunningManyParams, idx []int) (map[int64]bool, error) {
	pairs := make([][2]any, len(idx))
	for k, i := range idx {
		pairs[k] = [2]any{p.ID[i], p.FinalizedAt[i].UTC().Round(time.Millisecond).Format(sqliteTimeFormat)}
	}
	arg, err := json.Marshal(pairs)
	if err != nil {
		return nil, err
	}
	res, err := e.db.QueryContext(ctx, completeRunningSQL, string(arg))
	if err != nil {
		return nil, fmt.Errorf("jobs: complete %d jobs: %w", len(idx), err)
	}
	defer res.Close()
	done := make(map[int64]bool, len(idx))
	for res.Next() {
		var id int64
		if err := res.Scan(&id); err != nil {
			return nil, err
		}
		done[id] = true
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("jobs: complete %d jobs: %w", len(idx), err)
	}
	return done, nil
}

// subset is p restricted to its entries at idx.
func subset(p *riverdriver.JobSetStateIfRunningManyParams, idx []int) *riverdriver.JobSetStateIfRunningManyParams {
	s := &riverdriver.JobSetStateIfRunningManyParams{Now: p.Now, Schema: p.Schema}
	for _, i := range idx {
		s.ID = append(s.ID, p.ID[i])
		s.Attempt = append(s.Attempt, p.Attempt[i])
		s.ErrData = append(s.ErrData, p.ErrData[i])
		s.FinalizedAt = append(s.FinalizedAt, p.FinalizedAt[i])
		s.MetadataDoMerge = append(s.MetadataDoMerge, p.MetadataDoMerge[i])
		s.MetadataUpdates = append(s.MetadataUpdates, p.MetadataUpdates[i])
		s.ScheduledAt = append(s.ScheduledAt, p.ScheduledAt[i])
		s.State = append(s.State, p.State[i])
	}
	return s
}
