package federation

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/federation/httpsig"
	"github.com/roost-social/roost/internal/model"
)

// TestPinDelivery: a pin of a public status is an Add to the featured
// collection for the followers' inboxes, an unpin a Remove; each is built
// only while it still holds, and a followers-only status has none.
func TestPinDelivery(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	e.want(t, e.post(t, "/users/alice/inbox", e.bob, followBody("https://remote.example/follows/1", e.bob.id),
		httpsig.ModeCavage), 202, "bob follows alice")
	pub := e.testEnv.post(t, e.alice, "pinned", model.VisibilityPublic)
	priv := e.testEnv.post(t, e.alice, "followers", model.VisibilityPrivate)
	p := NewPublisher(e.svc, nil)
	d := NewDeliverer(e.svc, nil, nil, DeliverOptions{})
	args := func(k core.EventKind, id int64) DeliverArgs {
		return DeliverArgs{FanoutArgs: FanoutArgs{Event: k, ActorID: e.alice.ID, StatusID: id, Nonce: 42}}
	}
	if _, err := e.svc.Pin(ctx, e.alice.ID, pub.ID); err != nil {
		t.Fatal(err)
	}
	boxes, err := p.recipients(ctx, args(core.EventPinned, pub.ID).FanoutArgs)
	if err != nil || !slices.Equal(boxes, []string{e.bob.id + "/inbox"}) {
		t.Fatalf("recipients %v, %v", boxes, err)
	}
	if _, err := p.recipients(ctx, args(core.EventPinned, priv.ID).FanoutArgs); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("recipients of a followers-only pin: %v", err)
	}
	me, status := "https://roost.test/users/alice", "https://roost.test/users/alice/statuses/"+model.FormatID(pub.ID)
	check := func(act *ap.Object, err error, typ string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if act.Type != typ || act.ActorIRI() != me || act.ObjectIRI() != status ||
			act.Target.IRI != me+"/collections/featured" || !strings.HasPrefix(act.ID, me+"#") {
			t.Errorf("%s: %+v", typ, act)
		}
	}
	acct, err := e.svc.DeliveryAccount(ctx, e.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	add, err := d.activity(ctx, acct, args(core.EventPinned, pub.ID))
	check(add, err, ap.TypeAdd)
	if _, err := d.activity(ctx, acct, args(core.EventUnpinned, pub.ID)); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("Remove of a pinned status: %v", err)
	}
	if _, err := e.svc.Unpin(ctx, e.alice.ID, pub.ID); err != nil {
		t.Fatal(err)
	}
	rm, err := d.activity(ctx, acct, args(core.EventUnpinned, pub.ID))
	check(rm, err, ap.TypeRemove)
	if rm.ID == add.ID {
		t.Errorf("Add and Remove share id %s", add.ID)
	}
	if _, err := d.activity(ctx, acct, args(core.EventPinned, pub.ID)); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("Add of an unpinned status: %v", err)
	}
}

// TestLikeAndBlockIDs: a Like and a Block are named by their rows, and
// their Undos embed the same id.
func TestLikeAndBlockIDs(t *testing.T) {
	e := newInboxEnv(t)
	ctx := context.Background()
	bob, err := e.svc.ResolveActor(ctx, e.bob.id)
	if err != nil {
		t.Fatal(err)
	}
	st := e.testEnv.post(t, e.alice, "liked", model.VisibilityPublic)
	d := NewDeliverer(e.svc, nil, nil, DeliverOptions{})
	acct, err := e.svc.DeliveryAccount(ctx, e.alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	me := "https://roost.test/users/alice"
	build := func(k core.EventKind, row int64) *ap.Object {
		t.Helper()
		a := DeliverArgs{FanoutArgs: FanoutArgs{Event: k, ActorID: e.alice.ID, StatusID: st.ID, TargetID: bob.ID,
			RowID: row, Nonce: 7}}
		act, err := d.activity(ctx, acct, a)
		if err != nil {
			t.Fatal(err)
		}
		return act
	}
	for _, c := range []struct {
		do, undo core.EventKind
		frag     string
		old      int64 // what the id named before rows were kept
	}{{core.EventFavourited, core.EventUnfavourited, "#likes/", st.ID}, {core.EventBlocked, core.EventUnblocked, "#blocks/", bob.ID}} {
		first, again := build(c.do, 1001), build(c.do, 1002)
		if first.ID != me+c.frag+model.FormatID(1001) || again.ID == first.ID {
			t.Errorf("%s ids %s, %s", c.do, first.ID, again.ID)
		}
		undo := build(c.undo, 1001)
		if emb := undo.Embedded(); undo.Type != ap.TypeUndo || emb == nil || emb.ID != first.ID {
			t.Errorf("%s embeds %+v, want id %s", c.undo, emb, first.ID)
		}
		if legacy := build(c.do, 0); legacy.ID != me+c.frag+model.FormatID(c.old) {
			t.Errorf("%s without a row: %s", c.do, legacy.ID)
		}
	}
}
