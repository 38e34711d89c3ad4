package core

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func TestLocalActor(t *testing.T) {
	w := newStatusWorld(t)
	alice := w.user("alice")
	w.user("sam")
	if err := w.s.SuspendAccount(w.ctx, "sam"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.CreateUser(w.ctx, NewUser{Username: "pending", Password: "password-pending"}); err != nil {
		t.Fatal(err)
	}
	remote := &model.Account{Username: "bob", Domain: "elsewhere.example", URI: "https://elsewhere.example/users/bob"}
	if err := w.s.store.CreateRemoteAccount(w.ctx, remote); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"alice", "ALICE", "Alice"} {
		a, err := w.s.LocalActor(w.ctx, name)
		if err != nil || a.ID != alice.ID {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range []string{"ghost", "sam", "pending", "bob", "bob@elsewhere.example", "", "a\x00b", "al ice"} {
		if _, err := w.s.LocalActor(w.ctx, name); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("%q: %v, want not found", name, err)
		}
	}
	if _, err := w.s.ActorKeys(w.ctx, remote.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("keys of a remote account: %v", err)
	}
}

func TestActorKeysStable(t *testing.T) {
	w := newStatusWorld(t)
	alice := w.user("alice")
	k1, err := w.s.ActorKeys(w.ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := w.s.ActorKeys(w.ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := w.s.ActorKeys(w.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if k1.RSAPublicPEM() != k2.RSAPublicPEM() || k1.RSAPublicPEM() == inst.RSAPublicPEM() {
		t.Error("keys are not stable per owner, or the instance shares a user's")
	}
	if _, err := w.s.ActorKeys(w.ctx, 424242); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("keys of a missing account: %v", err)
	}
}

// TestLocalStatus checks each visibility for an unsigned fetch, a
// follower's, a mentioned account's and a stranger's signed fetch.
func TestLocalStatus(t *testing.T) {
	w := newStatusWorld(t)
	author, follower, mentioned, stranger := w.user("author"), w.user("follower"), w.user("mentioned"), w.user("stranger")
	w.follow(follower, author, false)
	readers := []struct {
		name string
		id   int64
	}{{"unsigned", 0}, {"follower", follower.ID}, {"mentioned", mentioned.ID}, {"stranger", stranger.ID}}
	// nil: visible; else the error wanted.
	want := map[model.Visibility][]error{
		model.VisibilityPublic:   {nil, nil, nil, nil},
		model.VisibilityUnlisted: {nil, nil, nil, nil},
		model.VisibilityPrivate:  {ErrSignatureRequired, nil, nil, model.ErrNotFound},
		model.VisibilityDirect:   {ErrSignatureRequired, model.ErrNotFound, nil, model.ErrNotFound},
	}
	for vis, wants := range want {
		st := w.post(author, "hi @mentioned", vis)
		for i, r := range readers {
			f, err := w.s.LocalStatus(w.ctx, r.id, "Author", st.ID)
			switch {
			case wants[i] == nil && (err != nil || f.Status.ID != st.ID || f.Account.ID != author.ID):
				t.Errorf("%s, %s: %v", vis, r.name, err)
			case wants[i] != nil && !errors.Is(err, wants[i]):
				t.Errorf("%s, %s: %v, want %v", vis, r.name, err, wants[i])
			}
		}
	}
	if !errors.Is(ErrSignatureRequired, model.ErrUnauthorized) {
		t.Error("ErrSignatureRequired is not model.ErrUnauthorized")
	}
}

func TestLocalStatusNotFound(t *testing.T) {
	w := newStatusWorld(t)
	alice, bob := w.user("alice"), w.user("bob")
	st := w.post(alice, "hello", model.VisibilityPublic)
	boost, err := w.s.Reblog(w.ctx, bob, st.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	samPost := w.post(w.user("sam"), "sam's", model.VisibilityPublic)
	if err := w.s.SuspendAccount(w.ctx, "sam"); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		user string
		id   int64
	}{
		"other author": {"bob", st.ID}, "missing": {"alice", 1}, "boost": {"bob", boost.Status.ID},
		"suspended author": {"sam", samPost.ID}, "unknown author": {"ghost", st.ID},
	} {
		if _, err := w.s.LocalStatus(w.ctx, 0, c.user, c.id); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("%s: %v", name, err)
		}
	}
	w.follow(alice, bob, false)
	parent := w.post(bob, "parent", model.VisibilityPrivate)
	reply := w.reply(alice, parent, "@bob reply", model.VisibilityPublic)
	f, err := w.s.LocalStatus(w.ctx, 0, "alice", reply.ID)
	if err != nil || f.Parent == nil || f.Parent.ID != parent.ID || f.ParentAccount.ID != bob.ID {
		t.Errorf("reply: %+v, %v", f, err)
	}
}

func TestOutboxAndFeatured(t *testing.T) {
	w := newStatusWorld(t)
	alice, bob := w.user("alice"), w.user("bob")
	byVis := map[model.Visibility]*model.Status{}
	for _, v := range []model.Visibility{model.VisibilityPublic, model.VisibilityUnlisted, model.VisibilityPrivate, model.VisibilityDirect} {
		byVis[v] = w.post(alice, "hi @bob", v)
		if v != model.VisibilityDirect {
			if _, err := w.s.Pin(w.ctx, alice.ID, byVis[v].ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := w.s.Reblog(w.ctx, alice, w.post(bob, "bob", model.VisibilityPublic).ID, ""); err != nil {
		t.Fatal(err)
	}
	l, err := w.s.OutboxStatuses(w.ctx, alice.ID, store.Page{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs := []int64{byVis[model.VisibilityUnlisted].ID, byVis[model.VisibilityPublic].ID}
	if got := federatedIDs(l.Items); !equalIDs(got, wantIDs) {
		t.Errorf("outbox %v, want %v", got, wantIDs)
	}
	fs, err := w.s.FeaturedStatuses(w.ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := federatedIDs(fs); !equalIDs(got, wantIDs) {
		t.Errorf("featured %v, want %v", got, wantIDs)
	}
}

func federatedIDs(fs []*FederatedStatus) []int64 {
	var out []int64
	for _, f := range fs {
		out = append(out, f.Status.ID)
	}
	return out
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNodeUsage(t *testing.T) {
	clock := newTestClock()
	now := clock.Now()
	s := newTestServiceWith(t, testSettings(), clock.Now)
	w := &statusWorld{t: t, s: s, ctx: t.Context()}
	for name, daysAgo := range map[string]int{"old": 181, "half": 179, "month": 29, "today": 0, "never": -1} {
		a := w.user(name)
		if daysAgo >= 0 {
			clock.Advance(-time.Duration(daysAgo) * 24 * time.Hour)
			if _, _, err := s.SignIn(w.ctx, name, "password-"+name); err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Duration(daysAgo) * 24 * time.Hour)
		}
		w.post(a, "hi", model.VisibilityPrivate)
	}
	// More than a page of users, that never signed in.
	for i := range usagePageSize + 1 {
		w.user(fmt.Sprintf("crowd%d", i))
	}
	if !clock.Now().Equal(now) {
		t.Fatal("clock drifted")
	}
	u, err := s.NodeUsage(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := NodeUsage{Users: 5 + usagePageSize + 1, ActiveMonth: 2, ActiveHalfyear: 3, LocalPosts: 5}
	if *u != want {
		t.Errorf("usage %+v, want %+v", *u, want)
	}
}
