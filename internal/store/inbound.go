package store

import (
	"context"

	"github.com/roost-social/roost/internal/model"
)

// Inbound stores what arrives from other servers beyond remote actors:
// remote statuses found by their ActivityPub ids, follows found by the id
// of their Follow activity, and the purge of a remote account that was
// deleted at its origin.
type Inbound interface {
	// StatusByURI finds a status by its ActivityPub id, compared exactly.
	// Local statuses store none: "" is model.ErrNotFound. CreateStatus with
	// a URI already stored is model.ErrConflict.
	StatusByURI(ctx context.Context, uri string) (*model.Status, error)
	// FollowByURI finds a follow or follow request by the id of the Follow
	// activity that made it, compared exactly; "" is model.ErrNotFound.
	FollowByURI(ctx context.Context, uri string) (*model.Follow, error)
	// DeleteRemoteAccountData removes remote account accountID and
	// everything it wrote or took part in: its statuses and boosts (as
	// DeleteStatus does, counters fixed), its favourites, its follows both
	// ways (counters fixed), then the account row itself, with its
	// notifications, blocks, mutes, notes, bookmarks, pins and actor
	// details. It is not one transaction: each step is, and a failed
	// purge run again finishes the work. A local account is
	// model.ErrInvalid; a missing one model.ErrNotFound. Shredding the
	// account's key is the caller's, after this returns.
	DeleteRemoteAccountData(ctx context.Context, accountID int64) error
}
