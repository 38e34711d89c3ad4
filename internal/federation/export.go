package federation

import (
	"context"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// Documents for an account's export archive (internal/export): the same
// ActivityStreams the server publishes, built by the same code, so that
// an archive reads like the account's outbox and actor.

// ExportActor is local account a's actor document as /users/{name}
// serves it, with its public keys.
func (h *Handler) ExportActor(ctx context.Context, a *model.Account) (*ap.Object, error) {
	keys, err := h.svc.ActorKeys(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	p := h.personParams(a)
	if err := h.withMoves(ctx, a, &p); err != nil {
		return nil, err
	}
	p.PublicKey, p.AssertionMethods = actorKeys(p.ID, keys.RSAPublicPEM(), keys.Ed25519Public())
	if a.Bot {
		return ap.NewService(p), nil
	}
	return ap.NewPerson(p), nil
}

// ExportActivity is the activity that published one of the account's own
// statuses: its Create (of any visibility, addressed as it was sent), or
// the Announce of a boost. A boost whose boosted status is gone is nil.
func (h *Handler) ExportActivity(f *core.FederatedStatus) *ap.Object {
	if f.Reblog == nil {
		return h.createOf(f)
	}
	obj := h.urls.statusIRI(f.Reblog.Status, f.Reblog.Account)
	if obj == "" {
		return nil
	}
	st, me := f.Status, h.urls.actor(f.Account.Username)
	return ap.NewAnnounce(h.urls.status(f.Account.Username, st.ID)+"/activity", me, obj,
		h.urls.accountIRI(f.Reblog.Account), me+"/followers", st.Visibility, st.CreatedAt)
}

// StatusIRI is a status's ActivityPub id, local or remote, "" if it has
// none; author is its author.
func (h *Handler) StatusIRI(st *model.Status, author *model.Account) string {
	return h.urls.statusIRI(st, author)
}
