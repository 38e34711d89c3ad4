package core

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// maxPins is how many statuses an account may pin, as in Mastodon.
const maxPins = 5

// Favourite favourites status id (a boost stands for what it boosts) and
// notifies its author.
func (s *Service) Favourite(ctx context.Context, viewerID, id int64) (*StatusView, error) {
	st, err := s.visibleTarget(ctx, viewerID, id)
	if err != nil {
		return nil, err
	}
	created, err := s.store.AddFavourite(ctx, viewerID, st.ID)
	if err != nil {
		return nil, fmt.Errorf("core: favourite %d: %w", st.ID, err)
	}
	if created {
		if err := s.notifyAbout(ctx, st.AccountID, viewerID, model.NotifyFavourite, st.ID); err != nil {
			return nil, err
		}
		s.publish(ctx, Event{Kind: EventFavourited, ActorID: viewerID, StatusID: st.ID,
			RowID: s.favouriteRow(ctx, viewerID, st.ID)})
	}
	return s.freshView(ctx, viewerID, st.ID)
}

// Unfavourite undoes Favourite. The favourite is removed even when the
// status can no longer be seen, but then the status is not shown
// (model.ErrNotFound).
func (s *Service) Unfavourite(ctx context.Context, viewerID, id int64) (*StatusView, error) {
	st, err := s.targetOf(ctx, id)
	if err != nil {
		return nil, err
	}
	row := s.favouriteRow(ctx, viewerID, st.ID) // before the row goes: the Undo names the Like by it
	removed, err := s.store.RemoveFavourite(ctx, viewerID, st.ID)
	if err != nil {
		return nil, fmt.Errorf("core: unfavourite %d: %w", st.ID, err)
	}
	if removed {
		if err := s.withdrawNotification(ctx, st.AccountID, viewerID, model.NotifyFavourite, st.ID); err != nil {
			return nil, err
		}
		s.publish(ctx, Event{Kind: EventUnfavourited, ActorID: viewerID, StatusID: st.ID, RowID: row})
	}
	return s.freshView(ctx, viewerID, st.ID)
}

// targetOf loads status id, or the status it boosts, without checking who
// may see it (for undoing one's own actions).
func (s *Service) targetOf(ctx context.Context, id int64) (*model.Status, error) {
	st, err := s.store.Status(ctx, id)
	if err == nil && st.ReblogOfID != 0 {
		st, err = s.store.Status(ctx, st.ReblogOfID)
	}
	if err != nil {
		return nil, fmt.Errorf("core: status %d: %w", id, err)
	}
	return st, nil
}

// Reblog boosts status id with visibility vis ("" for the booster's
// default) and returns the boost, which wraps the status. Boosting again
// returns the existing boost. A followers-only status keeps its
// visibility; a status that may not be boosted is model.ErrForbidden.
func (s *Service) Reblog(ctx context.Context, viewer *model.Account, id int64, vis model.Visibility) (*StatusView, error) {
	st, err := s.visibleTarget(ctx, viewer.ID, id)
	if err != nil {
		return nil, err
	}
	if !boostable(viewer.ID, st) {
		return nil, fmt.Errorf("core: reblog %d: %w", st.ID, model.ErrForbidden)
	}
	if old, err := s.store.ReblogBy(ctx, viewer.ID, st.ID); err == nil {
		return s.view(ctx, viewer.ID, old)
	} else if !errors.Is(err, model.ErrNotFound) {
		return nil, fmt.Errorf("core: reblog %d: %w", st.ID, err)
	}
	if vis, err = s.reblogVisibility(ctx, viewer, st, vis); err != nil {
		return nil, err
	}
	now := s.now()
	boost := &model.Status{
		ID: model.NewID(now), AccountID: viewer.ID, ReblogOfID: st.ID, Visibility: vis,
		ConversationID: st.ConversationID, Local: true, CreatedAt: now,
	}
	if err := s.store.CreateStatus(ctx, boost); errors.Is(err, model.ErrConflict) {
		// A boost made meanwhile, by a request sent twice: return that one.
		if old, err := s.store.ReblogBy(ctx, viewer.ID, st.ID); err == nil {
			return s.view(ctx, viewer.ID, old)
		}
		return nil, fmt.Errorf("core: reblog %d: %w", st.ID, err)
	} else if err != nil {
		return nil, fmt.Errorf("core: reblog %d: %w", st.ID, err)
	}
	// The notification points at the boost, so that undoing the boost
	// removes it with the boost; it shows the boosted status.
	if err := s.notifyAbout(ctx, st.AccountID, viewer.ID, model.NotifyReblog, boost.ID); err != nil {
		return nil, err
	}
	s.publish(ctx, Event{Kind: EventStatusCreated, ActorID: viewer.ID, StatusID: boost.ID})
	return s.freshView(ctx, viewer.ID, boost.ID)
}

// reblogVisibility is a boost's visibility: a followers-only status's own,
// else the one asked for or the booster's default. A boost cannot be
// direct; a direct default becomes followers-only.
func (s *Service) reblogVisibility(ctx context.Context, viewer *model.Account, st *model.Status, vis model.Visibility) (model.Visibility, error) {
	if st.Visibility == model.VisibilityPrivate {
		return model.VisibilityPrivate, nil
	}
	if vis == "" {
		prefs, err := s.postingPrefs(ctx, viewer)
		if err != nil {
			return "", err
		}
		vis = prefs.PostingVisibility
		if vis == model.VisibilityDirect {
			vis = model.VisibilityPrivate
		}
	}
	switch vis {
	case model.VisibilityPublic, model.VisibilityUnlisted, model.VisibilityPrivate:
		return vis, nil
	}
	return "", fieldErr("visibility", "ERR_INCLUSION", "is not included in the list")
}

// Unreblog undoes viewer's boost of status id and returns the status.
func (s *Service) Unreblog(ctx context.Context, viewerID, id int64) (*StatusView, error) {
	st, err := s.targetOf(ctx, id)
	if err != nil {
		return nil, err
	}
	boost, err := s.store.ReblogBy(ctx, viewerID, st.ID)
	switch {
	case err == nil:
		// A boost already gone was undone by a request sent twice.
		if err := s.store.DeleteStatus(ctx, boost.ID); err != nil && !errors.Is(err, model.ErrNotFound) {
			return nil, fmt.Errorf("core: unreblog %d: %w", st.ID, err)
		}
		s.publish(ctx, Event{Kind: EventStatusDeleted, ActorID: viewerID, StatusID: boost.ID, Deleted: DeletedStatusOf(boost)})
	case !errors.Is(err, model.ErrNotFound):
		return nil, fmt.Errorf("core: unreblog %d: %w", st.ID, err)
	}
	return s.freshView(ctx, viewerID, st.ID)
}

// Bookmark bookmarks status id for viewerID.
func (s *Service) Bookmark(ctx context.Context, viewerID, id int64) (*StatusView, error) {
	st, err := s.visibleTarget(ctx, viewerID, id)
	if err != nil {
		return nil, err
	}
	if err := s.store.AddBookmark(ctx, viewerID, st.ID); err != nil && !errors.Is(err, model.ErrConflict) {
		return nil, fmt.Errorf("core: bookmark %d: %w", st.ID, err)
	}
	return s.freshView(ctx, viewerID, st.ID)
}

// Unbookmark removes viewerID's bookmark of status id (even when the
// status can no longer be seen; then it is model.ErrNotFound).
func (s *Service) Unbookmark(ctx context.Context, viewerID, id int64) (*StatusView, error) {
	st, err := s.targetOf(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.store.RemoveBookmark(ctx, viewerID, st.ID); err != nil && !errors.Is(err, model.ErrNotFound) {
		return nil, fmt.Errorf("core: unbookmark %d: %w", st.ID, err)
	}
	return s.freshView(ctx, viewerID, st.ID)
}

// Pin features one of viewerID's statuses on their profile. As in
// Mastodon: not a boost, not someone else's, not a direct one, at most five.
func (s *Service) Pin(ctx context.Context, viewerID, id int64) (*StatusView, error) {
	st, err := s.visibleStatus(ctx, viewerID, id)
	if err != nil {
		return nil, err
	}
	switch {
	case st.ReblogOfID != 0:
		return nil, model.Invalid("A boost cannot be pinned")
	case st.AccountID != viewerID:
		return nil, model.Invalid("Someone else's post cannot be pinned")
	case st.Visibility == model.VisibilityDirect:
		return nil, model.Invalid("Posts that are only visible to mentioned users cannot be pinned")
	}
	v, err := s.view(ctx, viewerID, st)
	if err != nil || v.Flags.Pinned {
		return v, err
	}
	n, err := s.store.CountPins(ctx, viewerID)
	if err != nil {
		return nil, fmt.Errorf("core: count pins: %w", err)
	}
	if n >= maxPins {
		return nil, model.Invalid("You have already pinned the maximum number of posts")
	}
	if err := s.store.AddPin(ctx, viewerID, st.ID); err != nil && !errors.Is(err, model.ErrConflict) {
		return nil, fmt.Errorf("core: pin %d: %w", st.ID, err)
	}
	if federatesPin(st) {
		s.publish(ctx, Event{Kind: EventPinned, ActorID: viewerID, StatusID: st.ID})
	}
	return s.freshView(ctx, viewerID, st.ID)
}

// Unpin takes a status off viewerID's profile; other servers hear of it
// when it was pinned and federated.
func (s *Service) Unpin(ctx context.Context, viewerID, id int64) (*StatusView, error) {
	st, err := s.visibleStatus(ctx, viewerID, id)
	if err != nil {
		return nil, err
	}
	v, err := s.view(ctx, viewerID, st)
	if err != nil {
		return nil, err
	}
	if err := s.store.RemovePin(ctx, viewerID, st.ID); err != nil && !errors.Is(err, model.ErrNotFound) {
		return nil, fmt.Errorf("core: unpin %d: %w", st.ID, err)
	}
	if v.Flags.Pinned && st.AccountID == viewerID && federatesPin(st) {
		s.publish(ctx, Event{Kind: EventUnpinned, ActorID: viewerID, StatusID: st.ID})
	}
	return s.freshView(ctx, viewerID, st.ID)
}

// FavouritedBy lists who favourited status id, newest first, keyed by the
// favourite.
func (s *Service) FavouritedBy(ctx context.Context, viewerID, id int64, p store.Page) (*Listing[*model.Account], error) {
	st, err := s.visibleTarget(ctx, viewerID, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.FavouritedBy(ctx, st.ID, p)
	if err != nil {
		return nil, fmt.Errorf("core: favourited by %d: %w", st.ID, err)
	}
	return s.accountListing(ctx, viewerID, rows)
}

// RebloggedBy lists who boosted status id in public or unlisted boosts,
// newest first, keyed by the boost. A followers-only boost is left out, as
// Mastodon does: it is for the booster's followers only.
func (s *Service) RebloggedBy(ctx context.Context, viewerID, id int64, p store.Page) (*Listing[*model.Account], error) {
	st, err := s.visibleTarget(ctx, viewerID, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.RebloggedBy(ctx, st.ID, p)
	if err != nil {
		return nil, fmt.Errorf("core: reblogged by %d: %w", st.ID, err)
	}
	keys := make([]int64, len(rows))
	for i, r := range rows {
		keys[i] = r.Key
	}
	boosts, err := s.store.StatusesByID(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("core: reblogged by %d: %w", st.ID, err)
	}
	l, err := s.accountListing(ctx, viewerID, rows)
	if err != nil {
		return nil, err
	}
	private := map[int64]bool{}
	for _, b := range boosts {
		if b.Visibility != model.VisibilityPublic && b.Visibility != model.VisibilityUnlisted {
			private[b.AccountID] = true
		}
	}
	l.Items = slices.DeleteFunc(l.Items, func(a *model.Account) bool { return private[a.ID] })
	return l, nil
}

// accountListing keeps the accounts of rows that are not suspended and
// that the viewer has not shut out: no block either way, no mute, as
// Mastodon leaves such accounts out of its lists.
func (s *Service) accountListing(ctx context.Context, viewerID int64, rows []store.Keyed[*model.Account]) (*Listing[*model.Account], error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.Value.ID
	}
	rels, err := s.relationsOf(ctx, viewerID, ids)
	if err != nil {
		return nil, err
	}
	l := &Listing[*model.Account]{Items: []*model.Account{}}
	for _, r := range rows {
		if r.Value.SuspendedAt == nil && !rels.blocked(r.Value.ID) && !rels.muting(r.Value.ID) {
			l.Items = append(l.Items, r.Value)
		}
	}
	if len(rows) > 0 {
		l.Newest, l.Oldest = rows[0].Key, rows[len(rows)-1].Key
	}
	return l, nil
}
