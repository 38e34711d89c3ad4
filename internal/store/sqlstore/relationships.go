package sqlstore

import (
	"context"
	"database/sql"

	"github.com/roost-social/roost/internal/model"
)

// Relationships reads follows both ways, blocks both ways, mutes and domain
// blocks in one query per chunk of targets, and notes in another. A note whose author's key was
// shredded reads as empty.
func (s *Store) Relationships(ctx context.Context, accountID int64, targetIDs []int64) ([]*model.Relationship, error) {
	byID := make(map[int64]*model.Relationship, len(targetIDs))
	for _, id := range targetIDs {
		byID[id] = &model.Relationship{ID: id}
	}
	for _, part := range chunks(targetIDs) {
		if err := s.readRelationships(ctx, accountID, part, byID); err != nil {
			return nil, s.fail("relationships", err)
		}
	}
	out := make([]*model.Relationship, len(targetIDs))
	for i, id := range targetIDs {
		out[i] = byID[id]
	}
	return out, nil
}

func (s *Store) readRelationships(ctx context.Context, me int64, ids []int64, byID map[int64]*model.Relationship) error {
	a := args{me, micros(s.now())}
	in := a.list(ids)
	q := `SELECT 'follow', account_id, target_id, reblogs, notify, pending FROM follows
			WHERE (account_id = $1 AND target_id IN (` + in + `)) OR (target_id = $1 AND account_id IN (` + in + `))
		UNION ALL SELECT 'block', account_id, target_id, FALSE, FALSE, FALSE FROM blocks
			WHERE (account_id = $1 AND target_id IN (` + in + `)) OR (target_id = $1 AND account_id IN (` + in + `))
		UNION ALL SELECT 'mute', account_id, target_id, notifications, FALSE, FALSE FROM mutes
			WHERE account_id = $1 AND target_id IN (` + in + `) AND (expires_at IS NULL OR expires_at > $2)
		UNION ALL SELECT 'domain', $1, id, FALSE, FALSE, FALSE FROM accounts
			WHERE id IN (` + in + `) AND id IN (` + domainBlockedBy + `)`
	rows, err := s.conn().query(ctx, q, a...)
	if err != nil {
		return err
	}
	if err := applyRelations(rows, me, byID); err != nil {
		return err
	}
	return s.readNotes(ctx, me, ids, byID)
}

func applyRelations(rows *sql.Rows, me int64, byID map[int64]*model.Relationship) error {
	defer rows.Close()
	for rows.Next() {
		var kind string
		var from, to int64
		var b1, b2, pending bool
		if err := rows.Scan(&kind, &from, &to, &b1, &b2, &pending); err != nil {
			return err
		}
		mine := from == me
		other := to
		if !mine {
			other = from
		}
		r := byID[other]
		if r == nil {
			continue
		}
		switch {
		case kind == "domain":
			r.DomainBlocking = true
		case kind == "follow" && mine:
			r.Following, r.Requested = !pending, pending
			r.ShowingReblogs, r.Notifying = b1 && !pending, b2 && !pending
		case kind == "follow":
			r.FollowedBy, r.RequestedBy = !pending, pending
		case kind == "block" && mine:
			r.Blocking = true
		case kind == "block":
			r.BlockedBy = true
		case kind == "mute":
			r.Muting, r.MutingNotifications = true, b1
		}
	}
	return rows.Err()
}

func (s *Store) readNotes(ctx context.Context, me int64, ids []int64, byID map[int64]*model.Relationship) error {
	a := args{me}
	rows, err := s.conn().query(ctx, `SELECT target_id, note FROM account_notes
		WHERE account_id = $1 AND target_id IN (`+a.list(ids)+`)`, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var target int64
		var ct []byte
		if err := rows.Scan(&target, &ct); err != nil {
			return err
		}
		c := s.cipher(ctx, me, "account_notes", target)
		note := c.openString("note", ct)
		if c.err != nil && !shredded(c.err) {
			return c.err
		}
		if r := byID[target]; r != nil {
			r.Note = note
		}
	}
	return rows.Err()
}
