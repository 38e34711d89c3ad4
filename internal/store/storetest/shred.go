package storetest

import (
	"slices"
	"testing"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// testShredding: once an owner's keys are destroyed, listings skip their
// rows and single reads say ErrShredded; everyone else is unaffected.
func testShredding(t *testing.T, f *fx) {
	gone, kept, reader := f.account("gone"), f.account("kept"), f.account("reader")
	f.follow(reader, gone)
	f.follow(reader, kept)
	f.follow(gone, reader)
	gonePost := f.post(gone, model.VisibilityPublic, tagged("t"))
	keptPost := f.post(kept, model.VisibilityPublic, tagged("t"))
	keptBoostOfGone := f.boost(kept, gonePost)
	goneBoostOfKept := f.boost(gone, keptPost)
	_, err := f.s.AddFavourite(f.ctx, reader.ID, gonePost.ID)
	f.must(err)
	f.must(f.s.EditStatus(f.ctx, gonePost, &model.StatusEdit{Text: "before"}))
	f.must(f.s.SetNote(f.ctx, gone.ID, reader.ID, "gone's note"))
	u, err := f.s.User(f.ctx, gone.ID)
	f.must(err)
	u.Email, u.EmailHash = "gone@example.org", []byte("gone-hash")
	f.must(f.s.UpdateUser(f.ctx, u))

	f.must(f.v.Shred(f.ctx, gone.ID))

	_, err = f.s.Status(f.ctx, gonePost.ID)
	f.is(err, model.ErrShredded)
	_, err = f.s.Status(f.ctx, goneBoostOfKept.ID)
	f.is(err, model.ErrShredded)
	_, err = f.s.Account(f.ctx, gone.ID)
	f.is(err, model.ErrShredded)
	_, err = f.s.AccountByUsername(f.ctx, "gone", "")
	f.is(err, model.ErrShredded)
	_, err = f.s.User(f.ctx, gone.ID)
	f.is(err, model.ErrShredded)
	_, err = f.s.UserByEmailHash(f.ctx, []byte("gone-hash"))
	f.is(err, model.ErrShredded)

	// The boost by kept of gone's post is kept's own row and still reads;
	// the core finds the original unreadable.
	home, err := f.s.HomeTimeline(f.ctx, reader.ID, store.Page{})
	f.must(err)
	f.sameIDs("home", statusIDs(home), newestFirst(keptPost, keptBoostOfGone))
	tag, err := f.s.TagTimeline(f.ctx, 0, "t", store.TimelineOptions{}, store.Page{})
	f.must(err)
	f.sameIDs("tag", statusIDs(tag), []int64{keptPost.ID})
	acc, err := f.s.AccountStatuses(f.ctx, 0, gone.ID, store.StatusFilter{}, store.Page{})
	f.must(err)
	f.sameIDs("account statuses", statusIDs(acc), nil)
	byID, err := f.s.StatusesByID(f.ctx, []int64{gonePost.ID, keptPost.ID})
	f.must(err)
	if len(byID) != 1 || byID[keptPost.ID] == nil {
		t.Errorf("StatusesByID returned %d statuses, want only kept's", len(byID))
	}
	accs, err := f.s.AccountsByID(f.ctx, []int64{gone.ID, kept.ID})
	f.must(err)
	if len(accs) != 1 || accs[kept.ID] == nil {
		t.Errorf("AccountsByID returned %d accounts, want only kept", len(accs))
	}
	followers, err := f.s.Followers(f.ctx, reader.ID, store.Page{})
	f.must(err)
	if len(followers) != 0 {
		t.Errorf("followers of reader include the shredded account: %d", len(followers))
	}
	favs, err := f.s.Favourites(f.ctx, reader.ID, store.Page{})
	f.must(err)
	if len(favs) != 0 {
		t.Errorf("favourites include a shredded status")
	}
	edits, err := f.s.StatusEdits(f.ctx, gonePost.ID)
	f.must(err)
	if len(edits) != 0 {
		t.Errorf("edit history of a shredded status is readable")
	}
	users, err := f.s.Users(f.ctx, store.Page{})
	f.must(err)
	if slices.ContainsFunc(users, func(u *model.User) bool { return u.AccountID == gone.ID }) {
		t.Errorf("Users lists the shredded user")
	}
	rels, err := f.s.Relationships(f.ctx, gone.ID, []int64{reader.ID})
	f.must(err)
	if rels[0].Note != "" || !rels[0].Following {
		t.Errorf("relationship of a shredded account: %+v (clear facts stay, the note goes)", rels[0])
	}
	// Kept's data is untouched.
	if got := f.status(keptPost.ID); got.Text != keptPost.Text {
		t.Errorf("kept's post reads %q", got.Text)
	}
}
