package store

import (
	"context"
	"time"
)

// Severity is what an instance domain block does to a domain, as Mastodon
// names it.
type Severity string

// Severities, from mildest to strictest.
const (
	// SeverityNoop blocks nothing itself; the block exists for its
	// reject_media and reject_reports flags.
	SeverityNoop Severity = "noop"
	// SeveritySilence limits the domain: its accounts are hidden from
	// those who do not follow them.
	SeveritySilence Severity = "silence"
	// SeveritySuspend cuts the domain off: its activities are dropped
	// before any write and its accounts are suspended.
	SeveritySuspend Severity = "suspend"
)

// Valid reports whether v is one of the three severities.
func (v Severity) Valid() bool {
	return v == SeverityNoop || v == SeveritySilence || v == SeveritySuspend
}

// DomainBlock is an instance's block of a domain and its subdomains.
// Domain is normalised (lower-case ASCII, punycode, no trailing dot) by the
// caller; the store compares it exactly. The comments are sealed at rest
// under the instance's own key (owner 0).
type DomainBlock struct {
	ID             int64
	Domain         string
	Severity       Severity
	RejectMedia    bool
	RejectReports  bool
	Obfuscate      bool
	PrivateComment string
	PublicComment  string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Moderation stores instance and per-user domain blocks.
//
// A block of a domain covers its subdomains: a block of example.org hides
// a.example.org too. Matching a subdomain to its block is the caller's for
// instance blocks (core keeps them in memory) and the store's for per-user
// blocks, which the timeline and notification queries apply.
type Moderation interface {
	// PutDomainBlocks creates or updates (matched on Domain) every block of
	// bs in one transaction: all or none. A new block gets a fresh ID and
	// CreatedAt (when zero); an existing one keeps its ID and CreatedAt,
	// which are written back into bs. UpdatedAt is set to now.
	PutDomainBlocks(ctx context.Context, bs []*DomainBlock) error
	// DomainBlock returns the block with id.
	DomainBlock(ctx context.Context, id int64) (*DomainBlock, error)
	// DomainBlockByDomain returns the block of exactly domain.
	DomainBlockByDomain(ctx context.Context, domain string) (*DomainBlock, error)
	// DeleteDomainBlock removes the block with id; none is model.ErrNotFound.
	DeleteDomainBlock(ctx context.Context, id int64) error
	// DomainBlocks lists blocks newest first, paged by ID.
	DomainBlocks(ctx context.Context, p Page) ([]*DomainBlock, error)
	// AllDomainBlocks returns every block ordered by domain; withComments
	// false leaves the (sealed) comments unread, for policy checks.
	AllDomainBlocks(ctx context.Context, withComments bool) ([]*DomainBlock, error)
	// DomainAccountIDs returns the remote accounts on domain or one of its
	// subdomains.
	DomainAccountIDs(ctx context.Context, domain string) ([]int64, error)

	// PutUserDomainBlock hides domain (and its subdomains) from accountID;
	// blocking a domain twice is no error.
	PutUserDomainBlock(ctx context.Context, accountID int64, domain string) error
	// DeleteUserDomainBlock lifts it; none is no error.
	DeleteUserDomainBlock(ctx context.Context, accountID int64, domain string) error
	// UserDomainBlocks lists accountID's blocked domains, newest first,
	// paged by the block's row.
	UserDomainBlocks(ctx context.Context, accountID int64, p Page) ([]Keyed[string], error)
}
