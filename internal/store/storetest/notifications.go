package storetest

import (
	"slices"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func testNotifications(t *testing.T, f *fx) {
	me, x, y, blocked, muted, quiet := f.account("me"), f.account("nx"), f.account("ny"),
		f.account("nblocked"), f.account("nmuted"), f.account("nquiet")
	st := f.post(me, model.VisibilityPublic)
	mk := func(from *model.Account, typ model.NotificationType) *model.Notification {
		n := &model.Notification{AccountID: me.ID, FromID: from.ID, Type: typ}
		if typ != model.NotifyFollow {
			n.StatusID = st.ID
		}
		f.must(f.s.CreateNotification(f.ctx, n))
		return n
	}
	n1 := mk(x, model.NotifyFavourite)
	n2 := mk(y, model.NotifyFollow)
	n3 := mk(x, model.NotifyMention)
	mk(blocked, model.NotifyMention)
	mk(muted, model.NotifyMention)
	n6 := mk(quiet, model.NotifyReblog) // muted without notifications: still notified
	n7 := mk(y, model.NotifyFavourite)
	n8 := mk(x, model.NotifyReblog)
	other := &model.Notification{AccountID: x.ID, FromID: me.ID, Type: model.NotifyFollow}
	f.must(f.s.CreateNotification(f.ctx, other))
	f.must(f.s.PutBlock(f.ctx, me.ID, blocked.ID))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: me.ID, TargetID: muted.ID, Notifications: true}))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: me.ID, TargetID: quiet.ID, Notifications: false}))

	list := func(nf store.NotificationFilter, p store.Page) []int64 {
		l, err := f.s.Notifications(f.ctx, me.ID, nf, p)
		f.must(err)
		ids := make([]int64, len(l))
		for i, n := range l {
			ids[i] = n.ID
		}
		return ids
	}
	all := []int64{n8.ID, n7.ID, n6.ID, n3.ID, n2.ID, n1.ID}
	cases := []struct {
		name string
		nf   store.NotificationFilter
		want []int64
	}{
		{"all", store.NotificationFilter{}, all},
		{"types", store.NotificationFilter{Types: []model.NotificationType{model.NotifyFavourite, model.NotifyFollow}},
			[]int64{n7.ID, n2.ID, n1.ID}},
		{"exclude types", store.NotificationFilter{ExcludeTypes: []model.NotificationType{model.NotifyFavourite, model.NotifyReblog}},
			[]int64{n3.ID, n2.ID}},
		{"from", store.NotificationFilter{FromID: x.ID}, []int64{n8.ID, n3.ID, n1.ID}},
		{"types and from", store.NotificationFilter{Types: []model.NotificationType{model.NotifyReblog}, FromID: x.ID}, []int64{n8.ID}},
	}
	for _, c := range cases {
		if got := list(c.nf, store.Page{}); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	f.checkPaging("notifications", func(p store.Page) []int64 { return list(store.NotificationFilter{}, p) }, all)

	got, err := f.s.Notification(f.ctx, me.ID, n2.ID)
	f.must(err)
	if got.FromID != y.ID || got.Type != model.NotifyFollow || got.StatusID != 0 || got.AccountID != me.ID {
		t.Errorf("Notification: %+v", got)
	}
	_, err = f.s.Notification(f.ctx, me.ID, other.ID)
	f.is(err, model.ErrNotFound)

	f.must(f.s.DismissNotification(f.ctx, me.ID, n2.ID))
	f.is(f.s.DismissNotification(f.ctx, me.ID, n2.ID), model.ErrNotFound)
	f.is(f.s.DismissNotification(f.ctx, me.ID, other.ID), model.ErrNotFound)
	_, err = f.s.Notification(f.ctx, me.ID, n2.ID)
	f.is(err, model.ErrNotFound)
	if got := list(store.NotificationFilter{}, store.Page{}); slices.Contains(got, n2.ID) || len(got) != 5 {
		t.Errorf("after dismiss: %v", got)
	}

	f.must(f.s.ClearNotifications(f.ctx, me.ID))
	if got := list(store.NotificationFilter{}, store.Page{}); len(got) != 0 {
		t.Errorf("after clear: %v", got)
	}
	if _, err := f.s.Notification(f.ctx, x.ID, other.ID); err != nil {
		t.Errorf("clearing mine removed someone else's: %v", err)
	}
}
