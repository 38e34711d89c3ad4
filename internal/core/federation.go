package core

import (
	"context"
	"fmt"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/text"
	"github.com/roost-social/roost/internal/vault"
)

// What the federation adapter reads: local actors, their keys, the posts
// they publish to anyone, and the figures NodeInfo reports. None of these
// may tell an outsider that a suspended or unapproved account exists: such
// an account is model.ErrNotFound exactly as a missing one is.

// LocalActor returns the local account named username (any case) that the
// fediverse may see. An unknown, suspended or unapproved account is
// model.ErrNotFound alike.
func (s *Service) LocalActor(ctx context.Context, username string) (*model.Account, error) {
	if text.ValidUsername(username) != nil {
		return nil, fmt.Errorf("core: local actor: %w", model.ErrNotFound)
	}
	a, err := s.store.AccountByUsername(ctx, username, "")
	if err != nil {
		return nil, fmt.Errorf("core: local actor: %w", err)
	}
	if err := s.checkVisible(ctx, 0, a); err != nil {
		return nil, fmt.Errorf("core: local actor: %w", err)
	}
	return a, nil
}

// ActorKeys returns the signing keys of local account accountID, or of the
// instance actor for 0. Remote accounts have no keys here:
// model.ErrNotFound. The caller decides whether the account may be shown;
// a suspended account keeps its keys, to sign its own Delete.
func (s *Service) ActorKeys(ctx context.Context, accountID int64) (*vault.ActorKeys, error) {
	if accountID != 0 {
		a, err := s.store.Account(ctx, accountID)
		if err != nil {
			return nil, fmt.Errorf("core: actor keys: %w", err)
		}
		if !a.Local() {
			return nil, fmt.Errorf("core: actor keys: %w", model.ErrNotFound)
		}
	}
	k, err := s.vault.ActorKeys(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("core: actor keys: %w", err)
	}
	return k, nil
}

// FederatedStatus is a local status as the fediverse is shown it: the
// view of an anonymous (or, later, a remote) reader, plus the status it
// replies to, whose id the ActivityPub form names.
type FederatedStatus struct {
	*StatusView
	// Parent is the status replied to, nil when this is no reply or the
	// parent is gone; ParentAccount is its author.
	Parent        *model.Status
	ParentAccount *model.Account
}

// ErrSignatureRequired is a status that exists but that only some readers
// may see, fetched by an unidentified one: ActivityPub's "authorized
// fetch" answers it with 401. It is model.ErrUnauthorized.
var ErrSignatureRequired = fmt.Errorf("signed fetch required: %w", model.ErrUnauthorized)

// LocalStatus returns status id by the local account username, as
// viewerID (a remote account whose signed fetch was verified, or 0 for an
// unsigned request) may see it. A missing status, a boost, a remote
// status, one by another or a hidden account, or one a signed reader may
// not see is model.ErrNotFound; a followers-only or direct status fetched
// without a signature is ErrSignatureRequired.
func (s *Service) LocalStatus(ctx context.Context, viewerID int64, username string, id int64) (*FederatedStatus, error) {
	author, err := s.LocalActor(ctx, username)
	if err != nil {
		return nil, err
	}
	st, err := s.store.Status(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: local status %d: %w", id, err)
	}
	if !st.Local || st.ReblogOfID != 0 || st.AccountID != author.ID || st.DeletedAt != nil {
		return nil, fmt.Errorf("core: local status %d: %w", id, model.ErrNotFound)
	}
	fs, err := s.federatedViews(ctx, viewerID, []*model.Status{st})
	if err != nil {
		return nil, err
	}
	if len(fs) == 1 {
		return fs[0], nil
	}
	if viewerID == 0 && !public(st.Visibility) {
		return nil, fmt.Errorf("core: local status %d: %w", id, ErrSignatureRequired)
	}
	return nil, fmt.Errorf("core: local status %d: %w", id, model.ErrNotFound)
}

// public reports whether anyone may read statuses of visibility v.
func public(v model.Visibility) bool {
	return v == model.VisibilityPublic || v == model.VisibilityUnlisted
}

// OutboxStatuses lists the public and unlisted statuses of local account
// accountID, newest first, without boosts: what its ActivityPub outbox
// shows to anyone. The account must be one LocalActor returned.
func (s *Service) OutboxStatuses(ctx context.Context, accountID int64, p store.Page) (*Listing[*FederatedStatus], error) {
	f := store.StatusFilter{ExcludeReblogs: true}
	sts, err := s.store.AccountStatuses(ctx, 0, accountID, f, p)
	if err != nil {
		return nil, fmt.Errorf("core: outbox %d: %w", accountID, err)
	}
	fs, err := s.federatedViews(ctx, 0, sts)
	if err != nil {
		return nil, err
	}
	l := &Listing[*FederatedStatus]{Items: fs}
	if len(sts) > 0 {
		l.Newest, l.Oldest = sts[0].ID, sts[len(sts)-1].ID
	}
	return l, nil
}

// FeaturedStatuses lists the pinned public and unlisted statuses of local
// account accountID, newest first: its ActivityPub featured collection.
func (s *Service) FeaturedStatuses(ctx context.Context, accountID int64) ([]*FederatedStatus, error) {
	f := store.StatusFilter{Pinned: true, ExcludeReblogs: true}
	sts, err := s.store.AccountStatuses(ctx, 0, accountID, f, store.Page{Limit: maxPins})
	if err != nil {
		return nil, fmt.Errorf("core: featured %d: %w", accountID, err)
	}
	return s.federatedViews(ctx, 0, sts)
}

// federatedViews returns the views of the statuses of sts that viewerID
// may see, only public and unlisted ones for an anonymous reader whatever
// the store returned, with the statuses they reply to.
func (s *Service) federatedViews(ctx context.Context, viewerID int64, sts []*model.Status) ([]*FederatedStatus, error) {
	return s.viewsWithParents(ctx, viewerID, sts, func(st *model.Status) bool {
		return st.Local && st.ReblogOfID == 0 && (viewerID != 0 || public(st.Visibility))
	})
}

// viewsWithParents returns the views of the statuses of sts that viewerID
// may see and keep accepts, each with the status it replies to and that
// status's author.
func (s *Service) viewsWithParents(ctx context.Context, viewerID int64, sts []*model.Status, keep func(*model.Status) bool) ([]*FederatedStatus, error) {
	vs, err := s.views(ctx, viewerID, sts, false)
	if err != nil {
		return nil, err
	}
	parents, authors, err := s.parentsOf(ctx, vs)
	if err != nil {
		return nil, err
	}
	out := make([]*FederatedStatus, 0, len(vs))
	for _, v := range vs {
		if !keep(v.Status) {
			continue
		}
		f := &FederatedStatus{StatusView: v}
		if p := parents[v.Status.InReplyToID]; p != nil {
			f.Parent, f.ParentAccount = p, authors[p.AccountID]
		}
		out = append(out, f)
	}
	return out, nil
}

// parentsOf loads the statuses vs reply to and their authors, with one
// call each.
func (s *Service) parentsOf(ctx context.Context, vs []*StatusView) (map[int64]*model.Status, map[int64]*model.Account, error) {
	var ids []int64
	for _, v := range vs {
		ids = append(ids, v.Status.InReplyToID)
	}
	if ids = uniqueIDs(ids); len(ids) == 0 {
		return nil, nil, nil
	}
	parents, err := s.store.StatusesByID(ctx, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("core: load parents: %w", err)
	}
	var authorIDs []int64
	for _, p := range parents {
		authorIDs = append(authorIDs, p.AccountID)
	}
	authors, err := s.store.AccountsByID(ctx, uniqueIDs(authorIDs))
	if err != nil {
		return nil, nil, fmt.Errorf("core: load parent authors: %w", err)
	}
	return parents, authors, nil
}

// NodeUsage is what NodeInfo reports of the instance's use.
type NodeUsage struct {
	// Users counts approved local users who are not suspended.
	Users int
	// ActiveMonth and ActiveHalfyear count those of them who signed in
	// within the last 30 and 180 days (by the day of their last sign-in,
	// the only trace of it kept).
	ActiveMonth    int
	ActiveHalfyear int
	// LocalPosts counts statuses written here.
	LocalPosts int
}

// Paging through users for NodeUsage: 40 a page (the store's maximum), and
// no further than maxUsagePages, beyond which the counts are lower bounds.
const (
	usagePageSize = 40
	maxUsagePages = 5000
)

// NodeUsage counts users, active users and local posts. It reads every
// user, so callers should cache the answer.
func (s *Service) NodeUsage(ctx context.Context) (*NodeUsage, error) {
	var u NodeUsage
	today := s.now().UTC()
	month := today.AddDate(0, 0, -30).Format("2006-01-02")
	halfyear := today.AddDate(0, 0, -180).Format("2006-01-02")
	p := store.Page{Limit: usagePageSize}
	for range maxUsagePages {
		users, err := s.store.Users(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("core: node usage: %w", err)
		}
		for _, usr := range users {
			if !usr.Approved || usr.DisabledAt != nil {
				continue
			}
			u.Users++
			if usr.LastSignInDay >= month {
				u.ActiveMonth++
			}
			if usr.LastSignInDay >= halfyear {
				u.ActiveHalfyear++
			}
		}
		if len(users) < usagePageSize {
			break
		}
		p.MaxID = users[len(users)-1].AccountID
	}
	n, err := s.store.CountLocalStatuses(ctx)
	if err != nil {
		return nil, fmt.Errorf("core: node usage: %w", err)
	}
	u.LocalPosts = n
	return &u, nil
}
