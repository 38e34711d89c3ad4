package sqlstore

import (
	"context"
	"crypto/sha256"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// statusExists fails with sql.ErrNoRows when status id is missing.
func statusExists(ctx context.Context, c conn, id int64) error {
	_, err := statusAuthor(ctx, c, id)
	return err
}

// AddFavourite counts the favourite only when it is new.
func (s *Store) AddFavourite(ctx context.Context, accountID, statusID int64) (bool, error) {
	var created bool
	err := s.tx(ctx, func(c conn) error {
		n, err := s.insertMark(ctx, c, "favourites", accountID, statusID)
		if err != nil || n == 0 {
			return err
		}
		created = true
		_, err = c.exec(ctx, `UPDATE statuses SET favourites_count = favourites_count + 1 WHERE id = $1`, statusID)
		return err
	})
	return created, s.fail("add favourite", err)
}

// insertMark adds an (account, status) row to favourites, bookmarks or pins
// unless it is there, and says how many rows it added.
func (s *Store) insertMark(ctx context.Context, c conn, table string, accountID, statusID int64) (int64, error) {
	if err := statusExists(ctx, c, statusID); err != nil {
		return 0, err
	}
	now := s.now().UTC()
	return c.affected(ctx, `INSERT INTO `+table+` (id, account_id, status_id, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, status_id) DO NOTHING`,
		model.NewID(now), accountID, statusID, micros(now))
}

func (s *Store) RemoveFavourite(ctx context.Context, accountID, statusID int64) (bool, error) {
	var removed bool
	err := s.tx(ctx, func(c conn) error {
		n, err := c.affected(ctx, `DELETE FROM favourites WHERE account_id = $1 AND status_id = $2`, accountID, statusID)
		if err != nil || n == 0 {
			return err
		}
		removed = true
		_, err = c.exec(ctx, `UPDATE statuses SET favourites_count = favourites_count - 1 WHERE id = $1`, statusID)
		return err
	})
	return removed, s.fail("remove favourite", err)
}

// markedStatuses lists an account's favourites or bookmarks, keyed by the
// mark's row ID.
func (s *Store) markedStatuses(ctx context.Context, table string, accountID int64, p store.Page) ([]store.Keyed[*model.Status], error) {
	a := args{accountID}
	where, tail, rev := paging(&a, "m.id", p)
	q := `SELECT m.id, ` + statusCols + ` FROM ` + table + ` m JOIN statuses s ON s.id = m.status_id
		WHERE m.account_id = $1` + where + tail
	rows, err := s.conn().query(ctx, q, a...)
	out, err := collect(rows, err, func(r rowScanner) (store.Keyed[*model.Status], error) {
		var k store.Keyed[*model.Status]
		st, err := s.scanStatus(ctx, r, &k.Key)
		k.Value = st
		return k, err
	})
	if rev {
		reverse(out)
	}
	return out, s.fail(table, err)
}

func (s *Store) Favourites(ctx context.Context, accountID int64, p store.Page) ([]store.Keyed[*model.Status], error) {
	return s.markedStatuses(ctx, "favourites", accountID, p)
}

func (s *Store) FavouritedBy(ctx context.Context, statusID int64, p store.Page) ([]store.Keyed[*model.Account], error) {
	a := args{statusID}
	where, tail, rev := paging(&a, "f.id", p)
	q := `SELECT f.id, ` + accountCols + ` FROM favourites f JOIN accounts a ON a.id = f.account_id
		WHERE f.status_id = $1` + where + tail
	out, err := s.keyedAccounts(ctx, q, a, rev)
	return out, s.fail("favourited by", err)
}

// RebloggedBy is keyed by the boosts' status IDs.
func (s *Store) RebloggedBy(ctx context.Context, statusID int64, p store.Page) ([]store.Keyed[*model.Account], error) {
	a := args{statusID}
	where, tail, rev := paging(&a, "s.id", p)
	q := `SELECT s.id, ` + accountCols + ` FROM statuses s JOIN accounts a ON a.id = s.account_id
		WHERE s.reblog_of_id = $1` + where + tail
	out, err := s.keyedAccounts(ctx, q, a, rev)
	return out, s.fail("reblogged by", err)
}

// AddBookmark is idempotent.
func (s *Store) AddBookmark(ctx context.Context, accountID, statusID int64) error {
	_, err := s.insertMark(ctx, s.conn(), "bookmarks", accountID, statusID)
	return s.fail("add bookmark", err)
}

// RemoveBookmark removing nothing is not an error.
func (s *Store) RemoveBookmark(ctx context.Context, accountID, statusID int64) error {
	_, err := s.conn().exec(ctx, `DELETE FROM bookmarks WHERE account_id = $1 AND status_id = $2`, accountID, statusID)
	return s.fail("remove bookmark", err)
}

func (s *Store) Bookmarks(ctx context.Context, accountID int64, p store.Page) ([]store.Keyed[*model.Status], error) {
	return s.markedStatuses(ctx, "bookmarks", accountID, p)
}

// AddPin is idempotent; the core checks ownership and the pin limit.
func (s *Store) AddPin(ctx context.Context, accountID, statusID int64) error {
	_, err := s.insertMark(ctx, s.conn(), "pins", accountID, statusID)
	return s.fail("add pin", err)
}

// RemovePin removing nothing is not an error.
func (s *Store) RemovePin(ctx context.Context, accountID, statusID int64) error {
	_, err := s.conn().exec(ctx, `DELETE FROM pins WHERE account_id = $1 AND status_id = $2`, accountID, statusID)
	return s.fail("remove pin", err)
}

func (s *Store) CountPins(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := s.conn().row(ctx, `SELECT COUNT(*) FROM pins WHERE account_id = $1`, accountID).Scan(&n)
	return n, s.fail("count pins", err)
}

// StatusFlags reads all four marks in one query. Muted (conversation mutes)
// is not stored yet and is always false.
func (s *Store) StatusFlags(ctx context.Context, viewerID int64, statusIDs []int64) (map[int64]model.StatusFlags, error) {
	out := make(map[int64]model.StatusFlags, len(statusIDs))
	for _, part := range chunks(statusIDs) {
		a := args{viewerID}
		in := a.list(part)
		q := `SELECT 'f', status_id FROM favourites WHERE account_id = $1 AND status_id IN (` + in + `)
			UNION ALL SELECT 'r', reblog_of_id FROM statuses WHERE account_id = $1 AND reblog_of_id IN (` + in + `)
			UNION ALL SELECT 'b', status_id FROM bookmarks WHERE account_id = $1 AND status_id IN (` + in + `)
			UNION ALL SELECT 'p', status_id FROM pins WHERE account_id = $1 AND status_id IN (` + in + `)`
		if err := s.readFlags(ctx, q, a, out); err != nil {
			return nil, s.fail("status flags", err)
		}
	}
	return out, nil
}

func (s *Store) readFlags(ctx context.Context, q string, a args, out map[int64]model.StatusFlags) error {
	rows, err := s.conn().query(ctx, q, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var id int64
		if err := rows.Scan(&kind, &id); err != nil {
			return err
		}
		f := out[id]
		switch kind {
		case "f":
			f.Favourited = true
		case "r":
			f.Reblogged = true
		case "b":
			f.Bookmarked = true
		case "p":
			f.Pinned = true
		}
		out[id] = f
	}
	return rows.Err()
}

// idempotencyHash keeps clients' Idempotency-Key values out of the database.
func idempotencyHash(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

func (s *Store) RememberIdempotency(ctx context.Context, accountID int64, key string, statusID int64, expires time.Time) error {
	_, err := s.conn().exec(ctx, `INSERT INTO idempotency_keys (account_id, key_hash, status_id, expires_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, key_hash)
		DO UPDATE SET status_id = excluded.status_id, expires_at = excluded.expires_at`,
		accountID, idempotencyHash(key), statusID, micros(expires))
	return s.fail("remember idempotency key", err)
}

// IdempotentStatus is model.ErrNotFound for an unknown or expired key.
func (s *Store) IdempotentStatus(ctx context.Context, accountID int64, key string, now time.Time) (int64, error) {
	var id int64
	err := s.conn().row(ctx, `SELECT status_id FROM idempotency_keys
		WHERE account_id = $1 AND key_hash = $2 AND expires_at > $3`,
		accountID, idempotencyHash(key), micros(now)).Scan(&id)
	return id, s.fail("idempotent status", err)
}
