package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Follow counters change by what each transaction changed in follows: a
// follow accepted or made adds one to its follower's following_count and
// its target's followers_count, one taken away takes one off. Every change
// to the follows between two accounts first locks both accounts' rows (with
// row locks), so that transactions changing the same follow take turns and
// each reads the follow as the one before left it.

// lockPair locks the rows of accounts a and b for a change to the follows
// between them.
func lockPair(ctx context.Context, c conn, a, b int64) error {
	return c.lock(ctx, "accounts", forNoKeyUpdate, a, b)
}

// countFollow adds delta to follower's following_count and target's
// followers_count.
func countFollow(ctx context.Context, c conn, follower, target int64, delta int) error {
	if delta == 0 {
		return nil
	}
	_, err := c.exec(ctx, `UPDATE accounts SET
		following_count = following_count + CASE WHEN id = $1 THEN $3 ELSE 0 END,
		followers_count = followers_count + CASE WHEN id = $2 THEN $3 ELSE 0 END
		WHERE id IN ($1, $2)`, follower, target, delta)
	return err
}

// accepted is whether a follow counts: 1 for an accepted one, else 0.
func accepted(exists, pending bool) int {
	if exists && !pending {
		return 1
	}
	return 0
}

// PutFollow upserts on (AccountID, TargetID). An accepted follow stays
// accepted when updated with Pending set; f gets the stored ID, Pending and
// CreatedAt. An empty URI keeps the stored one.
func (s *Store) PutFollow(ctx context.Context, f *model.Follow) error {
	f.CreatedAt = s.orNow(f.CreatedAt)
	id := newID(f.ID, f.CreatedAt)
	err := s.tx(ctx, func(c conn) error {
		if err := lockPair(ctx, c, f.AccountID, f.TargetID); err != nil {
			return err
		}
		var was bool
		err := c.row(ctx, `SELECT pending FROM follows WHERE account_id = $1 AND target_id = $2`,
			f.AccountID, f.TargetID).Scan(&was)
		existed := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		err = c.row(ctx, `INSERT INTO follows (id, account_id, target_id, reblogs, notify, pending, uri, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (account_id, target_id) DO UPDATE SET reblogs = excluded.reblogs,
				notify = excluded.notify, pending = follows.pending AND excluded.pending,
				uri = CASE WHEN excluded.uri = '' THEN follows.uri ELSE excluded.uri END
			RETURNING id, pending, created_at`,
			id, f.AccountID, f.TargetID, f.Reblogs, f.Notify, f.Pending, f.URI, micros(f.CreatedAt)).
			Scan(&f.ID, &f.Pending, timeCol{&f.CreatedAt})
		if err != nil {
			return err
		}
		return countFollow(ctx, c, f.AccountID, f.TargetID, accepted(true, f.Pending)-accepted(existed, was))
	})
	return s.fail("put follow", err)
}

const followCols = `id, account_id, target_id, reblogs, notify, pending, uri, created_at`

func (s *Store) Follow(ctx context.Context, accountID, targetID int64) (*model.Follow, error) {
	var f model.Follow
	err := s.conn().row(ctx, `SELECT `+followCols+` FROM follows WHERE account_id = $1 AND target_id = $2`,
		accountID, targetID).
		Scan(&f.ID, &f.AccountID, &f.TargetID, &f.Reblogs, &f.Notify, &f.Pending, &f.URI, timeCol{&f.CreatedAt})
	if err != nil {
		return nil, s.fail("follow", err)
	}
	return &f, nil
}

// AcceptFollow fails with model.ErrNotFound unless a request is pending.
func (s *Store) AcceptFollow(ctx context.Context, accountID, targetID int64) error {
	err := s.tx(ctx, func(c conn) error {
		if err := lockPair(ctx, c, accountID, targetID); err != nil {
			return err
		}
		n, err := c.affected(ctx, `UPDATE follows SET pending = FALSE
			WHERE account_id = $1 AND target_id = $2 AND pending = TRUE`, accountID, targetID)
		if err = noRow(n, err); err != nil {
			return err
		}
		return countFollow(ctx, c, accountID, targetID, 1)
	})
	return s.fail("accept follow", err)
}

func (s *Store) DeleteFollow(ctx context.Context, accountID, targetID int64) (bool, error) {
	var removed bool
	err := s.tx(ctx, func(c conn) error {
		if err := lockPair(ctx, c, accountID, targetID); err != nil {
			return err
		}
		n, err := deleteFollows(ctx, c, `DELETE FROM follows WHERE account_id = $1 AND target_id = $2`, accountID, targetID)
		removed = n > 0
		return err
	})
	return removed, s.fail("delete follow", err)
}

// deleteFollows runs a DELETE on follows, takes the accepted follows it
// deleted off the counters and says how many rows it deleted.
func deleteFollows(ctx context.Context, c conn, query string, args ...any) (int, error) {
	type gone struct {
		account, target int64
		pending         bool
	}
	rows, err := c.query(ctx, query+` RETURNING account_id, target_id, pending`, args...)
	list, err := collect(rows, err, func(r rowScanner) (gone, error) {
		var g gone
		err := r.Scan(&g.account, &g.target, &g.pending)
		return g, err
	})
	if err != nil {
		return 0, err
	}
	for _, g := range list {
		if err := countFollow(ctx, c, g.account, g.target, -accepted(true, g.pending)); err != nil {
			return 0, err
		}
	}
	return len(list), nil
}

// followList lists the accounts on one side of follows, keyed by follow ID:
// side is the column joined to the account, match the column equal to id.
func (s *Store) followList(ctx context.Context, op, side, match string, pending bool, id int64, p store.Page) ([]store.Keyed[*model.Account], error) {
	a := args{id, pending}
	where, tail, rev := paging(&a, "f.id", p)
	q := `SELECT f.id, ` + accountCols + ` FROM follows f JOIN accounts a ON a.id = f.` + side + `
		WHERE f.` + match + ` = $1 AND f.pending = $2` + where + tail
	out, err := s.keyedAccounts(ctx, q, a, rev)
	return out, s.fail(op, err)
}

func (s *Store) Followers(ctx context.Context, targetID int64, p store.Page) ([]store.Keyed[*model.Account], error) {
	return s.followList(ctx, "followers", "account_id", "target_id", false, targetID, p)
}

func (s *Store) Following(ctx context.Context, accountID int64, p store.Page) ([]store.Keyed[*model.Account], error) {
	return s.followList(ctx, "following", "target_id", "account_id", false, accountID, p)
}

func (s *Store) FollowRequests(ctx context.Context, targetID int64, p store.Page) ([]store.Keyed[*model.Account], error) {
	return s.followList(ctx, "follow requests", "account_id", "target_id", true, targetID, p)
}

func (s *Store) FollowerIDs(ctx context.Context, targetID int64) ([]int64, error) {
	ids, err := scanIDs(s.conn().query(ctx, `SELECT account_id FROM follows
		WHERE target_id = $1 AND pending = FALSE ORDER BY id`, targetID))
	return ids, s.fail("follower ids", err)
}

// FollowerIDsAfter reads the follows_target_account index.
func (s *Store) FollowerIDsAfter(ctx context.Context, targetID, after int64, limit int) ([]int64, error) {
	if limit <= 0 {
		return nil, nil
	}
	ids, err := scanIDs(s.conn().query(ctx, `SELECT account_id FROM follows
		WHERE target_id = $1 AND pending = FALSE AND account_id > $2 ORDER BY account_id LIMIT $3`, targetID, after, limit))
	return ids, s.fail("follower ids after", err)
}

// NotifyingFollowerIDs reads the follows_notify index, which holds only
// accepted follows with notify on, so that it costs what it returns however
// many followers the target has.
func (s *Store) NotifyingFollowerIDs(ctx context.Context, targetID int64) ([]int64, error) {
	ids, err := scanIDs(s.conn().query(ctx, `SELECT account_id FROM follows
		WHERE target_id = $1 AND notify = TRUE AND pending = FALSE ORDER BY account_id`, targetID))
	return ids, s.fail("notifying follower ids", err)
}

// PutBlock is idempotent and removes follows and requests both ways.
func (s *Store) PutBlock(ctx context.Context, accountID, targetID int64) error {
	now := s.now().UTC()
	err := s.tx(ctx, func(c conn) error {
		if err := lockPair(ctx, c, accountID, targetID); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `INSERT INTO blocks (id, account_id, target_id, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (account_id, target_id) DO NOTHING`, model.NewID(now), accountID, targetID, micros(now)); err != nil {
			return err
		}
		_, err := deleteFollows(ctx, c, `DELETE FROM follows WHERE (account_id = $1 AND target_id = $2)
			OR (account_id = $2 AND target_id = $1)`, accountID, targetID)
		return err
	})
	return s.fail("put block", err)
}

// DeleteBlock removing nothing is not an error.
func (s *Store) DeleteBlock(ctx context.Context, accountID, targetID int64) error {
	_, err := s.conn().exec(ctx, `DELETE FROM blocks WHERE account_id = $1 AND target_id = $2`, accountID, targetID)
	return s.fail("delete block", err)
}

func (s *Store) Blocks(ctx context.Context, accountID int64, p store.Page) ([]store.Keyed[*model.Account], error) {
	a := args{accountID}
	where, tail, rev := paging(&a, "b.id", p)
	q := `SELECT b.id, ` + accountCols + ` FROM blocks b JOIN accounts a ON a.id = b.target_id
		WHERE b.account_id = $1` + where + tail
	out, err := s.keyedAccounts(ctx, q, a, rev)
	return out, s.fail("blocks", err)
}

func (s *Store) BlockedEither(ctx context.Context, a, b int64) (bool, error) {
	var n int
	err := s.conn().row(ctx, `SELECT COUNT(*) FROM blocks WHERE (account_id = $1 AND target_id = $2)
		OR (account_id = $2 AND target_id = $1)`, a, b).Scan(&n)
	return n > 0, s.fail("blocked either", err)
}

// PutMute creates or updates a mute.
func (s *Store) PutMute(ctx context.Context, m *model.Mute) error {
	m.CreatedAt = s.orNow(m.CreatedAt)
	_, err := s.conn().exec(ctx, `INSERT INTO mutes (id, account_id, target_id, notifications, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, target_id)
		DO UPDATE SET notifications = excluded.notifications, expires_at = excluded.expires_at`,
		model.NewID(m.CreatedAt), m.AccountID, m.TargetID, m.Notifications, nullMicros(m.ExpiresAt), micros(m.CreatedAt))
	return s.fail("put mute", err)
}

// DeleteMute removing nothing is not an error.
func (s *Store) DeleteMute(ctx context.Context, accountID, targetID int64) error {
	_, err := s.conn().exec(ctx, `DELETE FROM mutes WHERE account_id = $1 AND target_id = $2`, accountID, targetID)
	return s.fail("delete mute", err)
}

// Mutes lists the mutes that have not expired.
func (s *Store) Mutes(ctx context.Context, accountID int64, p store.Page) ([]store.Keyed[*model.Account], error) {
	a := args{accountID, micros(s.now())}
	where, tail, rev := paging(&a, "m.id", p)
	q := `SELECT m.id, ` + accountCols + ` FROM mutes m JOIN accounts a ON a.id = m.target_id
		WHERE m.account_id = $1 AND (m.expires_at IS NULL OR m.expires_at > $2)` + where + tail
	out, err := s.keyedAccounts(ctx, q, a, rev)
	return out, s.fail("mutes", err)
}

// SetNote stores a private note sealed under its author's key; an empty
// note deletes it.
func (s *Store) SetNote(ctx context.Context, accountID, targetID int64, note string) error {
	if note == "" {
		_, err := s.conn().exec(ctx, `DELETE FROM account_notes WHERE account_id = $1 AND target_id = $2`, accountID, targetID)
		return s.fail("set note", err)
	}
	c := s.cipher(ctx, accountID, "account_notes", targetID)
	ct := c.sealString("note", note)
	if c.err != nil {
		return s.fail("set note", c.err)
	}
	_, err := s.conn().exec(ctx, `INSERT INTO account_notes (account_id, target_id, note) VALUES ($1, $2, $3)
		ON CONFLICT (account_id, target_id) DO UPDATE SET note = excluded.note`, accountID, targetID, ct)
	return s.fail("set note", err)
}
