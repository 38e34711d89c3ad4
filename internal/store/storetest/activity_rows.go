package storetest

import (
	"testing"

	"github.com/roost-social/roost/internal/model"
)

// testActivityRows: the row ids that Like and Block activities are named
// by are read back, are new after an undo and a redo, and are
// model.ErrNotFound once undone.
func testActivityRows(t *testing.T, f *fx) {
	a, b := f.account("ara"), f.account("arb")
	st := f.post(b, model.VisibilityPublic)
	_, err := f.s.FavouriteID(f.ctx, a.ID, st.ID)
	f.is(err, model.ErrNotFound)
	_, err = f.s.AddFavourite(f.ctx, a.ID, st.ID)
	f.must(err)
	first, err := f.s.FavouriteID(f.ctx, a.ID, st.ID)
	f.must(err)
	if again, err := f.s.FavouriteID(f.ctx, a.ID, st.ID); err != nil || again != first || first == 0 {
		t.Errorf("FavouriteID twice: %d, %d, %v", first, again, err)
	}
	_, err = f.s.RemoveFavourite(f.ctx, a.ID, st.ID)
	f.must(err)
	_, err = f.s.FavouriteID(f.ctx, a.ID, st.ID)
	f.is(err, model.ErrNotFound)
	_, err = f.s.AddFavourite(f.ctx, a.ID, st.ID)
	f.must(err)
	if second, err := f.s.FavouriteID(f.ctx, a.ID, st.ID); err != nil || second == first {
		t.Errorf("FavouriteID after a re-like: %d (first %d), %v", second, first, err)
	}
	_, err = f.s.FavouriteID(f.ctx, b.ID, st.ID)
	f.is(err, model.ErrNotFound)

	_, err = f.s.BlockID(f.ctx, a.ID, b.ID)
	f.is(err, model.ErrNotFound)
	f.must(f.s.PutBlock(f.ctx, a.ID, b.ID))
	block, err := f.s.BlockID(f.ctx, a.ID, b.ID)
	f.must(err)
	f.must(f.s.PutBlock(f.ctx, a.ID, b.ID)) // blocking again keeps the row
	if again, err := f.s.BlockID(f.ctx, a.ID, b.ID); err != nil || again != block || block == 0 {
		t.Errorf("BlockID after blocking twice: %d, %d, %v", block, again, err)
	}
	_, err = f.s.BlockID(f.ctx, b.ID, a.ID)
	f.is(err, model.ErrNotFound)
	f.must(f.s.DeleteBlock(f.ctx, a.ID, b.ID))
	_, err = f.s.BlockID(f.ctx, a.ID, b.ID)
	f.is(err, model.ErrNotFound)
	f.must(f.s.PutBlock(f.ctx, a.ID, b.ID))
	if re, err := f.s.BlockID(f.ctx, a.ID, b.ID); err != nil || re == block {
		t.Errorf("BlockID after a re-block: %d (first %d), %v", re, block, err)
	}
}
