package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func testFollows(t *testing.T, f *fx) {
	a, b, c := f.account("fa"), f.account("fb"), f.account("fc")
	fl := &model.Follow{AccountID: a.ID, TargetID: b.ID, Pending: true, Reblogs: true, URI: "https://x/f/1"}
	f.must(f.s.PutFollow(f.ctx, fl))
	if fl.ID == 0 || !fl.Pending {
		t.Fatalf("PutFollow set %+v", fl)
	}
	got, err := f.s.Follow(f.ctx, a.ID, b.ID)
	f.must(err)
	if got.ID != fl.ID || !got.Pending || !got.Reblogs || got.Notify || got.URI != "https://x/f/1" {
		t.Errorf("Follow: %+v", got)
	}
	_, err = f.s.Follow(f.ctx, b.ID, a.ID)
	f.is(err, model.ErrNotFound)
	f.checkKeyedIDs("requests of b", f.s.FollowRequests, b.ID, []int64{a.ID})
	f.checkKeyedIDs("followers of b while pending", f.s.Followers, b.ID, nil)

	f.must(f.s.AcceptFollow(f.ctx, a.ID, b.ID))
	f.is(f.s.AcceptFollow(f.ctx, a.ID, b.ID), model.ErrNotFound)
	f.is(f.s.AcceptFollow(f.ctx, c.ID, b.ID), model.ErrNotFound)
	f.checkKeyedIDs("requests of b after accept", f.s.FollowRequests, b.ID, nil)
	f.checkKeyedIDs("followers of b", f.s.Followers, b.ID, []int64{a.ID})
	f.checkKeyedIDs("following of a", f.s.Following, a.ID, []int64{b.ID})

	// Updating options keeps the follow accepted, its ID and its URI.
	up := &model.Follow{AccountID: a.ID, TargetID: b.ID, Pending: true, Reblogs: false, Notify: true}
	f.must(f.s.PutFollow(f.ctx, up))
	got, err = f.s.Follow(f.ctx, a.ID, b.ID)
	f.must(err)
	if got.ID != fl.ID || got.Pending || up.Pending || got.Reblogs || !got.Notify || got.URI != "https://x/f/1" {
		t.Errorf("after update: %+v (returned %+v)", got, up)
	}

	f.follow(c, b)
	ids, err := f.s.FollowerIDs(f.ctx, b.ID)
	f.must(err)
	slices.Sort(ids)
	if want := []int64{a.ID, c.ID}; !slices.Equal(ids, want) {
		t.Errorf("FollowerIDs = %v, want %v", ids, want)
	}
	// A walk a batch at a time, in id order, from where the last one ended.
	all := []int64{a.ID, c.ID}
	slices.Sort(all)
	for _, w := range []struct {
		after int64
		limit int
		want  []int64
	}{{0, 1, all[:1]}, {all[0], 1, all[1:]}, {0, 5, all}, {all[1], 5, nil}, {0, 0, nil}} {
		got, err := f.s.FollowerIDsAfter(f.ctx, b.ID, w.after, w.limit)
		f.must(err)
		if !slices.Equal(got, w.want) {
			t.Errorf("FollowerIDsAfter(after %d, limit %d) = %v, want %v", w.after, w.limit, got, w.want)
		}
	}
	f.request(c, a)
	if ids, _ := f.s.FollowerIDs(f.ctx, a.ID); len(ids) != 0 {
		t.Errorf("FollowerIDs counts a request: %v", ids)
	}
	if ids, _ := f.s.FollowerIDsAfter(f.ctx, a.ID, 0, 10); len(ids) != 0 {
		t.Errorf("FollowerIDsAfter counts a request: %v", ids)
	}

	for i, want := range []bool{true, false} {
		removed, err := f.s.DeleteFollow(f.ctx, a.ID, b.ID)
		f.must(err)
		if removed != want {
			t.Errorf("DeleteFollow #%d = %v", i+1, removed)
		}
	}
	removed, err := f.s.DeleteFollow(f.ctx, c.ID, a.ID) // withdrawing a request
	f.must(err)
	if !removed {
		t.Error("DeleteFollow of a request removed nothing")
	}
}

// testNotifyingFollowers: only accepted follows with notify on count, and
// the list follows changes to the follow.
func testNotifyingFollowers(t *testing.T, f *fx) {
	target, other := f.account("target"), f.account("other")
	put := func(a *model.Account, notify, pending bool) {
		f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: a.ID, TargetID: target.ID, Reblogs: true,
			Notify: notify, Pending: pending}))
	}
	check := func(what string, want ...*model.Account) {
		t.Helper()
		ids, err := f.s.NotifyingFollowerIDs(f.ctx, target.ID)
		f.must(err)
		slices.Sort(ids)
		wantIDs := []int64{}
		for _, a := range want {
			wantIDs = append(wantIDs, a.ID)
		}
		slices.Sort(wantIDs)
		if !slices.Equal(ids, wantIDs) && len(ids)+len(wantIDs) > 0 {
			t.Errorf("%s: NotifyingFollowerIDs = %v, want %v", what, ids, wantIDs)
		}
	}
	check("no followers")
	bell, quiet, asking, elsewhere := f.account("bell"), f.account("quiet"), f.account("asking"), f.account("elsewhere")
	put(bell, true, false)
	put(quiet, false, false)
	put(asking, true, true) // a request with notify: not a follower yet
	f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: elsewhere.ID, TargetID: other.ID, Notify: true}))
	check("one of four", bell)

	f.must(f.s.AcceptFollow(f.ctx, asking.ID, target.ID))
	check("after accepting the request", bell, asking)
	put(quiet, true, false)
	put(bell, false, false)
	check("after turning notify on and off", asking, quiet)
	f.must(f.s.PutBlock(f.ctx, target.ID, asking.ID))
	check("after a block", quiet)
	_, err := f.s.DeleteFollow(f.ctx, quiet.ID, target.ID)
	f.must(err)
	check("after unfollowing")

	ids, err := f.s.NotifyingFollowerIDs(f.ctx, other.ID)
	f.must(err)
	if !slices.Equal(ids, []int64{elsewhere.ID}) {
		t.Errorf("NotifyingFollowerIDs of another account = %v, want [%d]", ids, elsewhere.ID)
	}
}

// checkKeyedIDs checks the account IDs of a keyed listing of id.
func (f *fx) checkKeyedIDs(what string, list func(ctx context.Context, id int64, p store.Page) ([]store.Keyed[*model.Account], error), id int64, want []int64) {
	f.t.Helper()
	l, err := list(f.ctx, id, store.Page{})
	f.must(err)
	_, ids := keyedAccountIDs(l)
	if !slices.Equal(ids, want) && len(ids)+len(want) > 0 {
		f.t.Errorf("%s: %v, want %v", what, ids, want)
	}
}

func (f *fx) followCounts(a *model.Account, followers, following int) {
	f.t.Helper()
	got := f.reload(a)
	if got.FollowersCount != followers || got.FollowingCount != following {
		f.t.Errorf("%s (followers, following) = (%d, %d), want (%d, %d)", a.Username,
			got.FollowersCount, got.FollowingCount, followers, following)
	}
}

func testFollowCounters(t *testing.T, f *fx) {
	a, b, c := f.account("ca"), f.account("cb"), f.account("cc")
	f.follow(a, b)
	f.followCounts(a, 0, 1)
	f.followCounts(b, 1, 0)
	f.follow(a, b) // again: no double count
	f.followCounts(b, 1, 0)
	f.request(c, b)
	f.followCounts(b, 1, 0)
	f.followCounts(c, 0, 0)
	f.must(f.s.AcceptFollow(f.ctx, c.ID, b.ID))
	f.followCounts(b, 2, 0)
	f.followCounts(c, 0, 1)
	f.follow(b, c)
	f.followCounts(c, 1, 1)
	_, err := f.s.DeleteFollow(f.ctx, a.ID, b.ID)
	f.must(err)
	f.followCounts(a, 0, 0)
	f.followCounts(b, 1, 1)
	f.must(f.s.PutBlock(f.ctx, b.ID, c.ID)) // removes c→b and b→c
	f.followCounts(b, 0, 0)
	f.followCounts(c, 0, 0)
}

func testBlocks(t *testing.T, f *fx) {
	a, b, c := f.account("ba"), f.account("bb"), f.account("bc")
	f.follow(a, b)
	f.follow(b, a)
	f.must(f.s.PutBlock(f.ctx, a.ID, b.ID))
	f.must(f.s.PutBlock(f.ctx, a.ID, b.ID)) // idempotent
	for _, pair := range [][2]*model.Account{{a, b}, {b, a}} {
		if _, err := f.s.Follow(f.ctx, pair[0].ID, pair[1].ID); !isNotFound(err) {
			t.Errorf("follow %s→%s survived the block: %v", pair[0].Username, pair[1].Username, err)
		}
	}
	for _, c := range []struct {
		x, y *model.Account
		want bool
	}{{a, b, true}, {b, a, true}, {a, c, false}, {c, b, false}} {
		got, err := f.s.BlockedEither(f.ctx, c.x.ID, c.y.ID)
		f.must(err)
		if got != c.want {
			t.Errorf("BlockedEither(%s, %s) = %v", c.x.Username, c.y.Username, got)
		}
	}
	f.checkKeyedIDs("blocks", f.s.Blocks, a.ID, []int64{b.ID})
	f.must(f.s.DeleteBlock(f.ctx, a.ID, b.ID))
	f.must(f.s.DeleteBlock(f.ctx, a.ID, b.ID))
	if got, _ := f.s.BlockedEither(f.ctx, a.ID, b.ID); got {
		t.Error("still blocked after DeleteBlock")
	}
}

func testMutes(t *testing.T, f *fx) {
	a, b, c := f.account("ma"), f.account("mb"), f.account("mc")
	bPost := f.post(b, model.VisibilityPublic)
	cPost := f.post(c, model.VisibilityPublic)
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: a.ID, TargetID: b.ID, Notifications: true}))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: a.ID, TargetID: c.ID, ExpiresAt: ptime(time.Now().Add(-time.Second))}))
	f.checkKeyedIDs("mutes (expired left out)", f.s.Mutes, a.ID, []int64{b.ID})
	pub, err := f.s.PublicTimeline(f.ctx, a.ID, store.TimelineOptions{}, store.Page{})
	f.must(err)
	f.sameIDs("public of a muter (one mute expired)", statusIDs(pub), []int64{cPost.ID})

	rel, err := f.s.Relationships(f.ctx, a.ID, []int64{b.ID})
	f.must(err)
	if !rel[0].Muting || !rel[0].MutingNotifications {
		t.Errorf("relationship: %+v", rel[0])
	}
	// Updating a mute changes it in place.
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: a.ID, TargetID: b.ID, Notifications: false}))
	rel, err = f.s.Relationships(f.ctx, a.ID, []int64{b.ID})
	f.must(err)
	if !rel[0].Muting || rel[0].MutingNotifications {
		t.Errorf("relationship after update: %+v", rel[0])
	}
	f.must(f.s.DeleteMute(f.ctx, a.ID, b.ID))
	f.must(f.s.DeleteMute(f.ctx, a.ID, b.ID))
	pub, err = f.s.PublicTimeline(f.ctx, a.ID, store.TimelineOptions{}, store.Page{})
	f.must(err)
	f.sameIDs("public after unmute", statusIDs(pub), newestFirst(bPost, cPost))
}

func testRelationships(t *testing.T, f *fx) {
	me := f.account("me")
	friend, fan, asked, asker, blockedA, blockerA, muted := f.account("friend"), f.account("fan"),
		f.account("asked"), f.account("asker"), f.account("blocked"), f.account("blocker"), f.account("muted")
	f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: me.ID, TargetID: friend.ID, Reblogs: true, Notify: true}))
	f.follow(friend, me)
	f.follow(fan, me)
	f.request(me, asked)
	f.request(asker, me)
	f.must(f.s.PutBlock(f.ctx, me.ID, blockedA.ID))
	f.must(f.s.PutBlock(f.ctx, blockerA.ID, me.ID))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: me.ID, TargetID: muted.ID, Notifications: true}))
	f.must(f.s.SetNote(f.ctx, me.ID, friend.ID, "met at the café"))
	f.must(f.s.SetNote(f.ctx, friend.ID, me.ID, "not mine to see"))

	ids := []int64{muted.ID, friend.ID, fan.ID, asked.ID, asker.ID, blockedA.ID, blockerA.ID, 999}
	rels, err := f.s.Relationships(f.ctx, me.ID, ids)
	f.must(err)
	want := []model.Relationship{
		{ID: muted.ID, Muting: true, MutingNotifications: true},
		{ID: friend.ID, Following: true, ShowingReblogs: true, Notifying: true, FollowedBy: true, Note: "met at the café"},
		{ID: fan.ID, FollowedBy: true},
		{ID: asked.ID, Requested: true},
		{ID: asker.ID, RequestedBy: true},
		{ID: blockedA.ID, Blocking: true},
		{ID: blockerA.ID, BlockedBy: true},
		{ID: 999},
	}
	if len(rels) != len(want) {
		t.Fatalf("got %d relationships, want %d", len(rels), len(want))
	}
	for i := range want {
		if *rels[i] != want[i] {
			t.Errorf("relationship %d:\n got %+v\nwant %+v", i, *rels[i], want[i])
		}
	}
	f.must(f.s.SetNote(f.ctx, me.ID, friend.ID, "changed"))
	rels, _ = f.s.Relationships(f.ctx, me.ID, []int64{friend.ID})
	if rels[0].Note != "changed" {
		t.Errorf("note = %q", rels[0].Note)
	}
	f.must(f.s.SetNote(f.ctx, me.ID, friend.ID, ""))
	rels, _ = f.s.Relationships(f.ctx, me.ID, []int64{friend.ID})
	if rels[0].Note != "" {
		t.Errorf("cleared note = %q", rels[0].Note)
	}
}
