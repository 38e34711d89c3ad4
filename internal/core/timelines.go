package core

import (
	"context"
	"fmt"
	"strings"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// The store filters timelines by visibility; the views are checked again
// here (one relationships load per page) so that what a page shows never
// depends on one layer alone. Paging keys are the store's, before that
// check, so that a dropped item cannot stop a client's paging.

// HomeTimeline is viewerID's home: their statuses and those of the
// accounts they follow.
func (s *Service) HomeTimeline(ctx context.Context, viewerID int64, p store.Page) (*Listing[*StatusView], error) {
	sts, err := s.store.HomeTimeline(ctx, viewerID, p)
	if err != nil {
		return nil, fmt.Errorf("core: home timeline: %w", err)
	}
	return s.statusListing(ctx, viewerID, sts)
}

// PublicTimeline is the public statuses of this server and others.
func (s *Service) PublicTimeline(ctx context.Context, viewerID int64, o store.TimelineOptions, p store.Page) (*Listing[*StatusView], error) {
	sts, err := s.store.PublicTimeline(ctx, viewerID, o, p)
	if err != nil {
		return nil, fmt.Errorf("core: public timeline: %w", err)
	}
	l, err := s.statusListing(ctx, viewerID, sts)
	return s.hideSilencedListing(ctx, viewerID, l, err)
}

// TagTimeline is the public statuses with hashtag tag (with or without its
// '#', any case).
func (s *Service) TagTimeline(ctx context.Context, viewerID int64, tag string, o store.TimelineOptions, p store.Page) (*Listing[*StatusView], error) {
	tag = NormalizeTag(tag)
	if tag == "" {
		return &Listing[*StatusView]{Items: []*StatusView{}}, nil
	}
	sts, err := s.store.TagTimeline(ctx, viewerID, tag, o, p)
	if err != nil {
		return nil, fmt.Errorf("core: tag timeline: %w", err)
	}
	l, err := s.statusListing(ctx, viewerID, sts)
	return s.hideSilencedListing(ctx, viewerID, l, err)
}

// NormalizeTag is a hashtag as statuses store it: without '#', lower case.
func NormalizeTag(tag string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(tag), "#"))
}

// AccountStatuses lists accountID's statuses as viewerID may see them. An
// account the viewer may not see (missing, suspended, awaiting approval) is
// model.ErrNotFound; an account with a block between it and the viewer
// shows nothing.
func (s *Service) AccountStatuses(ctx context.Context, viewerID, accountID int64, f store.StatusFilter, p store.Page) (*Listing[*StatusView], error) {
	if _, err := s.Account(ctx, viewerID, accountID); err != nil {
		return nil, err
	}
	f.Tag = NormalizeTag(f.Tag)
	sts, err := s.store.AccountStatuses(ctx, viewerID, accountID, f, p)
	if err != nil {
		return nil, fmt.Errorf("core: account %d statuses: %w", accountID, err)
	}
	return s.statusListing(ctx, viewerID, sts)
}

// Bookmarks lists viewerID's bookmarks, newest bookmark first, keyed by
// the bookmark.
func (s *Service) Bookmarks(ctx context.Context, viewerID int64, p store.Page) (*Listing[*StatusView], error) {
	rows, err := s.store.Bookmarks(ctx, viewerID, p)
	if err != nil {
		return nil, fmt.Errorf("core: bookmarks: %w", err)
	}
	return s.keyedListing(ctx, viewerID, rows)
}

// Favourites lists the statuses viewerID favourited, newest favourite
// first, keyed by the favourite.
func (s *Service) Favourites(ctx context.Context, viewerID int64, p store.Page) (*Listing[*StatusView], error) {
	rows, err := s.store.Favourites(ctx, viewerID, p)
	if err != nil {
		return nil, fmt.Errorf("core: favourites: %w", err)
	}
	return s.keyedListing(ctx, viewerID, rows)
}

// keyedListing shows the statuses of rows that viewerID may still see.
func (s *Service) keyedListing(ctx context.Context, viewerID int64, rows []store.Keyed[*model.Status]) (*Listing[*StatusView], error) {
	sts := make([]*model.Status, len(rows))
	for i, r := range rows {
		sts[i] = r.Value
	}
	vs, err := s.views(ctx, viewerID, sts, false)
	if err != nil {
		return nil, err
	}
	l := &Listing[*StatusView]{Items: vs}
	if len(rows) > 0 {
		l.Newest, l.Oldest = rows[0].Key, rows[len(rows)-1].Key
	}
	return l, nil
}
