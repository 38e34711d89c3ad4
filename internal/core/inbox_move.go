package core

import (
	"context"
	"fmt"

	"github.com/roost-social/roost/internal/model"
)

// move applies a Move of the actor's own account to the account its
// target names. Only an actor can move itself (object = actor, else
// model.ErrForbidden). The target is fetched afresh, bypassing the cache,
// and must list the actor among its aliases (alsoKnownAs), or the Move is
// refused (model.ErrForbidden) and nothing changes: this is what stops
// anyone from taking another's followers. Then the move is recorded and
// the actor's local followers are moved to the target by a job, after
// this returns (see moves_job.go). A repeated Move finds no followers left
// to move.
func (in *inbound) move(ctx context.Context) error {
	s := in.s
	if in.act.ObjectIRI() != in.actor.URI {
		return fmt.Errorf("core: move of another account: %w", model.ErrForbidden)
	}
	targetIRI := in.act.Target.IRI // an embedded target's id, too
	if targetIRI == "" || targetIRI == in.actor.URI {
		return model.Invalid("move has no other target")
	}
	target, err := s.freshActor(ctx, targetIRI)
	if err != nil {
		return ignoreNotFound(err)
	}
	switch {
	case target.ID == in.actor.ID:
		return model.Invalid("move has no other target")
	case target.SuspendedAt != nil:
		return nil
	}
	if ok, err := s.listsAlias(ctx, target, in.actor.URI); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("core: move target does not list the mover as an alias: %w", model.ErrForbidden)
	}
	return s.recordMove(ctx, in.actor, target)
}
