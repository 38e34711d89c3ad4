package core

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

type relWorld struct {
	s            *Service
	alice, bob   *model.Account
	aAuth, bAuth *Auth
}

func newRelWorld(t *testing.T) *relWorld {
	s := newTestService(t)
	w := &relWorld{s: s, alice: mustCreateUser(t, s, "alice"), bob: mustCreateUser(t, s, "bob")}
	w.aAuth = mustAuth(t, s, mustToken(t, s, "alice", "read write follow"))
	w.bAuth = mustAuth(t, s, mustToken(t, s, "bob", "read write follow"))
	return w
}

func notificationTypes(t *testing.T, s *Service, accountID int64) []model.NotificationType {
	t.Helper()
	ns, err := s.store.Notifications(context.Background(), accountID, store.NotificationFilter{}, store.Page{Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	var out []model.NotificationType
	for _, n := range ns {
		out = append(out, n.Type)
	}
	return out
}

func TestFollowUnlocked(t *testing.T) {
	ctx := context.Background()
	w := newRelWorld(t)
	no := false
	r, err := w.s.Follow(ctx, w.aAuth, w.bob.ID, FollowOptions{Reblogs: &no})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Following || r.Requested || r.ShowingReblogs || r.Notifying || r.ID != w.bob.ID {
		t.Errorf("relationship = %+v", r)
	}
	if got := notificationTypes(t, w.s, w.bob.ID); len(got) != 1 || got[0] != model.NotifyFollow {
		t.Errorf("bob's notifications = %v, want one follow", got)
	}
	yes := true
	r, _ = w.s.Follow(ctx, w.aAuth, w.bob.ID, FollowOptions{Notify: &yes})
	if !r.Following || !r.Notifying || r.ShowingReblogs {
		t.Errorf("following again should only change notify: %+v", r)
	}
	if got := notificationTypes(t, w.s, w.bob.ID); len(got) != 1 {
		t.Errorf("following again notified again: %v", got)
	}
	rb, _ := w.s.Relationships(ctx, w.bAuth, []int64{w.alice.ID}, false)
	if len(rb) != 1 || !rb[0].FollowedBy {
		t.Errorf("bob's view: %+v", rb)
	}
	bob, _ := w.s.Account(ctx, 0, w.bob.ID)
	if bob.FollowersCount != 1 {
		t.Errorf("followers count %d", bob.FollowersCount)
	}
	r, _ = w.s.Unfollow(ctx, w.aAuth, w.bob.ID)
	if r.Following {
		t.Error("still following after unfollow")
	}
}

func TestFollowLockedAndRequests(t *testing.T) {
	ctx := context.Background()
	w := newRelWorld(t)
	locked := true
	if _, err := w.s.UpdateProfile(ctx, w.bAuth, ProfileUpdate{Locked: &locked}); err != nil {
		t.Fatal(err)
	}
	r, err := w.s.Follow(ctx, w.aAuth, w.bob.ID, FollowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Following || !r.Requested {
		t.Fatalf("follow of a locked account: %+v", r)
	}
	if got := notificationTypes(t, w.s, w.bob.ID); len(got) != 1 || got[0] != model.NotifyFollowRequest {
		t.Errorf("bob's notifications = %v, want one follow_request", got)
	}
	c, _ := w.s.Credentials(ctx, w.bAuth)
	if c.FollowRequests != 1 {
		t.Errorf("follow requests count %d", c.FollowRequests)
	}
	l, err := w.s.FollowRequests(ctx, w.bAuth, store.Page{Limit: 40})
	if err != nil || len(l.Items) != 1 || l.Items[0].ID != w.alice.ID {
		t.Fatalf("requests = %+v, %v", l, err)
	}
	rb, err := w.s.AuthorizeFollowRequest(ctx, w.bAuth, w.alice.ID)
	if err != nil || !rb.FollowedBy || rb.RequestedBy {
		t.Fatalf("authorize: %+v, %v", rb, err)
	}
	if got := notificationTypes(t, w.s, w.bob.ID); len(got) != 0 {
		t.Errorf("the settled request left notifications: %v", got)
	}
	if _, err := w.s.AuthorizeFollowRequest(ctx, w.bAuth, w.alice.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("authorizing an accepted follow again: %v", err)
	}

	carol := mustCreateUser(t, w.s, "carol")
	cAuth := mustAuth(t, w.s, mustToken(t, w.s, "carol", "follow"))
	if r, _ := w.s.Follow(ctx, cAuth, w.bob.ID, FollowOptions{}); !r.Requested {
		t.Fatal("carol's request not pending")
	}
	rb, err = w.s.RejectFollowRequest(ctx, w.bAuth, carol.ID)
	if err != nil || rb.FollowedBy || rb.RequestedBy {
		t.Fatalf("reject: %+v, %v", rb, err)
	}
	if _, err := w.s.RejectFollowRequest(ctx, w.bAuth, carol.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("rejecting twice: %v", err)
	}
}

func TestBlock(t *testing.T) {
	ctx := context.Background()
	w := newRelWorld(t)
	_, _ = w.s.Follow(ctx, w.aAuth, w.bob.ID, FollowOptions{})
	_, _ = w.s.Follow(ctx, w.bAuth, w.alice.ID, FollowOptions{})
	r, err := w.s.Block(ctx, w.aAuth, w.bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Blocking || r.Following || r.FollowedBy {
		t.Errorf("after block: %+v", r)
	}
	if _, err := w.s.Follow(ctx, w.bAuth, w.alice.ID, FollowOptions{}); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("following someone who blocks you: %v, want forbidden", err)
	}
	if _, err := w.s.Follow(ctx, w.aAuth, w.bob.ID, FollowOptions{}); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("following someone you block: %v, want forbidden", err)
	}
	rb, _ := w.s.Relationships(ctx, w.bAuth, []int64{w.alice.ID}, false)
	if !rb[0].BlockedBy {
		t.Errorf("bob does not see the block: %+v", rb[0])
	}
	l, err := w.s.Followers(ctx, w.bob.ID, w.alice.ID, store.Page{Limit: 40})
	if err != nil || len(l.Items) != 0 {
		t.Errorf("a blocked viewer sees the blocker's followers: %+v, %v", l, err)
	}
	bl, _ := w.s.Blocks(ctx, w.aAuth, store.Page{Limit: 40})
	if len(bl.Items) != 1 || bl.Items[0].ID != w.bob.ID {
		t.Errorf("blocks = %+v", bl.Items)
	}
	r, _ = w.s.Unblock(ctx, w.aAuth, w.bob.ID)
	if r.Blocking {
		t.Error("still blocking after unblock")
	}
	if _, err := w.s.Follow(ctx, w.bAuth, w.alice.ID, FollowOptions{}); err != nil {
		t.Errorf("follow after unblock: %v", err)
	}
}

func TestMuteAndNote(t *testing.T) {
	ctx := context.Background()
	w := newRelWorld(t)
	r, err := w.s.Mute(ctx, w.aAuth, w.bob.ID, false, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Muting || r.MutingNotifications {
		t.Errorf("mute without notifications: %+v", r)
	}
	r, _ = w.s.Mute(ctx, w.aAuth, w.bob.ID, true, 0)
	if !r.Muting || !r.MutingNotifications {
		t.Errorf("mute with notifications: %+v", r)
	}
	ml, _ := w.s.Mutes(ctx, w.aAuth, store.Page{Limit: 40})
	if len(ml.Items) != 1 {
		t.Errorf("mutes = %d", len(ml.Items))
	}
	if _, err := w.s.Mute(ctx, w.aAuth, w.bob.ID, true, -time.Second); fieldCodes(t, err)["duration"] == "" {
		t.Errorf("negative duration: %v", err)
	}
	r, _ = w.s.Unmute(ctx, w.aAuth, w.bob.ID)
	if r.Muting {
		t.Error("still muting")
	}
	r, err = w.s.SetNote(ctx, w.aAuth, w.bob.ID, "met at the bird fair")
	if err != nil || r.Note != "met at the bird fair" {
		t.Errorf("note: %+v, %v", r, err)
	}
	long := make([]rune, MaxNoteCommentLen+1)
	for i := range long {
		long[i] = 'x'
	}
	if _, err := w.s.SetNote(ctx, w.aAuth, w.bob.ID, string(long)); fieldCodes(t, err)["comment"] != "ERR_TOO_LONG" {
		t.Errorf("long note: %v", err)
	}
}

func TestRelationshipTargets(t *testing.T) {
	ctx := context.Background()
	w := newRelWorld(t)
	for name, act := range map[string]func() error{
		"follow self": func() error { _, err := w.s.Follow(ctx, w.aAuth, w.alice.ID, FollowOptions{}); return err },
		"block self":  func() error { _, err := w.s.Block(ctx, w.aAuth, w.alice.ID); return err },
		"mute nobody": func() error { _, err := w.s.Mute(ctx, w.aAuth, 12345, true, 0); return err },
	} {
		if err := act(); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
	rs, err := w.s.Relationships(ctx, w.aAuth, []int64{w.bob.ID, 999, w.bob.ID, w.alice.ID}, false)
	if err != nil || len(rs) != 2 || rs[0].ID != w.bob.ID || rs[1].ID != w.alice.ID {
		t.Errorf("relationships = %+v, %v", rs, err)
	}
}

func TestRemoveFromFollowers(t *testing.T) {
	ctx := context.Background()
	w := newRelWorld(t)
	_, _ = w.s.Follow(ctx, w.aAuth, w.bob.ID, FollowOptions{})
	r, err := w.s.RemoveFromFollowers(ctx, w.bAuth, w.alice.ID)
	if err != nil || r.FollowedBy {
		t.Fatalf("remove from followers: %+v, %v", r, err)
	}
	l, _ := w.s.Following(ctx, 0, w.alice.ID, store.Page{Limit: 40})
	if len(l.Items) != 0 {
		t.Errorf("alice still follows %d", len(l.Items))
	}
}

func TestSuspendedAccountHidden(t *testing.T) {
	ctx := context.Background()
	w := newRelWorld(t)
	if err := w.s.SuspendAccount(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Account(ctx, w.alice.ID, w.bob.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("suspended account visible: %v", err)
	}
	if _, err := w.s.LookupAccount(ctx, 0, "bob"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("suspended account found by lookup: %v", err)
	}
	if _, err := w.s.Follow(ctx, w.aAuth, w.bob.ID, FollowOptions{}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("follow of a suspended account: %v", err)
	}
	if rs, _ := w.s.Relationships(ctx, w.aAuth, []int64{w.bob.ID}, false); len(rs) != 0 {
		t.Errorf("relationship to a suspended account without with_suspended: %+v", rs)
	}
	if rs, _ := w.s.Relationships(ctx, w.aAuth, []int64{w.bob.ID}, true); len(rs) != 1 {
		t.Errorf("with_suspended: %+v", rs)
	}
}
