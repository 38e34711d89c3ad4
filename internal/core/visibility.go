package core

import (
	"context"
	"fmt"
	"slices"

	"github.com/roost-social/roost/internal/model"
)

// Who may see a status. The store applies the same rules to timelines;
// every single-status read (get, context, interactions, notifications,
// bookmarks) goes through these functions.
//
//   - public and unlisted: everyone, signed out included;
//   - private: the author, accepted followers and mentioned accounts (as
//     Mastodon does: a mention makes a followers-only post reach you);
//   - direct: the author and mentioned accounts;
//   - nobody sees a status of an account that blocks them or that they
//     block, except their own; statuses of suspended accounts are hidden;
//   - a boost is seen by whoever may see the boost itself (by its own
//     visibility and author) and the status it boosts.

// relations is how a viewer stands to other accounts, by account ID.
type relations map[int64]*model.Relationship

// relationsOf loads viewerID's relationships to ids in one call. A
// signed-out viewer has none.
func (s *Service) relationsOf(ctx context.Context, viewerID int64, ids []int64) (relations, error) {
	out := relations{}
	ids = slices.DeleteFunc(uniqueIDs(ids), func(id int64) bool { return id == viewerID })
	if viewerID == 0 || len(ids) == 0 {
		return out, nil
	}
	rels, err := s.store.Relationships(ctx, viewerID, ids)
	if err != nil {
		return nil, fmt.Errorf("core: relationships: %w", err)
	}
	for i, r := range rels {
		if r == nil || i >= len(ids) {
			continue
		}
		out[ids[i]] = r
	}
	return out, nil
}

// blocked reports whether a block stands between the viewer and id.
func (r relations) blocked(id int64) bool {
	rel := r[id]
	return rel != nil && (rel.Blocking || rel.BlockedBy)
}

func (r relations) muting(id int64) bool {
	rel := r[id]
	return rel != nil && rel.Muting
}

func (r relations) following(id int64) bool {
	rel := r[id]
	return rel != nil && rel.Following
}

// visibleTo applies the rules above to one status (not its boost target)
// whose author and relationship to the viewer are known.
func visibleTo(viewerID int64, st *model.Status, author *model.Account, rels relations) bool {
	if author == nil || author.SuspendedAt != nil || st.DeletedAt != nil {
		return false
	}
	if viewerID != 0 && st.AccountID == viewerID {
		return true
	}
	if rels.blocked(st.AccountID) {
		return false
	}
	switch st.Visibility {
	case model.VisibilityPublic, model.VisibilityUnlisted:
		return true
	case model.VisibilityPrivate:
		return viewerID != 0 && (rels.following(st.AccountID) || mentions(st, viewerID))
	case model.VisibilityDirect:
		return viewerID != 0 && mentions(st, viewerID)
	}
	return false
}

// mentions reports whether st mentions accountID.
func mentions(st *model.Status, accountID int64) bool {
	for _, m := range st.Mentions {
		if m.AccountID == accountID {
			return true
		}
	}
	return false
}

// boostable reports whether accountID may boost st: public and unlisted
// statuses, and (as Mastodon allows) one's own followers-only ones.
func boostable(accountID int64, st *model.Status) bool {
	switch st.Visibility {
	case model.VisibilityPublic, model.VisibilityUnlisted:
		return true
	case model.VisibilityPrivate:
		return st.AccountID == accountID
	}
	return false
}

// CanSee reports whether viewerID (0: signed out) may see st.
func (s *Service) CanSee(ctx context.Context, viewerID int64, st *model.Status) (bool, error) {
	b, err := s.loadBatch(ctx, viewerID, []*model.Status{st}, false)
	if err != nil {
		return false, err
	}
	return b.canSee(st, false), nil
}

// visibleStatus loads status id as viewerID may see it: a missing or
// hidden status is model.ErrNotFound either way, so that a client cannot
// tell them apart.
func (s *Service) visibleStatus(ctx context.Context, viewerID, id int64) (*model.Status, error) {
	st, err := s.store.Status(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: status %d: %w", id, err)
	}
	ok, err := s.CanSee(ctx, viewerID, st)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("core: status %d: %w", id, model.ErrNotFound)
	}
	return st, nil
}

// visibleTarget is visibleStatus for actions on a status: a boost stands
// for the status it boosts, as it does in Mastodon.
func (s *Service) visibleTarget(ctx context.Context, viewerID, id int64) (*model.Status, error) {
	st, err := s.visibleStatus(ctx, viewerID, id)
	if err != nil || st.ReblogOfID == 0 {
		return st, err
	}
	return s.visibleStatus(ctx, viewerID, st.ReblogOfID)
}

// uniqueIDs returns ids without zeros and repeats, in first-seen order.
func uniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
