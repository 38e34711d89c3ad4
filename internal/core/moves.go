package core

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Account moves (Mastodon's account migration, ActivityPub Move). An
// account first lists its old account among its aliases (alsoKnownAs);
// the old account then moves to it: it records movedTo, tells its
// followers' servers with a Move, and the followers of the old account
// follow the new one instead. The same path serves a move between two
// local accounts, a local account moving away, and a remote Move.

// MaxLocalAliases is how many aliases a local account may set.
const MaxLocalAliases = 10

// ErrAccountMoved refuses what a moved account may no longer do (post).
var ErrAccountMoved = model.Invalid("this account has moved and can no longer post")

// actorURI is the ActivityPub id of a: a local account's is derived.
func (s *Service) actorURI(a *model.Account) string {
	if a.Local() {
		return s.settings().BaseURL + "/users/" + a.Username
	}
	return a.URI
}

// refuseMoved is ErrAccountMoved for an account that has moved.
func refuseMoved(a *model.Account) error {
	if a != nil && a.MovedToID != 0 {
		return ErrAccountMoved
	}
	return nil
}

// actorMoves reads a remote actor document's alsoKnownAs and movedTo,
// keeping http(s) URLs only, at most store.MaxAliases of them.
func actorMoves(o *ap.Object) *store.ActorMoves {
	m := &store.ActorMoves{MovedTo: httpURL(o.MovedTo)}
	for _, aka := range o.AlsoKnownAs {
		if isHTTPURL(aka) && len(m.AlsoKnownAs) < store.MaxAliases {
			m.AlsoKnownAs = append(m.AlsoKnownAs, aka)
		}
	}
	return m
}

// AccountMoves returns what a local account's actor document says of
// moves: its aliases (actor ids) and the id of the actor it moved to ("").
func (s *Service) AccountMoves(ctx context.Context, a *model.Account) (aliases []string, movedTo string, err error) {
	if aliases, err = s.store.Aliases(ctx, a.ID); err != nil {
		return nil, "", fmt.Errorf("core: aliases: %w", err)
	}
	if a.MovedToID == 0 {
		return aliases, "", nil
	}
	m, err := s.store.Move(ctx, a.ID)
	if errors.Is(err, model.ErrNotFound) {
		return aliases, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("core: move: %w", err)
	}
	return aliases, m.TargetURI, nil
}

// SetAliases replaces the caller's aliases (also_known_as): each entry is
// an actor URL or a handle (user@domain, or a local username), resolved
// to the actor id it names, so that the account named may move here. An
// entry that names no account, or the caller itself, is model.ErrInvalid
// and nothing is written. The actor document changes: followers' servers
// are sent an Update.
func (s *Service) SetAliases(ctx context.Context, a *Auth, entries []string) (*model.Account, error) {
	me := a.Account
	if me == nil {
		return nil, model.ErrForbidden
	}
	if len(entries) > MaxLocalAliases {
		return nil, model.Invalid(fmt.Sprintf("at most %d aliases", MaxLocalAliases))
	}
	uris := make([]string, 0, len(entries))
	for _, e := range entries {
		t, err := s.resolveAlias(ctx, e)
		if errors.Is(err, model.ErrNotFound) || errors.Is(err, model.ErrInvalid) {
			return nil, model.Invalid("cannot resolve alias " + clip(e, 100))
		}
		if err != nil {
			return nil, err
		}
		if t.ID == me.ID {
			return nil, model.Invalid("an account cannot be its own alias")
		}
		uris = append(uris, s.actorURI(t))
	}
	if err := s.store.SetAliases(ctx, me.ID, uris); err != nil {
		return nil, fmt.Errorf("core: set aliases: %w", err)
	}
	s.publish(ctx, Event{Kind: EventProfileUpdated, ActorID: me.ID})
	return me, nil
}

// resolveAlias resolves an alias entry: a URL through ResolveActor, else a
// handle through ResolveAcct.
func (s *Service) resolveAlias(ctx context.Context, e string) (*model.Account, error) {
	e = strings.TrimSpace(e)
	if e == "" {
		return nil, model.ErrNotFound
	}
	if strings.HasPrefix(e, "https://") || strings.HasPrefix(e, "http://") {
		return s.ResolveActor(ctx, e)
	}
	return s.ResolveAcct(ctx, e)
}

// clip bounds a string quoted back to a client.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// MoveAccount moves the caller's account to the account at movedTo (an
// actor URL or a handle), as Mastodon's and GoToSocial's migration do:
// the password must be right (ErrBadCredentials, counted like sign-in
// failures); the target, fetched afresh, must list the caller among its
// aliases (model.ErrInvalid otherwise) and must not have moved itself.
// The move is recorded, followers' servers are sent a Move (EventMoved),
// and local followers are moved to the target by a job (see
// moves_job.go). Repeating a move sends it again; moving on to another
// target is allowed.
func (s *Service) MoveAccount(ctx context.Context, a *Auth, password, movedTo string) (*model.Account, error) {
	me := a.Account
	if me == nil {
		return nil, model.ErrForbidden
	}
	if err := s.checkOwnPassword(ctx, me.ID, password); err != nil {
		return nil, err
	}
	target, err := s.freshMoveTarget(ctx, movedTo)
	if errors.Is(err, model.ErrNotFound) {
		return nil, model.Invalid("cannot resolve the account to move to")
	}
	if err != nil {
		return nil, err
	}
	switch {
	case target.ID == me.ID:
		return nil, model.Invalid("an account cannot move to itself")
	case target.SuspendedAt != nil:
		return nil, model.Invalid("cannot resolve the account to move to")
	case target.MovedToID != 0:
		return nil, model.Invalid("the account to move to has moved itself")
	}
	if ok, err := s.listsAlias(ctx, target, s.actorURI(me)); err != nil {
		return nil, err
	} else if !ok {
		return nil, model.Invalid("the account to move to does not list this account as an alias")
	}
	if err := s.recordMove(ctx, me, target); err != nil {
		return nil, err
	}
	s.publish(ctx, Event{Kind: EventMoved, ActorID: me.ID, TargetID: target.ID})
	s.publish(ctx, Event{Kind: EventProfileUpdated, ActorID: me.ID})
	me.MovedToID = target.ID
	return me, nil
}

// checkOwnPassword checks a signed-in user's password for a sensitive
// change, throttled like sign-in: failures count towards the lock, and a
// locked account is model.ErrRateLimited.
func (s *Service) checkOwnPassword(ctx context.Context, accountID int64, password string) error {
	release := s.login.hold(accountID)
	defer release()
	u, err := s.store.User(ctx, accountID)
	if err != nil {
		return fmt.Errorf("core: check password: %w", err)
	}
	now := s.now()
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		return fmt.Errorf("core: check password: %w", model.ErrRateLimited)
	}
	ok := false
	if password != "" && len(password) <= 4*maxPasswordLen {
		if ok, err = verifyPassword(u.PasswordHash, password); err != nil {
			return fmt.Errorf("core: check password %d: %w", accountID, err)
		}
	}
	if !ok {
		return s.failedSignIn(ctx, u, now)
	}
	return nil
}

// freshMoveTarget resolves the account to move to, fetching a remote
// actor afresh (its aliases may have just changed).
func (s *Service) freshMoveTarget(ctx context.Context, ref string) (*model.Account, error) {
	ref = strings.TrimSpace(ref)
	if !strings.HasPrefix(ref, "https://") && !strings.HasPrefix(ref, "http://") {
		a, err := s.ResolveAcct(ctx, ref)
		if err != nil || a.Local() {
			return a, err
		}
		ref = a.URI
	}
	return s.freshActor(ctx, ref)
}

// freshActor returns the account of the actor uri names: a local one, or
// a remote one fetched now, bypassing the cache.
func (s *Service) freshActor(ctx context.Context, uri string) (*model.Account, error) {
	u, err := s.remoteURL(uri)
	if err != nil {
		return nil, err
	}
	if s.isLocalHost(u.Host) {
		return s.localActorByURL(ctx, u)
	}
	if p, err := s.DomainPolicy(ctx, u.Host); err != nil {
		return nil, err
	} else if p.Suspended() {
		return nil, fmt.Errorf("core: actor: %w", model.ErrNotFound)
	}
	a, _, err := s.fetchActor(ctx, uri)
	if err != nil {
		return nil, unreachable(err)
	}
	return a, nil
}

// listsAlias reports whether account a lists the actor id uri among its
// aliases.
func (s *Service) listsAlias(ctx context.Context, a *model.Account, uri string) (bool, error) {
	aliases, err := s.store.Aliases(ctx, a.ID)
	if err != nil {
		return false, fmt.Errorf("core: aliases: %w", err)
	}
	for _, al := range aliases {
		if al == uri {
			return true, nil
		}
	}
	return false, nil
}

// recordMove records that origin moved to target and has origin's local
// followers moved over (startMigration: in a job, see moves_job.go).
func (s *Service) recordMove(ctx context.Context, origin, target *model.Account) error {
	m := &store.AccountMove{AccountID: origin.ID, TargetID: target.ID, TargetURI: s.actorURI(target)}
	if old, err := s.store.Move(ctx, origin.ID); err == nil && old.TargetID == target.ID {
		m.MovedAt = old.MovedAt // a repeat keeps the first time
	}
	if err := s.store.SetMove(ctx, m); err != nil {
		return fmt.Errorf("core: record move: %w", err)
	}
	return s.startMigration(ctx, origin, target)
}

// moveFollower moves one local follower f from origin to target, as
// Mastodon's migration does: f follows target (keeping its reblogs and
// notify choices; a remote target's follow stays a request until its
// server accepts) and stops following origin, both delivered as for any
// follow. It reports whether f moved. A follower that blocks target or is
// blocked by it, or from whom target is hidden, keeps following origin. A
// follower that already follows target (moved half-way before a crash)
// only stops following origin.
func (s *Service) moveFollower(ctx context.Context, f, origin, target *model.Account) (bool, error) {
	blocked, err := s.store.BlockedEither(ctx, f.ID, target.ID)
	if err != nil || blocked {
		return false, err
	}
	old, err := s.store.Follow(ctx, f.ID, origin.ID)
	if err != nil {
		return false, ignoreNotFound(err)
	}
	as := &Auth{Account: f}
	_, err = s.store.Follow(ctx, f.ID, target.ID)
	switch {
	case errors.Is(err, model.ErrNotFound): // not following (nor asking) yet
		reblogs, notify := old.Reblogs, old.Notify
		_, err = s.Follow(ctx, as, target.ID, FollowOptions{Reblogs: &reblogs, Notify: &notify})
		if errors.Is(err, model.ErrNotFound) || errors.Is(err, model.ErrForbidden) {
			return false, nil // the target is gone or hidden from this follower: keep the old follow
		}
		if err != nil {
			return false, fmt.Errorf("core: move follower %d: %w", f.ID, err)
		}
	case err != nil:
		return false, fmt.Errorf("core: move follower %d: %w", f.ID, err)
	}
	if _, err := s.Unfollow(ctx, as, origin.ID); err != nil && !errors.Is(err, model.ErrNotFound) {
		return false, fmt.Errorf("core: move follower %d: %w", f.ID, err)
	}
	return true, nil
}
