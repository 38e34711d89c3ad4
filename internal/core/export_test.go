package core

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
	"github.com/roost-social/roost/internal/store"
)

// recordingExportQueue remembers the exports it was asked to build, or
// fails when err is set.
type recordingExportQueue struct {
	ids []int64
	err error
}

func (q *recordingExportQueue) EnqueueExport(_ context.Context, id int64) error {
	if q.err != nil {
		return q.err
	}
	q.ids = append(q.ids, id)
	return nil
}

func TestRequestExport(t *testing.T) {
	clock := newTestClock()
	s := newTestServiceWith(t, testSettings(), clock.Now)
	ctx := context.Background()
	alice := &Auth{Account: mustCreateUser(t, s, "alice")}
	bob := &Auth{Account: mustCreateUser(t, s, "bob")}

	if _, err := s.RequestExport(ctx, alice); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("without a queue: %v, want ErrInvalid", err)
	}
	q := &recordingExportQueue{err: errors.New("queue down")}
	s.SetExportQueue(q)
	if _, err := s.RequestExport(ctx, alice); err == nil {
		t.Fatal("a failed enqueue succeeded")
	}
	if l, _ := s.Exports(ctx, alice); len(l) != 0 {
		t.Fatalf("a failed enqueue left %d exports behind", len(l))
	}
	q.err = nil
	e, err := s.RequestExport(ctx, alice)
	if err != nil || len(q.ids) != 1 || q.ids[0] != e.ID || !e.ExpiresAt.Equal(clock.Now().UTC().Add(ExportLifetime)) {
		t.Fatalf("RequestExport = %+v, %v; queued %v", e, err, q.ids)
	}
	if _, err := s.RequestExport(ctx, alice); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("second export while one is pending: %v, want ErrInvalid", err)
	}
	if _, err := s.Export(ctx, bob, e.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("bob reads alice's export: %v", err)
	}
	if _, _, err := s.ExportArchive(ctx, alice, e.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("archive before it is ready: %v", err)
	}

	// The job: progress, then the archive.
	if _, todo, err := s.ExportJob(ctx, e.ID); err != nil || !todo {
		t.Fatalf("ExportJob = %v, %v", todo, err)
	}
	if err := s.ExportProgress(ctx, e.ID, 30); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Export(ctx, alice, e.ID); got.State != store.ExportRunning || got.Progress != 30 {
		t.Fatalf("after progress: %+v", got)
	}
	if err := s.FinishExport(ctx, e.ID, []byte("archive")); err != nil {
		t.Fatal(err)
	}
	if _, todo, _ := s.ExportJob(ctx, e.ID); todo {
		t.Error("a finished export still needs its job")
	}
	if _, b, err := s.ExportArchive(ctx, alice, e.ID); err != nil || string(b) != "archive" {
		t.Fatalf("archive = %q, %v", b, err)
	}
	if _, _, err := s.ExportArchive(ctx, bob, e.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("bob downloads alice's archive: %v", err)
	}

	// A day later it is gone at the next read, cleanup or not.
	clock.Advance(ExportLifetime)
	if _, _, err := s.ExportArchive(ctx, alice, e.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("expired archive: %v, want ErrNotFound", err)
	}
	if _, err := s.store.ExportByID(ctx, e.ID); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("expired export still stored: %v", err)
	}
}

func TestPurgeExpiredExports(t *testing.T) {
	clock := newTestClock()
	s := newTestServiceWith(t, testSettings(), clock.Now)
	ctx := context.Background()
	alice := &Auth{Account: mustCreateUser(t, s, "alice")}
	s.SetExportQueue(&recordingExportQueue{})
	e, err := s.RequestExport(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.PurgeExpiredExports(ctx, clock.Now().Add(ExportLifetime-time.Second)); err != nil || n != 0 {
		t.Fatalf("early purge = %d, %v", n, err)
	}
	if n, err := s.PurgeExpiredExports(ctx, clock.Now().Add(ExportLifetime)); err != nil || n != 1 {
		t.Fatalf("purge = %d, %v", n, err)
	}

	// At most MaxExports at once; the oldest expiring makes room.
	for i := range MaxExports {
		clock.Advance(time.Hour)
		e, err := s.RequestExport(ctx, alice)
		if err != nil {
			t.Fatalf("export %d: %v", i, err)
		}
		if err := s.FinishExport(ctx, e.ID, []byte("archive")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.RequestExport(ctx, alice); !errors.Is(err, model.ErrRateLimited) {
		t.Fatalf("export beyond MaxExports: %v, want ErrRateLimited", err)
	}
	clock.Advance(ExportLifetime - 2*time.Hour)
	if _, err := s.RequestExport(ctx, alice); err != nil {
		t.Fatalf("after the oldest expired: %v", err)
	}
	if _, todo, err := s.ExportJob(ctx, e.ID); err != nil || todo {
		t.Fatalf("job of a purged export: %v, %v", todo, err)
	}
}

// TestExportContent: the account's own statuses of every visibility and
// its boosts, oldest first, and its relationships; nobody else's.
func TestExportContent(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	post := func(a *model.Account, text string, vis model.Visibility) *StatusView {
		v, err := s.PostStatus(ctx, a, NewStatus{Text: text, Visibility: vis})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	first := post(alice, "first", model.VisibilityPublic)
	b := post(bob, "bob's", model.VisibilityPublic)
	dm := post(alice, "@bob secret", model.VisibilityDirect)
	post(bob, "not alice's", model.VisibilityPublic)
	if _, err := s.Reblog(ctx, alice, b.Status.ID, model.VisibilityPublic); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Favourite(ctx, alice.ID, b.Status.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Follow(ctx, &Auth{Account: alice}, bob.ID, FollowOptions{}); err != nil {
		t.Fatal(err)
	}
	var seen []int
	c, err := s.ExportContent(ctx, alice.ID, func(p int) error { seen = append(seen, p); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Statuses) != 3 || c.Statuses[0].Status.ID != first.Status.ID || c.Statuses[1].Status.ID != dm.Status.ID ||
		c.Statuses[2].Reblog == nil || c.Statuses[2].Reblog.Status.ID != b.Status.ID {
		t.Fatalf("statuses: %d", len(c.Statuses))
	}
	if c.Statuses[1].Status.Text != "@bob secret" {
		t.Errorf("direct message text = %q", c.Statuses[1].Status.Text)
	}
	if len(c.Likes) != 1 || c.Likes[0].Status.ID != b.Status.ID || c.Likes[0].Author.ID != bob.ID {
		t.Errorf("likes = %+v", c.Likes)
	}
	if len(c.Follows) != 1 || c.Follows[0].Account.ID != bob.ID || !c.Follows[0].Reblogs {
		t.Errorf("follows = %+v", c.Follows)
	}
	if len(seen) == 0 || seen[len(seen)-1] != 90 {
		t.Errorf("progress = %v, want up to 90", seen)
	}
	stop := errors.New("stop")
	if _, err := s.ExportContent(ctx, alice.ID, func(int) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("a failing progress did not stop the export: %v", err)
	}
}

// TestInventoryFollowsPolicy: the inventory's expiries come from the live
// retention policy and the account's auto-delete policy.
func TestInventoryFollowsPolicy(t *testing.T) {
	ctx := context.Background()
	item := func(inv *Inventory, c string) InventoryItem {
		for _, it := range inv.Items {
			if it.Category == c {
				return it
			}
		}
		t.Fatalf("no %s", c)
		return InventoryItem{}
	}
	s := newTestService(t)
	a := &Auth{Account: mustCreateUser(t, s, "alice")}
	inv, err := s.Inventory(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if dm := item(inv, "direct_messages"); dm.MaxAge != 0 || dm.Expiry != untilYours || !dm.Encrypted {
		t.Errorf("no policy: %+v", dm)
	}
	if ex := item(inv, "exports"); ex.MaxAge != ExportLifetime || ex.Expiry != "a day after when you asked for them" {
		t.Errorf("exports: %+v", ex)
	}

	set := testSettings()
	set.Retention = retention.Policy{retention.DirectMessages: 30 * retention.Day, retention.Notifications: 7 * retention.Day}
	s = newTestServiceWith(t, set, nil)
	a = &Auth{Account: mustCreateUser(t, s, "alice")}
	if _, err := s.SetAutoDelete(ctx, a, store.AutoDeletePolicy{Enabled: true, MinAgeDays: 90}); err != nil {
		t.Fatal(err)
	}
	inv, err = s.Inventory(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if dm := item(inv, "direct_messages"); dm.MaxAge != 30*retention.Day || !strings.HasPrefix(dm.Expiry, "30 days after") {
		t.Errorf("30-day policy: %+v", dm)
	}
	if n := item(inv, "notifications"); n.MaxAge != 7*retention.Day {
		t.Errorf("notifications: %+v", n)
	}
	if p := item(inv, "posts"); p.MaxAge != 90*retention.Day || !strings.Contains(p.Expiry, "auto-delete") {
		t.Errorf("posts under auto-delete: %+v", p)
	}
}

// TestExportGoesWithAccount: deleting the account deletes its exports.
func TestExportGoesWithAccount(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	alice := &Auth{Account: mustCreateUser(t, s, "alice")}
	s.SetExportQueue(&recordingExportQueue{})
	e, err := s.RequestExport(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FinishExport(ctx, e.ID, []byte("archive")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteOwnAccount(ctx, alice, "password-alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.ExportByID(ctx, e.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("export of a deleted account: %v, want ErrNotFound", err)
	}
}
