package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/roost-social/roost/internal/model"
)

// Featured posts, as other servers send them: an Add of one of the actor's
// own statuses to the actor's featured collection pins it, a Remove unpins
// it, as Mastodon applies them. An Add or Remove aimed at another
// collection (featured hashtags, anything else) is ignored.

// MaxRemotePins bounds how many statuses a remote account may have pinned
// here; Adds beyond it are ignored. Mastodon lets its own accounts pin 5;
// the bound leaves room for servers that allow more without letting one
// actor grow the table without end.
const MaxRemotePins = 20

// featured applies the actor's Add (add) or Remove of a status to its
// featured collection, the one its actor document names.
func (in *inbound) featured(ctx context.Context, add bool) error {
	s := in.s
	ra, err := s.store.RemoteActor(ctx, in.actor.ID)
	if err != nil {
		return ignoreNotFound(err)
	}
	if target := in.act.Target.IRI; ra.Featured == "" || target != ra.Featured {
		return nil // another collection, such as featured hashtags
	}
	iri := in.act.ObjectIRI()
	if iri == "" {
		return model.Invalid(in.act.Type + " has no object")
	}
	if !sameHost(iri, in.actor.URI) {
		// A status lives on its author's host: this one is not the actor's.
		return fmt.Errorf("core: %s of another's status: %w", in.act.Type, model.ErrForbidden)
	}
	if !add {
		return in.unpin(ctx, iri)
	}
	st, err := in.resolveStatus(ctx, iri) // fetched when unknown, within the usual budget
	if err != nil {
		return ignoreNotFound(err)
	}
	if st.AccountID != in.actor.ID {
		return fmt.Errorf("core: pin of another's status: %w", model.ErrForbidden)
	}
	if st.ReblogOfID != 0 || st.Visibility == model.VisibilityDirect {
		return nil // not pinnable, as on Mastodon
	}
	n, err := s.store.CountPins(ctx, in.actor.ID)
	if err != nil {
		return fmt.Errorf("core: inbox pin: %w", err)
	}
	if n >= MaxRemotePins {
		return nil
	}
	if err := s.store.AddPin(ctx, in.actor.ID, st.ID); err != nil && !errors.Is(err, model.ErrConflict) {
		return ignoreNotFound(fmt.Errorf("core: inbox pin: %w", err))
	}
	return nil
}

// unpin takes the actor's status iri off its pins; an unknown status has
// no pin to take off.
func (in *inbound) unpin(ctx context.Context, iri string) error {
	st, err := in.s.store.StatusByURI(ctx, iri)
	if err != nil {
		return ignoreNotFound(err)
	}
	if st.AccountID != in.actor.ID {
		return fmt.Errorf("core: unpin of another's status: %w", model.ErrForbidden)
	}
	if err := in.s.store.RemovePin(ctx, in.actor.ID, st.ID); err != nil {
		return ignoreNotFound(fmt.Errorf("core: inbox unpin: %w", err))
	}
	return nil
}
