package core

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

// recorder is a Publisher that keeps the events.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) Publish(_ context.Context, e Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return nil
}

func (r *recorder) kinds() []EventKind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []EventKind
	for _, e := range r.events {
		out = append(out, e.Kind)
	}
	return out
}

// TestPublishedEvents checks which events the use cases publish, and that
// a deletion describes the status it removed.
func TestPublishedEvents(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	rec := &recorder{}
	s.SetPublisher(rec)
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	me := &Auth{Account: alice}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	v, err := s.PostStatus(ctx, alice, NewStatus{Text: "hi @bob", Visibility: model.VisibilityDirect})
	if err != nil {
		t.Fatal(err)
	}
	must(s.EditStatus(ctx, alice, v.Status.ID, StatusEdit{Text: "hi again @bob"}))
	must(s.Follow(ctx, me, bob.ID, FollowOptions{}))
	must(s.Unfollow(ctx, me, bob.ID))
	must(s.Unfollow(ctx, me, bob.ID)) // not following: still an event; the publisher drops it
	bobPost, err := s.PostStatus(ctx, bob, NewStatus{Text: "bob's", Visibility: model.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	must(s.Favourite(ctx, alice.ID, bobPost.Status.ID))
	must(s.Favourite(ctx, alice.ID, bobPost.Status.ID)) // already: no event
	must(s.Unfavourite(ctx, alice.ID, bobPost.Status.ID))
	must(s.Block(ctx, me, bob.ID))
	must(s.Unblock(ctx, me, bob.ID))
	must(s.UpdateProfile(ctx, me, ProfileUpdate{DisplayName: new("Alice")}))
	must(s.DeleteStatus(ctx, alice.ID, v.Status.ID))

	want := []EventKind{EventStatusCreated, EventStatusUpdated, EventFollowed, EventUnfollowed, EventUnfollowed,
		EventStatusCreated, EventFavourited, EventUnfavourited, EventBlocked, EventUnblocked, EventProfileUpdated,
		EventStatusDeleted}
	if got := rec.kinds(); !slices.Equal(got, want) {
		t.Fatalf("events %v\nwant   %v", got, want)
	}
	del := rec.events[len(rec.events)-1]
	if del.StatusID != v.Status.ID || del.Deleted == nil || del.Deleted.Visibility != "direct" ||
		!slices.Equal(del.Deleted.Mentioned, []int64{bob.ID}) {
		t.Errorf("delete event %+v (deleted %+v)", del, del.Deleted)
	}
	if _, err := s.store.Status(ctx, v.Status.ID); err == nil {
		t.Error("the status is still there")
	}
}
