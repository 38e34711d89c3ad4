package federation

import (
	"context"
	"sync"
	"time"

	"github.com/roost-social/roost/internal/core"
)

// Every finished Create delivery removes its pending record before its job
// completes, so that a Delete never overtakes a Create still on its way
// and a crash loses no record of one. One write per job, though, on SQLite
// one turn of the single write lock each, made the workers of a fan-out
// queue behind each other. pendingRemover commits them in groups instead:
// a job hands its record over and waits until the group holding it has
// committed, so its job still completes only after its record is gone.
// A group gathers for pendingGather (a fan-out finishes hundreds of jobs a
// second), and while it commits the next one gathers.

const (
	// pendingGather is how long a group gathers before it commits: what a
	// job waits at most, besides the write itself.
	pendingGather = 5 * time.Millisecond
	// pendingFlushTimeout bounds one group's write.
	pendingFlushTimeout = 30 * time.Second
)

// pendingRemover batches RemovePendingCreates.
type pendingRemover struct {
	svc *core.Service

	mu      sync.Mutex
	queue   []pendingRemoval
	running bool
}

// pendingRemoval is one record to remove; done receives the outcome.
type pendingRemoval struct {
	statusID int64
	inbox    string
	done     chan error
}

// remove removes the pending record of the Create of statusID to inbox,
// returning once that is committed (or failed, or ctx is done).
func (p *pendingRemover) remove(ctx context.Context, statusID int64, inbox string) error {
	r := pendingRemoval{statusID: statusID, inbox: inbox, done: make(chan error, 1)}
	p.mu.Lock()
	p.queue = append(p.queue, r)
	if !p.running {
		p.running = true
		go p.flush()
	}
	p.mu.Unlock()
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// flush commits the queued removals, group after group, until none are
// left.
func (p *pendingRemover) flush() {
	for {
		time.Sleep(pendingGather)
		p.mu.Lock()
		batch := p.queue
		p.queue = nil
		if len(batch) == 0 {
			p.running = false
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		p.commit(batch)
	}
}

// commit removes batch's records, one write per status (a fan-out's jobs
// share theirs), and tells each waiter how its write went.
func (p *pendingRemover) commit(batch []pendingRemoval) {
	ctx, cancel := context.WithTimeout(context.Background(), pendingFlushTimeout)
	defer cancel()
	byStatus := make(map[int64][]string)
	for _, r := range batch {
		byStatus[r.statusID] = append(byStatus[r.statusID], r.inbox)
	}
	outcome := make(map[int64]error, len(byStatus))
	for id, boxes := range byStatus {
		outcome[id] = p.svc.RemovePendingCreates(ctx, id, boxes)
	}
	for _, r := range batch {
		r.done <- outcome[r.statusID]
	}
}
