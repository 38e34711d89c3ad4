package store

import (
	"context"
	"time"
)

// DeletedAccount is what is left of a deleted local account for a while:
// its username, reserved against impersonation until ReservedUntil, and,
// until its Delete(Person) has reached every inbox that knew it (or
// SignUntil passed), the vault owner whose actor keys sign that Delete.
type DeletedAccount struct {
	Username string
	// AccountID is the deleted account's id, which is also the vault owner
	// of its kept actor keys; 0 once those keys are shredded.
	AccountID     int64
	DeletedAt     time.Time
	ReservedUntil time.Time
	SignUntil     time.Time
}

// AccountDeletions stores the deletion of local accounts: the purge of
// their rows and the small record that outlives them.
type AccountDeletions interface {
	// DeletionInboxes lists the remote inboxes that know local account
	// accountID, to send its Delete(Person) to: those of its followers and
	// of the accounts it follows (requests included, both ways), of the
	// authors of statuses it favourited, boosted or replied to, and of the
	// accounts its statuses mention. A shared inbox stands for its server's
	// accounts; the list is deduplicated and sorted.
	DeletionInboxes(ctx context.Context, accountID int64) ([]string, error)
	// RecordAccountDeletion stores d (its username reserved, its id kept
	// for signing) and the inboxes its Delete is to reach, in one
	// transaction. It replaces an older record of the same username.
	RecordAccountDeletion(ctx context.Context, d *DeletedAccount, inboxes []string) error
	// DeleteLocalAccountData removes local account accountID and everything
	// that names it: its statuses and boosts (as DeleteStatus does,
	// counters fixed, with pending Creates), favourites, follows both ways
	// (counters fixed), the apps it owns (with every token of them), then
	// the account row, whose foreign keys take its user, tokens,
	// notifications to and from it, bookmarks, pins, blocks and mutes both
	// ways, notes, markers, preferences, invites, domain blocks, aliases,
	// moves and the reports it filed or that name it. Replies to it keep
	// their text but forget whom they answered. It reads no sealed column,
	// so it works after the account's keys are shredded. Each step is a
	// transaction; run again, a failed purge finishes. A remote account is
	// model.ErrInvalid; a missing one model.ErrNotFound.
	DeleteLocalAccountData(ctx context.Context, accountID int64) error
	// LocalAccountIDs returns at most limit local accounts with an id above
	// after, in id order, as id and username: it reads no sealed column,
	// so it lists accounts whose keys are gone too.
	LocalAccountIDs(ctx context.Context, after int64, limit int) ([]Keyed[string], error)
	// DeletedAccount returns the record of deleted account accountID while
	// its actor keys are kept; model.ErrNotFound otherwise.
	DeletedAccount(ctx context.Context, accountID int64) (*DeletedAccount, error)
	// DeletedUsername returns the record of a deleted local username,
	// compared case-insensitively, reserved or not; model.ErrNotFound when
	// there is none.
	DeletedUsername(ctx context.Context, username string) (*DeletedAccount, error)
	// DeletionInboxesLeft lists the inboxes accountID's Delete is still to
	// reach, sorted.
	DeletionInboxesLeft(ctx context.Context, accountID int64) ([]string, error)
	// DeletionDelivered removes inbox from accountID's remaining inboxes
	// and returns how many remain.
	DeletionDelivered(ctx context.Context, accountID int64, inbox string) (int, error)
	// DeletionsToFinish lists the deleted accounts whose actor keys are
	// kept though no inbox remains or SignUntil is at or before now.
	DeletionsToFinish(ctx context.Context, now time.Time) ([]int64, error)
	// FinishAccountDeletion forgets accountID in its record (once its
	// actor keys are shredded) and its remaining inboxes; the username
	// stays reserved. Finishing twice is no error.
	FinishAccountDeletion(ctx context.Context, accountID int64) error
	// FreeUsernames removes the records whose reservation ended at or
	// before now and that keep no actor keys, and returns how many.
	FreeUsernames(ctx context.Context, now time.Time) (int, error)
}

// AccountReferencer is implemented by stores that can count, table by
// table, the rows that still name an account. Tests use it to prove that a
// deleted account left nothing behind.
type AccountReferencer interface {
	// AccountReferences counts the rows naming accountID in every column
	// of the schema that holds account ids, keyed "table.column"; columns
	// with no such row are left out.
	AccountReferences(ctx context.Context, accountID int64) (map[string]int64, error)
}
