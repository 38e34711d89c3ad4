package federation

import (
	"context"
	"fmt"
	"strconv"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// Activity ids. Objects that an Undo, Accept or Reject names later have
// stable ids derived from what they concern (the follow's, favourite's or
// block's row), so the later activity embeds the same id;
// the Undos themselves, and Updates, carry the event's nonce so that a
// repeat is a new activity.
func followID(actor string, followRow int64) string {
	return actor + "#follows/" + model.FormatID(followRow)
}

// likeID and blockID name a Like or Block by its row (as Mastodon does),
// new for each like or block, so that one after an Undo is not taken for
// a repeat; jobs queued before rows were kept (row 0) name it by what it
// concerns.
func likeID(actor string, status, row int64) string {
	if row != 0 {
		return actor + "#likes/" + model.FormatID(row)
	}
	return actor + "#likes/" + model.FormatID(status)
}
func blockID(actor string, target, row int64) string {
	if row != 0 {
		return actor + "#blocks/" + model.FormatID(row)
	}
	return actor + "#blocks/" + model.FormatID(target)
}
func nonceID(base, what string, nonce int64) string {
	return base + "/" + what + "/" + strconv.FormatInt(nonce, 36)
}

// activity rebuilds the activity a delivery job stands for, from the store
// as it is now. model.ErrNotFound means what it concerns is gone.
func (d *Deliverer) activity(ctx context.Context, actor *model.Account, a DeliverArgs) (*ap.Object, error) {
	u := d.docs.urls
	me := u.actor(actor.Username)
	switch a.Event {
	case core.EventStatusCreated:
		f, err := d.svc.DeliveryStatus(ctx, a.StatusID)
		if err != nil {
			return nil, err
		}
		if f.Status.ReblogOfID != 0 {
			return d.announce(ctx, actor, f.Status)
		}
		return d.docs.createOf(f), nil
	case core.EventStatusUpdated:
		f, err := d.svc.DeliveryStatus(ctx, a.StatusID)
		if err != nil {
			return nil, err
		}
		n := d.docs.noteOf(f)
		at := d.o.Now()
		if f.Status.EditedAt != nil {
			at = *f.Status.EditedAt
		}
		return ap.NewUpdate(nonceID(n.ID, "updates", a.Nonce), n, at), nil
	case core.EventStatusDeleted:
		return d.deleteOf(ctx, actor, a)
	case core.EventProfileUpdated:
		keys, err := d.svc.ActorKeys(ctx, actor.ID)
		if err != nil {
			return nil, err
		}
		p := d.docs.personParams(actor)
		if err := d.docs.withMoves(ctx, actor, &p); err != nil {
			return nil, err
		}
		p.PublicKey, p.AssertionMethods = actorKeys(p.ID, keys.RSAPublicPEM(), keys.Ed25519Public())
		doc := ap.NewPerson(p)
		if actor.Bot {
			doc = ap.NewService(p)
		}
		return ap.NewUpdate(nonceID(me, "updates", a.Nonce), doc, d.o.Now()), nil
	case core.EventFollowed, core.EventUnfollowed:
		target, err := d.remote(ctx, a.TargetID)
		if err != nil {
			return nil, err
		}
		follow := ap.NewFollow(followID(me, a.FollowID), me, target.URI)
		if a.Event == core.EventFollowed {
			return follow, nil
		}
		return ap.NewUndo(nonceID(follow.ID, "undo", a.Nonce), me, follow), nil
	case core.EventFollowAccepted, core.EventFollowRejected:
		follower, err := d.remote(ctx, a.TargetID)
		if err != nil {
			return nil, err
		}
		id := a.FollowURI
		if id == "" { // a follow whose id was not kept
			id = follower.URI + "#follows/" + model.FormatID(a.FollowID)
		}
		follow := ap.NewFollow(id, follower.URI, me)
		respID := me + "#follow-responses/" + model.FormatID(a.FollowID) + "/" + strconv.FormatInt(a.Nonce, 36)
		if a.Event == core.EventFollowAccepted {
			return ap.NewAccept(respID, me, follow), nil
		}
		return ap.NewReject(respID, me, follow), nil
	case core.EventFavourited, core.EventUnfavourited:
		obj, err := d.statusIRI(ctx, a.StatusID)
		if err != nil {
			return nil, err
		}
		like := ap.NewLike(likeID(me, a.StatusID, a.RowID), me, obj)
		if a.Event == core.EventFavourited {
			return like, nil
		}
		return ap.NewUndo(nonceID(like.ID, "undo", a.Nonce), me, like), nil
	case core.EventBlocked, core.EventUnblocked:
		target, err := d.remote(ctx, a.TargetID)
		if err != nil {
			return nil, err
		}
		block := ap.NewBlock(blockID(me, a.TargetID, a.RowID), me, target.URI)
		if a.Event == core.EventBlocked {
			return block, nil
		}
		return ap.NewUndo(nonceID(block.ID, "undo", a.Nonce), me, block), nil
	case core.EventPinned, core.EventUnpinned:
		return d.pinActivity(ctx, actor, a)
	case core.EventMoved:
		return d.moveActivity(ctx, actor, a)
	case core.EventReportForwarded:
		return d.flagOf(ctx, a)
	case core.EventAccountDeleted:
		return d.deletePersonOf(actor), nil
	}
	return nil, fmt.Errorf("federation: deliver: unknown event %q: %w", a.Event, model.ErrNotFound)
}

// remote loads a remote account; a local one needs no delivery.
func (d *Deliverer) remote(ctx context.Context, id int64) (*model.Account, error) {
	acct, err := d.svc.DeliveryAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	if acct.Local() || acct.URI == "" {
		return nil, fmt.Errorf("federation: deliver: account %d: %w", id, model.ErrNotFound)
	}
	return acct, nil
}

// statusIRI is the ActivityPub id of status id, local or remote.
func (d *Deliverer) statusIRI(ctx context.Context, id int64) (string, error) {
	st, err := d.svc.DeliveryTarget(ctx, id)
	if err != nil {
		return "", err
	}
	author, err := d.svc.DeliveryAccount(ctx, st.AccountID)
	if err != nil {
		return "", err
	}
	if iri := d.docs.urls.statusIRI(st, author); iri != "" {
		return iri, nil
	}
	return "", fmt.Errorf("federation: deliver: status %d has no id: %w", id, model.ErrNotFound)
}

// announce builds the Announce of boost by actor, addressed by the boost's
// visibility and to the boosted status's author.
func (d *Deliverer) announce(ctx context.Context, actor *model.Account, boost *model.Status) (*ap.Object, error) {
	st, err := d.svc.DeliveryTarget(ctx, boost.ReblogOfID)
	if err != nil {
		return nil, err
	}
	author, err := d.svc.DeliveryAccount(ctx, st.AccountID)
	if err != nil {
		return nil, err
	}
	obj := d.docs.urls.statusIRI(st, author)
	if obj == "" {
		return nil, fmt.Errorf("federation: deliver: status %d has no id: %w", st.ID, model.ErrNotFound)
	}
	u := d.docs.urls
	me := u.actor(actor.Username)
	return ap.NewAnnounce(u.status(actor.Username, boost.ID)+"/activity", me, obj, u.accountIRI(author),
		me+"/followers", boost.Visibility, boost.CreatedAt), nil
}

// deleteOf builds the Delete of a status (or the Undo of a boost) that is
// gone: a Tombstone addressed as the status was.
func (d *Deliverer) deleteOf(ctx context.Context, actor *model.Account, a DeliverArgs) (*ap.Object, error) {
	u := d.docs.urls
	me := u.actor(actor.Username)
	id := a.DeletedURI
	if id == "" {
		id = u.status(actor.Username, a.StatusID)
	}
	if a.ReblogOf != 0 {
		obj, err := d.statusIRI(ctx, a.ReblogOf)
		if err != nil {
			return nil, err
		}
		ann := ap.NewAnnounce(id+"/activity", me, obj, "", me+"/followers", model.Visibility(a.Visibility), d.o.Now())
		return ap.NewUndo(nonceID(ann.ID, "undo", a.Nonce), me, ann), nil
	}
	var mentions []string
	for _, mid := range a.Mentioned {
		if acct, err := d.svc.DeliveryAccount(ctx, mid); err == nil {
			mentions = append(mentions, u.accountIRI(acct))
		}
	}
	to, cc := ap.Addressing(model.Visibility(a.Visibility), me+"/followers", mentions)
	tomb := ap.NewTombstone(id, ap.TypeNote, d.o.Now())
	return ap.NewDelete(id+"#delete", me, tomb, to, cc), nil
}
