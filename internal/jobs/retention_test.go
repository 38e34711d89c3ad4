package jobs

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
)

func TestSetJobRetention(t *testing.T) {
	week := 7 * 24 * time.Hour
	for _, c := range []struct {
		in                              time.Duration
		completed, cancelled, discarded time.Duration
	}{
		{0, 0, 0, 0}, // River's defaults
		{-1, 0, 0, -1},
		{week, finishedJobsMax, finishedJobsMax, week},
		{time.Hour, time.Hour, time.Hour, time.Hour},
	} {
		cfg := &river.Config{}
		setJobRetention(cfg, c.in)
		if cfg.CompletedJobRetentionPeriod != c.completed || cfg.CancelledJobRetentionPeriod != c.cancelled ||
			cfg.DiscardedJobRetentionPeriod != c.discarded {
			t.Errorf("%v: completed %v cancelled %v discarded %v", c.in, cfg.CompletedJobRetentionPeriod,
				cfg.CancelledJobRetentionPeriod, cfg.DiscardedJobRetentionPeriod)
		}
	}
}
