package store

import (
	"context"
	"time"
)

// DeliveryHost is how deliveries to one remote host have been going. A
// host with a failure streak of several days is unavailable: delivery
// skips it, except for an occasional probe, until a delivery succeeds.
type DeliveryHost struct {
	Host string
	// Failures counts failed deliveries since the last success; FailingSince
	// is the first of them (zero when the host is healthy).
	Failures     int
	FailingSince time.Time
	// LastAttempt is when a delivery to host last failed.
	LastAttempt time.Time
}

// Delivery answers the questions outgoing delivery asks: which inboxes
// must hear of an account's activity, and which servers are unavailable.
// Everything here is public (inbox URLs, host names) and stored in clear.
type Delivery interface {
	// FollowerInboxes returns where accountID's accepted remote followers
	// receive activities: each follower's shared inbox when it has one,
	// else its own inbox, without duplicates, sorted. Suspended accounts
	// and accounts without an inbox are left out.
	FollowerInboxes(ctx context.Context, accountID int64) ([]string, error)
	// DeliveryHost returns host's record; a host never failed has a zero
	// record (Host set, Failures 0), not an error.
	DeliveryHost(ctx context.Context, host string) (*DeliveryHost, error)
	// DeliveryFailed adds a failure at time at to host's streak, starting
	// the streak when there is none.
	DeliveryFailed(ctx context.Context, host string, at time.Time) error
	// DeliverySucceeded ends host's failure streak.
	DeliverySucceeded(ctx context.Context, host string) error

	// AddPendingCreates records that a Create of statusID is on its way
	// to each of inboxes; adding one already there is not an error.
	AddPendingCreates(ctx context.Context, statusID int64, inboxes []string) error
	// RemovePendingCreate records that the Create of statusID to inbox is
	// done with (delivered or given up); removing none is not an error.
	RemovePendingCreate(ctx context.Context, statusID int64, inbox string) error
	// RemovePendingCreates is RemovePendingCreate for several inboxes at
	// once, all or none.
	RemovePendingCreates(ctx context.Context, statusID int64, inboxes []string) error
	// PendingCreateSince returns when the Create of statusID to inbox was
	// recorded as pending, or the zero time when none is.
	PendingCreateSince(ctx context.Context, statusID int64, inbox string) (time.Time, error)
}
