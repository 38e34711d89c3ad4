package federation

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/jobs"
)

// featuredNet serves documents, and answers failing with fail.
type featuredNet struct {
	mu      sync.Mutex
	docs    map[string][]byte
	failing string
	fail    error
}

func (n *featuredNet) FetchObject(_ context.Context, u string) (*core.Fetched, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if u == n.failing && n.fail != nil {
		return nil, n.fail
	}
	b, ok := n.docs[u]
	if !ok {
		return nil, core.ErrGone
	}
	return &core.Fetched{Body: b, URL: u}, nil
}

func (n *featuredNet) FetchWebFinger(ctx context.Context, u string) (*core.Fetched, error) {
	return n.FetchObject(ctx, u)
}

func TestFeaturedWorker(t *testing.T) {
	if err := RegisterFeaturedFetch(river.NewWorkers(), nil, nil); err != nil {
		t.Fatal(err)
	}
	ws := river.NewWorkers()
	_ = RegisterFeaturedFetch(ws, nil, nil)
	if err := RegisterFeaturedFetch(ws, nil, nil); err == nil {
		t.Error("a second featured worker was registered")
	}
	opts := FeaturedArgs{}.InsertOpts()
	if opts.MaxAttempts != featuredAttempts || !opts.UniqueOpts.ByArgs || len(opts.UniqueOpts.ByState) == 0 {
		t.Errorf("insert options %+v: want retries, one per account while queued or running", opts)
	}
	q := NewFeaturedQueue(func() *jobs.Queue { return nil }, nil)
	if err := q.EnqueueFeaturedFetch(t.Context(), 1); !errors.Is(err, errNoQueue) {
		t.Errorf("enqueue without a queue: %v", err)
	}

	e := newTestEnv(t, nil)
	id := "https://remote.example/users/bob"
	featured := id + "/collections/featured"
	b, err := ap.Marshal(ap.NewPerson(ap.ActorParams{ID: id, Username: "bob", Inbox: id + "/inbox", Featured: featured}))
	if err != nil {
		t.Fatal(err)
	}
	net := &featuredNet{docs: map[string][]byte{id: b}, failing: featured}
	e.svc.SetFetcher(net)
	bob, err := e.svc.ResolveActor(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	w := &featuredWorker{svc: e.svc, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	job := &river.Job[FeaturedArgs]{JobRow: &rivertype.JobRow{}, Args: FeaturedArgs{AccountID: bob.ID}}
	// Gone, or not a collection: the remote's state, not retried.
	if err := w.Work(t.Context(), job); err != nil {
		t.Errorf("gone collection: %v", err)
	}
	net.docs[featured] = b
	if err := w.Work(t.Context(), job); err != nil {
		t.Errorf("not a collection: %v", err)
	}
	// A network failure is retried.
	net.fail = errors.New("connection refused")
	if err := w.Work(t.Context(), job); err == nil {
		t.Error("network failure: no error, want a retry")
	}
}
