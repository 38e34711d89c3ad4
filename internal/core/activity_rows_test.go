package core

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/roost-social/roost/internal/model"
)

// TestPinEvents: pinning and unpinning a public or unlisted status is told
// once per change; a followers-only pin is not told at all.
func TestPinEvents(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	rec := &recorder{}
	s.SetPublisher(rec)
	alice := mustCreateUser(t, s, "alice")
	post := func(vis model.Visibility) int64 {
		v, err := s.PostStatus(ctx, alice, NewStatus{Text: "pin me", Visibility: vis})
		if err != nil {
			t.Fatal(err)
		}
		return v.Status.ID
	}
	pub, unl, priv := post(model.VisibilityPublic), post(model.VisibilityUnlisted), post(model.VisibilityPrivate)
	rec.events = nil
	for _, step := range []struct {
		pin bool
		id  int64
	}{{true, pub}, {true, pub}, {true, unl}, {true, priv}, {false, pub}, {false, pub}, {false, priv}, {false, unl}} {
		var err error
		if step.pin {
			_, err = s.Pin(ctx, alice.ID, step.id)
		} else {
			_, err = s.Unpin(ctx, alice.ID, step.id)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	want := []Event{
		{Kind: EventPinned, ActorID: alice.ID, StatusID: pub}, {Kind: EventPinned, ActorID: alice.ID, StatusID: unl},
		{Kind: EventUnpinned, ActorID: alice.ID, StatusID: pub}, {Kind: EventUnpinned, ActorID: alice.ID, StatusID: unl},
	}
	if !slices.EqualFunc(rec.events, want, func(a, b Event) bool { return a.Kind == b.Kind && a.StatusID == b.StatusID }) {
		t.Errorf("events %+v\nwant %+v", rec.events, want)
	}
}

// TestLikeAndBlockRows: each like and block is named by its own row, which
// its undo names too; a like after an unlike gets a new one.
func TestLikeAndBlockRows(t *testing.T) {
	e := newInboxEnv(t)
	st, _ := e.post(e.alice, model.VisibilityPublic)
	other := mustCreateUser(t, e.s, "carol")
	like := func(on bool) {
		var err error
		if on {
			_, err = e.s.Favourite(e.ctx, other.ID, st.ID)
		} else {
			_, err = e.s.Unfavourite(e.ctx, other.ID, st.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	e.pub.events = nil
	like(true)
	like(false)
	like(true)
	ev := e.pub.events
	if len(ev) != 3 || ev[0].Kind != EventFavourited || ev[1].Kind != EventUnfavourited || ev[2].Kind != EventFavourited {
		t.Fatalf("events %+v", ev)
	}
	if ev[0].RowID == 0 || ev[1].RowID != ev[0].RowID || ev[2].RowID == ev[0].RowID || ev[2].RowID == 0 {
		t.Errorf("like rows %d, undo %d, re-like %d", ev[0].RowID, ev[1].RowID, ev[2].RowID)
	}

	me := &Auth{Account: e.alice}
	e.pub.events = nil
	for _, f := range []func() (*model.Relationship, error){
		func() (*model.Relationship, error) { return e.s.Block(e.ctx, me, e.bob.ID) },
		func() (*model.Relationship, error) { return e.s.Unblock(e.ctx, me, e.bob.ID) },
		func() (*model.Relationship, error) { return e.s.Unblock(e.ctx, me, e.bob.ID) }, // no block: no Undo
		func() (*model.Relationship, error) { return e.s.Block(e.ctx, me, e.bob.ID) },
	} {
		if _, err := f(); err != nil {
			t.Fatal(err)
		}
	}
	ev = e.pub.events
	if got, want := e.pub.kinds(), []EventKind{EventBlocked, EventUnblocked, EventBlocked}; !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	if ev[0].RowID == 0 || ev[1].RowID != ev[0].RowID || ev[2].RowID == ev[0].RowID || ev[2].RowID == 0 {
		t.Errorf("block rows %d, undo %d, re-block %d", ev[0].RowID, ev[1].RowID, ev[2].RowID)
	}
}

// followsAtPublish records each event with whether the follows between two
// accounts existed when it was published.
type followsAtPublish struct {
	s      *Service
	a, b   int64
	events []Event
	ab, ba []bool
}

func (p *followsAtPublish) Publish(ctx context.Context, e Event) error {
	_, err1 := p.s.store.Follow(ctx, p.a, p.b)
	_, err2 := p.s.store.Follow(ctx, p.b, p.a)
	p.events, p.ab, p.ba = append(p.events, e), append(p.ab, err1 == nil), append(p.ba, err2 == nil)
	return nil
}

// TestBlockEndsFollows: blocking a remote account that follows (or asks
// to follow) the blocker and that the blocker follows rejects the one and
// undoes the other, each while its follow row still exists, then blocks.
func TestBlockEndsFollows(t *testing.T) {
	e := newInboxEnv(t)
	for _, f := range []*model.Follow{{AccountID: e.alice.ID, TargetID: e.bob.ID, URI: ""},
		{AccountID: e.bob.ID, TargetID: e.alice.ID, Pending: true, URI: "https://remote.example/follows/1"}} {
		if err := e.s.store.PutFollow(e.ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	p := &followsAtPublish{s: e.s, a: e.alice.ID, b: e.bob.ID}
	e.s.SetPublisher(p)
	if _, err := e.s.Block(e.ctx, &Auth{Account: e.alice}, e.bob.ID); err != nil {
		t.Fatal(err)
	}
	var kinds []EventKind
	for _, ev := range p.events {
		kinds = append(kinds, ev.Kind)
		if ev.ActorID != e.alice.ID || ev.TargetID != e.bob.ID {
			t.Errorf("event %+v", ev)
		}
	}
	if want := []EventKind{EventFollowRejected, EventUnfollowed, EventBlocked}; !slices.Equal(kinds, want) {
		t.Fatalf("events %v, want %v", kinds, want)
	}
	if !p.ba[0] || !p.ab[1] || p.ab[2] || p.ba[2] {
		t.Errorf("follows at publish: alice→bob %v, bob→alice %v", p.ab, p.ba)
	}
	for _, pair := range [][2]int64{{e.alice.ID, e.bob.ID}, {e.bob.ID, e.alice.ID}} {
		if _, err := e.s.store.Follow(e.ctx, pair[0], pair[1]); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("follow %v left: %v", pair, err)
		}
	}

	// Without follows, and for a local account, only the Block.
	p.events = nil
	carol := mustCreateUser(t, e.s, "carol")
	if err := e.s.store.PutFollow(e.ctx, &model.Follow{AccountID: carol.ID, TargetID: e.alice.ID}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{e.mal.ID, carol.ID} {
		if _, err := e.s.Block(e.ctx, &Auth{Account: e.alice}, id); err != nil {
			t.Fatal(err)
		}
	}
	if len(p.events) != 2 || p.events[0].Kind != EventBlocked || p.events[1].Kind != EventBlocked {
		t.Errorf("events %+v", p.events)
	}
}
