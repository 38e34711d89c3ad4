package core

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
)

// retentionEnv is a service under a 30-day policy for statuses, DMs and
// accounts, 90 days for notifications, on a settable clock.
type retentionEnv struct {
	s     *Service
	clock *testClock
	pub   *recordingPublisher
	ctx   context.Context
	local *model.Account
}

func newRetentionEnv(t *testing.T) *retentionEnv {
	t.Helper()
	set := testSettings()
	set.Retention = retention.Policy{
		retention.RemoteStatuses: 30 * retention.Day,
		retention.DirectMessages: 30 * retention.Day,
		retention.RemoteAccounts: 30 * retention.Day,
		retention.Notifications:  90 * retention.Day,
		retention.Delivery:       retention.Day, // raised to three days by core
	}
	clock := newTestClock()
	e := &retentionEnv{s: newTestServiceWith(t, set, clock.Now), clock: clock, pub: &recordingPublisher{}, ctx: context.Background()}
	e.s.SetPublisher(e.pub)
	e.local = mustCreateUser(t, e.s, "alice")
	return e
}

func (e *retentionEnv) remote(t *testing.T, name string) *model.Account {
	t.Helper()
	a := &model.Account{Username: name, Domain: "far.example", URI: "https://far.example/users/" + name,
		CreatedAt: e.clock.Now().Add(-100 * retention.Day), UpdatedAt: e.clock.Now().Add(-100 * retention.Day)}
	if err := e.s.store.CreateRemoteAccount(e.ctx, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// status stores a status by author written age ago.
func (e *retentionEnv) status(t *testing.T, author *model.Account, vis model.Visibility, age time.Duration, mention ...*model.Account) *model.Status {
	t.Helper()
	st := &model.Status{AccountID: author.ID, Text: "t", Content: "<p>t</p>", Visibility: vis,
		Local: author.Domain == "", CreatedAt: e.clock.Now().Add(-age)}
	if author.Domain != "" {
		st.URI = author.URI + "/statuses/" + time.Now().Format("150405.000000000")
	}
	for _, m := range mention {
		st.Mentions = append(st.Mentions, model.Mention{AccountID: m.ID, Username: m.Username, Acct: m.Acct()})
	}
	if err := e.s.store.CreateStatus(e.ctx, st); err != nil {
		t.Fatal(err)
	}
	return st
}

func (e *retentionEnv) exists(t *testing.T, id int64) bool {
	t.Helper()
	_, err := e.s.store.Status(e.ctx, id)
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// TestPurgeRemoteStatuses: an old remote status goes with its dependent
// rows and sends nothing; interacted-with, fresh and held authors' statuses
// stay; batches are bounded.
func TestPurgeRemoteStatuses(t *testing.T) {
	e := newRetentionEnv(t)
	far, other, held := e.remote(t, "far"), e.remote(t, "other"), e.remote(t, "held")
	old := 40 * retention.Day
	plain1 := e.status(t, far, model.VisibilityPublic, old)
	plain2 := e.status(t, far, model.VisibilityPublic, old)
	faved := e.status(t, far, model.VisibilityPublic, old)
	fresh := e.status(t, far, model.VisibilityPublic, 10*retention.Day)
	byHeld := e.status(t, held, model.VisibilityPublic, old)
	if _, err := e.s.store.AddFavourite(e.ctx, e.local.ID, faved.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.store.AddFavourite(e.ctx, other.ID, plain1.ID); err != nil { // goes with plain1
		t.Fatal(err)
	}
	if err := e.s.PutHold(e.ctx, held.ID, e.clock.Now().Add(60*retention.Day)); err != nil {
		t.Fatal(err)
	}

	if n, err := e.s.PurgeBatch(e.ctx, retention.RemoteStatuses, 1); err != nil || n != 1 {
		t.Fatalf("first batch of 1 = %d, %v", n, err)
	}
	if n, err := e.s.PurgeBatch(e.ctx, retention.RemoteStatuses, 10); err != nil || n != 1 {
		t.Fatalf("second batch = %d, %v; want the other plain status", n, err)
	}
	if n, err := e.s.PurgeBatch(e.ctx, retention.RemoteStatuses, 10); err != nil || n != 0 {
		t.Fatalf("third batch = %d, %v; want nothing left", n, err)
	}
	for _, c := range []struct {
		name string
		st   *model.Status
		want bool
	}{{"plain1", plain1, false}, {"plain2", plain2, false}, {"faved", faved, true}, {"fresh", fresh, true}, {"byHeld", byHeld, true}} {
		if got := e.exists(t, c.st.ID); got != c.want {
			t.Errorf("%s exists = %v, want %v", c.name, got, c.want)
		}
	}
	if got, _ := e.s.store.Account(e.ctx, other.ID); got.ID != other.ID {
		t.Errorf("the remote favouriter went too")
	}
	if len(e.pub.kinds()) != 0 {
		t.Errorf("a cache purge published %v", e.pub.kinds())
	}

	// When the hold lapses, the held author's status is purged.
	e.clock.Advance(61 * retention.Day)
	if n, err := e.s.PurgeBatch(e.ctx, retention.RemoteStatuses, 10); err != nil || n != 2 {
		t.Errorf("after the hold = %d, %v; want byHeld and fresh", n, err)
	}
	if e.exists(t, byHeld.ID) || !e.exists(t, faved.ID) {
		t.Errorf("after the hold: byHeld %v (want gone), faved %v (want kept)", e.exists(t, byHeld.ID), e.exists(t, faved.ID))
	}
}

// TestPurgeDirectMessages: old DMs go, a local one with a published
// deletion so that federation sends its Delete, a remote one silently.
func TestPurgeDirectMessages(t *testing.T) {
	e := newRetentionEnv(t)
	far := e.remote(t, "far")
	bob := mustCreateUser(t, e.s, "bob")
	old := 40 * retention.Day
	mine := e.status(t, e.local, model.VisibilityDirect, old, bob, far)
	theirs := e.status(t, far, model.VisibilityDirect, old, e.local)
	recent := e.status(t, e.local, model.VisibilityDirect, retention.Day, bob)
	if n, err := e.s.PurgeBatch(e.ctx, retention.DirectMessages, 10); err != nil || n != 2 {
		t.Fatalf("PurgeBatch = %d, %v; want 2", n, err)
	}
	if e.exists(t, mine.ID) || e.exists(t, theirs.ID) || !e.exists(t, recent.ID) {
		t.Errorf("mine %v theirs %v recent %v; want gone, gone, kept", e.exists(t, mine.ID), e.exists(t, theirs.ID), e.exists(t, recent.ID))
	}
	if len(e.pub.events) != 1 {
		t.Fatalf("events %v, want one deletion", e.pub.kinds())
	}
	ev := e.pub.events[0]
	if ev.Kind != EventStatusDeleted || ev.StatusID != mine.ID || ev.ActorID != e.local.ID {
		t.Errorf("event %+v, want the deletion of %d by %d", ev, mine.ID, e.local.ID)
	}
}

// TestPurgeRemoteAccounts: a cached account nothing refers to goes with its
// keys; one a local account follows stays; a held one stays until the
// hold lapses.
func TestPurgeRemoteAccounts(t *testing.T) {
	e := newRetentionEnv(t)
	lonely, followed := e.remote(t, "lonely"), e.remote(t, "followed")
	held := e.remote(t, "held")
	if err := e.s.store.PutFollow(e.ctx, &model.Follow{AccountID: e.local.ID, TargetID: followed.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.HoldAccount(e.ctx, "held@far.example", e.clock.Now().Add(retention.Day)); err != nil {
		t.Fatal(err)
	}
	if n, err := e.s.PurgeBatch(e.ctx, retention.RemoteAccounts, 10); err != nil || n != 1 {
		t.Fatalf("PurgeBatch = %d, %v; want 1", n, err)
	}
	if _, err := e.s.store.Account(e.ctx, lonely.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("lonely: %v, want not found", err)
	}
	for _, a := range []*model.Account{followed, held} {
		if _, err := e.s.store.Account(e.ctx, a.ID); err != nil {
			t.Errorf("%s: %v", a.Username, err)
		}
	}
	e.clock.Advance(2 * retention.Day)
	if n, err := e.s.PurgeBatch(e.ctx, retention.RemoteAccounts, 10); err != nil || n != 1 {
		t.Errorf("after the hold = %d, %v; want the held account", n, err)
	}
}

// TestPurgeNotificationsAndForever: notifications go after 90 days; a
// category the policy keeps forever purges nothing.
func TestPurgeNotificationsAndForever(t *testing.T) {
	e := newRetentionEnv(t)
	far := e.remote(t, "far")
	for _, age := range []time.Duration{100 * retention.Day, 80 * retention.Day} {
		n := &model.Notification{AccountID: e.local.ID, FromID: far.ID, Type: model.NotifyFollow, CreatedAt: e.clock.Now().Add(-age)}
		if err := e.s.store.CreateNotification(e.ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := e.s.PurgeBatch(e.ctx, retention.Notifications, 10); err != nil || n != 1 {
		t.Errorf("notifications = %d, %v; want 1", n, err)
	}
	for _, c := range []retention.Category{retention.Tokens, retention.ClosedReports, retention.Jobs, retention.Audit} {
		if n, err := e.s.PurgeBatch(e.ctx, c, 10); err != nil || n != 0 {
			t.Errorf("%s (not in the policy) = %d, %v", c, n, err)
		}
	}
}

// TestDeliveryPurgeFloor: a policy shorter than the three days delivery
// bookkeeping is used for does not cut it short.
func TestDeliveryPurgeFloor(t *testing.T) {
	e := newRetentionEnv(t)
	if err := e.s.store.DeliveryFailed(e.ctx, "recent.example", e.clock.Now().Add(-2*retention.Day)); err != nil {
		t.Fatal(err)
	}
	if err := e.s.store.DeliveryFailed(e.ctx, "stale.example", e.clock.Now().Add(-4*retention.Day)); err != nil {
		t.Fatal(err)
	}
	if n, err := e.s.PurgeBatch(e.ctx, retention.Delivery, 10); err != nil || n != 1 {
		t.Errorf("PurgeBatch = %d, %v; want only the stale host", n, err)
	}
}

// TestHolds: holds must end in the future and name an account; release
// ends them; the status and progress are readable.
func TestHolds(t *testing.T) {
	e := newRetentionEnv(t)
	now := e.clock.Now()
	if _, err := e.s.HoldAccount(e.ctx, "alice", now.Add(-time.Hour)); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("hold ending in the past: %v, want invalid", err)
	}
	if _, err := e.s.HoldAccount(e.ctx, "nobody", now.Add(time.Hour)); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("hold on nobody: %v, want not found", err)
	}
	if _, err := e.s.HoldAccount(e.ctx, "@alice@roost.test", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if held, err := e.s.UnderHold(e.ctx, e.local.ID, now); err != nil || !held {
		t.Errorf("UnderHold = %v, %v", held, err)
	}
	if held, _ := e.s.UnderHold(e.ctx, e.local.ID, now.Add(2*time.Hour)); held {
		t.Errorf("UnderHold after the end = true")
	}
	if err := e.s.ReleaseAccountHold(e.ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if err := e.s.ReleaseAccountHold(e.ctx, "alice"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("second release: %v, want not found", err)
	}
	if err := e.s.RecordPurge(e.ctx, retention.Notifications, 4); err != nil {
		t.Fatal(err)
	}
	cats, err := e.s.RetentionStatus(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		switch c.Category {
		case retention.Notifications:
			if c.Days() != 90 || c.LastRunAt == nil || c.TotalPurged != 4 {
				t.Errorf("notifications: %+v", c)
			}
		case retention.Tokens:
			if c.Days() != 0 || c.LastRunAt != nil {
				t.Errorf("tokens: %+v", c)
			}
		}
	}
}
