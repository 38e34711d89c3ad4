package core

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/retention"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/store/sqlite"
	"github.com/roost-social/roost/internal/vault"
)

// keysEnv is a retention environment whose vault reads the same settable
// clock as the service, so that keys belong to the months the test picks.
type keysEnv struct {
	*retentionEnv
	ks *sqlite.KeyStore
}

func newKeysEnv(t *testing.T) *keysEnv {
	t.Helper()
	dir := t.TempDir()
	ks, err := sqlite.OpenKeyStore(filepath.Join(dir, sqlite.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ks.Close() })
	clock := &testClock{t: time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)}
	mk, err := vault.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	v, err := vault.New(context.Background(), mk, ks, vault.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), dir, v)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	set := testSettings()
	set.Retention = retention.Policy{
		retention.RemoteStatuses: 30 * retention.Day,
		retention.DirectMessages: 30 * retention.Day,
		retention.ClosedReports:  30 * retention.Day,
	}
	e := &retentionEnv{s: New(Options{Store: st, Vault: v, Settings: set, Now: clock.Now}), clock: clock,
		pub: &recordingPublisher{}, ctx: context.Background()}
	e.s.SetPublisher(e.pub)
	e.local = mustCreateUser(t, e.s, "alice")
	return &keysEnv{retentionEnv: e, ks: ks}
}

// periods returns owner's key periods.
func (e *keysEnv) periods(t *testing.T, owner int64) map[string]bool {
	t.Helper()
	keys, err := e.ks.OwnerKeys(e.ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, k := range keys {
		out[k.Period] = true
	}
	return out
}

// sweep runs every purge, then the key retirement, as the sweep does.
func (e *keysEnv) sweep(t *testing.T) int {
	t.Helper()
	for _, c := range retention.Swept() {
		if _, err := e.s.PurgeBatch(e.ctx, c, 500); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.s.PurgeAutoDelete(e.ctx, 500); err != nil {
		t.Fatal(err)
	}
	n, err := e.s.RetireKeys(e.ctx, 500)
	if err != nil {
		t.Fatalf("RetireKeys: %v", err)
	}
	return n
}

func (e *keysEnv) text(t *testing.T, id int64) string {
	t.Helper()
	st, err := e.s.store.Status(e.ctx, id)
	if err != nil {
		t.Fatalf("status %d: %v", id, err)
	}
	return st.Text
}

// TestRetireKeys: after the purges, the month keys of purged classes are
// destroyed (what they sealed, kept in an old backup, opens as shredded),
// what the rules keep is re-sealed and reads as before, a held account
// keeps its keys, and the general class is never touched.
func TestRetireKeys(t *testing.T) {
	e := newKeysEnv(t)
	alice := e.local
	bob, held := e.remote(t, "bob"), e.remote(t, "held")
	if _, err := e.s.SetAutoDelete(e.ctx, &Auth{Account: alice}, store.AutoDeletePolicy{Enabled: true, MinAgeDays: 30, KeepPinned: true}); err != nil {
		t.Fatal(err)
	}
	gone := e.status(t, bob, model.VisibilityPublic, 0)
	faved := e.status(t, bob, model.VisibilityPublic, 0)
	if _, err := e.s.store.AddFavourite(e.ctx, alice.ID, faved.ID); err != nil {
		t.Fatal(err)
	}
	dm := e.status(t, bob, model.VisibilityDirect, 0, alice)
	own := e.status(t, alice, model.VisibilityPublic, 0)
	pinned := e.status(t, alice, model.VisibilityPublic, 0)
	if err := e.s.store.AddPin(e.ctx, alice.ID, pinned.ID); err != nil {
		t.Fatal(err)
	}
	heldPost := e.status(t, held, model.VisibilityPublic, 0)
	if err := e.s.PutHold(e.ctx, held.ID, e.clock.Now().Add(400*retention.Day)); err != nil {
		t.Fatal(err)
	}
	closedAt := e.clock.Now()
	closed := &store.Report{AccountID: alice.ID, TargetAccountID: bob.ID, Comment: "closed comment",
		Category: store.ReportOther, ActionTakenAt: &closedAt, ActionTakenByID: alice.ID}
	open := &store.Report{AccountID: alice.ID, TargetAccountID: held.ID, Comment: "open comment", Category: store.ReportOther}
	if err := e.s.store.CreateReports(e.ctx, []*store.Report{closed, open}); err != nil {
		t.Fatal(err)
	}
	// What an old data backup would hold: a value under each January key.
	backup := map[string]struct {
		owner int64
		class string
		ct    []byte
	}{}
	for name, o := range map[string]struct {
		owner int64
		class string
	}{"bob's cache": {bob.ID, vault.ClassCache}, "bob's direct": {bob.ID, vault.ClassDirect},
		"alice's posts": {alice.ID, vault.ClassPosts}, "alice's reports": {alice.ID, vault.ClassReports},
		"held's cache": {held.ID, vault.ClassCache}, "alice's profile": {alice.ID, vault.ClassGeneral}} {
		ct, err := e.s.vault.SealString(e.ctx, o.owner, vault.Place{Table: "t", Column: "c", Row: 1, Class: o.class}, name)
		if err != nil {
			t.Fatal(err)
		}
		backup[name] = struct {
			owner int64
			class string
			ct    []byte
		}{o.owner, o.class, ct}
	}

	// Mid-February: the rows are 30 days old, but January ended only two
	// weeks ago: the rows go, the keys stay.
	e.clock.Advance(31 * retention.Day)
	if n := e.sweep(t); n != 0 {
		t.Fatalf("RetireKeys before end(month)+age retired %d keys", n)
	}
	for _, id := range []int64{gone.ID, dm.ID, own.ID} {
		if e.exists(t, id) {
			t.Fatalf("status %d not purged", id)
		}
	}
	// March 4th: January's end is 31 days ago.
	e.clock.Advance(17 * retention.Day)
	if n := e.sweep(t); n != 4 {
		t.Fatalf("RetireKeys retired %d keys, want 4 (bob's cache and direct, alice's posts and reports)", n)
	}
	for name, b := range backup {
		_, err := e.s.vault.Open(e.ctx, b.owner, vault.Place{Table: "t", Column: "c", Row: 1}, b.ct)
		kept := name == "held's cache" || name == "alice's profile"
		if kept && err != nil {
			t.Errorf("%s: %v, want its key kept", name, err)
		}
		if !kept && !errors.Is(err, model.ErrShredded) {
			t.Errorf("%s: %v, want model.ErrShredded", name, err)
		}
	}
	if got := e.text(t, faved.ID); got != "t" {
		t.Errorf("the favourited remote post reads %q after re-sealing", got)
	}
	if got := e.text(t, pinned.ID); got != "t" {
		t.Errorf("the pinned post reads %q after re-sealing", got)
	}
	if got := e.text(t, heldPost.ID); got != "t" {
		t.Errorf("the held account's post reads %q", got)
	}
	r, err := e.s.store.Report(e.ctx, open.ID)
	if err != nil || r.Comment != "open comment" || r.CommentShredded {
		t.Errorf("the open report after re-sealing: %v %+v", err, r)
	}
	p := e.periods(t, alice.ID)
	if p["posts/2026-01"] || p["reports/2026-01"] || !p["posts/2026-03"] || !p["reports/2026-03"] || !p["2026-01"] {
		t.Errorf("alice's keys after retirement: %v", p)
	}
	if !e.periods(t, held.ID)["cache/2026-01"] {
		t.Error("the held account's key was retired")
	}
	if n, err := e.s.RetireKeys(e.ctx, 500); err != nil || n != 0 {
		t.Errorf("a second retirement: %d, %v; want nothing to do", n, err)
	}
}

// TestRetireKeysResumes: a crash between re-sealing and destroying leaves
// the key; the next run re-seals nothing more and destroys it. A small
// limit retires keys a few at a time.
func TestRetireKeysResumes(t *testing.T) {
	e := newKeysEnv(t)
	bob, carol := e.remote(t, "bob"), e.remote(t, "carol")
	kept := e.status(t, bob, model.VisibilityPublic, 0)
	if _, err := e.s.store.AddFavourite(e.ctx, e.local.ID, kept.ID); err != nil {
		t.Fatal(err)
	}
	e.status(t, carol, model.VisibilityPublic, 0)
	e.clock.Advance(60 * retention.Day)
	refs, err := e.s.vault.OwnerRetiringKeys(e.ctx, bob.ID, vault.ClassCache, e.clock.Now().Add(-30*retention.Day))
	if err != nil || len(refs) != 1 {
		t.Fatalf("bob's retiring keys: %v, %v", refs, err)
	}
	// The crash: re-sealed, not destroyed.
	if n, err := e.s.store.ResealKeys(e.ctx, bob.ID, vault.ClassCache, []int64{refs[0].ID}); err != nil || n != 3 {
		t.Fatalf("ResealKeys = %d, %v; want the post's 3 values (text, content, entities)", n, err)
	}
	if n, err := e.s.store.ResealKeys(e.ctx, bob.ID, vault.ClassCache, []int64{refs[0].ID}); err != nil || n != 0 {
		t.Fatalf("ResealKeys again = %d, %v; want nothing left under the key", n, err)
	}
	if n, err := e.s.RetireKeys(e.ctx, 1); err != nil || n != 1 {
		t.Fatalf("RetireKeys(1) = %d, %v", n, err)
	}
	if n, err := e.s.RetireKeys(e.ctx, 1); err != nil || n != 1 {
		t.Fatalf("RetireKeys(1) again = %d, %v", n, err)
	}
	if n, err := e.s.RetireKeys(e.ctx, 1); err != nil || n != 0 {
		t.Fatalf("RetireKeys when done = %d, %v", n, err)
	}
	if got := e.text(t, kept.ID); got != "t" {
		t.Errorf("the kept post reads %q", got)
	}
	for _, o := range []int64{bob.ID, carol.ID} {
		if e.periods(t, o)["cache/2026-01"] {
			t.Errorf("owner %d keeps its January cache key", o)
		}
	}
}

// TestRetireKeysPastHeld: held accounts' keys, first in the listing, do
// not keep a small batch from reaching the keys behind them.
func TestRetireKeysPastHeld(t *testing.T) {
	e := newKeysEnv(t)
	var held []*model.Account
	for _, name := range []string{"h1", "h2", "h3"} {
		a := e.remote(t, name)
		e.status(t, a, model.VisibilityPublic, 0) // keys made in this order: held ones first
		if err := e.s.PutHold(e.ctx, a.ID, e.clock.Now().Add(400*retention.Day)); err != nil {
			t.Fatal(err)
		}
		held = append(held, a)
	}
	free := e.remote(t, "free")
	e.status(t, free, model.VisibilityPublic, 0)
	e.clock.Advance(60 * retention.Day)
	if n, err := e.s.RetireKeys(e.ctx, 1); err != nil || n != 1 {
		t.Fatalf("RetireKeys(1) = %d, %v; want the free account's key", n, err)
	}
	if e.periods(t, free.ID)["cache/2026-01"] {
		t.Error("the free account's key survived")
	}
	for _, a := range held {
		if !e.periods(t, a.ID)["cache/2026-01"] {
			t.Errorf("held account %s lost its key", a.Username)
		}
	}
	if n, err := e.s.RetireKeys(e.ctx, 1); err != nil || n != 0 {
		t.Errorf("RetireKeys with only held keys left = %d, %v", n, err)
	}
}

// TestRetireKeysHeldAutoDelete: an account under a legal hold keeps the
// keys of its own posts, whatever its auto-delete policy says.
func TestRetireKeysHeldAutoDelete(t *testing.T) {
	e := newKeysEnv(t)
	alice := e.local
	if _, err := e.s.SetAutoDelete(e.ctx, &Auth{Account: alice}, store.AutoDeletePolicy{Enabled: true, MinAgeDays: 7}); err != nil {
		t.Fatal(err)
	}
	post := e.status(t, alice, model.VisibilityPublic, 0)
	if err := e.s.PutHold(e.ctx, alice.ID, e.clock.Now().Add(400*retention.Day)); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(60 * retention.Day)
	e.sweep(t)
	if !e.periods(t, alice.ID)["posts/2026-01"] {
		t.Error("the held account's posts key was retired by its auto-delete")
	}
	if got := e.text(t, post.ID); got != "t" {
		t.Errorf("the held account's post reads %q", got)
	}
	if err := e.s.ReleaseHold(e.ctx, alice.ID); err != nil {
		t.Fatal(err)
	}
	e.sweep(t)
	if e.periods(t, alice.ID)["posts/2026-01"] {
		t.Error("the posts key outlived the hold")
	}
}
