package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/vault"
)

// Exports. The archive column is sealed under the owning account's key,
// bound to its row; everything else is the job's bookkeeping, in clear.

const exportCols = `id, account_id, state, progress, size, created_at, finished_at, expires_at`

func scanExport(sc rowScanner) (*store.Export, error) {
	var e store.Export
	var state string
	err := sc.Scan(&e.ID, &e.AccountID, &state, &e.Progress, &e.Size, timeCol{&e.CreatedAt},
		nullTimeCol{&e.FinishedAt}, timeCol{&e.ExpiresAt})
	e.State = store.ExportState(state)
	return &e, err
}

func (s *Store) CreateExport(ctx context.Context, e *store.Export) error {
	if e.ExpiresAt.IsZero() {
		return s.fail("create export", model.Invalid("an export needs an expiry"))
	}
	e.CreatedAt = s.orNow(e.CreatedAt)
	e.ID = newID(e.ID, e.CreatedAt)
	e.State, e.Progress, e.Size, e.FinishedAt = store.ExportPending, 0, 0, nil
	_, err := s.conn().exec(ctx, `INSERT INTO exports (id, account_id, state, progress, size, created_at, expires_at)
		VALUES ($1, $2, $3, 0, 0, $4, $5)`, e.ID, e.AccountID, string(e.State), micros(e.CreatedAt), micros(e.ExpiresAt))
	return s.fail("create export", err)
}

func (s *Store) Export(ctx context.Context, accountID, id int64) (*store.Export, error) {
	e, err := scanExport(s.conn().row(ctx, `SELECT `+exportCols+` FROM exports WHERE id = $1 AND account_id = $2`, id, accountID))
	if err != nil {
		return nil, s.fail(opID("export", id), err)
	}
	return e, nil
}

func (s *Store) ExportByID(ctx context.Context, id int64) (*store.Export, error) {
	e, err := scanExport(s.conn().row(ctx, `SELECT `+exportCols+` FROM exports WHERE id = $1`, id))
	if err != nil {
		return nil, s.fail(opID("export", id), err)
	}
	return e, nil
}

func (s *Store) AccountExports(ctx context.Context, accountID int64) ([]*store.Export, error) {
	rows, err := s.conn().query(ctx, `SELECT `+exportCols+` FROM exports WHERE account_id = $1 ORDER BY id DESC`, accountID)
	if err != nil {
		return nil, s.fail("account exports", err)
	}
	defer rows.Close()
	var out []*store.Export
	for rows.Next() {
		e, err := scanExport(rows)
		if err != nil {
			return nil, s.fail("account exports", err)
		}
		out = append(out, e)
	}
	return out, s.fail("account exports", rows.Err())
}

func (s *Store) SetExportProgress(ctx context.Context, id int64, progress int) error {
	progress = max(0, min(progress, 99))
	n, err := s.conn().affected(ctx, `UPDATE exports SET state = $1, progress = $2
		WHERE id = $3 AND state IN ('pending', 'running')`, string(store.ExportRunning), progress, id)
	return s.fail(opID("export progress", id), exportChanged(n, err))
}

func (s *Store) FinishExport(ctx context.Context, id int64, archive []byte, at time.Time) error {
	err := s.tx(ctx, func(c conn) error {
		var owner int64
		if err := c.row(ctx, `SELECT account_id FROM exports WHERE id = $1 AND state IN ('pending', 'running')`, id).Scan(&owner); err != nil {
			return err
		}
		ci := s.cipher(ctx, owner, "exports", id).in(vault.ClassExports)
		sealed := ci.seal("archive", archive)
		if ci.err != nil {
			return ci.err
		}
		_, err := c.exec(ctx, `UPDATE exports SET state = $1, progress = 100, size = $2, archive = $3, finished_at = $4
			WHERE id = $5`, string(store.ExportReady), int64(len(archive)), sealed, micros(at), id)
		return err
	})
	return s.fail(opID("finish export", id), err)
}

func (s *Store) FailExport(ctx context.Context, id int64, at time.Time) error {
	_, err := s.conn().exec(ctx, `UPDATE exports SET state = $1, archive = NULL, finished_at = $2
		WHERE id = $3 AND state IN ('pending', 'running')`, string(store.ExportFailed), micros(at), id)
	return s.fail(opID("fail export", id), err)
}

func (s *Store) ExportArchive(ctx context.Context, accountID, id int64) ([]byte, error) {
	var sealed []byte
	err := s.conn().row(ctx, `SELECT archive FROM exports WHERE id = $1 AND account_id = $2 AND state = $3`,
		id, accountID, string(store.ExportReady)).Scan(&sealed)
	if err != nil {
		return nil, s.fail(opID("export archive", id), err)
	}
	ci := s.cipher(ctx, accountID, "exports", id)
	archive := ci.open("archive", sealed)
	return archive, s.fail(opID("export archive", id), ci.err)
}

func (s *Store) DeleteExport(ctx context.Context, id int64) error {
	_, err := s.conn().exec(ctx, `DELETE FROM exports WHERE id = $1`, id)
	return s.fail(opID("delete export", id), err)
}

func (s *Store) DeleteExpiredExports(ctx context.Context, now time.Time) (int, error) {
	n, err := s.conn().affected(ctx, `DELETE FROM exports WHERE expires_at <= $1`, micros(now))
	return int(n), s.fail("delete expired exports", err)
}

// exportChanged turns an export update that changed no row into sql.ErrNoRows.
func exportChanged(n int64, err error) error {
	if err == nil && n == 0 {
		return sql.ErrNoRows
	}
	return err
}
