package sqlstore

import (
	"context"
	"time"
)

// StaleRemoteActors walks remote_actors on its primary key; the follow
// checks use the follows_account and follows_target indexes.
func (s *Store) StaleRemoteActors(ctx context.Context, before time.Time, afterID int64, limit int) ([]int64, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.conn().query(ctx, `SELECT r.account_id FROM remote_actors r
		JOIN accounts a ON a.id = r.account_id
		WHERE r.account_id > $1 AND r.fetched_at < $2 AND a.suspended_at IS NULL
		AND (EXISTS (SELECT 1 FROM follows f JOIN accounts l ON l.id = f.target_id
				WHERE f.account_id = r.account_id AND l.domain = '')
			OR EXISTS (SELECT 1 FROM follows f JOIN accounts l ON l.id = f.account_id
				WHERE f.target_id = r.account_id AND l.domain = ''))
		ORDER BY r.account_id LIMIT $3`, afterID, micros(before), limit)
	out, err := collect(rows, err, func(r rowScanner) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	})
	return out, s.fail("stale remote actors", err)
}
