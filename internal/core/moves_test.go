package core

import (
	"errors"
	"slices"
	"testing"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

const newBobURI = "https://new.example/users/newbob"

// moveEnv adds to the inbox env: carol (local), who like alice follows
// bob, but blocks newbob; newbob on new.example, served without aliases
// at first.
type moveEnv struct {
	*inboxEnv
	carol, newbob *model.Account
}

func newMoveEnv(t *testing.T) *moveEnv {
	e := &moveEnv{inboxEnv: newInboxEnv(t)}
	e.carol = mustCreateUser(t, e.s, "carol")
	e.newbob = e.remote("new.example", "newbob")
	for _, f := range []*model.Account{e.alice, e.carol} {
		if err := e.s.store.PutFollow(e.ctx, &model.Follow{ID: model.NewID(e.s.now()), AccountID: f.ID,
			TargetID: e.bob.ID, Reblogs: true, Notify: f == e.alice}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.s.store.PutBlock(e.ctx, e.carol.ID, e.newbob.ID); err != nil {
		t.Fatal(err)
	}
	return e
}

// serveNewBob changes newbob's actor document (not the cache).
func (e *moveEnv) serveNewBob(aliases ...string) {
	e.f.set(newBobURI, fakeDoc{body: remotePerson(e.t, "new.example", "newbob", "pem",
		func(p *ap.ActorParams) { p.Locked, p.AlsoKnownAs = false, aliases })})
}

// follows reports whether a follows (or asked to follow) b.
func (e *moveEnv) follows(a, b *model.Account) bool {
	e.t.Helper()
	_, err := e.s.store.Follow(e.ctx, a.ID, b.ID)
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		e.t.Fatal(err)
	}
	return err == nil
}

// unchanged checks that no move happened.
func (e *moveEnv) unchanged(what string) {
	e.t.Helper()
	if !e.follows(e.alice, e.bob) || e.follows(e.alice, e.newbob) || len(e.pub.kinds()) != 0 {
		e.t.Errorf("%s: alice follows bob %v, newbob %v; events %v", what, e.follows(e.alice, e.bob),
			e.follows(e.alice, e.newbob), e.pub.kinds())
	}
	if a, err := e.s.store.Account(e.ctx, e.bob.ID); err != nil || a.MovedToID != 0 {
		e.t.Errorf("%s: bob %+v, %v", what, a, err)
	}
}

func moveBody(actor, object, target string) string {
	return `{"type":"Move","id":"` + actor + `#moves/1","actor":"` + actor + `","object":"` + object +
		`","target":"` + target + `"}`
}

func TestInboxMoveRefused(t *testing.T) {
	e := newMoveEnv(t)
	e.serveNewBob(bobURI)
	// Mallory cannot move bob, even to an account that lists bob.
	if err := e.recv(e.mal, moveBody(malURI, bobURI, newBobURI)); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("move of another account: %v", err)
	}
	e.unchanged("move of another account")
	// Bob cannot move to an account that does not list him, whatever the
	// cache says: the target is fetched afresh.
	e.serveNewBob("https://remote.example/users/someone-else")
	if err := e.recv(e.bob, moveBody(bobURI, bobURI, newBobURI)); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("move to an account without the alias: %v", err)
	}
	e.unchanged("move to an account without the alias")
	if err := e.recv(e.bob, moveBody(bobURI, bobURI, bobURI)); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("move to itself: %v", err)
	}
	e.unchanged("move to itself")
	// A target that cannot be fetched: nothing happens.
	if err := e.recv(e.bob, moveBody(bobURI, bobURI, "https://gone.example/users/x")); err != nil {
		t.Errorf("move to an unreachable account: %v", err)
	}
	e.unchanged("move to an unreachable account")
}

func TestInboxMove(t *testing.T) {
	e := newMoveEnv(t)
	// newbob was cached without aliases; it lists bob now.
	e.serveNewBob(bobURI)
	e.mustRecv(e.bob, moveBody(bobURI, bobURI, newBobURI))
	if !e.follows(e.alice, e.newbob) || e.follows(e.alice, e.bob) {
		t.Errorf("alice follows bob %v, newbob %v", e.follows(e.alice, e.bob), e.follows(e.alice, e.newbob))
	}
	f, err := e.s.store.Follow(e.ctx, e.alice.ID, e.newbob.ID)
	if err != nil || !f.Pending || !f.Notify || !f.Reblogs {
		t.Errorf("alice's follow of newbob (pending until Accept, notify kept): %+v, %v", f, err)
	}
	if !e.follows(e.carol, e.bob) || e.follows(e.carol, e.newbob) {
		t.Errorf("carol, who blocks newbob: follows bob %v, newbob %v", e.follows(e.carol, e.bob), e.follows(e.carol, e.newbob))
	}
	bob, err := e.s.store.Account(e.ctx, e.bob.ID)
	if err != nil || bob.MovedToID != e.newbob.ID {
		t.Errorf("bob after the move: %+v, %v", bob, err)
	}
	if m, err := e.s.store.Move(e.ctx, e.bob.ID); err != nil || m.TargetURI != newBobURI {
		t.Errorf("recorded move: %+v, %v", m, err)
	}
	want := []EventKind{EventFollowed, EventUnfollowed}
	if k := e.pub.kinds(); !slices.Equal(k, want) {
		t.Errorf("events %v, want %v", k, want)
	}
	for _, ev := range e.pub.events {
		if ev.ActorID != e.alice.ID {
			t.Errorf("event %+v not alice's", ev)
		}
	}
	// A repeat changes nothing more.
	e.mustRecv(e.bob, moveBody(bobURI, bobURI, newBobURI))
	if k := e.pub.kinds(); len(k) != 2 {
		t.Errorf("events after a repeat: %v", k)
	}
}

func TestMoveAccountLocal(t *testing.T) {
	e := newMoveEnv(t)
	bob, eve := mustCreateUser(t, e.s, "bob"), mustCreateUser(t, e.s, "eve")
	if _, err := e.s.Follow(e.ctx, &Auth{Account: e.alice}, bob.ID, FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	e.pub.events = nil
	asBob, asEve := &Auth{Account: bob}, &Auth{Account: eve}
	const eveURL = "https://roost.test/users/eve"
	if _, err := e.s.MoveAccount(e.ctx, asBob, "password-bob", eveURL); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("move to an account without the alias: %v", err)
	}
	if _, err := e.s.SetAliases(e.ctx, asEve, []string{"nobody@nowhere.example"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("unresolvable alias: %v", err)
	}
	if _, err := e.s.SetAliases(e.ctx, asEve, []string{"eve"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("alias of oneself: %v", err)
	}
	if _, err := e.s.SetAliases(e.ctx, asEve, []string{"@bob", bobURI}); err != nil {
		t.Fatal(err)
	}
	aliases, _, err := e.s.AccountMoves(e.ctx, eve)
	if err != nil || !slices.Equal(aliases, []string{"https://roost.test/users/bob", bobURI}) {
		t.Errorf("eve's aliases %v, %v", aliases, err)
	}
	if _, err := e.s.MoveAccount(e.ctx, asBob, "wrong", eveURL); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := e.s.MoveAccount(e.ctx, asBob, "password-bob", "https://roost.test/users/bob"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("move to oneself: %v", err)
	}
	if r, _ := e.s.relationship(e.ctx, e.alice.ID, eve.ID); r.Following || r.Requested {
		t.Fatal("a refused move moved followers")
	}
	e.pub.events = nil
	moved, err := e.s.MoveAccount(e.ctx, asBob, "password-bob", "eve")
	if err != nil || moved.MovedToID != eve.ID {
		t.Fatalf("move: %+v, %v", moved, err)
	}
	if r, _ := e.s.relationship(e.ctx, e.alice.ID, eve.ID); !r.Following {
		t.Error("alice does not follow eve")
	}
	if r, _ := e.s.relationship(e.ctx, e.alice.ID, bob.ID); r.Following {
		t.Error("alice still follows bob")
	}
	if !slices.ContainsFunc(e.pub.events, func(ev Event) bool {
		return ev.Kind == EventMoved && ev.ActorID == bob.ID && ev.TargetID == eve.ID
	}) {
		t.Errorf("no move event: %+v", e.pub.events)
	}
	_, movedTo, err := e.s.AccountMoves(e.ctx, moved)
	if err != nil || movedTo != eveURL {
		t.Errorf("bob's movedTo %q, %v", movedTo, err)
	}
	// A moved account cannot post.
	if _, err := e.s.PostStatus(e.ctx, moved, NewStatus{Text: "still here"}); !errors.Is(err, ErrAccountMoved) {
		t.Errorf("post after moving: %v", err)
	}
	// Eve cannot move back to bob, who has moved.
	if _, err := e.s.SetAliases(e.ctx, &Auth{Account: moved}, []string{"eve"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.MoveAccount(e.ctx, asEve, "password-eve", "bob"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("move to a moved account: %v", err)
	}
	var m *store.AccountMove
	if m, err = e.s.store.Move(e.ctx, bob.ID); err != nil || m.TargetID != eve.ID {
		t.Errorf("recorded move %+v, %v", m, err)
	}
}
