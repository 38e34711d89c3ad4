package store

import (
	"context"
	"time"
)

// MaxAliases is how many aliases (alsoKnownAs) an account keeps; a remote
// actor's longer list is cut to it.
const MaxAliases = 20

// ActorMoves is a remote actor's alsoKnownAs and movedTo, as its document
// publishes them.
type ActorMoves struct {
	AlsoKnownAs []string
	MovedTo     string
}

// AccountMove records that an account moved to another (ActivityPub Move).
type AccountMove struct {
	AccountID int64
	// TargetID is the new account; 0 while only TargetURI is known (a
	// remote actor's movedTo that Roost has not resolved).
	TargetID int64
	// TargetURI is the new account's ActivityPub id (a local target's
	// too); "" only when TargetID says it all.
	TargetURI string
	MovedAt   time.Time
}

// Moves stores account aliases and moves. Aliases and moves are public
// (actors publish them) and are stored in clear. A remote actor's are
// written by PutRemoteActor from its RemoteActor.Moves, and read here.
type Moves interface {
	// SetAliases replaces accountID's aliases with uris (actor ids,
	// compared exactly), keeping their order, dropping repeats and
	// keeping at most MaxAliases. An unknown account is model.ErrNotFound.
	SetAliases(ctx context.Context, accountID int64, uris []string) error
	// Aliases returns accountID's aliases in their order; none is an
	// empty list, not an error.
	Aliases(ctx context.Context, accountID int64) ([]string, error)
	// SetMove records (or replaces) where m.AccountID moved. A zero
	// MovedAt is now. An unknown account or target is model.ErrNotFound;
	// an account moving to itself is model.ErrInvalid. Accounts read
	// afterwards carry MovedToID.
	SetMove(ctx context.Context, m *AccountMove) error
	// Move returns where accountID moved; model.ErrNotFound when it has
	// not.
	Move(ctx context.Context, accountID int64) (*AccountMove, error)
	// DeleteMove forgets accountID's move (the account came back);
	// forgetting none is not an error.
	DeleteMove(ctx context.Context, accountID int64) error
}
