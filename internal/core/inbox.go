package core

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
)

// The inbox: activities other servers deliver, after the federation
// adapter has verified the HTTP signature and checked the instance domain
// blocks. ReceiveActivity applies one of them to local state.
//
// What it answers, for the adapter to map onto HTTP:
//
//   - nil: applied, or deliberately ignored (a known activity type Roost
//     does not act on yet, an object it does not know, a duplicate);
//   - ErrActorMismatch (model.ErrUnauthorized): the activity's actor is
//     not the account whose key signed it;
//   - model.ErrInvalid: an activity that cannot be applied as sent, such
//     as one without an object, or an embedded object whose id is not on
//     the actor's host;
//   - model.ErrForbidden: the actor may not do this (delete another's
//     status, undo another's follow); nothing is written;
//   - any other error: a failure on our side; the sender should retry.
//
// Each handler is idempotent: a repeated activity finds its rows already
// there (statuses by their ActivityPub id, follows and favourites by
// their pair) and writes nothing more, so a replay that gets past the
// adapter's replay cache (another node, a restart) does no harm.

// ErrActorMismatch is an activity whose actor is not its signer.
var ErrActorMismatch = fmt.Errorf("activity actor is not the signer: %w", model.ErrUnauthorized)

// errForeignObject is an embedded object claimed by an actor of another
// host.
var errForeignObject = model.Invalid("embedded object is not on the actor's host")

// MaxReplyFetchDepth is how many missing ancestors a reply fetches, one
// after another, before it is stored without its parent.
const MaxReplyFetchDepth = 3

// ReceiveActivity applies act, delivered by the remote account signerID
// (the owner of the key that signed the delivery). The caller has checked
// the domain blocks of the signer's and the actor's hosts.
func (s *Service) ReceiveActivity(ctx context.Context, signerID int64, act *ap.Object) error {
	if act == nil {
		return model.Invalid("no activity")
	}
	signer, err := s.store.Account(ctx, signerID)
	if err != nil {
		return fmt.Errorf("core: inbox signer: %w", err)
	}
	if signer.Local() || signer.SuspendedAt != nil {
		return fmt.Errorf("core: inbox signer: %w", model.ErrForbidden)
	}
	if act.ActorIRI() == "" || act.ActorIRI() != signer.URI || len(act.Actor) != 1 {
		return ErrActorMismatch
	}
	if p, err := s.DomainPolicy(ctx, signer.Domain); err != nil {
		return err
	} else if p.Suspended() {
		return nil
	}
	in := &inbound{s: s, actor: signer, act: act, depth: MaxReplyFetchDepth}
	switch act.Type {
	case ap.TypeFollow:
		return in.follow(ctx)
	case ap.TypeAccept:
		return in.acceptOrReject(ctx, true)
	case ap.TypeReject:
		return in.acceptOrReject(ctx, false)
	case ap.TypeUndo:
		return in.undo(ctx)
	case ap.TypeCreate:
		return in.create(ctx)
	case ap.TypeUpdate:
		return in.update(ctx)
	case ap.TypeDelete:
		return in.delete(ctx)
	case ap.TypeLike:
		return in.like(ctx)
	case ap.TypeAnnounce:
		return in.announce(ctx)
	case ap.TypeBlock:
		return in.block(ctx)
	case ap.TypeAdd:
		return in.featured(ctx, true)
	case ap.TypeRemove:
		return in.featured(ctx, false)
	case ap.TypeMove:
		return in.move(ctx)
	case ap.TypeFlag:
		return in.flag(ctx)
	}
	// Any other known type: not acted on yet.
	return nil
}

// inbound is one activity being applied.
type inbound struct {
	s     *Service
	actor *model.Account // the signer, who is the activity's actor
	act   *ap.Object
	depth int // ancestors a reply may still fetch
}

// object returns the activity's object as embedded, or as fetched from
// its id when only the id was sent; nil, nil when there is none to have.
// An embedded object must be on the actor's host: one that is not is
// fetched from its origin instead, when a fetcher exists.
func (in *inbound) object(ctx context.Context, o *ap.Object) (*ap.Object, error) {
	if emb := o.Embedded(); emb != nil {
		if sameHost(emb.ID, in.actor.URI) {
			return emb, nil
		}
		if in.s.fetch == nil {
			return nil, errForeignObject
		}
		return in.s.fetchObject(ctx, emb.ID)
	}
	iri := o.ObjectIRI()
	if iri == "" {
		return nil, model.Invalid("activity has no object")
	}
	return in.s.fetchObject(ctx, iri)
}

// fetchObject fetches the object with id iri from its origin: the
// document must be found on iri's host, and have iri as its id.
func (s *Service) fetchObject(ctx context.Context, iri string) (*ap.Object, error) {
	o, doc, err := s.fetchDocument(ctx, iri)
	if err != nil {
		return nil, err
	}
	if o.ID != iri || !sameHost(doc.URL, iri) {
		return nil, fmt.Errorf("core: fetched object %.200q: %w", iri, errMovedObject)
	}
	return o, nil
}

// fetchDocument fetches and decodes the document at url, a remote URL on
// a domain that is not suspended, whatever id it declares.
func (s *Service) fetchDocument(ctx context.Context, url string) (*ap.Object, *Fetched, error) {
	u, err := s.remoteURL(url)
	if err != nil || s.isLocalHost(u.Host) {
		return nil, nil, fmt.Errorf("core: fetch object: %w", model.ErrNotFound)
	}
	if p, err := s.DomainPolicy(ctx, u.Host); err != nil {
		return nil, nil, err
	} else if p.Suspended() {
		return nil, nil, fmt.Errorf("core: fetch object: %w", model.ErrNotFound)
	}
	if s.fetch == nil {
		return nil, nil, errNoFetcher
	}
	doc, err := s.fetch.FetchObject(ctx, url)
	if err != nil {
		return nil, nil, fmt.Errorf("core: fetch object: %w", unreachable(err))
	}
	o, err := ap.Decode(doc.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("core: fetched object: %w", err)
	}
	return o, doc, nil
}

// errMovedObject is a fetched document whose id is not the URL it was
// fetched from (or that came from another host after a redirect).
var errMovedObject = model.Invalid("object id is not where it was fetched from")

// localAccountByIRI returns the local account an IRI of this server
// names; anything else is model.ErrNotFound.
func (s *Service) localAccountByIRI(ctx context.Context, iri string) (*model.Account, error) {
	u, err := s.remoteURL(iri)
	if err != nil || !s.isLocalHost(u.Host) {
		return nil, fmt.Errorf("core: local account: %w", model.ErrNotFound)
	}
	return s.localActorByURL(ctx, u)
}

// localStatusByIRI returns the local status an IRI of this server names:
// {base}/users/{name}/statuses/{id}.
func (s *Service) localStatusByIRI(ctx context.Context, u *url.URL) (*model.Status, error) {
	rest, ok := strings.CutPrefix(strings.TrimSuffix(u.Path, "/"), "/users/")
	name, idText, ok2 := strings.Cut(rest, "/statuses/")
	id, ok3 := model.ParseID(idText)
	if !ok || !ok2 || !ok3 {
		return nil, fmt.Errorf("core: local status: %w", model.ErrNotFound)
	}
	author, err := s.LocalActor(ctx, name)
	if err != nil {
		return nil, err
	}
	st, err := s.store.Status(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: local status: %w", err)
	}
	if !st.Local || st.AccountID != author.ID {
		return nil, fmt.Errorf("core: local status: %w", model.ErrNotFound)
	}
	return st, nil
}

// knownStatus returns the status iri names, local or remote, without
// fetching.
func (s *Service) knownStatus(ctx context.Context, iri string) (*model.Status, error) {
	u, err := s.remoteURL(iri)
	if err != nil {
		return nil, fmt.Errorf("core: status: %w", model.ErrNotFound)
	}
	if s.isLocalHost(u.Host) {
		return s.localStatusByIRI(ctx, u)
	}
	st, err := s.store.StatusByURI(ctx, iri)
	if err != nil {
		return nil, fmt.Errorf("core: status by uri: %w", err)
	}
	return st, nil
}

// unreachable marks a failure to get a remote document (refused, timed
// out, an error status) as the object being unavailable, which the inbox
// ignores: the sender is not at fault, and retrying the delivery is no
// cure. Cancellation stays what it is.
func unreachable(err error) error {
	if err == nil || errors.Is(err, model.ErrNotFound) || errors.Is(err, model.ErrInvalid) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w: %w", model.ErrNotFound, err)
}

// ignoreNotFound treats an object Roost does not know as nothing to do.
func ignoreNotFound(err error) error {
	if errors.Is(err, model.ErrNotFound) || errors.Is(err, model.ErrShredded) {
		return nil
	}
	return err
}

// StatusByURI returns the remote status whose ActivityPub id is uri, as
// viewerID (0: signed out) may see it; a missing or hidden one is
// model.ErrNotFound alike.
func (s *Service) StatusByURI(ctx context.Context, viewerID int64, uri string) (*model.Status, error) {
	st, err := s.store.StatusByURI(ctx, uri)
	if err != nil {
		return nil, fmt.Errorf("core: status by uri: %w", err)
	}
	if ok, err := s.CanSee(ctx, viewerID, st); err != nil {
		return nil, err
	} else if !ok {
		return nil, fmt.Errorf("core: status by uri: %w", model.ErrNotFound)
	}
	return st, nil
}
