package model

import "time"

// Follow is an accepted follow, or a pending request when Pending is true.
type Follow struct {
	ID        int64
	AccountID int64 // the follower
	TargetID  int64 // the followed
	Reblogs   bool  // show the target's boosts in the follower's home
	Notify    bool  // notify the follower when the target posts
	Pending   bool  // a follow request awaiting the target's approval
	URI       string
	CreatedAt time.Time
}

// Relationship is how one account stands to another, as the Mastodon API
// shows it.
type Relationship struct {
	ID                  int64 // the other account
	Following           bool
	ShowingReblogs      bool
	Notifying           bool
	FollowedBy          bool
	Blocking            bool
	BlockedBy           bool
	Muting              bool
	MutingNotifications bool
	Requested           bool
	RequestedBy         bool
	DomainBlocking      bool
	Endorsed            bool
	Note                string // private note; encrypted at rest
}

// Mute hides an account from the muter.
type Mute struct {
	AccountID     int64
	TargetID      int64
	Notifications bool // also hide notifications from the target
	ExpiresAt     *time.Time
	CreatedAt     time.Time
}

// NotificationType is one of Mastodon's notification types.
type NotificationType string

const (
	NotifyMention       NotificationType = "mention"
	NotifyStatus        NotificationType = "status"
	NotifyReblog        NotificationType = "reblog"
	NotifyFollow        NotificationType = "follow"
	NotifyFollowRequest NotificationType = "follow_request"
	NotifyFavourite     NotificationType = "favourite"
	NotifyUpdate        NotificationType = "update"
	NotifyAdminSignUp   NotificationType = "admin.sign_up"
)

// Notification tells an account that something happened.
type Notification struct {
	ID          int64
	AccountID   int64 // who is notified
	FromID      int64 // who did it
	Type        NotificationType
	StatusID    int64 // 0 when none
	CreatedAt   time.Time
	DismissedAt *time.Time
}

// Marker is a saved reading position.
type Marker struct {
	AccountID  int64
	Timeline   string // "home" or "notifications"
	LastReadID int64
	Version    int
	UpdatedAt  time.Time
}
