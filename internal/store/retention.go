package store

import (
	"context"
	"time"
)

// Hold is a legal hold on an account: until Until, the retention purges
// (and account deletion) leave the account's data alone.
type Hold struct {
	AccountID int64
	Until     time.Time
	CreatedAt time.Time
}

// RetentionRun is how the purge of one retention category last went.
type RetentionRun struct {
	Category string
	// LastRunAt is when the category was last swept, and LastPurged how
	// many rows that sweep removed; TotalPurged counts every sweep's.
	LastRunAt   time.Time
	LastPurged  int64
	TotalPurged int64
}

// Retention finds and deletes data older than the instance's retention
// policy allows, and keeps legal holds. Every finder and purge takes now to
// judge holds by (a hold whose Until is after now is in force) and a
// cut-off (rows at or after it are kept), and handles at most limit rows,
// so that callers work in bounded batches; running one again after an
// interruption only continues the work. "Held data" is what belongs to a
// held account: what it wrote or received, its notifications, tokens and
// reports by or about it, and the direct messages that mention it.
type Retention interface {
	AutoDeletes
	// PutHold puts accountID under a hold until until, or moves the end
	// of its hold there. A missing account is model.ErrNotFound.
	PutHold(ctx context.Context, accountID int64, until, now time.Time) error
	// ReleaseHold ends accountID's hold; releasing none is not an error.
	ReleaseHold(ctx context.Context, accountID int64) (released bool, err error)
	// Holds lists every hold, lapsed or not, by account id.
	Holds(ctx context.Context) ([]Hold, error)
	// UnderHold reports whether accountID has a hold in force at now.
	UnderHold(ctx context.Context, accountID int64, now time.Time) (bool, error)

	// ExpiredRemoteStatuses returns ids of remote statuses and boosts
	// created before before that are not direct, that no local account
	// favourited, boosted, bookmarked, pinned or replied to, that neither
	// reply to nor boost a local status, that no notification refers to,
	// that neither mention nor were favourited by a held account, and
	// whose author is neither held nor the target of an open report.
	// DeleteStatus removes each with what depends on it.
	ExpiredRemoteStatuses(ctx context.Context, before, now time.Time, limit int) ([]int64, error)
	// ExpiredDirectStatuses returns ids of direct statuses, local and
	// remote, created before before, neither written by nor mentioning a
	// held account.
	ExpiredDirectStatuses(ctx context.Context, before, now time.Time, limit int) ([]int64, error)
	// ExpiredRemoteAccounts returns ids of remote accounts whose last
	// fetch (or, never fetched, last update) is before before, that are not
	// held, and that nothing here refers to: no follow or follow request
	// either way, no block or mute either way, no private note on it, no
	// report by or about it, no status or favourite of its own, no mention
	// of it, no notification from it, and no move to it. Deleting such an
	// account breaks nothing a local user sees.
	ExpiredRemoteAccounts(ctx context.Context, before, now time.Time, limit int) ([]int64, error)

	// PurgeNotifications deletes notifications created before before
	// whose recipient is not held, and returns how many.
	PurgeNotifications(ctx context.Context, before, now time.Time, limit int) (int, error)
	// PurgeTokens deletes tokens last used before before's day (never
	// used: created before before), tokens revoked before before, and
	// authorization codes expired before now, of accounts not held (app
	// tokens without an account included), and returns how many.
	PurgeTokens(ctx context.Context, before, now time.Time, limit int) (int, error)
	// PurgeClosedReports deletes reports resolved before before whose
	// reporter and target are not held, and returns how many.
	PurgeClosedReports(ctx context.Context, before, now time.Time, limit int) (int, error)
	// PurgeDeliveryRecords deletes the failure streaks of hosts last tried
	// before before, and pending Create records older than before, and
	// returns how many.
	PurgeDeliveryRecords(ctx context.Context, before time.Time, limit int) (int, error)

	// ResealKeys re-seals, under owner's current key of class (a
	// vault.Class... other than the general one), every value of owner's
	// rows in class's tables whose ciphertext names one of keyIDs, and
	// returns how many values it re-sealed. It is what keeps the rows a
	// purge spares readable once those keys are destroyed. A row written
	// meanwhile keeps what was written (compare-and-swap); a value whose
	// key is already gone is left alone.
	ResealKeys(ctx context.Context, owner int64, class string, keyIDs []int64) (int, error)

	// RecordRetentionRun adds one sweep of category at at that purged n
	// rows to its progress.
	RecordRetentionRun(ctx context.Context, category string, at time.Time, n int) error
	// RetentionRuns lists the progress of every category swept so far.
	RetentionRuns(ctx context.Context) ([]RetentionRun, error)
}

// AutoDeletePolicy is a local account's own choice to have its posts
// deleted once they are MinAgeDays old, as Mastodon's automated post
// deletion. A post is kept when a Keep flag covers it, or when it has at
// least MinFavs favourites or MinReblogs boosts (0: no such threshold).
// Roost has no polls or media yet, so KeepPolls and KeepMedia are stored
// for when it does and spare nothing today.
type AutoDeletePolicy struct {
	AccountID        int64
	Enabled          bool
	MinAgeDays       int
	KeepDirect       bool
	KeepPinned       bool
	KeepPolls        bool
	KeepMedia        bool
	KeepSelfFav      bool
	KeepSelfBookmark bool
	MinFavs          int
	MinReblogs       int
	UpdatedAt        time.Time
}

// AutoDeletes stores the accounts' auto-delete policies and finds the
// posts they make due.
type AutoDeletes interface {
	// PutAutoDeletePolicy creates or replaces p's account's policy. A
	// missing account is model.ErrNotFound.
	PutAutoDeletePolicy(ctx context.Context, p *AutoDeletePolicy) error
	// AutoDeletePolicy returns accountID's policy; none is
	// model.ErrNotFound.
	AutoDeletePolicy(ctx context.Context, accountID int64) (*AutoDeletePolicy, error)
	// EnabledAutoDeletePolicies returns, by account id, at most limit
	// enabled policies of accounts after afterID that are not under a
	// hold at now.
	EnabledAutoDeletePolicies(ctx context.Context, afterID int64, now time.Time, limit int) ([]AutoDeletePolicy, error)
	// ExpiredOwnStatuses returns ids of at most limit of p's account's
	// own statuses (not boosts) created before before that p does not
	// keep, oldest first.
	ExpiredOwnStatuses(ctx context.Context, p AutoDeletePolicy, before time.Time, limit int) ([]int64, error)
}
