package core

import (
	"errors"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func ids(vs []*StatusView) []int64 {
	var out []int64
	for _, v := range vs {
		out = append(out, v.Status.ID)
	}
	return out
}

func sameIDs(got []int64, want ...int64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func TestTimelines(t *testing.T) {
	w := newStatusWorld(t)
	alice, bob, carol := w.user("alice"), w.user("bob"), w.user("carol")
	w.follow(alice, bob, false)
	b1 := w.post(bob, "bob public #Roost", model.VisibilityPublic)
	b2 := w.post(bob, "bob private", model.VisibilityPrivate)
	c1 := w.post(carol, "carol public #roost", model.VisibilityPublic)
	a1 := w.post(alice, "alice unlisted", model.VisibilityUnlisted)

	home, err := w.s.HomeTimeline(w.ctx, alice.ID, store.Page{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(home.Items); !sameIDs(got, a1.ID, b2.ID, b1.ID) {
		t.Errorf("home %v, want %v", got, []int64{a1.ID, b2.ID, b1.ID})
	}
	if home.Newest != a1.ID || home.Oldest != b1.ID {
		t.Errorf("home bounds %d..%d", home.Newest, home.Oldest)
	}
	for _, v := range home.Items {
		if v.ViewerID != alice.ID {
			t.Errorf("view not for alice: %+v", v)
		}
	}

	pub, err := w.s.PublicTimeline(w.ctx, 0, store.TimelineOptions{}, store.Page{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(pub.Items); !sameIDs(got, c1.ID, b1.ID) {
		t.Errorf("public %v", got)
	}
	page, err := w.s.PublicTimeline(w.ctx, 0, store.TimelineOptions{Local: true}, store.Page{Limit: 1, MaxID: c1.ID})
	if err != nil || !sameIDs(ids(page.Items), b1.ID) {
		t.Errorf("public page after %d: %v %v", c1.ID, err, ids(page.Items))
	}

	tag, err := w.s.TagTimeline(w.ctx, bob.ID, "#ROOST", store.TimelineOptions{}, store.Page{Limit: 20})
	if err != nil || !sameIDs(ids(tag.Items), c1.ID, b1.ID) {
		t.Errorf("tag: %v %v", err, ids(tag.Items))
	}

	prof, err := w.s.AccountStatuses(w.ctx, carol.ID, bob.ID, store.StatusFilter{}, store.Page{Limit: 20})
	if err != nil || !sameIDs(ids(prof.Items), b1.ID) {
		t.Errorf("bob's statuses for carol: %v %v", err, ids(prof.Items))
	}
	prof, err = w.s.AccountStatuses(w.ctx, alice.ID, bob.ID, store.StatusFilter{}, store.Page{Limit: 20})
	if err != nil || !sameIDs(ids(prof.Items), b2.ID, b1.ID) {
		t.Errorf("bob's statuses for a follower: %v %v", err, ids(prof.Items))
	}
	if _, err := w.s.AccountStatuses(w.ctx, alice.ID, 999, store.StatusFilter{}, store.Page{Limit: 20}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown account: %v", err)
	}
}

func TestBookmarksAndFavourites(t *testing.T) {
	w := newStatusWorld(t)
	alice, bob := w.user("alice"), w.user("bob")
	s1 := w.post(bob, "one", model.VisibilityPublic)
	s2 := w.post(bob, "two", model.VisibilityPublic)
	for _, st := range []*model.Status{s2, s1} { // bookmark the older one last
		if v, err := w.s.Bookmark(w.ctx, alice.ID, st.ID); err != nil || !v.Flags.Bookmarked {
			t.Fatalf("bookmark: %v %+v", err, v)
		}
		if _, err := w.s.Favourite(w.ctx, alice.ID, st.ID); err != nil {
			t.Fatal(err)
		}
	}
	bm, err := w.s.Bookmarks(w.ctx, alice.ID, store.Page{Limit: 20})
	if err != nil || !sameIDs(ids(bm.Items), s1.ID, s2.ID) {
		t.Fatalf("bookmarks, newest bookmark first: %v %v", err, ids(bm.Items))
	}
	if bm.Newest == s1.ID || bm.Newest == 0 {
		t.Errorf("bookmarks should be keyed by the bookmark, got %d", bm.Newest)
	}
	older, err := w.s.Bookmarks(w.ctx, alice.ID, store.Page{Limit: 20, MaxID: bm.Newest})
	if err != nil || !sameIDs(ids(older.Items), s2.ID) {
		t.Errorf("bookmarks before the newest: %v %v", err, ids(older.Items))
	}
	fav, err := w.s.Favourites(w.ctx, alice.ID, store.Page{Limit: 20})
	if err != nil || !sameIDs(ids(fav.Items), s1.ID, s2.ID) {
		t.Errorf("favourites: %v %v", err, ids(fav.Items))
	}
	// A bookmarked status that becomes invisible drops out.
	w.block(bob, alice)
	bm, err = w.s.Bookmarks(w.ctx, alice.ID, store.Page{Limit: 20})
	if err != nil || len(bm.Items) != 0 || bm.Newest == 0 {
		t.Errorf("bookmarks after a block: %v %v (bounds %d)", err, ids(bm.Items), bm.Newest)
	}
	if _, err := w.s.Unbookmark(w.ctx, alice.ID, s1.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unbookmark of an invisible status: %v", err)
	}
}

func TestPins(t *testing.T) {
	w := newStatusWorld(t)
	alice, bob := w.user("alice"), w.user("bob")
	var pinned []int64
	for range 5 {
		st := w.post(alice, "pin me", model.VisibilityPrivate)
		v, err := w.s.Pin(w.ctx, alice.ID, st.ID)
		if err != nil || !v.Flags.Pinned {
			t.Fatalf("pin: %v %+v", err, v)
		}
		pinned = append(pinned, st.ID)
	}
	if _, err := w.s.Pin(w.ctx, alice.ID, pinned[0]); err != nil {
		t.Errorf("pinning a pinned status again: %v", err)
	}
	_, err := w.s.Pin(w.ctx, alice.ID, w.post(alice, "sixth", model.VisibilityPublic).ID)
	wantErr(t, err, model.ErrInvalid, "You have already pinned the maximum number of posts")
	_, err = w.s.Pin(w.ctx, alice.ID, w.post(bob, "bob's", model.VisibilityPublic).ID)
	wantErr(t, err, model.ErrInvalid, "Someone else's post cannot be pinned")
	if _, err := w.s.Unpin(w.ctx, alice.ID, pinned[0]); err != nil {
		t.Fatal(err)
	}
	_, err = w.s.Pin(w.ctx, alice.ID, w.post(alice, "dm", model.VisibilityDirect).ID)
	wantErr(t, err, model.ErrInvalid, "Posts that are only visible to mentioned users cannot be pinned")
	pub := w.post(alice, "pub", model.VisibilityPublic)
	boost, err := w.s.Reblog(w.ctx, alice, w.post(bob, "x", model.VisibilityPublic).ID, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.s.Pin(w.ctx, alice.ID, boost.Status.ID)
	wantErr(t, err, model.ErrInvalid, "A boost cannot be pinned")
	if _, err := w.s.Pin(w.ctx, alice.ID, pub.ID); err != nil {
		t.Fatal(err)
	}
	l, err := w.s.AccountStatuses(w.ctx, 0, alice.ID, store.StatusFilter{Pinned: true}, store.Page{Limit: 20})
	if err != nil || !sameIDs(ids(l.Items), pub.ID) {
		t.Errorf("pinned statuses signed out (the private ones hidden): %v %v", err, ids(l.Items))
	}
}
