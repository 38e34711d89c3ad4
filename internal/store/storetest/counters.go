package storetest

import (
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// statusCounts checks an account's statuses_count and last_status_at.
func (f *fx) statusCounts(a *model.Account, n int, last *model.Status) {
	f.t.Helper()
	got := f.reload(a)
	if got.StatusesCount != n {
		f.t.Errorf("%s statuses_count = %d, want %d", a.Username, got.StatusesCount, n)
	}
	switch {
	case last == nil && got.LastStatusAt != nil:
		f.t.Errorf("%s last_status_at = %v, want none", a.Username, got.LastStatusAt)
	case last != nil && (got.LastStatusAt == nil || !sameTime(*got.LastStatusAt, last.CreatedAt)):
		f.t.Errorf("%s last_status_at = %v, want %v", a.Username, got.LastStatusAt, last.CreatedAt)
	}
}

func (f *fx) threadCounts(st *model.Status, replies, reblogs, favs int) {
	f.t.Helper()
	got := f.status(st.ID)
	if got.RepliesCount != replies || got.ReblogsCount != reblogs || got.FavouritesCount != favs {
		f.t.Errorf("status %d counts (replies, reblogs, favourites) = (%d, %d, %d), want (%d, %d, %d)", st.ID,
			got.RepliesCount, got.ReblogsCount, got.FavouritesCount, replies, reblogs, favs)
	}
}

func at(t time.Time) func(*model.Status) { return func(st *model.Status) { st.CreatedAt = t } }

func testStatusCounters(t *testing.T, f *fx) {
	a, b := f.account("cnt"), f.account("cnb")
	base := time.Now().UTC().Add(-time.Hour)
	f.statusCounts(a, 0, nil)
	s1 := f.post(a, model.VisibilityPublic, at(base))
	s2 := f.post(a, model.VisibilityPrivate, at(base.Add(time.Minute)))
	f.post(a, model.VisibilityDirect, mentioning(b), at(base.Add(2*time.Minute)))
	f.statusCounts(a, 2, s2) // direct messages are not counted

	r1 := f.post(b, model.VisibilityPublic, replyTo(s1), at(base.Add(3*time.Minute)))
	r2 := f.post(b, model.VisibilityUnlisted, replyTo(s1), at(base.Add(4*time.Minute)))
	rPriv := f.post(b, model.VisibilityPrivate, replyTo(s1), at(base.Add(5*time.Minute)))
	f.threadCounts(s1, 2, 0, 0) // only public and unlisted replies count

	bst := f.boost(b, s1)
	f.threadCounts(s1, 2, 1, 0)
	f.statusCounts(b, 4, bst)

	f.must(f.s.DeleteStatus(f.ctx, r1.ID))
	f.threadCounts(s1, 1, 1, 0)
	f.must(f.s.DeleteStatus(f.ctx, rPriv.ID))
	f.threadCounts(s1, 1, 1, 0)
	f.must(f.s.DeleteStatus(f.ctx, bst.ID)) // unboost
	f.threadCounts(s1, 1, 0, 0)
	f.statusCounts(b, 1, r2)

	f.must(f.s.DeleteStatus(f.ctx, s2.ID))
	f.statusCounts(a, 1, s1)
	f.is(f.s.DeleteStatus(f.ctx, s2.ID), model.ErrNotFound)
}

func testDeleteCascades(t *testing.T, f *fx) {
	a, b, c := f.account("del"), f.account("dfan"), f.account("dself")
	st := f.post(a, model.VisibilityPublic, mentioning(b), tagged("gone"))
	keep := f.post(a, model.VisibilityPublic, tagged("gone"))
	reply := f.post(b, model.VisibilityPublic, replyTo(st))
	bBoost := f.boost(b, st)
	aBoost := f.boost(a, st) // a self-boost: a's counters lose both
	cBoost := f.boost(c, st)
	_, err := f.s.AddFavourite(f.ctx, b.ID, st.ID)
	f.must(err)
	f.must(f.s.AddBookmark(f.ctx, b.ID, st.ID))
	f.must(f.s.AddPin(f.ctx, a.ID, st.ID))
	f.must(f.s.EditStatus(f.ctx, st, &model.StatusEdit{Text: "before"}))
	f.must(f.s.RememberIdempotency(f.ctx, a.ID, "k", st.ID, time.Now().Add(time.Hour)))
	for _, n := range []*model.Notification{
		{AccountID: b.ID, FromID: a.ID, Type: model.NotifyMention, StatusID: st.ID},
		{AccountID: a.ID, FromID: b.ID, Type: model.NotifyReblog, StatusID: bBoost.ID},
		{AccountID: a.ID, FromID: b.ID, Type: model.NotifyFollow},
	} {
		f.must(f.s.CreateNotification(f.ctx, n))
	}
	f.statusCounts(a, 3, aBoost)
	f.statusCounts(c, 1, cBoost)

	f.must(f.s.DeleteStatus(f.ctx, st.ID))

	for _, id := range []int64{st.ID, bBoost.ID, aBoost.ID, cBoost.ID} {
		_, err := f.s.Status(f.ctx, id)
		f.is(err, model.ErrNotFound)
	}
	if got := f.status(reply.ID); got.InReplyToID != st.ID {
		t.Errorf("reply lost its parent reference: %+v", got)
	}
	f.statusCounts(a, 1, keep)
	f.statusCounts(b, 1, reply)
	f.statusCounts(c, 0, nil)
	if l, _ := f.s.Favourites(f.ctx, b.ID, store.Page{}); len(l) != 0 {
		t.Errorf("favourites survive: %v", l)
	}
	if l, _ := f.s.Bookmarks(f.ctx, b.ID, store.Page{}); len(l) != 0 {
		t.Errorf("bookmarks survive: %v", l)
	}
	if n, _ := f.s.CountPins(f.ctx, a.ID); n != 0 {
		t.Errorf("pins survive: %d", n)
	}
	if l, _ := f.s.StatusEdits(f.ctx, st.ID); len(l) != 0 {
		t.Errorf("history survives: %v", l)
	}
	if _, err := f.s.IdempotentStatus(f.ctx, a.ID, "k", time.Now()); !isNotFound(err) {
		t.Errorf("idempotency key survives: %v", err)
	}
	nb, _ := f.s.Notifications(f.ctx, b.ID, store.NotificationFilter{}, store.Page{})
	na, _ := f.s.Notifications(f.ctx, a.ID, store.NotificationFilter{}, store.Page{})
	if len(nb) != 0 || len(na) != 1 || na[0].Type != model.NotifyFollow {
		t.Errorf("notifications: b %v, a %v; want only a's follow", nb, na)
	}
	tl, err := f.s.TagTimeline(f.ctx, 0, "gone", store.TimelineOptions{}, store.Page{})
	f.must(err)
	f.sameIDs("tag timeline after delete", statusIDs(tl), []int64{keep.ID})
}
