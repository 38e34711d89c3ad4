package storetest

import (
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// testInbound: remote statuses and follows are found by their ActivityPub
// ids; a URI is stored once.
func testInbound(t *testing.T, f *fx) {
	me := f.account("me")
	zed := f.remote("zed", "social.example")
	const uri = "https://social.example/users/zed/statuses/1"
	st := f.post(zed, model.VisibilityPublic, func(s *model.Status) { s.URI, s.URL = uri, uri })
	f.post(me, model.VisibilityPublic) // local, no URI
	got, err := f.s.StatusByURI(f.ctx, uri)
	f.must(err)
	if got.ID != st.ID || got.Text != st.Text || got.URI != uri {
		t.Errorf("StatusByURI = %+v, want status %d", got, st.ID)
	}
	for _, u := range []string{"", uri + "x", "https://SOCIAL.example/users/zed/statuses/1"} {
		_, err := f.s.StatusByURI(f.ctx, u)
		f.is(err, model.ErrNotFound)
	}
	dup := &model.Status{AccountID: zed.ID, URI: uri, Text: "again", Visibility: model.VisibilityPublic}
	f.is(f.s.CreateStatus(f.ctx, dup), model.ErrConflict)

	const furi = "https://social.example/follows/1"
	f.must(f.s.PutFollow(f.ctx, &model.Follow{AccountID: zed.ID, TargetID: me.ID, Pending: true, URI: furi}))
	fl, err := f.s.FollowByURI(f.ctx, furi)
	f.must(err)
	if fl.AccountID != zed.ID || fl.TargetID != me.ID || !fl.Pending || fl.URI != furi {
		t.Errorf("FollowByURI = %+v", fl)
	}
	for _, u := range []string{"", furi + "/2"} {
		_, err := f.s.FollowByURI(f.ctx, u)
		f.is(err, model.ErrNotFound)
	}
}

// testDeleteRemoteAccountData: a purge removes the remote account and all
// it wrote, and leaves everyone's counters equal to their rows.
func testDeleteRemoteAccountData(t *testing.T, f *fx) {
	me := f.account("me")
	other := f.account("other")
	zed := f.remote("zed", "social.example")
	mine := f.post(me, model.VisibilityPublic)
	f.follow(zed, me)
	f.follow(me, zed)
	z1 := f.post(zed, model.VisibilityPublic, replyTo(mine), mentioning(me))
	f.boost(zed, mine)
	f.boost(other, z1)
	_, err := f.s.AddFavourite(f.ctx, zed.ID, mine.ID)
	f.must(err)
	f.must(f.s.CreateNotification(f.ctx, &model.Notification{AccountID: me.ID, FromID: zed.ID,
		Type: model.NotifyFavourite, StatusID: mine.ID}))

	f.is(f.s.DeleteRemoteAccountData(f.ctx, me.ID), model.ErrInvalid)
	f.must(f.s.DeleteRemoteAccountData(f.ctx, zed.ID))
	f.is(f.s.DeleteRemoteAccountData(f.ctx, zed.ID), model.ErrNotFound)

	_, err = f.s.Account(f.ctx, zed.ID)
	f.is(err, model.ErrNotFound)
	_, err = f.s.Status(f.ctx, z1.ID)
	f.is(err, model.ErrNotFound)
	f.threadCounts(f.status(mine.ID), 0, 0, 0)
	f.followCounts(f.reload(me), 0, 0)
	if n := f.reload(other).StatusesCount; n != 0 {
		t.Errorf("booster's statuses_count = %d after the boosted status went, want 0", n)
	}
	ns, err := f.s.Notifications(f.ctx, me.ID, store.NotificationFilter{}, store.Page{})
	f.must(err)
	if len(ns) != 0 {
		t.Errorf("notifications left after purge: %d", len(ns))
	}
}
