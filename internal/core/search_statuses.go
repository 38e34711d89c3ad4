package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/roost-social/roost/internal/model"
)

// searchStatusURL answers the statuses part of a search for a URL: the
// status it names, known already (by its ActivityPub id) or, with
// resolve, fetched from its origin and stored, as Mastodon's search does
// for a pasted link. The viewer must be allowed to see it; a fetch the
// origin refuses (a followers-only post, fetched as the instance) finds
// nothing, and so does any failure there.
func (s *Service) searchStatusURL(ctx context.Context, viewerID int64, url string, resolve bool) ([]*StatusView, error) {
	st, err := s.knownStatus(ctx, url)
	if errors.Is(err, model.ErrNotFound) && resolve {
		st, err = s.fetchStatusByURL(ctx, url)
	}
	if errors.Is(err, context.Canceled) {
		return nil, fmt.Errorf("core: search: %w", err)
	}
	if err != nil {
		return []*StatusView{}, nil
	}
	if ok, err := s.CanSee(ctx, viewerID, st); err != nil {
		return nil, err
	} else if !ok {
		return []*StatusView{}, nil
	}
	vs, err := s.views(ctx, viewerID, []*model.Status{st}, false)
	if err != nil {
		return nil, err
	}
	return vs, nil
}

// fetchStatusByURL fetches the post url names and stores it with its
// author. url may be the post's page rather than its id (Mastodon serves
// the same document at both): the document is then fetched again from
// the id it declares, which must be on the same host, so that only its
// origin vouches for it.
func (s *Service) fetchStatusByURL(ctx context.Context, url string) (*model.Status, error) {
	obj, doc, err := s.fetchDocument(ctx, url)
	if err == nil && (obj.ID != url || !sameHost(doc.URL, url)) {
		// A page: its document's id, on the same host, is fetched again,
		// unless that status is known already.
		declared := obj.ID
		if declared == "" || declared == url || !sameHost(declared, url) || !sameHost(doc.URL, url) {
			return nil, fmt.Errorf("core: fetched object: %w", model.ErrNotFound)
		}
		if st, kerr := s.knownStatus(ctx, declared); kerr == nil {
			return st, nil
		}
		obj, err = s.fetchObject(ctx, declared)
	}
	if err != nil {
		return nil, err
	}
	if !obj.IsPost() || !sameHost(obj.AttributedToIRI(), obj.ID) {
		return nil, fmt.Errorf("core: fetched status: %w", model.ErrNotFound)
	}
	author, err := s.ResolveActor(ctx, obj.AttributedToIRI())
	if err != nil {
		return nil, unreachable(err)
	}
	if author.Local() || author.SuspendedAt != nil {
		return nil, fmt.Errorf("core: fetched status author: %w", model.ErrNotFound)
	}
	in := &inbound{s: s, actor: author, depth: MaxReplyFetchDepth}
	return in.storeNote(ctx, obj, author, nil)
}
