package core

import (
	"context"
	"errors"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// TestVisibilityMatrix checks every visibility against every kind of
// reader, through CanSee and through each read that shows a status.
func TestVisibilityMatrix(t *testing.T) {
	w := newStatusWorld(t)
	author := w.user("author")
	follower, mentioned, stranger := w.user("follower"), w.user("mentioned"), w.user("stranger")
	blocked, blocker := w.user("blocked"), w.user("blocker")
	w.follow(follower, author, false)
	w.follow(blocked, author, false)
	w.follow(blocker, author, false)
	w.block(author, blocked) // also removes blocked's follow
	w.block(blocker, author)

	readers := []struct {
		name string
		id   int64
	}{
		{"author", author.ID}, {"follower", follower.ID}, {"mentioned", mentioned.ID},
		{"stranger", stranger.ID}, {"signed out", 0}, {"blocked", blocked.ID}, {"blocker", blocker.ID},
	}
	want := map[model.Visibility][]bool{
		// author, follower, mentioned, stranger, signed out, blocked, blocker
		model.VisibilityPublic:   {true, true, true, true, true, false, false},
		model.VisibilityUnlisted: {true, true, true, true, true, false, false},
		model.VisibilityPrivate:  {true, true, true, false, false, false, false},
		model.VisibilityDirect:   {true, false, true, false, false, false, false},
	}
	for vis, wants := range want {
		st := w.post(author, "hello @mentioned @blocker", vis)
		for i, r := range readers {
			ok, err := w.s.CanSee(w.ctx, r.id, st)
			if err != nil {
				t.Fatal(err)
			}
			if ok != wants[i] {
				t.Errorf("%s status, %s: CanSee %v, want %v", vis, r.name, ok, wants[i])
			}
			checkReads(t, w, r.id, st.ID, wants[i], vis, r.name)
		}
	}
}

// checkReads checks that every single-status read agrees with CanSee.
func checkReads(t *testing.T, w *statusWorld, viewerID, id int64, visible bool, vis model.Visibility, who string) {
	t.Helper()
	ctx := w.ctx
	reads := map[string]func() error{
		"get":            func() error { _, err := w.s.Status(ctx, viewerID, id); return err },
		"context":        func() error { _, err := w.s.Context(ctx, viewerID, id); return err },
		"history":        func() error { _, _, err := w.s.StatusHistory(ctx, viewerID, id); return err },
		"favourited_by":  func() error { _, err := w.s.FavouritedBy(ctx, viewerID, id, store.Page{Limit: 5}); return err },
		"reblogged_by":   func() error { _, err := w.s.RebloggedBy(ctx, viewerID, id, store.Page{Limit: 5}); return err },
		"visible target": func() error { _, err := w.s.visibleTarget(ctx, viewerID, id); return err },
	}
	if viewerID != 0 {
		reads["bookmark"] = func() error {
			_, err := w.s.Bookmark(ctx, viewerID, id)
			if err == nil {
				_, err = w.s.Unbookmark(ctx, viewerID, id)
			}
			return err
		}
		reads["favourite"] = func() error {
			_, err := w.s.Favourite(ctx, viewerID, id)
			if err == nil {
				_, err = w.s.Unfavourite(ctx, viewerID, id)
			}
			return err
		}
	}
	for name, read := range reads {
		err := read()
		switch {
		case visible && err != nil:
			t.Errorf("%s status, %s: %s failed: %v", vis, who, name, err)
		case !visible && !errors.Is(err, model.ErrNotFound):
			t.Errorf("%s status, %s: %s = %v, want not found", vis, who, name, err)
		}
	}
}

func TestSuspendedAuthorHidden(t *testing.T) {
	w := newStatusWorld(t)
	author, reader := w.user("author"), w.user("reader")
	st := w.post(author, "soon gone", model.VisibilityPublic)
	if err := w.s.SuspendAccount(w.ctx, "author"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{0, reader.ID} {
		if _, err := w.s.Status(w.ctx, id, st.ID); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("viewer %d sees a suspended author's status: %v", id, err)
		}
	}
	if _, err := w.s.AccountStatuses(w.ctx, reader.ID, author.ID, store.StatusFilter{}, store.Page{Limit: 5}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("suspended account's statuses: %v", err)
	}
}

func TestBoostVisibility(t *testing.T) {
	w := newStatusWorld(t)
	author, booster, reader, blocked := w.user("author"), w.user("booster"), w.user("reader"), w.user("blocked")
	pub := w.post(author, "public", model.VisibilityPublic)
	boost, err := w.s.Reblog(w.ctx, booster, pub.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if boost.Reblog == nil || boost.Reblog.Status.ID != pub.ID || boost.Status.ReblogOfID != pub.ID {
		t.Fatalf("boost view %+v", boost)
	}
	w.block(author, blocked)
	if ok, _ := w.s.CanSee(w.ctx, reader.ID, boost.Status); !ok {
		t.Error("reader cannot see the boost of a public status")
	}
	if ok, _ := w.s.CanSee(w.ctx, blocked.ID, boost.Status); ok {
		t.Error("a boost shows a status of an account that blocks the viewer")
	}
	// Followers-only boost: only the booster's followers see it.
	unl, err := w.s.Reblog(w.ctx, reader, pub.ID, model.VisibilityPrivate)
	if err != nil || unl.Status.Visibility != model.VisibilityPrivate {
		t.Fatalf("private boost: %v %+v", err, unl)
	}
	if ok, _ := w.s.CanSee(w.ctx, booster.ID, unl.Status); ok {
		t.Error("a non-follower sees a followers-only boost")
	}

	// Only public and unlisted statuses may be boosted by others; one's own
	// followers-only status may be, as in Mastodon.
	w.follow(booster, author, false)
	priv := w.post(author, "private", model.VisibilityPrivate)
	if _, err := w.s.Reblog(w.ctx, booster, priv.ID, ""); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("boosting someone's private status: %v", err)
	}
	own, err := w.s.Reblog(w.ctx, author, priv.ID, model.VisibilityPublic)
	if err != nil || own.Status.Visibility != model.VisibilityPrivate {
		t.Errorf("self-boost of a private status: %v %+v", err, own)
	}
	dm := w.post(author, "@reader psst", model.VisibilityDirect)
	if _, err := w.s.Reblog(w.ctx, reader, dm.ID, ""); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("boosting a direct status: %v", err)
	}
	if _, err := w.s.Reblog(w.ctx, booster, dm.ID, ""); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("boosting an invisible status: %v", err)
	}
	if _, err := w.s.Reblog(w.ctx, reader, pub.ID, "direct"); err != nil {
		t.Errorf("boosting again returns the existing boost: %v", err)
	}
	if _, err := w.s.Reblog(w.ctx, blocked, w.post(booster, "x", model.VisibilityPublic).ID, "nonsense"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad boost visibility: %v", err)
	}
}

// countingStore counts the loads a page of statuses makes.
type countingStore struct {
	store.Store
	calls map[string]int
}

func (c *countingStore) Account(ctx context.Context, id int64) (*model.Account, error) {
	c.calls["Account"]++
	return c.Store.Account(ctx, id)
}

func (c *countingStore) AccountsByID(ctx context.Context, ids []int64) (map[int64]*model.Account, error) {
	c.calls["AccountsByID"]++
	return c.Store.AccountsByID(ctx, ids)
}

func (c *countingStore) Status(ctx context.Context, id int64) (*model.Status, error) {
	c.calls["Status"]++
	return c.Store.Status(ctx, id)
}

func (c *countingStore) StatusesByID(ctx context.Context, ids []int64) (map[int64]*model.Status, error) {
	c.calls["StatusesByID"]++
	return c.Store.StatusesByID(ctx, ids)
}

func (c *countingStore) StatusFlags(ctx context.Context, viewerID int64, ids []int64) (map[int64]model.StatusFlags, error) {
	c.calls["StatusFlags"]++
	return c.Store.StatusFlags(ctx, viewerID, ids)
}

func (c *countingStore) Relationships(ctx context.Context, id int64, ids []int64) ([]*model.Relationship, error) {
	c.calls["Relationships"]++
	return c.Store.Relationships(ctx, id, ids)
}

func TestHydrationIsBatched(t *testing.T) {
	w := newStatusWorld(t)
	reader := w.user("reader")
	var authors []*model.Account
	for _, n := range []string{"a1", "a2", "a3", "a4"} {
		a := w.user(n)
		authors = append(authors, a)
		w.follow(reader, a, false)
	}
	for i := range 12 {
		a := authors[i%len(authors)]
		st := w.post(a, "hello @reader @a1 #tag", model.VisibilityPublic)
		if i%3 == 0 {
			if _, err := w.s.Reblog(w.ctx, authors[(i+1)%len(authors)], st.ID, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	cs := &countingStore{Store: w.s.store, calls: map[string]int{}}
	w.s.store = cs
	l, err := w.s.HomeTimeline(w.ctx, reader.ID, store.Page{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != 16 {
		t.Fatalf("home has %d items, want 16", len(l.Items))
	}
	boosts := 0
	for _, v := range l.Items {
		if v.Reblog != nil {
			boosts++
			if v.Reblog.Account == nil || len(v.Reblog.Mentions) != 2 {
				t.Errorf("boosted status not hydrated: %+v", v.Reblog)
			}
		}
	}
	if boosts != 4 {
		t.Errorf("%d boosts, want 4", boosts)
	}
	want := map[string]int{"AccountsByID": 1, "StatusFlags": 1, "Relationships": 1}
	for k, n := range want {
		if cs.calls[k] != n {
			t.Errorf("%s called %d times, want %d", k, cs.calls[k], n)
		}
	}
	if cs.calls["Account"] != 0 || cs.calls["Status"] != 0 || cs.calls["StatusesByID"] > 1 {
		t.Errorf("per-item loads: %v", cs.calls)
	}
}
