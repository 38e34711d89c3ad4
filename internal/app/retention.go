package app

import (
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/retention"
)

// wireRetention adds the retention purge's worker to workers and keeps its
// periodic sweep (none when retention.purge_minutes is 0).
func (a *App) wireRetention(workers *river.Workers) error {
	every := time.Duration(a.cfg.Retention.PurgeMinutes) * time.Minute
	sweep, err := retention.Register(workers, a.svc, a.log, every)
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	if sweep != nil {
		a.periodic = append(a.periodic, sweep)
	}
	return nil
}
