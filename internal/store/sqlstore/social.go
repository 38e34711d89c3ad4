package sqlstore

import (
	"context"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// recountFollows recomputes both follow counters of accounts a and b from
// the follows table. Counting keeps every path (follow, accept, unfollow,
// block) correct without reasoning about the previous state.
func recountFollows(ctx context.Context, c conn, a, b int64) error {
	_, err := c.exec(ctx, `UPDATE accounts SET
		following_count = (SELECT COUNT(*) FROM follows f WHERE f.account_id = accounts.id AND f.pending = FALSE),
		followers_count = (SELECT COUNT(*) FROM follows f WHERE f.target_id = accounts.id AND f.pending = FALSE)
		WHERE id IN ($1, $2)`, a, b)
	return err
}

// PutFollow upserts on (AccountID, TargetID). An accepted follow stays
// accepted when updated with Pending set; f gets the stored ID, Pending and
// CreatedAt. An empty URI keeps the stored one.
func (s *Store) PutFollow(ctx context.Context, f *model.Follow) error {
	f.CreatedAt = s.orNow(f.CreatedAt)
	id := newID(f.ID, f.CreatedAt)
	err := s.tx(ctx, func(c conn) error {
		err := c.row(ctx, `INSERT INTO follows (id, account_id, target_id, reblogs, notify, pending, uri, created_at)
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
		return recountFollows(ctx, c, f.AccountID, f.TargetID)
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
		n, err := c.affected(ctx, `UPDATE follows SET pending = FALSE
			WHERE account_id = $1 AND target_id = $2 AND pending = TRUE`, accountID, targetID)
		if err = noRow(n, err); err != nil {
			return err
		}
		return recountFollows(ctx, c, accountID, targetID)
	})
	return s.fail("accept follow", err)
}

func (s *Store) DeleteFollow(ctx context.Context, accountID, targetID int64) (bool, error) {
	var removed bool
	err := s.tx(ctx, func(c conn) error {
		n, err := c.affected(ctx, `DELETE FROM follows WHERE account_id = $1 AND target_id = $2`, accountID, targetID)
		if err != nil || n == 0 {
			return err
		}
		removed = true
		return recountFollows(ctx, c, accountID, targetID)
	})
	return removed, s.fail("delete follow", err)
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
		if _, err := c.exec(ctx, `INSERT INTO blocks (id, account_id, target_id, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (account_id, target_id) DO NOTHING`, model.NewID(now), accountID, targetID, micros(now)); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM follows WHERE (account_id = $1 AND target_id = $2)
			OR (account_id = $2 AND target_id = $1)`, accountID, targetID); err != nil {
			return err
		}
		return recountFollows(ctx, c, accountID, targetID)
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
