package core

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// refreshFixture is a local user followed by (or following) remote actors
// on remote.example, each fetched once.
type refreshFixture struct {
	s     *Service
	f     *fakeFetcher
	clock *testClock
	local *model.Account
}

func newRefreshFixture(t *testing.T) *refreshFixture {
	s, f, clock := newRemoteTestService(t)
	return &refreshFixture{s: s, f: f, clock: clock, local: mustCreateUser(t, s, "home")}
}

// actor resolves name; follower says whether it follows the local user
// (else the local user follows it); ref false leaves it unreferenced.
func (x *refreshFixture) actor(t *testing.T, name string, ref, follower bool) *model.Account {
	t.Helper()
	ctx := context.Background()
	uri := "https://remote.example/users/" + name
	x.f.set(uri, fakeDoc{body: remotePerson(t, "remote.example", name, "pem-"+name, nil)})
	a, err := x.s.ResolveActor(ctx, uri)
	if err != nil {
		t.Fatal(err)
	}
	if !ref {
		return a
	}
	fl := &model.Follow{AccountID: x.local.ID, TargetID: a.ID}
	if follower {
		fl = &model.Follow{AccountID: a.ID, TargetID: x.local.ID}
	}
	if err := x.s.store.PutFollow(ctx, fl); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRefreshRemoteActors(t *testing.T) {
	ctx := context.Background()
	x := newRefreshFixture(t)
	changed := x.actor(t, "changed", true, true)
	failing := x.actor(t, "failing", true, false)
	lonely := x.actor(t, "lonely", false, false)

	// Nothing is due within the TTL.
	before := x.f.count()
	pass, err := x.s.RefreshRemoteActors(ctx, 0, RefreshBatch)
	if err != nil || pass != (RefreshPass{}) || x.f.count() != before {
		t.Fatalf("fresh actors: %+v, %v, %d fetches", pass, err, x.f.count()-before)
	}

	x.clock.Advance(RemoteActorTTL + time.Minute)
	x.f.set(changed.URI, fakeDoc{body: remotePerson(t, "remote.example", "changed", "pem-new", func(p *ap.ActorParams) {
		p.Name = "New name"
		p.Inbox = changed.URI + "/new-inbox"
	})})
	x.f.set(failing.URI, fakeDoc{err: errors.New("connection refused")})
	x.f.set(lonely.URI, fakeDoc{body: remotePerson(t, "remote.example", "lonely", "pem-x", func(p *ap.ActorParams) { p.Name = "Lonely 2" })})
	pass, err = x.s.RefreshRemoteActors(ctx, 0, RefreshBatch)
	if err != nil || pass.Refreshed != 1 || pass.Failed != 1 || pass.Purged != 0 || pass.Next != 0 {
		t.Fatalf("pass: %+v, %v", pass, err)
	}
	got, err := x.s.store.Account(ctx, changed.ID)
	if err != nil || got.DisplayName != "New name" {
		t.Errorf("refreshed account: %+v, %v", got, err)
	}
	ra, err := x.s.store.RemoteActor(ctx, changed.ID)
	if err != nil || ra.PublicKeyPEM != "pem-new" || ra.Inbox != changed.URI+"/new-inbox" || x.clock.Now().Sub(ra.FetchedAt) > time.Millisecond {
		t.Errorf("refreshed actor: %+v, %v", ra, err)
	}
	// The failure kept the cached copy, fetch time included.
	old, err := x.s.store.RemoteActor(ctx, failing.ID)
	if err != nil || old.PublicKeyPEM != "pem-failing" || x.clock.Now().Sub(old.FetchedAt) < RemoteActorTTL {
		t.Errorf("failed refresh changed the cache: %+v, %v", old, err)
	}
	if got, _ := x.s.store.Account(ctx, failing.ID); got == nil || got.DisplayName != "Remote failing" {
		t.Errorf("failed refresh changed the account: %+v", got)
	}
	// No one here references lonely: not fetched.
	for _, c := range x.f.calls[before:] {
		if c == lonely.URI {
			t.Errorf("an unreferenced actor was fetched")
		}
	}
	if got, _ := x.s.store.Account(ctx, lonely.ID); got == nil || got.DisplayName != "Remote lonely" {
		t.Errorf("unreferenced account: %+v", got)
	}
}

func TestRefreshRemoteActorsGone(t *testing.T) {
	ctx := context.Background()
	x := newRefreshFixture(t)
	gone := x.actor(t, "gone", true, true)
	tomb := x.actor(t, "tomb", true, false)
	notFound := x.actor(t, "missing", true, true)
	other := x.actor(t, "other", true, true)
	x.clock.Advance(RemoteActorTTL + time.Minute)

	x.f.set(gone.URI, fakeDoc{err: fmt.Errorf("fetch: %w", ErrGone)})
	t1, _ := ap.Marshal(ap.NewTombstone(tomb.URI, ap.TypePerson, x.clock.Now()))
	x.f.set(tomb.URI, fakeDoc{body: t1})
	// A 404 may be passing; only 410 or a Tombstone is final.
	x.f.set(notFound.URI, fakeDoc{err: fmt.Errorf("fetch: %w", model.ErrNotFound)})
	// A document of another actor is not this one's update.
	x.f.set(other.URI, fakeDoc{body: remotePerson(t, "remote.example", "someone", "pem-z", nil)})

	pass, err := x.s.RefreshRemoteActors(ctx, 0, RefreshBatch)
	if err != nil || pass.Purged != 2 || pass.Failed != 2 || pass.Refreshed != 0 {
		t.Fatalf("pass: %+v, %v", pass, err)
	}
	for _, a := range []*model.Account{gone, tomb} {
		if _, err := x.s.store.Account(ctx, a.ID); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("%s after 410/Tombstone: %v", a.Username, err)
		}
		if _, err := x.s.store.RemoteActor(ctx, a.ID); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("%s actor after 410/Tombstone: %v", a.Username, err)
		}
	}
	for _, a := range []*model.Account{notFound, other} {
		got, err := x.s.store.Account(ctx, a.ID)
		if err != nil || got.DisplayName != "Remote "+a.Username {
			t.Errorf("%s: %+v, %v", a.Username, got, err)
		}
	}
	if _, err := x.s.store.AccountByUsername(ctx, "someone", "remote.example"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the other actor's document was stored: %v", err)
	}
	// Only remote accounts are refreshed.
	if _, err := x.s.RefreshActor(ctx, x.local.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("refresh of a local account: %v", err)
	}
}

func TestRefreshRemoteActorsPaging(t *testing.T) {
	ctx := context.Background()
	x := newRefreshFixture(t)
	var ids []int64
	for i := range 5 {
		ids = append(ids, x.actor(t, fmt.Sprintf("p%d", i), true, i%2 == 0).ID)
	}
	x.clock.Advance(RemoteActorTTL + time.Minute)
	for i := range 5 {
		x.f.set(fmt.Sprintf("https://remote.example/users/p%d", i), fakeDoc{err: errors.New("down")})
	}
	// Failures stay stale; paging on the id still walks past them.
	seen := 0
	next := int64(0)
	for range 3 {
		pass, err := x.s.RefreshRemoteActors(ctx, next, 2)
		if err != nil {
			t.Fatal(err)
		}
		seen += pass.Failed
		next = pass.Next
	}
	if seen != 5 || next != 0 {
		t.Errorf("three passes of 2 tried %d actors, next %d; want 5 and a wrap to 0", seen, next)
	}
}
