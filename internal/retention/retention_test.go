package retention

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/roost-social/roost/internal/config"
)

func TestDefaultPolicy(t *testing.T) {
	p := Default()
	want := map[Category]int{RemoteStatuses: 30, RemoteAccounts: 30, Notifications: 90, Tokens: 90,
		ClosedReports: 180, Delivery: 30, Jobs: 7, DirectMessages: 0, RemoteMedia: 0, Audit: 0}
	cats := Categories(p)
	if len(cats) != len(want) {
		t.Fatalf("%d categories, want %d", len(cats), len(want))
	}
	for _, c := range cats {
		if c.Days() != want[c.Category] {
			t.Errorf("%s: %d days, want %d", c.Category, c.Days(), want[c.Category])
		}
		if c.Description == "" || c.How == "" {
			t.Errorf("%s: no description or purge", c.Category)
		}
	}
}

// TestPolicyFollowsConfig: a changed setting changes the listed policy.
func TestPolicyFollowsConfig(t *testing.T) {
	r := config.Default().Retention
	r.DirectMessagesDays, r.NotificationsDays = 14, 0
	for _, c := range Categories(FromConfig(r)) {
		switch c.Category {
		case DirectMessages:
			if c.MaxAge != 14*Day {
				t.Errorf("direct messages: %v", c.MaxAge)
			}
		case Notifications:
			if c.MaxAge != 0 {
				t.Errorf("notifications kept forever, got %v", c.MaxAge)
			}
		}
	}
}

func TestSweptOrder(t *testing.T) {
	s := Swept()
	pos := map[Category]int{}
	for i, c := range s {
		pos[c] = i
	}
	if pos[RemoteStatuses] > pos[RemoteAccounts] || pos[DirectMessages] > pos[RemoteAccounts] {
		t.Errorf("accounts swept before the statuses that keep them: %v", s)
	}
	for _, c := range []Category{Jobs, Audit, RemoteMedia} {
		if _, ok := pos[c]; ok {
			t.Errorf("%s is swept", c)
		}
	}
}

func TestJobRetention(t *testing.T) {
	if got := JobRetention(Policy{Jobs: 7 * Day}); got != 7*Day {
		t.Errorf("7 days: %v", got)
	}
	if got := JobRetention(Policy{}); got != -1 {
		t.Errorf("forever: %v, want -1", got)
	}
}

// fakePurger has rows left per category and fails where told.
type fakePurger struct {
	left     map[Category]int
	fail     Category
	batches  map[Category]int
	recorded map[Category]int
	order    []Category // categories in the order they were first run
}

func (f *fakePurger) PurgeBatch(_ context.Context, c Category, limit int) (int, error) {
	if f.batches[c] == 0 {
		f.order = append(f.order, c)
	}
	f.batches[c]++
	if c == f.fail {
		return 0, errors.New("boom")
	}
	n := min(limit, f.left[c])
	f.left[c] -= n
	return n, nil
}

func (f *fakePurger) PurgeAutoDelete(ctx context.Context, limit int) (int, error) {
	return f.PurgeBatch(ctx, AutoDelete, limit)
}

func (f *fakePurger) RetireKeys(ctx context.Context, limit int) (int, error) {
	return f.PurgeBatch(ctx, Keys, limit)
}

func (f *fakePurger) RecordPurge(_ context.Context, c Category, n int) error {
	f.recorded[c] += n
	return nil
}

func newFake() *fakePurger {
	return &fakePurger{left: map[Category]int{}, batches: map[Category]int{}, recorded: map[Category]int{}}
}

// TestSweepOnce: batches run until one comes back short, at most
// maxBatches per sweep; the rest waits for the next sweep.
func TestSweepOnce(t *testing.T) {
	f := newFake()
	f.left[Notifications] = 2*Batch + 7
	f.left[RemoteStatuses] = (maxBatches + 3) * Batch
	if err := SweepOnce(context.Background(), f, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if f.recorded[Notifications] != 2*Batch+7 || f.batches[Notifications] != 3 {
		t.Errorf("notifications: %d purged in %d batches", f.recorded[Notifications], f.batches[Notifications])
	}
	if f.recorded[RemoteStatuses] != maxBatches*Batch || f.left[RemoteStatuses] != 3*Batch {
		t.Errorf("remote statuses: %d purged, %d left", f.recorded[RemoteStatuses], f.left[RemoteStatuses])
	}
	for _, c := range append(Swept(), AutoDelete, Keys) {
		if f.batches[c] == 0 {
			t.Errorf("%s not swept", c)
		}
	}
	// Keys retire last, after every purge that makes them due.
	if n := len(f.order); n < 2 || f.order[n-2] != AutoDelete || f.order[n-1] != Keys {
		t.Errorf("sweep order %v, want auto-delete then keys last", f.order)
	}
	if err := SweepOnce(context.Background(), f, nil); err != nil || f.left[RemoteStatuses] != 0 {
		t.Errorf("second sweep: %v, %d left", err, f.left[RemoteStatuses])
	}

	g := newFake()
	g.fail = RemoteAccounts
	if err := SweepOnce(context.Background(), g, nil); err == nil {
		t.Error("a failing purge was not reported")
	}
	if g.batches[Notifications] != 0 {
		t.Error("the sweep went on after a failure")
	}
}

func TestRegister(t *testing.T) {
	off := river.NewWorkers()
	if job, err := Register(off, nil, nil, 0); err != nil || job != nil {
		t.Errorf("interval 0: %v, %v; want the worker alone", job, err)
	}
	if job, err := Register(river.NewWorkers(), nil, nil, time.Hour); err != nil || job == nil {
		t.Errorf("interval 1h: %v, %v; want a periodic job", job, err)
	}
	opts := PurgeArgs{}.InsertOpts()
	if opts.MaxAttempts != 1 || len(opts.UniqueOpts.ByState) == 0 {
		t.Errorf("insert options %+v", opts)
	}
}
