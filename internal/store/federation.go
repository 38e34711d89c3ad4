package store

import (
	"context"
	"time"

	"github.com/roost-social/roost/internal/model"
)

// RemoteActor is what federation knows of a remote account beyond the
// account itself: where to deliver to, its collections and the public keys
// its signatures are checked with. All of it is public, published by the
// actor to anyone, and is stored in clear; the actor's profile text lives
// in its account, sealed under the account's key like local data.
type RemoteActor struct {
	AccountID   int64
	Inbox       string
	SharedInbox string
	Outbox      string
	Followers   string
	Following   string
	Featured    string
	// KeyID and PublicKeyPEM are the actor's publicKey (RSA, for
	// draft-cavage and RFC 9421 signatures); "" when it has none.
	KeyID        string
	PublicKeyPEM string
	// Ed25519KeyID and Ed25519Multibase are an FEP-521a Multikey from the
	// actor's assertionMethod; "" when it has none.
	Ed25519KeyID     string
	Ed25519Multibase string
	// Moves is what the actor document says of moves: PutRemoteActor
	// writes it when not nil; Moves reads it back (Aliases, Move).
	Moves *ActorMoves
	// FetchedAt is when the actor document was last fetched.
	FetchedAt time.Time
}

// Federation stores what Roost knows about remote actors beyond their
// accounts: inboxes, collections and public keys.
type Federation interface {
	// PutRemoteActor creates or updates, in one transaction, the remote
	// account a (matched on a.URI, its ActivityPub id) and its actor
	// details ra. A new account is created as CreateRemoteAccount does
	// (same requirements and conflicts); an existing one has its profile
	// fields (display name, note, fields, locked, bot, discoverable,
	// noindex, url) and UpdatedAt rewritten, keeping its ID, username,
	// domain, counters and suspension. On return a holds the stored
	// account, and ra.AccountID its ID. A key id claimed by another actor
	// is taken from it, so a key id names one actor at most.
	PutRemoteActor(ctx context.Context, a *model.Account, ra *RemoteActor) error
	// RemoteActor returns the actor details of remote account accountID;
	// model.ErrNotFound when there are none.
	RemoteActor(ctx context.Context, accountID int64) (*RemoteActor, error)
	// RemoteActorByKeyID finds the actor whose publicKey or Multikey has
	// the id keyID (compared exactly); model.ErrNotFound when none has.
	RemoteActorByKeyID(ctx context.Context, keyID string) (*RemoteActor, error)
}
