package core

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/roost-social/roost/internal/federation/ap"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Featured collections, read: what a remote actor pinned before Roost knew
// it is learnt from its featured collection, which is read when the actor
// is first stored and each time the scheduled refresh fetches it again, as
// Mastodon's FetchFeaturedCollectionService does. The read runs as a
// background job (FeaturedQueue), never inside the request or delivery
// that brought the actor; Add and Remove (inbox_featured.go) keep the pins
// current between reads.

// MaxFeaturedItems is how many items of a featured collection are read:
// no more than a remote account may keep pinned here.
const MaxFeaturedItems = MaxRemotePins

// FeaturedQueue starts the job that reads a remote actor's featured
// collection (FetchFeatured). The app wires one in (SetFeaturedQueue);
// without one, featured collections are never read.
type FeaturedQueue interface {
	EnqueueFeaturedFetch(ctx context.Context, accountID int64) error
}

// SetFeaturedQueue sets the queue featured-collection reads go to. It is
// called once, while wiring, before the service is used.
func (s *Service) SetFeaturedQueue(q FeaturedQueue) { s.featured = q }

// queueFeatured asks for a read of the featured collection of remote
// account a, whose actor details are ra, unless it has none or is
// suspended. Queueing is best effort: the actor is stored whatever
// happens, the queue reports its own failures, and the next refresh asks
// again.
func (s *Service) queueFeatured(ctx context.Context, a *model.Account, ra *store.RemoteActor) {
	if s.featured == nil || ra == nil || ra.Featured == "" || a.SuspendedAt != nil {
		return
	}
	if p, err := s.DomainPolicy(ctx, a.Domain); err != nil || p.Suspended() {
		return
	}
	_ = s.featured.EnqueueFeaturedFetch(ctx, a.ID)
}

// FetchFeatured reads the featured collection of remote account accountID
// and makes its public and unlisted pins here what the collection lists.
// The collection, and its first page when it is paged (no further page is
// followed), must come from the actor's host; at most MaxFeaturedItems
// items are read, embedded posts or ids. An item counts when it is a
// public or unlisted post of the actor's own, on its host; it is stored
// through the inbox's path when unknown, fetched when only its id was
// given. Pins of the actor's statuses that the collection no longer lists
// are taken off; followers-only pins (a collection read as the instance
// actor never shows them) are kept; at most MaxRemotePins stay.
//
// A suspended account or domain, an unknown account, or one without a
// featured collection is left alone (nil). When the collection cannot be
// had or read, the pins are left as they were and the error says why: a
// kind of model.ErrNotFound or model.ErrInvalid when trying again will not
// help. An item that cannot be had is only left out: a status already
// pinned is stored here and needs no fetch, so it is never lost that way.
func (s *Service) FetchFeatured(ctx context.Context, accountID int64) error {
	if s.fetch == nil {
		return errNoFetcher
	}
	a, err := s.store.Account(ctx, accountID)
	if err != nil {
		return ignoreNotFound(err)
	}
	if a.Local() || a.SuspendedAt != nil {
		return nil
	}
	if p, err := s.DomainPolicy(ctx, a.Domain); err != nil {
		return err
	} else if p.Suspended() {
		return nil
	}
	ra, err := s.store.RemoteActor(ctx, a.ID)
	if err != nil {
		return ignoreNotFound(err)
	}
	if ra.Featured == "" {
		return nil
	}
	items, err := s.featuredItems(ctx, a, ra.Featured)
	if err != nil {
		return err
	}
	want, err := s.featuredStatuses(ctx, a, items)
	if err != nil {
		return err
	}
	return s.setFeaturedPins(ctx, a.ID, want)
}

// featuredItems fetches a's featured collection at iri and returns its
// first MaxFeaturedItems items, from its first page when it has one.
func (s *Service) featuredItems(ctx context.Context, a *model.Account, iri string) ([]ap.Ref, error) {
	c, err := s.fetchFeaturedPage(ctx, a, iri)
	if err != nil {
		return nil, err
	}
	if first := c.First; !first.IsZero() {
		switch c = first.Object; {
		case c == nil:
			if c, err = s.fetchFeaturedPage(ctx, a, first.IRI); err != nil {
				return nil, err
			}
		case !c.IsCollection():
			return nil, fmt.Errorf("core: featured of %d: %w", a.ID, model.Invalid("first page is not a collection page"))
		}
	}
	return c.Items[:min(len(c.Items), MaxFeaturedItems)], nil
}

// fetchFeaturedPage fetches a featured collection or one of its pages of
// a's, which must be found on a's host and be a collection.
func (s *Service) fetchFeaturedPage(ctx context.Context, a *model.Account, iri string) (*ap.Object, error) {
	if !sameHost(iri, a.URI) {
		return nil, fmt.Errorf("core: featured of %d: %w", a.ID, model.Invalid("collection is not on the actor's host"))
	}
	doc, err := s.fetch.FetchObject(ctx, iri)
	if err != nil {
		return nil, fmt.Errorf("core: featured of %d: %w", a.ID, err)
	}
	if !sameHost(doc.URL, a.URI) {
		return nil, fmt.Errorf("core: featured of %d: %w", a.ID, errMovedObject)
	}
	o, err := ap.Decode(doc.Body)
	if err != nil {
		return nil, fmt.Errorf("core: featured of %d: %w", a.ID, err)
	}
	if !o.IsCollection() {
		return nil, fmt.Errorf("core: featured of %d: %w", a.ID, model.Invalid("not a collection"))
	}
	return o, nil
}

// featuredStatuses returns the ids of the statuses among items that a may
// have pinned, in order, without repeats. An item that cannot be had or
// does not count is left out; a storage failure or ctx ending is an error.
// Replies stored here fetch their missing parents within one budget of
// MaxReplyFetchDepth for the whole collection.
func (s *Service) featuredStatuses(ctx context.Context, a *model.Account, items []ap.Ref) ([]int64, error) {
	in := &inbound{s: s, actor: a, depth: MaxReplyFetchDepth}
	var ids []int64
	for _, it := range items {
		st, err := in.featuredStatus(ctx, it)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		switch {
		case err == nil && st != nil && !slices.Contains(ids, st.ID):
			ids = append(ids, st.ID)
		case err != nil && !skippableItem(err):
			return nil, err
		}
	}
	return ids, nil
}

// skippableItem reports whether err is about the item rather than about
// this server: not found, unusable or not the actor's.
func skippableItem(err error) bool {
	return errors.Is(err, model.ErrNotFound) || errors.Is(err, model.ErrInvalid) ||
		errors.Is(err, model.ErrForbidden) || errors.Is(err, model.ErrShredded)
}

// featuredStatus returns the status a featured item names, stored when it
// was unknown, or nil when it does not count: it must be a public or
// unlisted post (not a boost) of the actor's own, on its host. An embedded
// post is taken as sent, since the collection came from the actor's host;
// one sent by id only, or without its author, is fetched from its origin.
func (in *inbound) featuredStatus(ctx context.Context, it ap.Ref) (*model.Status, error) {
	s, a := in.s, in.actor
	if it.IRI == "" || !sameHost(it.IRI, a.URI) {
		return nil, fmt.Errorf("core: featured item: %w", model.ErrForbidden)
	}
	st, err := s.knownStatus(ctx, it.IRI)
	if errors.Is(err, model.ErrNotFound) {
		st, err = in.storeFeatured(ctx, it)
	}
	if err != nil || st == nil {
		return nil, err
	}
	if st.AccountID != a.ID {
		return nil, fmt.Errorf("core: featured item of another: %w", model.ErrForbidden)
	}
	if st.ReblogOfID != 0 || !public(st.Visibility) {
		return nil, nil
	}
	return st, nil
}

// storeFeatured stores the unknown post a featured item names, if it is a
// public or unlisted post by the actor; nil when it is not public.
func (in *inbound) storeFeatured(ctx context.Context, it ap.Ref) (*model.Status, error) {
	s, a := in.s, in.actor
	obj := it.Object
	if obj == nil || !obj.IsPost() || obj.AttributedToIRI() == "" {
		var err error
		if obj, err = s.fetchObject(ctx, it.IRI); err != nil {
			return nil, err
		}
	}
	if !obj.IsPost() || obj.ID != it.IRI {
		return nil, fmt.Errorf("core: featured item: %w", model.ErrNotFound)
	}
	if obj.AttributedToIRI() != a.URI {
		return nil, fmt.Errorf("core: featured item of another: %w", model.ErrForbidden)
	}
	if !public(ap.VisibilityOf(obj, s.followersOf(ctx, a.ID))) {
		return nil, nil // never stored: only what anyone may see is pinned this way
	}
	return in.storeNote(ctx, obj, a, nil)
}

// setFeaturedPins makes the public and unlisted pins of remote account
// accountID the statuses want (its own, public or unlisted): others are
// unpinned, followers-only pins kept, and new ones added while the account
// has fewer than MaxRemotePins.
func (s *Service) setFeaturedPins(ctx context.Context, accountID int64, want []int64) error {
	cur, err := s.pinnedStatuses(ctx, accountID)
	if err != nil {
		return err
	}
	n := len(cur)
	pinned := make(map[int64]bool, n)
	for _, st := range cur {
		if !public(st.Visibility) || slices.Contains(want, st.ID) {
			pinned[st.ID] = true
			continue
		}
		if err := s.store.RemovePin(ctx, accountID, st.ID); err != nil && !errors.Is(err, model.ErrNotFound) {
			return fmt.Errorf("core: featured unpin: %w", err)
		}
		n--
	}
	for _, id := range want {
		if pinned[id] {
			continue
		}
		if n >= MaxRemotePins {
			break
		}
		err := s.store.AddPin(ctx, accountID, id)
		if err != nil && !errors.Is(err, model.ErrConflict) && !errors.Is(err, model.ErrNotFound) {
			return fmt.Errorf("core: featured pin: %w", err)
		}
		n++
	}
	return nil
}

// pinnedStatuses lists every status accountID has pinned, as the account
// itself sees them.
func (s *Service) pinnedStatuses(ctx context.Context, accountID int64) ([]*model.Status, error) {
	var out []*model.Status
	p := store.Page{Limit: 40}
	for {
		sts, err := s.store.AccountStatuses(ctx, accountID, accountID, store.StatusFilter{Pinned: true}, p)
		if err != nil {
			return nil, fmt.Errorf("core: pins of %d: %w", accountID, err)
		}
		out = append(out, sts...)
		if len(sts) < p.Limit {
			return out, nil
		}
		p.MaxID = sts[len(sts)-1].ID
	}
}
