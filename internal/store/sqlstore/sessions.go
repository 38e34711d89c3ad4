package sqlstore

import (
	"context"

	"github.com/roost-social/roost/internal/model"
)

// AccountTokens reads a user's live tokens for their sessions page; an
// account has few, so there is no paging.
func (s *Store) AccountTokens(ctx context.Context, accountID int64) ([]*model.Token, error) {
	rows, err := s.conn().query(ctx, `SELECT `+tokenCols+` FROM tokens
		WHERE account_id = $1 AND revoked_at IS NULL ORDER BY id DESC`, accountID)
	out, err := collect(rows, err, func(r rowScanner) (*model.Token, error) {
		var t model.Token
		err := r.Scan(&t.ID, &t.Hash, &t.AppID, idCol{&t.AccountID}, &t.Scopes, timeCol{&t.CreatedAt},
			&t.LastUsedDay, nullTimeCol{&t.RevokedAt})
		return &t, err
	})
	return out, s.fail(opID("account tokens", accountID), err)
}
