package storetest

import (
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/vault"
)

// classKey returns owner's current key of class (its month ends before a
// time two months away).
func (f *fx) classKey(owner int64, class string) int64 {
	f.t.Helper()
	refs, err := f.v.OwnerRetiringKeys(f.ctx, owner, class, time.Now().AddDate(0, 2, 0))
	f.must(err)
	if len(refs) != 1 {
		f.t.Fatalf("owner %d has %d keys of class %q, want 1", owner, len(refs), class)
	}
	return refs[0].ID
}

// testResealKeys checks that each class's values are sealed under that
// class's keys and re-sealed by ResealKeys, and only they: other classes,
// other owners and shredded values are left alone, and every value reads
// as before. (The store's vault reads the real clock, so the current key
// re-seals here; core's tests move the clock.)
func testResealKeys(t *testing.T, f *fx) {
	alice, bob := f.account("resealer"), f.remote("cached", "far.example")
	public := f.post(alice, model.VisibilityPublic)
	edited := f.post(alice, model.VisibilityUnlisted)
	f.must(f.s.EditStatus(f.ctx, &model.Status{ID: edited.ID, Text: "edited", Content: "<p>edited</p>", SpoilerText: "cw"},
		&model.StatusEdit{Text: edited.Text, Content: edited.Content}))
	dm := f.post(alice, model.VisibilityDirect, mentioning(bob))
	cached := f.post(bob, model.VisibilityPublic)
	rep := &store.Report{AccountID: alice.ID, TargetAccountID: bob.ID, Comment: "reseal comment", Category: store.ReportSpam}
	f.must(f.s.CreateReports(f.ctx, []*store.Report{rep}))

	posts, direct, reports := f.classKey(alice.ID, vault.ClassPosts), f.classKey(alice.ID, vault.ClassDirect), f.classKey(alice.ID, vault.ClassReports)
	if posts == direct || posts == reports {
		t.Fatal("classes share a key")
	}
	// Posts: public (text, content, entities) 3, edited status 4 (with its
	// cw), its edit 2 (text, content).
	for _, c := range []struct {
		owner int64
		class string
		keys  []int64
		want  int
	}{
		{alice.ID, vault.ClassPosts, []int64{posts}, 9},
		{alice.ID, vault.ClassPosts, []int64{direct}, 0}, // a key of another class
		{bob.ID, vault.ClassCache, []int64{posts}, 0},    // another owner's key
		{alice.ID, vault.ClassDirect, []int64{direct}, 3},
		{alice.ID, vault.ClassReports, []int64{reports}, 1},
		{bob.ID, vault.ClassCache, []int64{f.classKey(bob.ID, vault.ClassCache)}, 3},
		{alice.ID, vault.ClassExports, []int64{reports}, 0},
		{alice.ID, vault.ClassPosts, nil, 0},
	} {
		n, err := f.s.ResealKeys(f.ctx, c.owner, c.class, c.keys)
		f.must(err)
		if n != c.want {
			t.Errorf("ResealKeys(%d, %s, %v) = %d, want %d", c.owner, c.class, c.keys, n, c.want)
		}
	}
	_, err := f.s.ResealKeys(f.ctx, alice.ID, vault.ClassGeneral, []int64{posts})
	f.is(err, model.ErrInvalid)
	for _, st := range []*model.Status{public, dm, cached} {
		if got := f.status(st.ID); got.Text != st.Text || got.Content != st.Content {
			t.Errorf("status %d after re-sealing: %q %q", st.ID, got.Text, got.Content)
		}
	}
	if got := f.status(edited.ID); got.Text != "edited" || got.SpoilerText != "cw" {
		t.Errorf("edited status after re-sealing: %+v", got)
	}
	edits, err := f.s.StatusEdits(f.ctx, edited.ID)
	f.must(err)
	if len(edits) != 1 || edits[0].Text != edited.Text {
		t.Errorf("edit history after re-sealing: %+v", edits)
	}
	if r, err := f.s.Report(f.ctx, rep.ID); err != nil || r.Comment != "reseal comment" {
		t.Errorf("report after re-sealing: %v %+v", err, r)
	}

	// A shredded key's values stay as they are, shredded.
	n, err := f.v.ShredKeys(f.ctx, alice.ID, []int64{direct})
	f.must(err)
	if n != 1 {
		t.Fatalf("ShredKeys = %d", n)
	}
	if n, err := f.s.ResealKeys(f.ctx, alice.ID, vault.ClassDirect, []int64{direct}); err != nil || n != 0 {
		t.Errorf("ResealKeys of a shredded key = %d, %v; want 0, nil", n, err)
	}
	_, err = f.s.Status(f.ctx, dm.ID)
	f.is(err, model.ErrShredded)
}
