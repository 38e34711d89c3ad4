package model

import "time"

// Role is a local user's staff role.
type Role string

const (
	RoleOwner     Role = "owner"
	RoleAdmin     Role = "admin"
	RoleModerator Role = "moderator"
	RoleUser      Role = "user"
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleOwner, RoleAdmin, RoleModerator, RoleUser:
		return true
	}
	return false
}

// Staff reports whether r may moderate.
func (r Role) Staff() bool { return r == RoleOwner || r == RoleAdmin || r == RoleModerator }

// Field is one profile metadata pair.
type Field struct {
	Name       string     `json:"name"`
	Value      string     `json:"value"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
}

// Account is a person (or bot) that can post: local or remote. Text fields
// are plaintext here; the store keeps them encrypted under the account's key.
type Account struct {
	ID           int64
	Username     string
	Domain       string  // "" for local accounts
	DisplayName  string  // encrypted at rest
	Note         string  // local: bio as typed (plain text); remote: sanitized HTML. Encrypted at rest
	Fields       []Field // local values are plain text, remote ones sanitized HTML
	Locked       bool    // follows need approval
	Bot          bool
	Discoverable bool
	NoIndex      bool
	URI          string // ActivityPub id; empty for local accounts (derived)
	URL          string // profile page; empty for local accounts (derived)
	CreatedAt    time.Time
	UpdatedAt    time.Time
	SuspendedAt  *time.Time
	// MovedToID is the account this one moved to (ActivityPub Move); 0
	// when it has not moved. Read by the store; written through its Moves.
	MovedToID int64

	// Counters, maintained by the store.
	FollowersCount int
	FollowingCount int
	StatusesCount  int
	LastStatusAt   *time.Time
}

// Local reports whether the account lives on this server.
func (a *Account) Local() bool { return a.Domain == "" }

// Acct is the account's handle as Mastodon shows it: "alice" for a local
// account, "alice@example.org" for a remote one.
func (a *Account) Acct() string {
	if a.Domain == "" {
		return a.Username
	}
	return a.Username + "@" + a.Domain
}

// User is the sign-in identity of a local account.
type User struct {
	AccountID    int64
	Email        string // optional; encrypted at rest
	EmailHash    []byte // keyed hash of the normalized email, for uniqueness and sign-in; nil when no email
	PasswordHash string // argon2id, PHC string format
	Role         Role
	Approved     bool
	Reason       string // why they want to join, when approval is on; encrypted at rest
	Locale       string
	InviteID     int64 // 0 when not invited
	CreatedAt    time.Time
	DisabledAt   *time.Time // set by suspend
	OTPEnabled   bool       // two-factor login on: the password grant is refused

	// Failed sign-in throttle, kept per account (never per address).
	FailedLogins  int
	LockedUntil   *time.Time
	LastSignInDay string // "2006-01-02": the day only, never a time or address
}

// Preferences are a user's posting and reading defaults.
type Preferences struct {
	PostingVisibility Visibility `json:"posting:default:visibility"`
	PostingSensitive  bool       `json:"posting:default:sensitive"`
	PostingLanguage   string     `json:"posting:default:language"`
	ExpandMedia       string     `json:"reading:expand:media"`
	ExpandSpoilers    bool       `json:"reading:expand:spoilers"`
}

// Invite lets someone register when registrations are invite-only.
type Invite struct {
	ID        int64
	Code      string
	AccountID int64 // who made it
	MaxUses   int   // 0: unlimited
	Uses      int
	ExpiresAt *time.Time
	CreatedAt time.Time
}

// RegistrationMode says who may sign up.
type RegistrationMode string

const (
	RegistrationOpen     RegistrationMode = "open"
	RegistrationApproval RegistrationMode = "approval"
	RegistrationInvite   RegistrationMode = "invite"
	RegistrationClosed   RegistrationMode = "closed"
)
