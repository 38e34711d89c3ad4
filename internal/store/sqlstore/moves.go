package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Aliases (alsoKnownAs) and moves are public, published in actor
// documents, and are stored in clear in account_aliases and account_moves.

// SetAliases replaces the aliases in one transaction.
func (s *Store) SetAliases(ctx context.Context, accountID int64, uris []string) error {
	err := s.tx(ctx, func(c conn) error {
		var id int64
		if err := c.row(ctx, `SELECT id FROM accounts WHERE id = $1`, accountID).Scan(&id); err != nil {
			return err
		}
		return putAliases(ctx, c, accountID, uris)
	})
	return s.fail(opID("set aliases", accountID), err)
}

// putAliases rewrites accountID's aliases inside a transaction.
func putAliases(ctx context.Context, c conn, accountID int64, uris []string) error {
	if _, err := c.exec(ctx, `DELETE FROM account_aliases WHERE account_id = $1`, accountID); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, u := range uris {
		if u == "" || seen[u] || len(seen) == store.MaxAliases {
			continue
		}
		seen[u] = true
		if _, err := c.exec(ctx, `INSERT INTO account_aliases (account_id, position, uri) VALUES ($1, $2, $3)`,
			accountID, len(seen), u); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) Aliases(ctx context.Context, accountID int64) ([]string, error) {
	rows, err := s.conn().query(ctx, `SELECT uri FROM account_aliases WHERE account_id = $1 ORDER BY position`, accountID)
	out, err := collect(rows, err, func(r rowScanner) (string, error) {
		var u string
		return u, r.Scan(&u)
	})
	if out == nil {
		out = []string{}
	}
	return out, s.fail(opID("aliases", accountID), err)
}

func (s *Store) SetMove(ctx context.Context, m *store.AccountMove) error {
	if m.AccountID == m.TargetID {
		return s.fail("set move", model.Invalid("an account cannot move to itself"))
	}
	if m.TargetID == 0 && m.TargetURI == "" {
		return s.fail("set move", model.Invalid("a move needs a target"))
	}
	m.MovedAt = s.orNow(m.MovedAt)
	_, err := s.conn().exec(ctx, `INSERT INTO account_moves (account_id, target_id, target_uri, moved_at)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id) DO UPDATE SET target_id = excluded.target_id,
		target_uri = excluded.target_uri, moved_at = excluded.moved_at`,
		m.AccountID, nullID(m.TargetID), m.TargetURI, micros(m.MovedAt))
	return s.fail(opID("set move", m.AccountID), err)
}

func (s *Store) Move(ctx context.Context, accountID int64) (*store.AccountMove, error) {
	m := store.AccountMove{AccountID: accountID}
	err := s.conn().row(ctx, `SELECT target_id, target_uri, moved_at FROM account_moves WHERE account_id = $1`,
		accountID).Scan(idCol{&m.TargetID}, &m.TargetURI, timeCol{&m.MovedAt})
	if err != nil {
		return nil, s.fail(opID("move", accountID), err)
	}
	return &m, nil
}

func (s *Store) DeleteMove(ctx context.Context, accountID int64) error {
	_, err := s.conn().exec(ctx, `DELETE FROM account_moves WHERE account_id = $1`, accountID)
	return s.fail(opID("delete move", accountID), err)
}

// putRemoteMoves stores a remote actor's alsoKnownAs and movedTo, inside
// PutRemoteActor's transaction, when the document's were read (m not
// nil): the aliases are replaced; a movedTo is
// recorded (keeping the time it was first seen while it stays the same)
// with the target's account when known, and its absence forgets a move.
// Moves of others that named this actor by id alone get its account.
func putRemoteMoves(ctx context.Context, c conn, id int64, m *store.ActorMoves, uri string, now int64) error {
	if _, err := c.exec(ctx, `UPDATE account_moves SET target_id = $1
		WHERE target_uri = $2 AND target_uri <> '' AND target_id IS NULL AND account_id <> $1`,
		id, uri); err != nil {
		return err
	}
	if m == nil {
		return nil
	}
	if err := putAliases(ctx, c, id, m.AlsoKnownAs); err != nil {
		return err
	}
	if m.MovedTo == "" || m.MovedTo == uri {
		_, err := c.exec(ctx, `DELETE FROM account_moves WHERE account_id = $1`, id)
		return err
	}
	var old string
	err := c.row(ctx, `SELECT target_uri FROM account_moves WHERE account_id = $1`, id).Scan(&old)
	if err == nil && old == m.MovedTo {
		_, err = c.exec(ctx, `UPDATE account_moves SET target_id = (SELECT id FROM accounts WHERE uri = $2 AND uri <> '')
			WHERE account_id = $1 AND target_id IS NULL`, id, m.MovedTo)
		return err
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO account_moves (account_id, target_id, target_uri, moved_at)
		VALUES ($1, (SELECT id FROM accounts WHERE uri = $2 AND uri <> '' AND id <> $1), $2, $3)
		ON CONFLICT (account_id) DO UPDATE SET target_id = excluded.target_id,
		target_uri = excluded.target_uri, moved_at = excluded.moved_at`,
		id, m.MovedTo, now)
	return err
}
