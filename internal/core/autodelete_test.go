package core

import (
	"errors"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
	"github.com/roost-social/roost/internal/store"
)

// TestAutoDelete: a user's policy deletes its old posts but those it keeps,
// publishing each deletion so that federation sends the Delete; a held
// account's posts stay; bad values change nothing.
func TestAutoDelete(t *testing.T) {
	e := newRetentionEnv(t)
	me := mustAuth(t, e.s, mustToken(t, e.s, "alice", "read write"))
	bob := mustCreateUser(t, e.s, "bob")
	bobAuth := mustAuth(t, e.s, mustToken(t, e.s, "bob", "read write"))

	if p, err := e.s.AutoDelete(e.ctx, me); err != nil || p.Enabled || p.MinAgeDays != 14 || !p.KeepPinned {
		t.Fatalf("default policy %+v, %v", p, err)
	}
	for _, bad := range []store.AutoDeletePolicy{{MinAgeDays: 10}, {MinAgeDays: 0}, {MinAgeDays: 30, MinFavs: -1}} {
		if _, err := e.s.SetAutoDelete(e.ctx, me, bad); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}
	if p, _ := e.s.AutoDelete(e.ctx, me); p.Enabled {
		t.Fatal("a refused policy was stored")
	}

	old := 40 * retention.Day
	gone := e.status(t, e.local, model.VisibilityPublic, old)
	pinned := e.status(t, e.local, model.VisibilityPublic, old)
	if err := e.s.store.AddPin(e.ctx, e.local.ID, pinned.ID); err != nil {
		t.Fatal(err)
	}
	dm := e.status(t, e.local, model.VisibilityDirect, old, bob)
	recent := e.status(t, e.local, model.VisibilityPublic, 10*retention.Day)
	bobOld := e.status(t, bob, model.VisibilityPublic, old)

	p := DefaultAutoDelete(0)
	p.Enabled, p.MinAgeDays = true, 30
	if _, err := e.s.SetAutoDelete(e.ctx, me, p); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.SetAutoDelete(e.ctx, bobAuth, p); err != nil {
		t.Fatal(err)
	}
	if err := e.s.PutHold(e.ctx, bob.ID, e.clock.Now().Add(retention.Day)); err != nil {
		t.Fatal(err)
	}
	if n, err := e.s.PurgeAutoDelete(e.ctx, 10); err != nil || n != 1 {
		t.Fatalf("PurgeAutoDelete = %d, %v; want 1", n, err)
	}
	for _, c := range []struct {
		name string
		st   *model.Status
		want bool
	}{{"gone", gone, false}, {"pinned", pinned, true}, {"dm", dm, true}, {"recent", recent, true}, {"bob's (held)", bobOld, true}} {
		if got := e.exists(t, c.st.ID); got != c.want {
			t.Errorf("%s exists = %v, want %v", c.name, got, c.want)
		}
	}
	if len(e.pub.events) != 1 || e.pub.events[0].Kind != EventStatusDeleted || e.pub.events[0].StatusID != gone.ID {
		t.Errorf("events %+v, want the deletion of %d", e.pub.events, gone.ID)
	}

	// The hold lapses: bob's old post goes; limits bound a batch.
	e.clock.Advance(2 * retention.Day)
	if n, err := e.s.PurgeAutoDelete(e.ctx, 1); err != nil || n != 1 || e.exists(t, bobOld.ID) {
		t.Errorf("after the hold = %d, %v (bob's post exists: %v)", n, err, e.exists(t, bobOld.ID))
	}
	if n, err := e.s.PurgeAutoDelete(e.ctx, 10); err != nil || n != 0 {
		t.Errorf("nothing left = %d, %v", n, err)
	}
}
