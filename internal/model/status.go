package model

import "time"

// Visibility is who may see a status.
type Visibility string

const (
	VisibilityPublic   Visibility = "public"
	VisibilityUnlisted Visibility = "unlisted"
	VisibilityPrivate  Visibility = "private" // followers only
	VisibilityDirect   Visibility = "direct"  // mentioned accounts only
)

// Valid reports whether v is one of Mastodon's four visibilities.
func (v Visibility) Valid() bool {
	switch v {
	case VisibilityPublic, VisibilityUnlisted, VisibilityPrivate, VisibilityDirect:
		return true
	}
	return false
}

// Status is a post, or a boost of one (ReblogOfID != 0, no text of its own).
// Text fields are plaintext here; the store keeps them encrypted under the
// author's key.
type Status struct {
	ID          int64
	AccountID   int64
	URI         string // ActivityPub id; empty for local statuses (derived)
	URL         string
	Text        string // source text as written; encrypted at rest
	Content     string // rendered HTML; encrypted at rest
	SpoilerText string // content warning; encrypted at rest
	Sensitive   bool
	Visibility  Visibility
	Language    string
	InReplyToID int64 // 0: not a reply
	// InReplyToAccountID is the author of the parent, kept for visibility checks.
	InReplyToAccountID int64
	ReblogOfID         int64 // 0: not a boost
	ConversationID     int64
	Local              bool
	CreatedAt          time.Time
	EditedAt           *time.Time
	DeletedAt          *time.Time

	Mentions []Mention // accounts the status mentions; direct statuses are visible to them
	Tags     []string  // hashtags, lower-cased, without '#'
	Emojis   []Emoji   // custom emoji a remote status uses; encrypted at rest with the entities

	// Counters, maintained by the store.
	RepliesCount    int
	ReblogsCount    int
	FavouritesCount int
}

// Mention is an account a status mentions.
type Mention struct {
	AccountID int64
	Username  string
	Acct      string
}

// StatusEdit is one earlier version of a status, kept for edit history.
// Text fields are encrypted at rest under the author's key.
type StatusEdit struct {
	ID          int64
	StatusID    int64
	AccountID   int64
	Text        string
	Content     string
	SpoilerText string
	Sensitive   bool
	CreatedAt   time.Time
}

// Viewer-relative flags for a status, filled in for the reading account.
type StatusFlags struct {
	Favourited bool
	Reblogged  bool
	Bookmarked bool
	Pinned     bool
	Muted      bool
}

// Emoji is a custom emoji a remote status uses: ":Shortcode:" in its text
// shows the image at URL. Roost keeps the link, never the image.
type Emoji struct {
	Shortcode string `json:"s"`
	URL       string `json:"u"`
}
