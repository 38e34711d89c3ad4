package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// Follows, blocks and their undoing, as other servers send them.

// follow applies a Follow of a local account: a follow, or a request when
// the account is locked or the actor's domain silenced, with its
// notification; an unlocked account
// accepts at once (EventFollowAccepted, which delivery turns into an
// Accept). A follow that exists already is accepted again, as Mastodon
// does, in case the first Accept was lost. A blocked follower is
// rejected.
func (in *inbound) follow(ctx context.Context) error {
	s := in.s
	target, err := s.localAccountByIRI(ctx, in.act.ObjectIRI())
	if err != nil {
		return ignoreNotFound(err)
	}
	if blocked, err := s.store.BlockedEither(ctx, in.actor.ID, target.ID); err != nil {
		return fmt.Errorf("core: inbox follow: %w", err)
	} else if blocked {
		s.publish(ctx, Event{Kind: EventFollowRejected, ActorID: target.ID, TargetID: in.actor.ID})
		return nil
	}
	old, err := s.store.Follow(ctx, in.actor.ID, target.ID)
	isNew := errors.Is(err, model.ErrNotFound)
	if err != nil && !isNew {
		return fmt.Errorf("core: inbox follow: %w", err)
	}
	ask, err := s.followNeedsApproval(ctx, in.actor, target)
	if err != nil {
		return err
	}
	now := s.now()
	f := &model.Follow{ID: model.NewID(now), AccountID: in.actor.ID, TargetID: target.ID, Reblogs: true,
		Pending: ask, URI: in.act.ID, CreatedAt: now}
	if !isNew {
		f.ID, f.Reblogs, f.Notify, f.Pending, f.CreatedAt = old.ID, old.Reblogs, old.Notify, old.Pending, old.CreatedAt
	}
	newID := f.ID
	if err := s.store.PutFollow(ctx, f); err != nil {
		return fmt.Errorf("core: inbox follow: %w", err)
	}
	if isNew && f.ID == newID {
		typ := model.NotifyFollow
		if f.Pending {
			typ = model.NotifyFollowRequest
		}
		if err := s.notifyAbout(ctx, target.ID, in.actor.ID, typ, 0); err != nil {
			return err
		}
	}
	if !f.Pending {
		s.publish(ctx, Event{Kind: EventFollowAccepted, ActorID: target.ID, TargetID: in.actor.ID})
	}
	return nil
}

// acceptOrReject applies the actor's Accept or Reject of a local
// account's follow (request), found by the Follow's id or, failing that,
// by the embedded Follow's actor and object.
func (in *inbound) acceptOrReject(ctx context.Context, accept bool) error {
	s := in.s
	f, err := in.ourFollow(ctx)
	if err != nil {
		return ignoreNotFound(err)
	}
	if accept {
		err = s.store.AcceptFollow(ctx, f.AccountID, f.TargetID)
		if errors.Is(err, model.ErrNotFound) { // accepted already
			err = nil
		}
	} else {
		_, err = s.store.DeleteFollow(ctx, f.AccountID, f.TargetID)
	}
	if err != nil {
		return fmt.Errorf("core: inbox %s: %w", in.act.Type, err)
	}
	return nil
}

// ourFollow finds the follow of a local account of the actor that the
// activity's object names.
func (in *inbound) ourFollow(ctx context.Context) (*model.Follow, error) {
	s := in.s
	iri := in.act.ObjectIRI()
	f, err := s.store.FollowByURI(ctx, iri)
	if err == nil && f.TargetID == in.actor.ID {
		return f, nil
	}
	if err != nil && !errors.Is(err, model.ErrNotFound) {
		return nil, fmt.Errorf("core: follow by uri: %w", err)
	}
	// Our Follow's id is ours: an embedded one names its actor and object.
	emb := in.act.Embedded()
	if emb == nil || emb.Type != ap.TypeFollow || emb.ObjectIRI() != in.actor.URI {
		return nil, fmt.Errorf("core: follow: %w", model.ErrNotFound)
	}
	local, err := s.localAccountByIRI(ctx, emb.ActorIRI())
	if err != nil {
		return nil, err
	}
	return s.store.Follow(ctx, local.ID, in.actor.ID)
}

// undo applies the Undo of one of the actor's own Follow, Like, Announce
// or Block. Undoing an activity of someone else is model.ErrForbidden.
func (in *inbound) undo(ctx context.Context) error {
	emb := in.act.Embedded()
	iri := in.act.ObjectIRI()
	if emb == nil {
		// Only the id: a Follow or an Announce Roost stored by its id.
		return in.undoByIRI(ctx, iri)
	}
	if emb.ActorIRI() != "" && emb.ActorIRI() != in.actor.URI {
		return fmt.Errorf("core: undo of another actor's activity: %w", model.ErrForbidden)
	}
	switch emb.Type {
	case ap.TypeFollow:
		return in.undoFollow(ctx, emb)
	case ap.TypeLike:
		return in.undoLike(ctx, emb)
	case ap.TypeAnnounce:
		return in.undoByIRI(ctx, emb.ID)
	case ap.TypeBlock:
		target, err := in.s.localAccountByIRI(ctx, emb.ObjectIRI())
		if err != nil {
			return ignoreNotFound(err)
		}
		if err := in.s.store.DeleteBlock(ctx, in.actor.ID, target.ID); err != nil {
			return ignoreNotFound(fmt.Errorf("core: inbox unblock: %w", err))
		}
	}
	return nil
}

// undoByIRI undoes a Follow or an Announce named by its id alone.
func (in *inbound) undoByIRI(ctx context.Context, iri string) error {
	s := in.s
	if iri == "" {
		return model.Invalid("undo has no object")
	}
	if f, err := s.store.FollowByURI(ctx, iri); err == nil {
		if f.AccountID != in.actor.ID {
			return fmt.Errorf("core: undo of another's follow: %w", model.ErrForbidden)
		}
		_, err := s.store.DeleteFollow(ctx, f.AccountID, f.TargetID)
		return err
	} else if !errors.Is(err, model.ErrNotFound) {
		return fmt.Errorf("core: follow by uri: %w", err)
	}
	st, err := s.store.StatusByURI(ctx, iri)
	if err != nil {
		return ignoreNotFound(err)
	}
	if st.AccountID != in.actor.ID || st.ReblogOfID == 0 {
		return fmt.Errorf("core: undo of another's boost: %w", model.ErrForbidden)
	}
	return ignoreNotFound(s.store.DeleteStatus(ctx, st.ID))
}

// undoFollow ends the actor's follow of a local account.
func (in *inbound) undoFollow(ctx context.Context, emb *ap.Object) error {
	s := in.s
	target, err := s.localAccountByIRI(ctx, emb.ObjectIRI())
	if err != nil {
		if f, ferr := s.store.FollowByURI(ctx, emb.ID); ferr == nil && emb.ID != "" {
			if f.AccountID != in.actor.ID {
				return fmt.Errorf("core: undo of another's follow: %w", model.ErrForbidden)
			}
			target = &model.Account{ID: f.TargetID}
		} else {
			return ignoreNotFound(err)
		}
	}
	if _, err := s.store.DeleteFollow(ctx, in.actor.ID, target.ID); err != nil {
		return fmt.Errorf("core: inbox unfollow: %w", err)
	}
	if err := s.dropRequestNotifications(ctx, target.ID, in.actor.ID); err != nil {
		return err
	}
	return nil
}

// undoLike takes back the actor's favourite and its notification.
func (in *inbound) undoLike(ctx context.Context, emb *ap.Object) error {
	s := in.s
	st, err := s.knownStatus(ctx, emb.ObjectIRI())
	if err != nil {
		return ignoreNotFound(err)
	}
	removed, err := s.store.RemoveFavourite(ctx, in.actor.ID, st.ID)
	if err != nil {
		return ignoreNotFound(fmt.Errorf("core: inbox unlike: %w", err))
	}
	if removed {
		return s.withdrawNotification(ctx, st.AccountID, in.actor.ID, model.NotifyFavourite, st.ID)
	}
	return nil
}

// block applies the actor's Block of a local account: follows both ways
// end. The blocked account is not told, as in Mastodon.
func (in *inbound) block(ctx context.Context) error {
	target, err := in.s.localAccountByIRI(ctx, in.act.ObjectIRI())
	if err != nil {
		return ignoreNotFound(err)
	}
	if err := in.s.store.PutBlock(ctx, in.actor.ID, target.ID); err != nil {
		return fmt.Errorf("core: inbox block: %w", err)
	}
	return nil
}
