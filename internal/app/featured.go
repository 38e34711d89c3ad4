package app

import (
	"fmt"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/federation"
	"github.com/roost-social/roost/internal/jobs"
)

// wireFeatured adds the worker that reads remote actors' featured
// collections and lets core queue it. The queue is looked up when a read
// is queued: Open makes it after the workers are registered, and nothing
// queues a read before Open returns.
func (a *App) wireFeatured(workers *river.Workers) error {
	if err := federation.RegisterFeaturedFetch(workers, a.svc, a.log); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	a.svc.SetFeaturedQueue(federation.NewFeaturedQueue(func() *jobs.Queue { return a.queue }, a.log))
	return nil
}
