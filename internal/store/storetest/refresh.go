package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// testStaleRemoteActors checks which cached actors are due for a refetch:
// old enough, not suspended, and followed by or following a local account.
func testStaleRemoteActors(t *testing.T, f *fx) {
	now := time.Now().UTC()
	old, fresh := now.Add(-48*time.Hour), now.Add(-time.Hour)
	local := f.account("home")
	put := func(name string, fetched time.Time) *model.Account {
		t.Helper()
		uri := "https://stale.example/users/" + name
		a := &model.Account{Username: name, Domain: "stale.example", URI: uri}
		f.must(f.s.PutRemoteActor(f.ctx, a, remoteActor(uri, fetched)))
		return a
	}
	follow := func(from, to *model.Account, pending bool) {
		t.Helper()
		f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: from.ID, TargetID: to.ID, Pending: pending}))
	}
	followed := put("followed", old) // a local account follows it
	follower := put("follower", old) // it follows a local account
	requested := put("requested", old)
	freshOne := put("fresh", fresh)
	lonely := put("lonely", old) // seen once, referenced by no one here
	suspended := put("suspended", old)
	remoteOnly := put("remoteonly", old) // follows only another remote account
	follow(local, followed, false)
	follow(follower, local, false)
	follow(local, requested, true)
	follow(local, freshOne, false)
	follow(suspended, local, false)
	follow(remoteOnly, lonely, false)
	f.must(f.s.SetAccountSuspended(f.ctx, suspended.ID, &now))

	want := []int64{followed.ID, follower.ID, requested.ID}
	slices.Sort(want)
	got, err := f.s.StaleRemoteActors(f.ctx, now.Add(-24*time.Hour), 0, 10)
	f.must(err)
	if !slices.Equal(got, want) {
		t.Fatalf("StaleRemoteActors = %v, want %v (followed %d, follower %d, requested %d)",
			got, want, followed.ID, follower.ID, requested.ID)
	}

	// Paging: limit, then the rest after the last id seen.
	first, err := f.s.StaleRemoteActors(f.ctx, now.Add(-24*time.Hour), 0, 2)
	f.must(err)
	rest, err := f.s.StaleRemoteActors(f.ctx, now.Add(-24*time.Hour), want[1], 2)
	f.must(err)
	if !slices.Equal(first, want[:2]) || !slices.Equal(rest, want[2:]) {
		t.Errorf("pages %v then %v, want %v then %v", first, rest, want[:2], want[2:])
	}

	// A refetch makes an actor fresh; a later cut-off makes every
	// referenced one due.
	f.must(f.s.PutRemoteActor(f.ctx, followed, remoteActor(followed.URI, now)))
	got, err = f.s.StaleRemoteActors(f.ctx, now.Add(-24*time.Hour), 0, 10)
	f.must(err)
	if slices.Contains(got, followed.ID) || len(got) != 2 {
		t.Errorf("after a refetch: %v, want %v without %d", got, want, followed.ID)
	}
	got, err = f.s.StaleRemoteActors(f.ctx, now.Add(time.Minute), 0, 10)
	f.must(err)
	if len(got) != 4 || !slices.Contains(got, freshOne.ID) {
		t.Errorf("with a cut-off after every fetch: %v, want 4 ids with %d", got, freshOne.ID)
	}
	if got, err := f.s.StaleRemoteActors(f.ctx, now, 0, 0); err != nil || len(got) != 0 {
		t.Errorf("limit 0: %v, %v", got, err)
	}
	var _ store.Refresh = f.s
}
