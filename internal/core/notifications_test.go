package core

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

func types(ns []*NotificationView) []model.NotificationType {
	var out []model.NotificationType
	for _, n := range ns {
		out = append(out, n.Notification.Type)
	}
	return out
}

func TestInteractionNotifications(t *testing.T) {
	w := newStatusWorld(t)
	alice, bob := w.user("alice"), w.user("bob")
	st := w.post(alice, "hello", model.VisibilityPublic)

	v, err := w.s.Favourite(w.ctx, bob.ID, st.ID)
	if err != nil || !v.Flags.Favourited || v.Status.FavouritesCount != 1 {
		t.Fatalf("favourite: %v %+v", err, v)
	}
	if _, err := w.s.Favourite(w.ctx, bob.ID, st.ID); err != nil {
		t.Fatal(err)
	}
	boost, err := w.s.Reblog(w.ctx, bob, st.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	ns := w.notifications(alice)
	if got := types(ns); len(got) != 2 || got[0] != model.NotifyReblog || got[1] != model.NotifyFavourite {
		t.Fatalf("alice's notifications %v, want reblog, favourite", got)
	}
	if ns[0].Status.Status.ID != st.ID || ns[0].Account.ID != bob.ID {
		t.Errorf("reblog notification shows %d, want the boosted status %d", ns[0].Status.Status.ID, st.ID)
	}

	// Favouriting through the boost favourites the status itself.
	if v, err := w.s.Unfavourite(w.ctx, bob.ID, boost.Status.ID); err != nil || v.Flags.Favourited || v.Status.ID != st.ID {
		t.Fatalf("unfavourite through boost: %v %+v", err, v)
	}
	if v, err := w.s.Unreblog(w.ctx, bob.ID, st.ID); err != nil || v.Flags.Reblogged || v.Status.ReblogsCount != 0 {
		t.Fatalf("unreblog: %v %+v", err, v)
	}
	if got := types(w.notifications(alice)); len(got) != 0 {
		t.Errorf("undone actions left notifications %v", got)
	}
	// One's own actions notify nobody.
	if _, err := w.s.Favourite(w.ctx, alice.ID, st.ID); err != nil {
		t.Fatal(err)
	}
	if got := types(w.notifications(alice)); len(got) != 0 {
		t.Errorf("self-favourite notified: %v", got)
	}
}

func TestNotificationsRespectBlocksAndMutes(t *testing.T) {
	w := newStatusWorld(t)
	alice, blocker, muter, quiet := w.user("alice"), w.user("blocker"), w.user("muter"), w.user("quiet")
	w.block(blocker, alice)
	w.mute(muter, alice, false)
	w.mute(quiet, alice, true)
	w.post(alice, "hi @blocker @muter @quiet", model.VisibilityPublic)
	for _, a := range []*model.Account{blocker, muter, quiet} {
		if got := w.notifications(a); len(got) != 0 {
			t.Errorf("%s was told of a mention: %v", a.Username, types(got))
		}
	}
	// A plain mute lets favourites through; a mute with notifications and
	// a block do not.
	for _, a := range []*model.Account{blocker, muter, quiet} {
		st := w.post(a, "mine", model.VisibilityPublic)
		_, _ = w.s.Favourite(w.ctx, alice.ID, st.ID)
	}
	if got := types(w.notifications(muter)); len(got) != 1 || got[0] != model.NotifyFavourite {
		t.Errorf("muter: %v", got)
	}
	if got := w.notifications(quiet); len(got) != 0 {
		t.Errorf("quiet: %v", types(got))
	}
	if got := w.notifications(blocker); len(got) != 0 {
		t.Errorf("blocker: %v", types(got))
	}
}

func TestStatusNotificationsForNotifyFollowers(t *testing.T) {
	w := newStatusWorld(t)
	alice, fan, plain, other := w.user("alice"), w.user("fan"), w.user("plain"), w.user("other")
	w.follow(fan, alice, true)
	w.follow(plain, alice, false)
	st := w.post(alice, "news", model.VisibilityPublic)
	w.post(alice, "@fan a secret", model.VisibilityDirect)
	w.reply(alice, w.post(other, "q", model.VisibilityPublic), "answer", model.VisibilityPublic)
	w.reply(alice, st, "thread", model.VisibilityPublic)

	got := w.notifications(fan)
	// news, the mention in the direct message, and the self-reply.
	if tt := types(got); len(tt) != 3 || tt[0] != model.NotifyStatus || tt[1] != model.NotifyMention || tt[2] != model.NotifyStatus {
		t.Errorf("fan's notifications %v", tt)
	}
	if got := w.notifications(plain); len(got) != 0 {
		t.Errorf("plain follower was told: %v", types(got))
	}
}

func TestNotificationListing(t *testing.T) {
	w := newStatusWorld(t)
	alice, bob, carol := w.user("alice"), w.user("bob"), w.user("carol")
	w.follow(bob, alice, false)
	st := w.post(alice, "hello", model.VisibilityPrivate)
	if _, err := w.s.Favourite(w.ctx, bob.ID, st.ID); err != nil {
		t.Fatal(err)
	}
	w.post(carol, "@alice hi", model.VisibilityPublic)

	list := func(f store.NotificationFilter) []model.NotificationType {
		t.Helper()
		l, err := w.s.Notifications(w.ctx, alice.ID, f, store.Page{Limit: 40})
		if err != nil {
			t.Fatal(err)
		}
		return types(l.Items)
	}
	if got := list(store.NotificationFilter{}); len(got) != 3 {
		t.Errorf("all: %v", got)
	}
	if got := list(store.NotificationFilter{Types: []model.NotificationType{model.NotifyMention}}); len(got) != 1 || got[0] != model.NotifyMention {
		t.Errorf("types=mention: %v", got)
	}
	if got := list(store.NotificationFilter{ExcludeTypes: []model.NotificationType{model.NotifyMention, model.NotifyFollow}}); len(got) != 1 || got[0] != model.NotifyFavourite {
		t.Errorf("exclude mention, follow: %v", got)
	}
	if got := list(store.NotificationFilter{FromID: bob.ID}); len(got) != 2 {
		t.Errorf("from bob: %v", got)
	}

	all, err := w.s.Notifications(w.ctx, alice.ID, store.NotificationFilter{}, store.Page{Limit: 2})
	if err != nil || len(all.Items) != 2 || all.Newest != all.Items[0].Notification.ID || all.Oldest != all.Items[1].Notification.ID {
		t.Fatalf("page: %v %+v", err, all)
	}
	// Items[0] is carol's mention, Items[1] bob's favourite.
	one, err := w.s.Notification(w.ctx, alice.ID, all.Items[1].Notification.ID)
	if err != nil || one.Notification.Type != model.NotifyFavourite || one.Status.Status.ID != st.ID {
		t.Fatalf("get: %v %+v", err, one)
	}
	if _, err := w.s.Notification(w.ctx, bob.ID, one.Notification.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("someone else's notification: %v", err)
	}
	if err := w.s.DismissNotification(w.ctx, alice.ID, one.Notification.ID); err != nil {
		t.Fatal(err)
	}
	if got := list(store.NotificationFilter{}); len(got) != 2 || got[0] != model.NotifyMention {
		t.Errorf("after dismiss: %v", got)
	}
	// Once carol blocks alice, alice may no longer see carol's status, so
	// the mention is dropped.
	mention := all.Items[0].Notification.ID
	w.block(carol, alice)
	if got := list(store.NotificationFilter{}); len(got) != 1 || got[0] != model.NotifyFollow {
		t.Errorf("after carol's block: %v", got)
	}
	if _, err := w.s.Notification(w.ctx, alice.ID, mention); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("notification about an invisible status: %v", err)
	}
	if err := w.s.ClearNotifications(w.ctx, alice.ID); err != nil {
		t.Fatal(err)
	}
	if got := list(store.NotificationFilter{}); len(got) != 0 {
		t.Errorf("after clear: %v", got)
	}
}

func TestMarkers(t *testing.T) {
	w := newStatusWorld(t)
	alice := w.user("alice")
	ms, err := w.s.SetMarkers(w.ctx, alice.ID, map[string]int64{"home": 42, "bogus": 7})
	if err != nil || len(ms) != 1 || ms[0].Timeline != "home" || ms[0].LastReadID != 42 {
		t.Fatalf("set: %v %+v", err, ms)
	}
	v1 := ms[0].Version
	ms, err = w.s.SetMarkers(w.ctx, alice.ID, map[string]int64{"home": 43, "notifications": 9})
	if err != nil || len(ms) != 2 {
		t.Fatalf("set again: %v %+v", err, ms)
	}
	got, err := w.s.Markers(w.ctx, alice.ID, []string{"home", "notifications", "home", "other"})
	if err != nil || len(got) != 2 {
		t.Fatalf("get: %v %+v", err, got)
	}
	for _, m := range got {
		if m.Timeline == "home" && (m.LastReadID != 43 || m.Version <= v1) {
			t.Errorf("home marker %+v (first version %d)", m, v1)
		}
	}
	if got, err := w.s.Markers(w.ctx, alice.ID, nil); err != nil || len(got) != 0 {
		t.Errorf("no timelines asked: %v %+v", err, got)
	}
	if _, err := w.s.SetMarkers(w.ctx, alice.ID, map[string]int64{"home": 0}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("zero last read ID: %v", err)
	}
}

// notifyCountingStore counts the store calls that sending notifications
// makes.
type notifyCountingStore struct {
	store.Store
	calls map[string]int
}

func (c *notifyCountingStore) NotificationRecipients(ctx context.Context, from int64, ids []int64) (map[int64]store.NotificationRecipient, error) {
	c.calls["NotificationRecipients"]++
	return c.Store.NotificationRecipients(ctx, from, ids)
}

func (c *notifyCountingStore) CreateNotifications(ctx context.Context, ns []*model.Notification) error {
	c.calls["CreateNotifications"]++
	return c.Store.CreateNotifications(ctx, ns)
}

func (c *notifyCountingStore) CreateNotification(ctx context.Context, n *model.Notification) error {
	c.calls["CreateNotification"]++
	return c.Store.CreateNotification(ctx, n)
}

func (c *notifyCountingStore) Relationships(ctx context.Context, id int64, ids []int64) ([]*model.Relationship, error) {
	c.calls["Relationships"]++
	return c.Store.Relationships(ctx, id, ids)
}

func (c *notifyCountingStore) Follow(ctx context.Context, a, b int64) (*model.Follow, error) {
	c.calls["Follow"]++
	return c.Store.Follow(ctx, a, b)
}

// TestPostingNotifiesInOneBatch: a post's mentions and "status"
// notifications are decided with one read of all recipients and stored
// with one write, whatever the number of followers, and still respect
// mutes, blocks and suspensions.
func TestPostingNotifiesInOneBatch(t *testing.T) {
	w := newStatusWorld(t)
	alice, friend := w.user("alice"), w.user("friend")
	var fans []*model.Account
	for i := range 12 {
		fan := w.user(fmt.Sprintf("fan%d", i))
		w.follow(fan, alice, true)
		fans = append(fans, fan)
	}
	w.follow(friend, alice, true) // mentioned too: told once, of the mention
	w.mute(fans[0], alice, false) // a plain mute silences "status"
	w.block(fans[1], alice)
	now := time.Now()
	if err := w.s.store.SetAccountSuspended(w.ctx, fans[2].ID, &now); err != nil {
		t.Fatal(err)
	}
	cs := &notifyCountingStore{Store: w.s.store, calls: map[string]int{}}
	w.s.store = cs
	w.post(alice, "hello @friend", model.VisibilityPublic)
	want := map[string]int{"NotificationRecipients": 1, "CreateNotifications": 1}
	for _, k := range []string{"NotificationRecipients", "CreateNotifications", "CreateNotification", "Relationships", "Follow"} {
		if cs.calls[k] != want[k] {
			t.Errorf("posting called %s %d times, want %d", k, cs.calls[k], want[k])
		}
	}
	w.s.store = cs.Store
	if got := types(w.notifications(friend)); len(got) != 1 || got[0] != model.NotifyMention {
		t.Errorf("friend: %v, want one mention", got)
	}
	for i, fan := range fans {
		got := types(w.notifications(fan))
		if told := len(got) == 1 && got[0] == model.NotifyStatus; told != (i > 2) || (i <= 2 && len(got) != 0) {
			t.Errorf("fan%d: %v", i, got)
		}
	}
}
