package federation

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
)

// TestBuiltForReuse builds a status's Create once for many concurrent jobs
// of its fan-out, builds another event's anew, keeps the body for builtTTL
// even though the status is deleted meanwhile, and past it finds the
// status gone.
func TestBuiltForReuse(t *testing.T) {
	var now atomic.Int64
	now.Store(fixedNow.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	e := newTestEnv(t, clock)
	d := NewDeliverer(e.svc, nil, nil, DeliverOptions{Now: clock})
	ctx := t.Context()
	alice := e.user(t, "alice")
	st := e.post(t, alice, "hello fan-out", model.VisibilityPublic)
	args := func(inbox string, nonce int64) DeliverArgs {
		return DeliverArgs{FanoutArgs: FanoutArgs{Event: core.EventStatusCreated, ActorID: alice.ID,
			StatusID: st.ID, Nonce: nonce}, Inbox: inbox}
	}

	got := make([]*built, 50)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			b, err := d.builtFor(ctx, args(fmt.Sprintf("https://h%d.example/inbox", i), 1))
			if err != nil {
				t.Error(err)
			}
			got[i] = b
		})
	}
	wg.Wait()
	first := got[0]
	if first == nil || !bytes.Contains(first.body, []byte(`"Create"`)) ||
		!bytes.Contains(first.body, []byte("hello fan-out")) || first.key == nil ||
		first.keyID != "https://roost.test/users/alice#main-key" {
		t.Fatalf("built %+v", first)
	}
	for i, b := range got {
		if b != first {
			t.Fatalf("job %d built its own activity", i)
		}
	}
	if other, err := d.builtFor(ctx, args("https://h0.example/inbox", 2)); err != nil || other == first {
		t.Errorf("another event's activity: %v, reused: %v", err, other == first)
	}

	if _, err := e.svc.DeleteStatus(ctx, alice.ID, st.ID); err != nil {
		t.Fatal(err)
	}
	if b, err := d.builtFor(ctx, args("https://late.example/inbox", 1)); err != nil || b != first {
		t.Errorf("within the TTL: %v, reused: %v", err, b == first)
	}
	now.Add(int64(builtTTL))
	if b, err := d.builtFor(ctx, args("https://later.example/inbox", 1)); err != nil || b != nil {
		t.Errorf("past the TTL, the deleted status still built: %v, %v", b, err)
	}
}

// TestBuiltCacheBounded fills the cache past builtMax: it keeps at most
// builtMax entries, dropping the expired ones first, then the oldest.
func TestBuiltCacheBounded(t *testing.T) {
	var c builtCache
	now := fixedNow
	entry := func(at time.Time) *builtEntry {
		return &builtEntry{done: make(chan struct{}), expires: at.Add(builtTTL)}
	}
	for i := range builtMax {
		c.put(builtKey{nonce: int64(i)}, entry(now.Add(time.Duration(i)*time.Millisecond)), now)
	}
	c.put(builtKey{nonce: -1}, entry(now), now)
	if len(c.m) != builtMax {
		t.Fatalf("%d entries, want %d", len(c.m), builtMax)
	}
	if _, ok := c.m[builtKey{nonce: 0}]; ok {
		t.Error("the oldest entry stayed")
	}
	later := now.Add(builtTTL + time.Second)
	c.put(builtKey{nonce: -2}, entry(later), later)
	if len(c.m) != 1 {
		t.Errorf("%d entries after all expired, want 1", len(c.m))
	}
}

// TestPendingRemover removes many pending Creates at once from concurrent
// jobs: each job's record is gone when its remove returns, and the other
// statuses' records stay.
func TestPendingRemover(t *testing.T) {
	e := newTestEnv(t, nil)
	d := NewDeliverer(e.svc, nil, nil, DeliverOptions{})
	ctx := t.Context()
	var boxes []string
	for i := range 60 {
		boxes = append(boxes, fmt.Sprintf("https://h%d.example/inbox", i))
	}
	for _, id := range []int64{41, 42, 43} {
		if err := e.svc.AddPendingCreates(ctx, id, boxes); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i, box := range boxes {
		id := int64(41 + i%2) // statuses 41 and 42, interleaved
		wg.Go(func() {
			if err := d.pending.remove(ctx, id, box); err != nil {
				t.Error(err)
				return
			}
			if since, err := e.svc.PendingCreateSince(ctx, id, box); err != nil || !since.IsZero() {
				t.Errorf("status %d to %s still pending after its removal: %v, %v", id, box, since, err)
			}
		})
	}
	wg.Wait()
	for _, box := range boxes {
		if since, err := e.svc.PendingCreateSince(ctx, 43, box); err != nil || since.IsZero() {
			t.Errorf("status 43 to %s: %v, %v, want still pending", box, since, err)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := d.pending.remove(cancelled, 43, boxes[0]); err == nil {
		t.Error("a removal with its context done returned no error")
	}
}
