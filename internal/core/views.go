package core

import (
	"context"
	"fmt"

	"github.com/roost-social/roost/internal/model"
)

// StatusView is a status as one viewer sees it: with its author, the
// status it boosts, the viewer's flags and the accounts it mentions.
type StatusView struct {
	Status  *model.Status
	Account *model.Account
	// Reblog is the boosted status, for a boost.
	Reblog *StatusView
	// Mentions are the mentioned accounts that still exist, in the order of
	// Status.Mentions.
	Mentions []*model.Account
	// ViewerID is who the view is for; 0 when signed out, and then Flags is
	// empty.
	ViewerID int64
	Flags    model.StatusFlags
	// Source asks adapters to show the status's source text (a deleted
	// status, for delete-and-redraft).
	Source bool
}

// Pinnable reports whether the viewer could pin this status, which is when
// Mastodon shows the pinned flag.
func (v *StatusView) Pinnable() bool {
	st := v.Status
	return v.ViewerID != 0 && st.AccountID == v.ViewerID && st.ReblogOfID == 0 &&
		st.Visibility != model.VisibilityDirect
}

// Listing is one page of a listing, with the keys that bound the page as
// the store returned it (before anything was filtered out), for paging
// links. Newest and Oldest are 0 for an empty page.
type Listing[T any] struct {
	Items          []T
	Newest, Oldest int64
}

// batch is what is needed to check and show a page of statuses, loaded
// with one call per kind: statuses boosted, accounts, relationships, flags.
type batch struct {
	viewerID int64
	statuses map[int64]*model.Status
	accounts map[int64]*model.Account
	rels     relations
	flags    map[int64]model.StatusFlags
}

// loadBatch loads what sts need. withFlags also loads the viewer's flags
// and the mentioned accounts (for showing, not only checking).
func (s *Service) loadBatch(ctx context.Context, viewerID int64, sts []*model.Status, withFlags bool) (*batch, error) {
	b := &batch{viewerID: viewerID, statuses: make(map[int64]*model.Status, len(sts))}
	for _, st := range sts {
		b.statuses[st.ID] = st
	}
	if err := b.loadTargets(ctx, s, sts); err != nil {
		return nil, err
	}
	var accountIDs, authorIDs, statusIDs []int64
	for _, st := range b.statuses {
		authorIDs = append(authorIDs, st.AccountID)
		statusIDs = append(statusIDs, st.ID)
		if withFlags {
			for _, m := range st.Mentions {
				accountIDs = append(accountIDs, m.AccountID)
			}
		}
	}
	accountIDs = uniqueIDs(append(accountIDs, authorIDs...))
	var err error
	if b.accounts, err = s.store.AccountsByID(ctx, accountIDs); err != nil {
		return nil, fmt.Errorf("core: load accounts: %w", err)
	}
	if b.rels, err = s.relationsOf(ctx, viewerID, authorIDs); err != nil {
		return nil, err
	}
	b.flags = map[int64]model.StatusFlags{}
	if withFlags && viewerID != 0 && len(statusIDs) > 0 {
		if b.flags, err = s.store.StatusFlags(ctx, viewerID, statusIDs); err != nil {
			return nil, fmt.Errorf("core: load status flags: %w", err)
		}
	}
	return b, nil
}

// loadTargets adds the statuses that sts boost and that are not among them.
func (b *batch) loadTargets(ctx context.Context, s *Service, sts []*model.Status) error {
	var ids []int64
	for _, st := range sts {
		if st.ReblogOfID != 0 && b.statuses[st.ReblogOfID] == nil {
			ids = append(ids, st.ReblogOfID)
		}
	}
	if ids = uniqueIDs(ids); len(ids) == 0 {
		return nil
	}
	targets, err := s.store.StatusesByID(ctx, ids)
	if err != nil {
		return fmt.Errorf("core: load boosted statuses: %w", err)
	}
	for id, st := range targets {
		b.statuses[id] = st
	}
	return nil
}

// canSee applies the visibility rules to st and, for a boost, its target.
// hideMuted also hides statuses of accounts the viewer mutes (not the
// viewer's own), as threads do.
func (b *batch) canSee(st *model.Status, hideMuted bool) bool {
	if !visibleTo(b.viewerID, st, b.accounts[st.AccountID], b.rels) {
		return false
	}
	if hideMuted && st.AccountID != b.viewerID && b.rels.muting(st.AccountID) {
		return false
	}
	if st.ReblogOfID == 0 {
		return true
	}
	target := b.statuses[st.ReblogOfID]
	return target != nil && target.ReblogOfID == 0 && b.canSee(target, hideMuted)
}

// view builds st's view from the batch; call it only for statuses canSee
// allowed.
func (b *batch) view(st *model.Status) *StatusView {
	v := &StatusView{Status: st, Account: b.accounts[st.AccountID], ViewerID: b.viewerID, Flags: b.flags[st.ID]}
	for _, m := range st.Mentions {
		if a := b.accounts[m.AccountID]; a != nil {
			v.Mentions = append(v.Mentions, a)
		}
	}
	if st.ReblogOfID != 0 {
		v.Reblog = b.view(b.statuses[st.ReblogOfID])
	}
	return v
}

// views returns the views of the statuses of sts that viewerID may see, in
// order, with one load per kind for the whole page.
func (s *Service) views(ctx context.Context, viewerID int64, sts []*model.Status, hideMuted bool) ([]*StatusView, error) {
	b, err := s.loadBatch(ctx, viewerID, sts, true)
	if err != nil {
		return nil, err
	}
	out := make([]*StatusView, 0, len(sts))
	for _, st := range sts {
		if b.canSee(st, hideMuted) {
			out = append(out, b.view(st))
		}
	}
	return out, nil
}

// view returns one status's view, or model.ErrNotFound when viewerID may
// not see it.
func (s *Service) view(ctx context.Context, viewerID int64, st *model.Status) (*StatusView, error) {
	vs, err := s.views(ctx, viewerID, []*model.Status{st}, false)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("core: status %d: %w", st.ID, model.ErrNotFound)
	}
	return vs[0], nil
}

// StatusViews returns the views of sts that viewerID may see, in order. It
// is for adapters that list statuses found elsewhere (search, later).
func (s *Service) StatusViews(ctx context.Context, viewerID int64, sts []*model.Status) ([]*StatusView, error) {
	return s.views(ctx, viewerID, sts, false)
}

// statusListing turns a page of statuses from the store into a Listing of
// the views viewerID may see, keyed by status ID.
func (s *Service) statusListing(ctx context.Context, viewerID int64, sts []*model.Status) (*Listing[*StatusView], error) {
	vs, err := s.views(ctx, viewerID, sts, false)
	if err != nil {
		return nil, err
	}
	l := &Listing[*StatusView]{Items: vs}
	if len(sts) > 0 {
		l.Newest, l.Oldest = sts[0].ID, sts[len(sts)-1].ID
	}
	return l, nil
}
