package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/roost-social/roost/internal/store"
)

// Delivery bookkeeping: remote followers' inboxes, per-host failure
// streaks and the Creates still on their way. All of it is public data
// (inbox URLs, host names) in clear.

// FollowerInboxes joins accepted follows to the followers' actor details.
func (s *Store) FollowerInboxes(ctx context.Context, accountID int64) ([]string, error) {
	rows, err := s.conn().query(ctx, `SELECT DISTINCT CASE WHEN r.shared_inbox <> '' THEN r.shared_inbox ELSE r.inbox END AS box
		FROM follows f JOIN remote_actors r ON r.account_id = f.account_id
		JOIN accounts a ON a.id = f.account_id
		WHERE f.target_id = $1 AND f.pending = FALSE AND a.suspended_at IS NULL AND r.inbox <> ''
		ORDER BY box`, accountID)
	out, err := collect(rows, err, func(r rowScanner) (string, error) {
		var box string
		err := r.Scan(&box)
		return box, err
	})
	return out, s.fail("follower inboxes", err)
}

// DeliveryHost reads host's failure streak.
func (s *Store) DeliveryHost(ctx context.Context, host string) (*store.DeliveryHost, error) {
	h := &store.DeliveryHost{Host: strings.ToLower(host)}
	var since, last int64
	err := s.conn().row(ctx, `SELECT failures, failing_since, last_attempt FROM delivery_hosts WHERE host = $1`,
		h.Host).Scan(&h.Failures, &since, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil
	}
	if err != nil {
		return nil, s.fail("delivery host", err)
	}
	h.FailingSince, h.LastAttempt = fromMicros(since), fromMicros(last)
	return h, nil
}

// DeliveryFailed starts or extends host's streak.
func (s *Store) DeliveryFailed(ctx context.Context, host string, at time.Time) error {
	_, err := s.conn().exec(ctx, `INSERT INTO delivery_hosts (host, failures, failing_since, last_attempt)
		VALUES ($1, 1, $2, $2) ON CONFLICT (host) DO UPDATE SET
		failures = delivery_hosts.failures + 1, last_attempt = excluded.last_attempt`,
		strings.ToLower(host), micros(at))
	return s.fail("delivery failed", err)
}

// DeliverySucceeded forgets host's streak.
func (s *Store) DeliverySucceeded(ctx context.Context, host string) error {
	_, err := s.conn().exec(ctx, `DELETE FROM delivery_hosts WHERE host = $1`, strings.ToLower(host))
	return s.fail("delivery succeeded", err)
}

// AddPendingCreates inserts in one transaction.
func (s *Store) AddPendingCreates(ctx context.Context, statusID int64, inboxes []string) error {
	now := micros(s.now())
	err := s.tx(ctx, func(c conn) error {
		for _, box := range inboxes {
			if _, err := c.exec(ctx, `INSERT INTO pending_creates (status_id, inbox, created_at) VALUES ($1, $2, $3)
				ON CONFLICT (status_id, inbox) DO NOTHING`, statusID, box, now); err != nil {
				return err
			}
		}
		return nil
	})
	return s.fail("add pending creates", err)
}

// RemovePendingCreate deletes one row.
func (s *Store) RemovePendingCreate(ctx context.Context, statusID int64, inbox string) error {
	_, err := s.conn().exec(ctx, `DELETE FROM pending_creates WHERE status_id = $1 AND inbox = $2`, statusID, inbox)
	return s.fail("remove pending create", err)
}

// RemovePendingCreates deletes the rows in one transaction: one commit
// (and, on SQLite, one turn of the write lock) for the lot.
func (s *Store) RemovePendingCreates(ctx context.Context, statusID int64, inboxes []string) error {
	if len(inboxes) == 0 {
		return nil
	}
	err := s.tx(ctx, func(c conn) error {
		for _, box := range inboxes {
			if _, err := c.exec(ctx, `DELETE FROM pending_creates WHERE status_id = $1 AND inbox = $2`,
				statusID, box); err != nil {
				return err
			}
		}
		return nil
	})
	return s.fail("remove pending creates", err)
}

// PendingCreateSince reads one row.
func (s *Store) PendingCreateSince(ctx context.Context, statusID int64, inbox string) (time.Time, error) {
	var at int64
	err := s.conn().row(ctx, `SELECT created_at FROM pending_creates WHERE status_id = $1 AND inbox = $2`,
		statusID, inbox).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, s.fail("pending create", err)
	}
	return fromMicros(at), nil
}
