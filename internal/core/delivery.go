package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// What the federation adapter reads and records to deliver activities:
// the statuses and accounts they are built from, at delivery time, where
// they go, and how each remote host has been answering. These read past
// visibility checks on purpose: they serve the author's own deliveries,
// never a request from outside.

// DeliveryStatus returns local status id as its author sees it, with the
// status it replies to, to build the Create, Update or Announce that
// carries it. A missing, deleted or remote status is model.ErrNotFound.
func (s *Service) DeliveryStatus(ctx context.Context, id int64) (*FederatedStatus, error) {
	st, err := s.store.Status(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: delivery status %d: %w", id, err)
	}
	if !st.Local || st.DeletedAt != nil {
		return nil, fmt.Errorf("core: delivery status %d: %w", id, model.ErrNotFound)
	}
	vs, err := s.views(ctx, st.AccountID, []*model.Status{st}, false)
	if err != nil {
		return nil, err
	}
	if len(vs) != 1 {
		return nil, fmt.Errorf("core: delivery status %d: %w", id, model.ErrNotFound)
	}
	parents, authors, err := s.parentsOf(ctx, vs)
	if err != nil {
		return nil, err
	}
	f := &FederatedStatus{StatusView: vs[0]}
	if p := parents[st.InReplyToID]; p != nil {
		f.Parent, f.ParentAccount = p, authors[p.AccountID]
	}
	return f, nil
}

// DeliveryAccount returns account id, local or remote, whatever its state:
// a suspended account still signs its own Undo and Delete.
func (s *Service) DeliveryAccount(ctx context.Context, id int64) (*model.Account, error) {
	a, err := s.store.Account(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: delivery account %d: %w", id, err)
	}
	return a, nil
}

// DeliveryFollow returns the follow (or request) of from to to, for the
// ids an Accept, Reject or Undo embeds.
func (s *Service) DeliveryFollow(ctx context.Context, from, to int64) (*model.Follow, error) {
	f, err := s.store.Follow(ctx, from, to)
	if err != nil {
		return nil, fmt.Errorf("core: delivery follow: %w", err)
	}
	return f, nil
}

// Inbox returns the personal inbox of remote account id; "" for a local
// account, which needs no delivery, a suspended one (by itself or with its
// domain), which gets none, or a remote one without an inbox.
func (s *Service) Inbox(ctx context.Context, id int64) (string, error) {
	a, err := s.store.Account(ctx, id)
	if err != nil {
		return "", fmt.Errorf("core: inbox %d: %w", id, err)
	}
	if a.Local() || a.SuspendedAt != nil {
		return "", nil
	}
	ra, err := s.store.RemoteActor(ctx, id)
	if err != nil {
		return "", fmt.Errorf("core: inbox %d: %w", id, err)
	}
	return ra.Inbox, nil
}

// FollowerInboxes returns where accountID's remote followers receive
// activities: shared inboxes where their servers have one, deduplicated.
func (s *Service) FollowerInboxes(ctx context.Context, accountID int64) ([]string, error) {
	boxes, err := s.store.FollowerInboxes(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("core: follower inboxes: %w", err)
	}
	return boxes, nil
}

// StatusInboxes returns the inboxes a status of authorID with visibility
// vis that mentions mentioned must reach: its author's followers' (shared)
// inboxes unless it is direct, and the personal inboxes of the remote
// accounts it mentions. A followers-only status therefore reaches a shared
// inbox only when a follower lives on that server, and a non-follower only
// through a mention of that very account, as on Mastodon.
func (s *Service) StatusInboxes(ctx context.Context, authorID int64, vis model.Visibility, mentioned []int64) ([]string, error) {
	var boxes []string
	if vis != model.VisibilityDirect {
		b, err := s.FollowerInboxes(ctx, authorID)
		if err != nil {
			return nil, err
		}
		boxes = b
	}
	for _, id := range uniqueIDs(mentioned) {
		box, err := s.Inbox(ctx, id)
		if err != nil && !errors.Is(err, model.ErrNotFound) {
			return nil, err
		}
		if box != "" {
			boxes = append(boxes, box)
		}
	}
	slices.Sort(boxes)
	return slices.Compact(boxes), nil
}

// MentionedIDs lists the accounts a status mentions.
func MentionedIDs(st *model.Status) []int64 {
	ids := make([]int64, 0, len(st.Mentions))
	for _, m := range st.Mentions {
		ids = append(ids, m.AccountID)
	}
	return ids
}

// DeletedStatusOf describes st for the Delete that will follow its removal.
func DeletedStatusOf(st *model.Status) *DeletedStatus {
	return &DeletedStatus{URI: st.URI, Visibility: string(st.Visibility), ReblogOf: st.ReblogOfID,
		Mentioned: MentionedIDs(st)}
}

// DeliveryHost returns how deliveries to host have been going.
func (s *Service) DeliveryHost(ctx context.Context, host string) (*store.DeliveryHost, error) {
	h, err := s.store.DeliveryHost(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("core: delivery host: %w", err)
	}
	return h, nil
}

// DeliveryFailed adds a failure to host's streak.
func (s *Service) DeliveryFailed(ctx context.Context, host string) error {
	if err := s.store.DeliveryFailed(ctx, host, s.now()); err != nil {
		return fmt.Errorf("core: delivery failed: %w", err)
	}
	return nil
}

// DeliverySucceeded ends host's failure streak.
func (s *Service) DeliverySucceeded(ctx context.Context, host string) error {
	if err := s.store.DeliverySucceeded(ctx, host); err != nil {
		return fmt.Errorf("core: delivery succeeded: %w", err)
	}
	return nil
}

// AddPendingCreates records Creates of statusID on their way to inboxes.
func (s *Service) AddPendingCreates(ctx context.Context, statusID int64, inboxes []string) error {
	if err := s.store.AddPendingCreates(ctx, statusID, inboxes); err != nil {
		return fmt.Errorf("core: pending creates: %w", err)
	}
	return nil
}

// RemovePendingCreate records that the Create of statusID to inbox is
// done with.
func (s *Service) RemovePendingCreate(ctx context.Context, statusID int64, inbox string) error {
	if err := s.store.RemovePendingCreate(ctx, statusID, inbox); err != nil {
		return fmt.Errorf("core: pending create: %w", err)
	}
	return nil
}

// RemovePendingCreates records that the Creates of statusID to inboxes
// are done with, in one write.
func (s *Service) RemovePendingCreates(ctx context.Context, statusID int64, inboxes []string) error {
	if err := s.store.RemovePendingCreates(ctx, statusID, inboxes); err != nil {
		return fmt.Errorf("core: pending creates: %w", err)
	}
	return nil
}

// PendingCreateSince returns when the Create of statusID to inbox was
// queued, or the zero time when it is not pending.
func (s *Service) PendingCreateSince(ctx context.Context, statusID int64, inbox string) (time.Time, error) {
	t, err := s.store.PendingCreateSince(ctx, statusID, inbox)
	if err != nil {
		return time.Time{}, fmt.Errorf("core: pending create: %w", err)
	}
	return t, nil
}

// DeliveryTarget returns status id, local or remote, as stored: the status
// a like or boost concerns, whose author hears of it.
func (s *Service) DeliveryTarget(ctx context.Context, id int64) (*model.Status, error) {
	st, err := s.store.Status(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("core: delivery target %d: %w", id, err)
	}
	return st, nil
}
