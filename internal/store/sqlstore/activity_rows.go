package sqlstore

import "context"

// FavouriteID reads the favourite's row id (store.ActivityRows).
func (s *Store) FavouriteID(ctx context.Context, accountID, statusID int64) (int64, error) {
	var id int64
	err := s.conn().row(ctx, `SELECT id FROM favourites WHERE account_id = $1 AND status_id = $2`,
		accountID, statusID).Scan(&id)
	return id, s.fail("favourite id", err)
}

// BlockID reads the block's row id (store.ActivityRows).
func (s *Store) BlockID(ctx context.Context, accountID, targetID int64) (int64, error) {
	var id int64
	err := s.conn().row(ctx, `SELECT id FROM blocks WHERE account_id = $1 AND target_id = $2`,
		accountID, targetID).Scan(&id)
	return id, s.fail("block id", err)
}
