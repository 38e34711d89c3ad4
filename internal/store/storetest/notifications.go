package storetest

import (
	"slices"
	"testing"
	"time"

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

// testCreateNotifications: a batch is stored whole, with IDs and times
// filled in, and fails whole.
func testCreateNotifications(t *testing.T, f *fx) {
	me, x := f.account("batchme"), f.account("batchx")
	f.must(f.s.CreateNotifications(f.ctx, nil))
	st := f.post(x, model.VisibilityPublic)
	var ns []*model.Notification
	for range 250 { // more than one INSERT takes
		ns = append(ns, &model.Notification{AccountID: me.ID, FromID: x.ID, Type: model.NotifyStatus, StatusID: st.ID})
	}
	ns = append(ns, &model.Notification{AccountID: x.ID, FromID: me.ID, Type: model.NotifyFollow})
	f.must(f.s.CreateNotifications(f.ctx, ns))
	seen := map[int64]bool{}
	for _, n := range ns {
		if n.ID == 0 || n.CreatedAt.IsZero() || seen[n.ID] {
			t.Fatalf("CreateNotifications left %+v", n)
		}
		seen[n.ID] = true
	}
	got, err := f.s.Notification(f.ctx, x.ID, ns[250].ID)
	f.must(err)
	if got.FromID != me.ID || got.Type != model.NotifyFollow || got.StatusID != 0 {
		t.Errorf("stored %+v", got)
	}
	count := func(id int64) int {
		n, p := 0, store.Page{Limit: 40}
		for {
			l, err := f.s.Notifications(f.ctx, id, store.NotificationFilter{}, p)
			f.must(err)
			n += len(l)
			if len(l) < p.Limit {
				return n
			}
			p.MaxID = l[len(l)-1].ID
		}
	}
	if n := count(me.ID); n != 250 {
		t.Errorf("%d notifications stored, want 250", n)
	}

	// One bad row (an ID taken) and none of the batch is stored.
	bad := []*model.Notification{
		{AccountID: me.ID, FromID: x.ID, Type: model.NotifyMention, StatusID: st.ID},
		{ID: ns[0].ID, AccountID: me.ID, FromID: x.ID, Type: model.NotifyMention, StatusID: st.ID},
	}
	if err := f.s.CreateNotifications(f.ctx, bad); err == nil {
		t.Error("a batch with a taken ID was stored")
	}
	if n := count(me.ID); n != 250 {
		t.Errorf("a failed batch left %d notifications, want 250", n)
	}
}

// testNotificationRecipients: blocks either way, mutes (with and without
// notifications, expired ones not), suspension and remoteness, read for
// many recipients at once.
func testNotificationRecipients(t *testing.T, f *fx) {
	from := f.account("sender")
	plain, blocker, blocked, muter, quiet, expired, gone, far :=
		f.account("rplain"), f.account("rblocker"), f.account("rblocked"), f.account("rmuter"),
		f.account("rquiet"), f.account("rexpired"), f.account("rgone"), f.remote("rfar", "far.example")
	f.must(f.s.PutBlock(f.ctx, blocker.ID, from.ID))
	f.must(f.s.PutBlock(f.ctx, from.ID, blocked.ID))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: muter.ID, TargetID: from.ID, Notifications: true}))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: quiet.ID, TargetID: from.ID, Notifications: false}))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: expired.ID, TargetID: from.ID, Notifications: true,
		ExpiresAt: ptime(time.Now().Add(-time.Minute))}))
	f.must(f.s.PutMute(f.ctx, &model.Mute{AccountID: from.ID, TargetID: plain.ID, Notifications: true})) // the other way: no matter
	f.must(f.s.SetAccountSuspended(f.ctx, gone.ID, ptime(time.Now())))

	ids := []int64{plain.ID, blocker.ID, blocked.ID, muter.ID, quiet.ID, expired.ID, gone.ID, far.ID, 1}
	got, err := f.s.NotificationRecipients(f.ctx, from.ID, ids)
	f.must(err)
	want := map[int64]store.NotificationRecipient{
		plain.ID:   {ID: plain.ID, Local: true},
		blocker.ID: {ID: blocker.ID, Local: true, Blocked: true},
		blocked.ID: {ID: blocked.ID, Local: true, Blocked: true},
		muter.ID:   {ID: muter.ID, Local: true, Muting: true, MutingNotifications: true},
		quiet.ID:   {ID: quiet.ID, Local: true, Muting: true},
		expired.ID: {ID: expired.ID, Local: true},
		gone.ID:    {ID: gone.ID, Local: true, Suspended: true},
		far.ID:     {ID: far.ID},
	}
	if len(got) != len(want) {
		t.Errorf("%d recipients, want %d (a missing account is left out): %+v", len(got), len(want), got)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("recipient %d: %+v, want %+v", id, got[id], w)
		}
	}
	if got, err := f.s.NotificationRecipients(f.ctx, from.ID, nil); err != nil || len(got) != 0 {
		t.Errorf("no recipients: %v %v", got, err)
	}
}
