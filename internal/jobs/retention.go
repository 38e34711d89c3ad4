package jobs

import (
	"time"

	"github.com/riverqueue/river"
)

// finishedJobsMax is the longest completed and cancelled job records are
// kept, whatever Options.JobRetention says: they carry nothing anyone
// needs once a day has passed.
const finishedJobsMax = 24 * time.Hour

// setJobRetention gives River's job cleaner the periods Options.JobRetention
// asks for (see there).
func setJobRetention(cfg *river.Config, r time.Duration) {
	switch {
	case r == 0:
		return
	case r < 0:
		cfg.DiscardedJobRetentionPeriod = -1
		return
	}
	cfg.DiscardedJobRetentionPeriod = r
	cfg.CompletedJobRetentionPeriod = min(r, finishedJobsMax)
	cfg.CancelledJobRetentionPeriod = min(r, finishedJobsMax)
}
