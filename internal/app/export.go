package app

import (
	"fmt"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/export"
)

// wireExports adds the workers that build export archives and delete
// expired ones, and keeps the hourly cleanup's periodic job.
func (a *App) wireExports(workers *river.Workers) error {
	cleanup, err := export.Register(workers, a.svc, a.log)
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	a.periodic = append(a.periodic, cleanup)
	return nil
}

// startExports lets core queue export jobs, once the queue exists.
func (a *App) startExports() { a.svc.SetExportQueue(export.NewQueue(a.queue)) }
