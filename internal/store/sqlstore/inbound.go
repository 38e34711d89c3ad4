package sqlstore

import (
	"context"
	"errors"

	"github.com/roost-social/roost/internal/model"
)

// StatusByURI reads the statuses_uri index, which leaves out local
// statuses (no stored URI).
func (s *Store) StatusByURI(ctx context.Context, uri string) (*model.Status, error) {
	if uri == "" {
		return nil, s.fail("status by uri", model.ErrNotFound)
	}
	r := s.conn().row(ctx, `SELECT `+statusCols+` FROM statuses s WHERE s.uri = $1 AND s.uri <> ''`, uri)
	st, err := s.scanStatus(ctx, r)
	return st, s.fail("status by uri", err)
}

// FollowByURI reads the follows_uri index.
func (s *Store) FollowByURI(ctx context.Context, uri string) (*model.Follow, error) {
	if uri == "" {
		return nil, s.fail("follow by uri", model.ErrNotFound)
	}
	var f model.Follow
	err := s.conn().row(ctx, `SELECT `+followCols+` FROM follows WHERE uri = $1 AND uri <> '' ORDER BY id LIMIT 1`, uri).
		Scan(&f.ID, &f.AccountID, &f.TargetID, &f.Reblogs, &f.Notify, &f.Pending, &f.URI, timeCol{&f.CreatedAt})
	if err != nil {
		return nil, s.fail("follow by uri", err)
	}
	return &f, nil
}

// DeleteRemoteAccountData undoes, one counted step at a time, what the
// account added to other rows' counters, then deletes the account row;
// the foreign keys' ON DELETE CASCADE removes the rest.
func (s *Store) DeleteRemoteAccountData(ctx context.Context, accountID int64) error {
	// The domain is in clear: this reads it even after a shred.
	var domain string
	err := s.conn().row(ctx, `SELECT domain FROM accounts WHERE id = $1`, accountID).Scan(&domain)
	if err != nil {
		return s.fail(opID("delete remote account data", accountID), err)
	}
	if domain == "" {
		return s.fail("delete remote account data", model.Invalid("not a remote account"))
	}
	if err := s.undoAccountCounts(ctx, accountID); err != nil {
		return s.fail("delete remote account data", err)
	}
	n, err := s.conn().affected(ctx, `DELETE FROM accounts WHERE id = $1`, accountID)
	return s.fail(opID("delete remote account", accountID), noRow(n, err))
}

// undoAccountCounts deletes, one counted step at a time, the account's
// statuses (boosts of them by others go with them; its own boosts are
// statuses of its own), favourites and follows both ways, so that every
// counter they added to other rows is taken back before the account row
// goes and its cascades remove the rest.
func (s *Store) undoAccountCounts(ctx context.Context, accountID int64) error {
	steps := []struct {
		q  string
		fn func(id int64) error
	}{
		{`SELECT id FROM statuses WHERE account_id = $1 ORDER BY id DESC`,
			func(id int64) error { return ignoreMissing(s.DeleteStatus(ctx, id)) }},
		{`SELECT status_id FROM favourites WHERE account_id = $1`,
			func(id int64) error { _, err := s.RemoveFavourite(ctx, accountID, id); return err }},
		{`SELECT target_id FROM follows WHERE account_id = $1`,
			func(id int64) error { _, err := s.DeleteFollow(ctx, accountID, id); return err }},
		{`SELECT account_id FROM follows WHERE target_id = $1`,
			func(id int64) error { _, err := s.DeleteFollow(ctx, id, accountID); return err }},
	}
	for _, st := range steps {
		ids, err := scanIDs(s.conn().query(ctx, st.q, accountID))
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := st.fn(id); err != nil {
				return err
			}
		}
	}
	return nil
}

// ignoreMissing treats a row deleted meanwhile as done.
func ignoreMissing(err error) error {
	if errors.Is(err, model.ErrNotFound) {
		return nil
	}
	return err
}
