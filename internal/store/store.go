// Package store defines how Roost persists its domain: small interfaces, one
// per area, that the SQLite and PostgreSQL implementations both satisfy and
// that storetest holds them to. Methods take and return plaintext domain
// types; an implementation encrypts every personal field through the vault
// before it is written and decrypts it after it is read, binding each
// ciphertext to its table, column and row.
//
// Counters (followers, following, statuses, replies, boosts, favourites)
// equal the rows they count however many writers change them at once.
//
// Errors: a missing row, or a write referring to one (a boost of a status
// deleted meanwhile), is model.ErrNotFound; a taken unique value is
// model.ErrConflict; a row whose owner's key was destroyed reads as
// model.ErrShredded. Nothing here knows HTTP.
package store

import (
	"context"
	"time"

	"github.com/roost-social/roost/internal/model"
)

// Store is everything the core needs from storage.
type Store interface {
	Accounts
	Statuses
	Timelines
	Social
	Notifications
	OAuth
	Misc
	Federation
	Inbound
	Delivery
	Moderation
	Reports
	ActivityRows
	Refresh
	Moves
	AccountDeletions
	Retention
	Exports
	InstanceSettings
	AdminAccounts
	Sessions
	// Close releases the database.
	Close() error
}

// Page bounds a listing the way Mastodon's paging parameters do. IDs are the
// listing's keys (status IDs for timelines, row IDs for favourites, follows
// and so on). Results always come newest first. With MinID set, the results
// are the Limit items immediately newer than MinID (still newest first);
// with SinceID, the newest Limit items newer than SinceID.
type Page struct {
	MaxID   int64
	SinceID int64
	MinID   int64
	Limit   int
}

// Keyed is a listed item with the key it is paged by, for listings whose
// key is not the item's own ID (a favourite's row, a follow's row).
type Keyed[T any] struct {
	Key   int64
	Value T
}

// Accounts stores local and remote accounts and local users.
type Accounts interface {
	// CreateLocalAccount inserts a local account with its user in one
	// transaction. A taken username (case-insensitive) or email hash is
	// model.ErrConflict.
	CreateLocalAccount(ctx context.Context, a *model.Account, u *model.User) error
	// CreateRemoteAccount inserts an account that lives on another server,
	// as federation learns of it; it has no user. a.Domain and a.URI (the
	// actor's ActivityPub id) are required, or the error is
	// model.ErrInvalid; the domain is stored lower case. A taken
	// username@domain (case-insensitive) or URI (compared exactly) is
	// model.ErrConflict. Zero a.ID, a.CreatedAt and a.UpdatedAt are filled
	// in (a new ID, now, CreatedAt). That the domain is not this server's
	// is the caller's to check.
	CreateRemoteAccount(ctx context.Context, a *model.Account) error
	Account(ctx context.Context, id int64) (*model.Account, error)
	// AccountsByID returns the accounts that exist among ids.
	AccountsByID(ctx context.Context, ids []int64) (map[int64]*model.Account, error)
	// AccountByUsername finds an account case-insensitively; domain "" is local.
	AccountByUsername(ctx context.Context, username, domain string) (*model.Account, error)
	// AccountByURI finds a remote account by its ActivityPub id, compared
	// exactly. Local accounts have no stored URI: "" is model.ErrNotFound.
	AccountByURI(ctx context.Context, uri string) (*model.Account, error)
	// UpdateAccount writes the profile fields (display name, note, fields,
	// locked, bot, discoverable, noindex) and UpdatedAt.
	UpdateAccount(ctx context.Context, a *model.Account) error
	SetAccountSuspended(ctx context.Context, id int64, at *time.Time) error
	// SearchAccounts matches usernames by prefix, case-insensitively,
	// excluding suspended accounts.
	SearchAccounts(ctx context.Context, prefix string, limit, offset int) ([]*model.Account, error)

	User(ctx context.Context, accountID int64) (*model.User, error)
	UserByEmailHash(ctx context.Context, hash []byte) (*model.User, error)
	// UpdateUser writes every mutable field of u.
	UpdateUser(ctx context.Context, u *model.User) error
	// Users lists local users, newest first, paged by account ID. It
	// returns the users alone; AccountsByID reads their accounts.
	Users(ctx context.Context, p Page) ([]*model.User, error)
	CountUsers(ctx context.Context) (int, error)

	CreateInvite(ctx context.Context, inv *model.Invite) error
	// UseInvite counts one use of a valid, unexpired invite, or fails with
	// model.ErrNotFound.
	UseInvite(ctx context.Context, code string, now time.Time) (*model.Invite, error)
}

// StatusFilter narrows an account's statuses.
type StatusFilter struct {
	OnlyMedia      bool
	ExcludeReplies bool
	ExcludeReblogs bool
	Pinned         bool
	Tag            string
}

// Statuses stores posts, boosts and their edit history.
type Statuses interface {
	// CreateStatus inserts s with its mentions and tags and updates the
	// counters it touches, in one transaction.
	CreateStatus(ctx context.Context, s *model.Status) error
	Status(ctx context.Context, id int64) (*model.Status, error)
	StatusesByID(ctx context.Context, ids []int64) (map[int64]*model.Status, error)
	// EditStatus saves prev as a history entry and writes s's text, content
	// warning, sensitivity, language, mentions, tags and EditedAt.
	EditStatus(ctx context.Context, s *model.Status, prev *model.StatusEdit) error
	StatusEdits(ctx context.Context, statusID int64) ([]*model.StatusEdit, error)
	// DeleteStatus removes a status, its boosts, favourites, bookmarks,
	// pins, history and notifications, and fixes the counters.
	DeleteStatus(ctx context.Context, id int64) error
	// ReblogBy returns accountID's boost of statusID.
	ReblogBy(ctx context.Context, accountID, statusID int64) (*model.Status, error)
	// Ancestors returns the reply chain above id, oldest first, at most limit.
	Ancestors(ctx context.Context, id int64, limit int) ([]*model.Status, error)
	// Descendants returns replies below id, depth first in creation order,
	// at most limit.
	Descendants(ctx context.Context, id int64, limit int) ([]*model.Status, error)

	AddFavourite(ctx context.Context, accountID, statusID int64) (created bool, err error)
	RemoveFavourite(ctx context.Context, accountID, statusID int64) (removed bool, err error)
	Favourites(ctx context.Context, accountID int64, p Page) ([]Keyed[*model.Status], error)
	FavouritedBy(ctx context.Context, statusID int64, p Page) ([]Keyed[*model.Account], error)
	RebloggedBy(ctx context.Context, statusID int64, p Page) ([]Keyed[*model.Account], error)

	AddBookmark(ctx context.Context, accountID, statusID int64) error
	RemoveBookmark(ctx context.Context, accountID, statusID int64) error
	Bookmarks(ctx context.Context, accountID int64, p Page) ([]Keyed[*model.Status], error)

	AddPin(ctx context.Context, accountID, statusID int64) error
	RemovePin(ctx context.Context, accountID, statusID int64) error
	CountPins(ctx context.Context, accountID int64) (int, error)

	// StatusFlags returns viewerID's favourited/reblogged/bookmarked/pinned
	// flags for each of statusIDs.
	StatusFlags(ctx context.Context, viewerID int64, statusIDs []int64) (map[int64]model.StatusFlags, error)

	// RememberIdempotency records that accountID's request with key made
	// statusID; IdempotentStatus recalls it until expiry.
	RememberIdempotency(ctx context.Context, accountID int64, key string, statusID int64, expires time.Time) error
	IdempotentStatus(ctx context.Context, accountID int64, key string, now time.Time) (int64, error)
}

// TimelineOptions narrows the public and tag timelines.
type TimelineOptions struct {
	Local     bool
	Remote    bool
	OnlyMedia bool
}

// Timelines lists statuses for a viewer. Every method returns only statuses
// viewerID may see (viewerID 0 is a signed-out reader): public and unlisted
// ones, followers-only ones of accounts viewerID follows, followers-only
// and direct ones that mention viewerID (as in Mastodon, a mention lets a
// followers-only status reach its reader), and viewerID's own. A boost is
// shown only where both it and the status it boosts may be seen. Statuses
// by accounts viewerID blocks, mutes or is blocked by are left out, and so
// are suspended authors.
type Timelines interface {
	// HomeTimeline is viewerID's own statuses and those of the accounts
	// viewerID follows: their non-direct statuses (boosts only where the
	// follow shows boosts) and their direct statuses that mention viewerID.
	// Nothing from an account viewerID does not follow.
	HomeTimeline(ctx context.Context, viewerID int64, p Page) ([]*model.Status, error)
	// PublicTimeline is public statuses (no boosts, no direct replies to
	// others' followers-only posts).
	PublicTimeline(ctx context.Context, viewerID int64, o TimelineOptions, p Page) ([]*model.Status, error)
	// TagTimeline is public statuses carrying tag.
	TagTimeline(ctx context.Context, viewerID int64, tag string, o TimelineOptions, p Page) ([]*model.Status, error)
	// AccountStatuses is accountID's statuses as viewerID may see them.
	AccountStatuses(ctx context.Context, viewerID, accountID int64, f StatusFilter, p Page) ([]*model.Status, error)
}

// Social stores follows, blocks, mutes and private notes.
type Social interface {
	// PutFollow creates or updates a follow or follow request (matched on
	// AccountID and TargetID) and maintains the counters.
	PutFollow(ctx context.Context, f *model.Follow) error
	Follow(ctx context.Context, accountID, targetID int64) (*model.Follow, error)
	// AcceptFollow turns a pending request into a follow.
	AcceptFollow(ctx context.Context, accountID, targetID int64) error
	// DeleteFollow removes a follow or request; removing none is not an error.
	DeleteFollow(ctx context.Context, accountID, targetID int64) (removed bool, err error)
	Followers(ctx context.Context, targetID int64, p Page) ([]Keyed[*model.Account], error)
	Following(ctx context.Context, accountID int64, p Page) ([]Keyed[*model.Account], error)
	FollowRequests(ctx context.Context, targetID int64, p Page) ([]Keyed[*model.Account], error)
	// FollowerIDs returns the accounts that follow targetID (accepted only).
	FollowerIDs(ctx context.Context, targetID int64) ([]int64, error)
	// FollowerIDsAfter returns at most limit accounts that follow targetID
	// (accepted only) with an id above after, in id order: a walk over a
	// large following, a batch at a time.
	FollowerIDsAfter(ctx context.Context, targetID, after int64, limit int) ([]int64, error)
	// NotifyingFollowerIDs returns the accounts that follow targetID
	// (accepted only) with Notify set, who are told of its new statuses.
	NotifyingFollowerIDs(ctx context.Context, targetID int64) ([]int64, error)

	// PutBlock blocks targetID for accountID and removes follows both ways.
	PutBlock(ctx context.Context, accountID, targetID int64) error
	DeleteBlock(ctx context.Context, accountID, targetID int64) error
	Blocks(ctx context.Context, accountID int64, p Page) ([]Keyed[*model.Account], error)
	// BlockedEither reports whether a blocks b or b blocks a.
	BlockedEither(ctx context.Context, a, b int64) (bool, error)

	PutMute(ctx context.Context, m *model.Mute) error
	DeleteMute(ctx context.Context, accountID, targetID int64) error
	Mutes(ctx context.Context, accountID int64, p Page) ([]Keyed[*model.Account], error)

	// Relationships returns accountID's relationship to each of targetIDs,
	// in the same order.
	Relationships(ctx context.Context, accountID int64, targetIDs []int64) ([]*model.Relationship, error)
	// SetNote stores accountID's private note on targetID.
	SetNote(ctx context.Context, accountID, targetID int64, note string) error
}

// NotificationFilter narrows a notification listing.
type NotificationFilter struct {
	Types        []model.NotificationType
	ExcludeTypes []model.NotificationType
	FromID       int64
}

// NotificationRecipient is what decides whether an account is told of what
// another account did.
type NotificationRecipient struct {
	ID int64
	// Local: the account lives on this server (remote ones are told by
	// federation, not here).
	Local     bool
	Suspended bool
	// Blocked is a block between the two accounts, either way.
	Blocked bool
	// Muting is an unexpired mute of the sender by the recipient;
	// MutingNotifications says that the mute covers notifications.
	Muting, MutingNotifications bool
}

// Notifications stores what accounts are told.
type Notifications interface {
	CreateNotification(ctx context.Context, n *model.Notification) error
	// CreateNotifications inserts ns in one transaction: all or none. Zero
	// IDs and CreatedAt are filled in as CreateNotification does.
	CreateNotifications(ctx context.Context, ns []*model.Notification) error
	// NotificationRecipients reads, in one go, what decides whether each
	// of ids hears from fromID. Accounts that do not exist are left out.
	NotificationRecipients(ctx context.Context, fromID int64, ids []int64) (map[int64]NotificationRecipient, error)
	// Notifications lists accountID's undismissed notifications, leaving out
	// those from accounts accountID blocks or mutes with notifications.
	Notifications(ctx context.Context, accountID int64, f NotificationFilter, p Page) ([]*model.Notification, error)
	Notification(ctx context.Context, accountID, id int64) (*model.Notification, error)
	DismissNotification(ctx context.Context, accountID, id int64) error
	ClearNotifications(ctx context.Context, accountID int64) error
}

// OAuth stores apps, tokens and authorization codes. Secrets are stored only
// as SHA-256 hashes.
type OAuth interface {
	CreateApp(ctx context.Context, a *model.App) error
	App(ctx context.Context, id int64) (*model.App, error)
	AppByClientID(ctx context.Context, clientID string) (*model.App, error)
	CreateToken(ctx context.Context, t *model.Token) error
	// TokenByHash returns an unrevoked token.
	TokenByHash(ctx context.Context, hash []byte) (*model.Token, error)
	// TouchToken records the day a token was last used.
	TouchToken(ctx context.Context, id int64, day string) error
	RevokeToken(ctx context.Context, id int64, at time.Time) error
	// RevokeAccountTokens revokes every token of an account.
	RevokeAccountTokens(ctx context.Context, accountID int64, at time.Time) error
	CreateAuthCode(ctx context.Context, c *model.AuthCode) error
	// TakeAuthCode returns the code and deletes it, atomically, so that a
	// code works once.
	TakeAuthCode(ctx context.Context, hash []byte) (*model.AuthCode, error)
}

// WeekActivity is one week of instance activity.
type WeekActivity struct {
	Week          time.Time
	Statuses      int
	Logins        int
	Registrations int
}

// Misc stores markers, preferences and instance figures.
type Misc interface {
	Markers(ctx context.Context, accountID int64, timelines []string) ([]*model.Marker, error)
	// SetMarker saves a marker and bumps its version.
	SetMarker(ctx context.Context, m *model.Marker) error
	Preferences(ctx context.Context, accountID int64) (*model.Preferences, error)
	SetPreferences(ctx context.Context, accountID int64, p *model.Preferences) error
	CountLocalStatuses(ctx context.Context) (int, error)
	// Activity returns the weeks starting at or after since, newest first.
	Activity(ctx context.Context, since time.Time) ([]WeekActivity, error)
	// Peers lists the domains of known remote accounts.
	Peers(ctx context.Context) ([]string, error)
}
