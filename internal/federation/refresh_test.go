package federation

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
)

func TestRegisterRefresh(t *testing.T) {
	off := river.NewWorkers()
	if job, err := RegisterRefresh(off, nil, nil, 0); err != nil || job != nil {
		t.Errorf("interval 0: %v, %v; want the worker alone", job, err)
	}
	if _, err := RegisterRefresh(off, nil, nil, time.Minute); err == nil {
		t.Error("a second refresh worker was registered")
	}
	if job, err := RegisterRefresh(river.NewWorkers(), nil, nil, 10*time.Minute); err != nil || job == nil {
		t.Errorf("interval 10m: %v, %v; want a periodic job", job, err)
	}
	opts := RefreshArgs{}.InsertOpts()
	if opts.MaxAttempts != 1 || len(opts.UniqueOpts.ByState) == 0 {
		t.Errorf("insert options %+v: want one attempt, unique while queued or running", opts)
	}
}
