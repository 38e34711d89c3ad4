package store

import "context"

// ActivityRows reads the rows that outgoing activities take their ids
// from. A Like is named by its favourite's row and a Block by its block's
// row, as Mastodon names them ({actor}#likes/{favourite id}): a like after
// an unlike is a new row, so a new activity that receivers, which
// deduplicate by id, do not drop, while the Undo of each names the one it
// takes back.
type ActivityRows interface {
	// FavouriteID returns the row id of accountID's favourite of
	// statusID; none is model.ErrNotFound.
	FavouriteID(ctx context.Context, accountID, statusID int64) (int64, error)
	// BlockID returns the row id of accountID's block of targetID; none
	// is model.ErrNotFound.
	BlockID(ctx context.Context, accountID, targetID int64) (int64, error)
}
