package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func testDelivery(t *testing.T, f *fx) {
	star := f.account("star")
	put := func(name, domain, shared string) *model.Account {
		uri := "https://" + domain + "/users/" + name
		a := &model.Account{Username: name, Domain: domain, URI: uri}
		ra := &store.RemoteActor{Inbox: uri + "/inbox", SharedInbox: shared}
		f.must(f.s.PutRemoteActor(f.ctx, a, ra))
		return a
	}
	// Three followers share one inbox, one has only its own, one is a
	// request, one is suspended, one is local: two inboxes in all.
	for _, n := range []string{"a", "b", "c"} {
		f.follow(put(n, "one.example", "https://one.example/inbox"), star)
	}
	f.follow(put("d", "two.example", ""), star)
	f.request(put("e", "three.example", ""), star)
	gone := put("g", "four.example", "")
	f.follow(gone, star)
	now := time.Now()
	f.must(f.s.SetAccountSuspended(f.ctx, gone.ID, &now))
	f.follow(f.account("localfan"), star)
	got, err := f.s.FollowerInboxes(f.ctx, star.ID)
	f.must(err)
	want := []string{"https://one.example/inbox", "https://two.example/users/d/inbox"}
	if !slices.Equal(got, want) {
		t.Errorf("FollowerInboxes = %q, want %q", got, want)
	}

	// Failure streaks: start, grow, end.
	h, err := f.s.DeliveryHost(f.ctx, "one.example")
	f.must(err)
	if h.Failures != 0 || !h.FailingSince.IsZero() {
		t.Errorf("fresh host = %+v", h)
	}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f.must(f.s.DeliveryFailed(f.ctx, "One.Example", t0))
	f.must(f.s.DeliveryFailed(f.ctx, "one.example", t0.Add(time.Hour)))
	h, err = f.s.DeliveryHost(f.ctx, "one.example")
	f.must(err)
	if h.Failures != 2 || !h.FailingSince.Equal(t0) || !h.LastAttempt.Equal(t0.Add(time.Hour)) {
		t.Errorf("failing host = %+v", h)
	}
	f.must(f.s.DeliverySucceeded(f.ctx, "one.example"))
	h, err = f.s.DeliveryHost(f.ctx, "one.example")
	f.must(err)
	if h.Failures != 0 {
		t.Errorf("recovered host = %+v", h)
	}

	// Pending creates.
	const box = "https://one.example/inbox"
	f.must(f.s.AddPendingCreates(f.ctx, 42, []string{box, "https://two.example/inbox"}))
	f.must(f.s.AddPendingCreates(f.ctx, 42, []string{box}))
	since, err := f.s.PendingCreateSince(f.ctx, 42, box)
	f.must(err)
	if since.IsZero() {
		t.Error("pending create not recorded")
	}
	f.must(f.s.RemovePendingCreate(f.ctx, 42, box))
	f.must(f.s.RemovePendingCreate(f.ctx, 42, box))
	if since, err = f.s.PendingCreateSince(f.ctx, 42, box); err != nil || !since.IsZero() {
		t.Errorf("after removal: %v, %v", since, err)
	}
	if since, _ = f.s.PendingCreateSince(f.ctx, 42, "https://two.example/inbox"); since.IsZero() {
		t.Error("removal took another inbox's row")
	}
	f.must(f.s.AddPendingCreates(f.ctx, 43, []string{box}))
	f.must(f.s.RemovePendingCreates(f.ctx, 42, []string{box, "https://two.example/inbox", "https://none.example/inbox"}))
	f.must(f.s.RemovePendingCreates(f.ctx, 42, nil))
	if since, _ = f.s.PendingCreateSince(f.ctx, 42, "https://two.example/inbox"); !since.IsZero() {
		t.Error("batch removal left a row")
	}
	if since, _ = f.s.PendingCreateSince(f.ctx, 43, box); since.IsZero() {
		t.Error("batch removal took another status's row")
	}
}
