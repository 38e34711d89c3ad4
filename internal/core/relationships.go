package core

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Relationship limits.
const (
	MaxRelationshipIDs = 100
	MaxNoteCommentLen  = 2000
)

// FollowOptions are the follow parameters; nil keeps the current value
// (true for a new follow).
type FollowOptions struct {
	Reblogs *bool
	Notify  *bool
}

// target loads the account an action is aimed at; the caller's own account,
// a missing, suspended or unapproved one is model.ErrNotFound.
func (s *Service) target(ctx context.Context, me, id int64) (*model.Account, error) {
	if id == me {
		return nil, model.ErrNotFound
	}
	return s.Account(ctx, me, id)
}

// relationship returns me's relationship to id.
func (s *Service) relationship(ctx context.Context, me, id int64) (*model.Relationship, error) {
	rs, err := s.store.Relationships(ctx, me, []int64{id})
	if err != nil {
		return nil, fmt.Errorf("core: relationship: %w", err)
	}
	if len(rs) != 1 {
		return nil, fmt.Errorf("core: relationship: %w", model.ErrNotFound)
	}
	return rs[0], nil
}

// Follow follows an account, or asks to when it is locked or remote: the
// target is told with a follow or follow_request notification, and a
// remote follow stays a request until its server's Accept arrives, as on
// Mastodon. Following an account
// already followed (or requested) updates reblogs and notify. Following an
// account that blocks the caller, or that the caller blocks, is
// model.ErrForbidden; following oneself is model.ErrNotFound.
func (s *Service) Follow(ctx context.Context, a *Auth, targetID int64, o FollowOptions) (*model.Relationship, error) {
	me := a.ViewerID()
	t, err := s.target(ctx, me, targetID)
	if err != nil {
		return nil, err
	}
	if blocked, err := s.store.BlockedEither(ctx, me, t.ID); err != nil {
		return nil, fmt.Errorf("core: follow: %w", err)
	} else if blocked {
		return nil, fmt.Errorf("core: follow: blocked: %w", model.ErrForbidden)
	}
	f, err := s.store.Follow(ctx, me, t.ID)
	isNew := errors.Is(err, model.ErrNotFound)
	if err != nil && !isNew {
		return nil, fmt.Errorf("core: follow: %w", err)
	}
	var newID int64
	if isNew {
		now := s.now()
		newID = model.NewID(now)
		f = &model.Follow{ID: newID, AccountID: me, TargetID: t.ID, Reblogs: true, Pending: t.Locked || !t.Local(), CreatedAt: now}
	}
	if o.Reblogs != nil {
		f.Reblogs = *o.Reblogs
	}
	if o.Notify != nil {
		f.Notify = *o.Notify
	}
	if err := s.store.PutFollow(ctx, f); err != nil {
		return nil, fmt.Errorf("core: follow: %w", err)
	}
	// PutFollow returns the row's ID: another ID means a request sent twice
	// made the follow meanwhile, and told the target already.
	if isNew && f.ID == newID {
		typ := model.NotifyFollow
		if f.Pending {
			typ = model.NotifyFollowRequest
		}
		if err := s.tellFollowed(ctx, t.ID, me, typ); err != nil {
			return nil, err
		}
		s.publish(ctx, Event{Kind: EventFollowed, ActorID: me, TargetID: t.ID})
	}
	return s.relationship(ctx, me, t.ID)
}

// tellFollowed notifies a local account of a follow or follow request.
func (s *Service) tellFollowed(ctx context.Context, to, from int64, typ model.NotificationType) error {
	now := s.now()
	n := &model.Notification{ID: model.NewID(now), AccountID: to, FromID: from, Type: typ, CreatedAt: now}
	if err := s.store.CreateNotification(ctx, n); err != nil {
		return fmt.Errorf("core: notify %s: %w", typ, err)
	}
	return nil
}

// Unfollow stops following an account, or withdraws a follow request.
func (s *Service) Unfollow(ctx context.Context, a *Auth, targetID int64) (*model.Relationship, error) {
	me := a.ViewerID()
	t, err := s.target(ctx, me, targetID)
	if err != nil {
		return nil, err
	}
	s.publish(ctx, Event{Kind: EventUnfollowed, ActorID: me, TargetID: t.ID}) // before the follow row goes: the Undo names it
	if _, err := s.store.DeleteFollow(ctx, me, t.ID); err != nil {
		return nil, fmt.Errorf("core: unfollow: %w", err)
	}
	return s.relationship(ctx, me, t.ID)
}

// RemoveFromFollowers makes an account stop following the caller.
func (s *Service) RemoveFromFollowers(ctx context.Context, a *Auth, targetID int64) (*model.Relationship, error) {
	me := a.ViewerID()
	t, err := s.target(ctx, me, targetID)
	if err != nil {
		return nil, err
	}
	s.publish(ctx, Event{Kind: EventFollowRejected, ActorID: me, TargetID: t.ID}) // before the follow row goes
	if _, err := s.store.DeleteFollow(ctx, t.ID, me); err != nil {
		return nil, fmt.Errorf("core: remove from followers: %w", err)
	}
	return s.relationship(ctx, me, t.ID)
}

// Block blocks an account; follows both ways end, and a remote account's
// server is told of each (Reject, Undo) before the Block itself.
func (s *Service) Block(ctx context.Context, a *Auth, targetID int64) (*model.Relationship, error) {
	me := a.ViewerID()
	t, err := s.target(ctx, me, targetID)
	if err != nil {
		return nil, err
	}
	if err := s.endFollowsForBlock(ctx, me, t); err != nil { // before PutBlock deletes the follows
		return nil, err
	}
	if err := s.store.PutBlock(ctx, me, t.ID); err != nil {
		return nil, fmt.Errorf("core: block: %w", err)
	}
	s.publish(ctx, Event{Kind: EventBlocked, ActorID: me, TargetID: t.ID, RowID: s.blockRow(ctx, me, t.ID)})
	return s.relationship(ctx, me, t.ID)
}

// Unblock lifts a block.
func (s *Service) Unblock(ctx context.Context, a *Auth, targetID int64) (*model.Relationship, error) {
	me := a.ViewerID()
	t, err := s.target(ctx, me, targetID)
	if err != nil {
		return nil, err
	}
	row := s.blockRow(ctx, me, t.ID) // before the row goes: the Undo names the Block by it
	if err := s.store.DeleteBlock(ctx, me, t.ID); err != nil && !errors.Is(err, model.ErrNotFound) {
		return nil, fmt.Errorf("core: unblock: %w", err)
	}
	if row != 0 { // no block, nothing to undo, as in Mastodon
		s.publish(ctx, Event{Kind: EventUnblocked, ActorID: me, TargetID: t.ID, RowID: row})
	}
	return s.relationship(ctx, me, t.ID)
}

// Mute hides an account's statuses (and, with notifications, its
// notifications) from the caller, for duration or, when it is 0, until
// unmuted.
func (s *Service) Mute(ctx context.Context, a *Auth, targetID int64, notifications bool, duration time.Duration) (*model.Relationship, error) {
	if duration < 0 {
		return nil, fieldErr("duration", "ERR_INVALID", "must not be negative")
	}
	me := a.ViewerID()
	t, err := s.target(ctx, me, targetID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	m := &model.Mute{AccountID: me, TargetID: t.ID, Notifications: notifications, CreatedAt: now}
	if duration > 0 {
		until := now.Add(duration)
		m.ExpiresAt = &until
	}
	if err := s.store.PutMute(ctx, m); err != nil {
		return nil, fmt.Errorf("core: mute: %w", err)
	}
	return s.relationship(ctx, me, t.ID)
}

// Unmute lifts a mute.
func (s *Service) Unmute(ctx context.Context, a *Auth, targetID int64) (*model.Relationship, error) {
	me := a.ViewerID()
	t, err := s.target(ctx, me, targetID)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteMute(ctx, me, t.ID); err != nil && !errors.Is(err, model.ErrNotFound) {
		return nil, fmt.Errorf("core: unmute: %w", err)
	}
	return s.relationship(ctx, me, t.ID)
}

// SetNote saves the caller's private note on an account; "" removes it.
func (s *Service) SetNote(ctx context.Context, a *Auth, targetID int64, comment string) (*model.Relationship, error) {
	if utf8.RuneCountInString(comment) > MaxNoteCommentLen {
		return nil, tooLong("comment", MaxNoteCommentLen)
	}
	me := a.ViewerID()
	t, err := s.target(ctx, me, targetID)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetNote(ctx, me, t.ID, comment); err != nil {
		return nil, fmt.Errorf("core: note: %w", err)
	}
	return s.relationship(ctx, me, t.ID)
}

// Relationships returns the caller's relationships to the existing
// accounts among ids (suspended ones only withSuspended), in the order
// asked, without repeats; at most MaxRelationshipIDs are looked at.
func (s *Service) Relationships(ctx context.Context, a *Auth, ids []int64, withSuspended bool) ([]*model.Relationship, error) {
	ids = distinctIDs(ids, MaxRelationshipIDs)
	accts, err := s.store.AccountsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("core: relationships: %w", err)
	}
	keep := ids[:0]
	for _, id := range ids {
		if acct := accts[id]; acct != nil && (withSuspended || acct.SuspendedAt == nil || id == a.ViewerID()) {
			keep = append(keep, id)
		}
	}
	if len(keep) == 0 {
		return []*model.Relationship{}, nil
	}
	rs, err := s.store.Relationships(ctx, a.ViewerID(), keep)
	if err != nil {
		return nil, fmt.Errorf("core: relationships: %w", err)
	}
	return rs, nil
}

func distinctIDs(ids []int64, limit int) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, min(len(ids), limit))
	for _, id := range ids {
		if id > 0 && !seen[id] && len(out) < limit {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Followers lists the accounts following id, newest follow first. An
// account that blocks the viewer shows an empty list; in another's list,
// accounts the viewer blocks, mutes or is blocked by are left out.
func (s *Service) Followers(ctx context.Context, viewerID, id int64, p store.Page) (*Listing[*model.Account], error) {
	if hide, err := s.hideLists(ctx, viewerID, id); err != nil || hide {
		return &Listing[*model.Account]{Items: []*model.Account{}}, err
	}
	rows, err := s.store.Followers(ctx, id, p)
	if err != nil {
		return nil, fmt.Errorf("core: followers: %w", err)
	}
	return s.followList(ctx, viewerID, id, rows)
}

// Following lists the accounts id follows, newest follow first, as
// Followers does.
func (s *Service) Following(ctx context.Context, viewerID, id int64, p store.Page) (*Listing[*model.Account], error) {
	if hide, err := s.hideLists(ctx, viewerID, id); err != nil || hide {
		return &Listing[*model.Account]{Items: []*model.Account{}}, err
	}
	rows, err := s.store.Following(ctx, id, p)
	if err != nil {
		return nil, fmt.Errorf("core: following: %w", err)
	}
	return s.followList(ctx, viewerID, id, rows)
}

// followList shows one's own follow lists whole, and another's without the
// accounts the viewer has shut out.
func (s *Service) followList(ctx context.Context, viewerID, id int64, rows []store.Keyed[*model.Account]) (*Listing[*model.Account], error) {
	if viewerID == id {
		return accountPage(rows), nil
	}
	return s.accountListing(ctx, viewerID, rows)
}

// accountPage turns a page of keyed accounts into a Listing, leaving out
// suspended accounts but keeping the page's keys for paging links.
func accountPage(rows []store.Keyed[*model.Account]) *Listing[*model.Account] {
	l := &Listing[*model.Account]{Items: make([]*model.Account, 0, len(rows))}
	for _, r := range rows {
		if r.Value != nil && r.Value.SuspendedAt == nil {
			l.Items = append(l.Items, r.Value)
		}
	}
	if len(rows) > 0 {
		l.Newest, l.Oldest = rows[0].Key, rows[len(rows)-1].Key
	}
	return l
}

// hideLists checks id may be seen and reports whether its follow lists are
// hidden from viewerID because id blocks the viewer.
func (s *Service) hideLists(ctx context.Context, viewerID, id int64) (bool, error) {
	if _, err := s.Account(ctx, viewerID, id); err != nil {
		return false, err
	}
	if viewerID == 0 || viewerID == id {
		return false, nil
	}
	r, err := s.relationship(ctx, viewerID, id)
	if err != nil {
		return false, err
	}
	return r.BlockedBy, nil
}

// FollowRequests lists the accounts asking to follow the caller.
func (s *Service) FollowRequests(ctx context.Context, a *Auth, p store.Page) (*Listing[*model.Account], error) {
	rows, err := s.store.FollowRequests(ctx, a.ViewerID(), p)
	if err != nil {
		return nil, fmt.Errorf("core: follow requests: %w", err)
	}
	return accountPage(rows), nil
}

// AuthorizeFollowRequest accepts fromID's request to follow the caller.
func (s *Service) AuthorizeFollowRequest(ctx context.Context, a *Auth, fromID int64) (*model.Relationship, error) {
	me := a.ViewerID()
	if err := s.pendingRequest(ctx, fromID, me); err != nil {
		return nil, err
	}
	if err := s.store.AcceptFollow(ctx, fromID, me); err != nil {
		return nil, fmt.Errorf("core: authorize follow request: %w", err)
	}
	s.publish(ctx, Event{Kind: EventFollowAccepted, ActorID: me, TargetID: fromID})
	if err := s.dropRequestNotifications(ctx, me, fromID); err != nil {
		return nil, err
	}
	return s.relationship(ctx, me, fromID)
}

// RejectFollowRequest refuses fromID's request to follow the caller.
func (s *Service) RejectFollowRequest(ctx context.Context, a *Auth, fromID int64) (*model.Relationship, error) {
	me := a.ViewerID()
	if err := s.pendingRequest(ctx, fromID, me); err != nil {
		return nil, err
	}
	s.publish(ctx, Event{Kind: EventFollowRejected, ActorID: me, TargetID: fromID}) // before the request goes
	if _, err := s.store.DeleteFollow(ctx, fromID, me); err != nil {
		return nil, fmt.Errorf("core: reject follow request: %w", err)
	}
	if err := s.dropRequestNotifications(ctx, me, fromID); err != nil {
		return nil, err
	}
	return s.relationship(ctx, me, fromID)
}

// pendingRequest is nil when from has asked to follow to, else
// model.ErrNotFound.
func (s *Service) pendingRequest(ctx context.Context, from, to int64) error {
	f, err := s.store.Follow(ctx, from, to)
	if err != nil {
		return fmt.Errorf("core: follow request: %w", err)
	}
	if !f.Pending {
		return fmt.Errorf("core: follow request: %w", model.ErrNotFound)
	}
	return nil
}

// dropRequestNotifications dismisses the follow_request notifications a
// settled request left behind, as Mastodon removes them with the request.
func (s *Service) dropRequestNotifications(ctx context.Context, me, from int64) error {
	f := store.NotificationFilter{Types: []model.NotificationType{model.NotifyFollowRequest}, FromID: from}
	ns, err := s.store.Notifications(ctx, me, f, store.Page{Limit: 40})
	if err != nil {
		return fmt.Errorf("core: follow request notifications: %w", err)
	}
	for _, n := range ns {
		if err := s.store.DismissNotification(ctx, me, n.ID); err != nil && !errors.Is(err, model.ErrNotFound) {
			return fmt.Errorf("core: follow request notifications: %w", err)
		}
	}
	return nil
}

// Blocks lists the accounts the caller blocks.
func (s *Service) Blocks(ctx context.Context, a *Auth, p store.Page) (*Listing[*model.Account], error) {
	rows, err := s.store.Blocks(ctx, a.ViewerID(), p)
	if err != nil {
		return nil, fmt.Errorf("core: blocks: %w", err)
	}
	return accountPage(rows), nil
}

// Mutes lists the accounts the caller mutes.
func (s *Service) Mutes(ctx context.Context, a *Auth, p store.Page) (*Listing[*model.Account], error) {
	rows, err := s.store.Mutes(ctx, a.ViewerID(), p)
	if err != nil {
		return nil, fmt.Errorf("core: mutes: %w", err)
	}
	return accountPage(rows), nil
}
