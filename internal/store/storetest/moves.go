package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// testAliases: aliases are replaced as a whole, in order, without repeats
// or empties, bounded, per account.
func testAliases(t *testing.T, f *fx) {
	a, b := f.account("mover"), f.account("other")
	got, err := f.s.Aliases(f.ctx, a.ID)
	f.must(err)
	if got == nil || len(got) != 0 {
		t.Fatalf("aliases before any = %#v, want empty list", got)
	}
	f.must(f.s.SetAliases(f.ctx, a.ID, []string{"https://z.example/users/a", "", "https://y.example/users/a",
		"https://z.example/users/a"}))
	f.must(f.s.SetAliases(f.ctx, b.ID, []string{"https://x.example/users/b"}))
	if got, _ := f.s.Aliases(f.ctx, a.ID); !slices.Equal(got, []string{"https://z.example/users/a", "https://y.example/users/a"}) {
		t.Errorf("aliases = %v", got)
	}
	f.must(f.s.SetAliases(f.ctx, a.ID, []string{"https://y.example/users/a"}))
	if got, _ := f.s.Aliases(f.ctx, a.ID); !slices.Equal(got, []string{"https://y.example/users/a"}) {
		t.Errorf("aliases after replace = %v", got)
	}
	if got, _ := f.s.Aliases(f.ctx, b.ID); !slices.Equal(got, []string{"https://x.example/users/b"}) {
		t.Errorf("other's aliases = %v", got)
	}
	many := make([]string, store.MaxAliases+5)
	for i := range many {
		many[i] = "https://many.example/users/" + string(rune('a'+i))
	}
	f.must(f.s.SetAliases(f.ctx, a.ID, many))
	if got, _ := f.s.Aliases(f.ctx, a.ID); !slices.Equal(got, many[:store.MaxAliases]) {
		t.Errorf("bounded aliases = %v", got)
	}
	f.must(f.s.SetAliases(f.ctx, a.ID, nil))
	if got, _ := f.s.Aliases(f.ctx, a.ID); len(got) != 0 {
		t.Errorf("cleared aliases = %v", got)
	}
	f.is(f.s.SetAliases(f.ctx, 424242, []string{"https://x.example/u"}), model.ErrNotFound)
}

// testMoves: a move is recorded, replaced, read on the account as
// MovedToID, and forgotten; bad moves are refused.
func testMoves(t *testing.T, f *fx) {
	old, mid, next := f.account("old"), f.account("mid"), f.remote("next", "new.example")
	_, err := f.s.Move(f.ctx, old.ID)
	f.is(err, model.ErrNotFound)
	if f.reload(old).MovedToID != 0 {
		t.Fatal("unmoved account has MovedToID")
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	f.must(f.s.SetMove(f.ctx, &store.AccountMove{AccountID: old.ID, TargetID: mid.ID, MovedAt: at}))
	m, err := f.s.Move(f.ctx, old.ID)
	f.must(err)
	if m.TargetID != mid.ID || m.TargetURI != "" || !m.MovedAt.Equal(at) {
		t.Errorf("move = %+v", m)
	}
	f.must(f.s.SetMove(f.ctx, &store.AccountMove{AccountID: old.ID, TargetID: next.ID, TargetURI: next.URI}))
	if got := f.reload(old); got.MovedToID != next.ID {
		t.Errorf("MovedToID = %d, want %d", got.MovedToID, next.ID)
	}
	got, err := f.s.AccountsByID(f.ctx, []int64{old.ID, mid.ID})
	f.must(err)
	if got[old.ID].MovedToID != next.ID || got[mid.ID].MovedToID != 0 {
		t.Errorf("AccountsByID MovedToID: %d, %d", got[old.ID].MovedToID, got[mid.ID].MovedToID)
	}
	if m, _ := f.s.Move(f.ctx, old.ID); m.TargetURI != next.URI || m.MovedAt.IsZero() {
		t.Errorf("replaced move = %+v", m)
	}
	f.is(f.s.SetMove(f.ctx, &store.AccountMove{AccountID: mid.ID, TargetID: mid.ID}), model.ErrInvalid)
	f.is(f.s.SetMove(f.ctx, &store.AccountMove{AccountID: mid.ID}), model.ErrInvalid)
	f.is(f.s.SetMove(f.ctx, &store.AccountMove{AccountID: mid.ID, TargetID: 424242}), model.ErrNotFound)
	f.must(f.s.DeleteMove(f.ctx, old.ID))
	f.must(f.s.DeleteMove(f.ctx, old.ID))
	if f.reload(old).MovedToID != 0 {
		t.Error("MovedToID after DeleteMove")
	}
}

// testRemoteActorMoves: PutRemoteActor stores a document's alsoKnownAs
// and movedTo, links a movedTo to its account once that is known, keeps
// the first-seen time while movedTo stays, forgets a move the document no
// longer states, and leaves everything alone when Moves is nil.
func testRemoteActorMoves(t *testing.T, f *fx) {
	fetched := time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)
	const oldURI, newURI = "https://old.example/users/ann", "https://new.example/users/ann"
	put := func(name, uri string, m *store.ActorMoves, at time.Time) *model.Account {
		t.Helper()
		a := &model.Account{Username: name, Domain: hostOf(uri), URI: uri}
		ra := remoteActor(uri, at)
		ra.Moves = m
		f.must(f.s.PutRemoteActor(f.ctx, a, ra))
		return a
	}
	old := put("ann", oldURI, &store.ActorMoves{AlsoKnownAs: []string{"https://older.example/users/ann"},
		MovedTo: newURI}, fetched)
	if got, _ := f.s.Aliases(f.ctx, old.ID); !slices.Equal(got, []string{"https://older.example/users/ann"}) {
		t.Errorf("aliases = %v", got)
	}
	m, err := f.s.Move(f.ctx, old.ID)
	f.must(err)
	if m.TargetID != 0 || m.TargetURI != newURI || !m.MovedAt.Equal(fetched) || old.MovedToID != 0 {
		t.Errorf("move to unknown actor = %+v (account MovedToID %d)", m, old.MovedToID)
	}
	nw := put("ann", newURI, &store.ActorMoves{AlsoKnownAs: []string{oldURI}}, fetched.Add(time.Hour))
	if got := f.reload(old); got.MovedToID != nw.ID {
		t.Errorf("MovedToID once the target is known = %d, want %d", got.MovedToID, nw.ID)
	}
	if got, _ := f.s.Aliases(f.ctx, nw.ID); !slices.Equal(got, []string{oldURI}) {
		t.Errorf("target's aliases = %v", got)
	}
	// Refetched, same movedTo: the first-seen time stays; nil Moves
	// changes nothing.
	put("ann", oldURI, &store.ActorMoves{MovedTo: newURI}, fetched.Add(2*time.Hour))
	put("ann", oldURI, nil, fetched.Add(3*time.Hour))
	if m, _ := f.s.Move(f.ctx, old.ID); m.TargetID != nw.ID || !m.MovedAt.Equal(fetched) {
		t.Errorf("move after refetch = %+v", m)
	}
	if got, _ := f.s.Aliases(f.ctx, old.ID); len(got) != 0 {
		t.Errorf("aliases after refetch without any = %v", got)
	}
	// The document drops movedTo: the move is forgotten.
	put("ann", oldURI, &store.ActorMoves{}, fetched.Add(4*time.Hour))
	_, err = f.s.Move(f.ctx, old.ID)
	f.is(err, model.ErrNotFound)
	if f.reload(old).MovedToID != 0 {
		t.Error("MovedToID after movedTo was dropped")
	}
}

// hostOf returns the host of an https URL.
func hostOf(uri string) string {
	rest := uri[len("https://"):]
	for i := range len(rest) {
		if rest[i] == '/' {
			return rest[:i]
		}
	}
	return rest
}
