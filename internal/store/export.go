package store

import (
	"context"
	"time"
)

// ExportState is where an export archive is in its making.
type ExportState string

// Export states. An export is pending until its job starts, running while
// the job builds it, then ready (the archive is stored) or failed.
const (
	ExportPending ExportState = "pending"
	ExportRunning ExportState = "running"
	ExportReady   ExportState = "ready"
	ExportFailed  ExportState = "failed"
)

// Export is one export archive a local account asked for: the job's state
// and progress in clear, the archive itself sealed under the account's key
// (see Exports). Size is the archive's length in bytes once ready.
type Export struct {
	ID         int64
	AccountID  int64
	State      ExportState
	Progress   int // 0 to 100
	Size       int64
	CreatedAt  time.Time
	FinishedAt *time.Time
	ExpiresAt  time.Time
}

// Exports stores export archives. The archive is personal data and is
// sealed under its account's key, so shredding the account's keys makes
// it unreadable in the database and in every backup; the row goes with
// its account (ON DELETE CASCADE). Export and ExportArchive take the
// account and answer model.ErrNotFound for another account's export, so
// that one account cannot learn whether another's exists.
type Exports interface {
	// CreateExport inserts e as pending; zero ID and CreatedAt are filled
	// in. ExpiresAt is required.
	CreateExport(ctx context.Context, e *Export) error
	// Export returns accountID's export id, without its archive.
	Export(ctx context.Context, accountID, id int64) (*Export, error)
	// ExportByID returns export id whoever owns it (for its job).
	ExportByID(ctx context.Context, id int64) (*Export, error)
	// AccountExports lists accountID's exports, newest first.
	AccountExports(ctx context.Context, accountID int64) ([]*Export, error)
	// SetExportProgress marks export id running at progress percent.
	SetExportProgress(ctx context.Context, id int64, progress int) error
	// FinishExport seals and stores archive, and marks the export ready
	// at 100 percent.
	FinishExport(ctx context.Context, id int64, archive []byte, at time.Time) error
	// FailExport marks the export failed; it keeps no archive.
	FailExport(ctx context.Context, id int64, at time.Time) error
	// ExportArchive opens accountID's ready archive id; one not ready is
	// model.ErrNotFound, one whose key was shredded model.ErrShredded.
	ExportArchive(ctx context.Context, accountID, id int64) ([]byte, error)
	// DeleteExport removes one export; none is no error.
	DeleteExport(ctx context.Context, id int64) error
	// DeleteExpiredExports removes every export whose ExpiresAt is at or
	// before now, whatever its state, and returns how many.
	DeleteExpiredExports(ctx context.Context, now time.Time) (int, error)
}
