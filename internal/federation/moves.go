package federation

import (
	"context"
	"fmt"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// Account moves in actor documents and deliveries: a local actor carries
// its aliases (alsoKnownAs) and, once moved, movedTo; a move is announced
// to the followers' servers with a Move {actor: me, object: me, target:
// the new account}, after which each server moves its local followers
// (core's inbox does so for Roost).

// withMoves adds a's aliases and movedTo to its actor parameters.
func (h *Handler) withMoves(ctx context.Context, a *model.Account, p *ap.ActorParams) error {
	aliases, movedTo, err := h.svc.AccountMoves(ctx, a)
	if err != nil {
		return err
	}
	p.AlsoKnownAs, p.MovedTo = aliases, movedTo
	return nil
}

// moveActivity rebuilds the Move of a delivery job, while the actor is
// still moved to the job's target (a later move to another account is
// delivered by its own job; model.ErrNotFound drops this one).
func (d *Deliverer) moveActivity(ctx context.Context, actor *model.Account, a DeliverArgs) (*ap.Object, error) {
	if actor.MovedToID != a.TargetID {
		return nil, fmt.Errorf("federation: deliver: move superseded: %w", model.ErrNotFound)
	}
	target, err := d.svc.DeliveryAccount(ctx, a.TargetID)
	if err != nil {
		return nil, err
	}
	me := d.docs.urls.actor(actor.Username)
	return ap.NewMove(nonceID(me, "moves", a.Nonce), me, d.docs.urls.accountIRI(target)), nil
}

// moveRecipients is where a Move goes: the mover's followers' inboxes.
func (p *Publisher) moveRecipients(ctx context.Context, a FanoutArgs) ([]string, error) {
	return p.svc.FollowerInboxes(ctx, a.ActorID)
}
