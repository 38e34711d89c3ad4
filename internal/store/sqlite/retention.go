package sqlite

import (
	"context"
	"fmt"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// RecordRetentionRun records a purge sweep of category and, when it
// purged rows, empties the WAL. secure_delete overwrites a purged row in
// roost.db, but the WAL still holds the pages as they were before (the
// row's ciphertext, which the live month key still opens) until a
// checkpoint copies them back and later writes happen to overwrite them:
// a disk taken from a running server would still show purged rows. A
// TRUNCATE checkpoint waits for readers (busy_timeout) and leaves the WAL
// empty; if readers keep it busy it does what it can, which is no error,
// and the next sweep that purges tries again.
func (s *Store) RecordRetentionRun(ctx context.Context, category string, at time.Time, n int) error {
	if err := s.Store.RecordRetentionRun(ctx, category, at, n); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	if err != nil && !hasCode(err, sqlite3.SQLITE_BUSY) {
		return fmt.Errorf("sqlite: checkpoint after purging %s: %w", category, err)
	}
	return nil
}
