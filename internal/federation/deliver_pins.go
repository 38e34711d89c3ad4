package federation

import (
	"context"
	"fmt"
	"strconv"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// Pinned posts: pinning a public or unlisted status is an Add of it to the
// author's featured collection, unpinning a Remove, both sent to the
// followers' (shared) inboxes as Mastodon sends them. Each is rebuilt at
// delivery time and says only what is still true then: an Add whose pin
// is already undone, or a Remove of a status pinned again, is not sent,
// so that the two, delivered in any order, leave the receiver as the
// author is now.

// pinRecipients lists the inboxes a pin or unpin goes to: the followers',
// while the status exists and is one that federates.
func (p *Publisher) pinRecipients(ctx context.Context, a FanoutArgs) ([]string, error) {
	if _, _, err := p.svc.DeliveryPin(ctx, a.ActorID, a.StatusID); err != nil {
		return nil, err
	}
	return p.svc.FollowerInboxes(ctx, a.ActorID)
}

// pinActivity builds the Add (pin) or Remove (unpin) of a's status to
// actor's featured collection; model.ErrNotFound when it no longer holds.
func (d *Deliverer) pinActivity(ctx context.Context, actor *model.Account, a DeliverArgs) (*ap.Object, error) {
	st, pinned, err := d.svc.DeliveryPin(ctx, actor.ID, a.StatusID)
	if err != nil {
		return nil, err
	}
	add := a.Event == core.EventPinned
	if pinned != add {
		return nil, fmt.Errorf("federation: deliver: pin of %d changed since: %w", a.StatusID, model.ErrNotFound)
	}
	u := d.docs.urls
	me := u.actor(actor.Username)
	obj, featured := u.status(actor.Username, st.ID), me+"/collections/featured"
	id := me + "#pins/" + model.FormatID(st.ID) + "/"
	if add {
		return ap.NewAdd(id+"add/"+strconv.FormatInt(a.Nonce, 36), me, obj, featured), nil
	}
	return ap.NewRemove(id+"remove/"+strconv.FormatInt(a.Nonce, 36), me, obj, featured), nil
}
