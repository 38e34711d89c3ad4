package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// Exports (issue 4 §5): a local account asks for an archive of what the
// server holds about it; a job builds it (internal/export) while the
// account watches its progress, and the archive, sealed under the
// account's key, can be downloaded for ExportLifetime, after which it is
// deleted. Only the account sees its exports: another account's is
// model.ErrNotFound, as a missing one is.

// ExportLifetime is how long an export, and its archive, is kept after it
// was asked for.
const ExportLifetime = 24 * time.Hour

// ExportQueue starts the job that builds an export. The app wires one in
// (SetExportQueue); without one, no export can be asked for.
type ExportQueue interface {
	EnqueueExport(ctx context.Context, exportID int64) error
}

// SetExportQueue sets the queue export jobs go to.
func (s *Service) SetExportQueue(q ExportQueue) { s.exports = q }

// errExportBusy refuses a second export while one is being made.
var errExportBusy = model.Invalid("an export is already being prepared")

// MaxExports is how many exports an account may hold at once (each is
// kept for ExportLifetime): a bound on what one account can make the
// server build and store. Mastodon allows one archive a week.
const MaxExports = 3

// RequestExport records a new export for the account and starts its job.
// Expired exports are purged first; one still pending or running refuses
// another (model.ErrInvalid), and so do MaxExports unexpired ones
// (model.ErrRateLimited). If the job cannot be queued, the export is
// removed again and the error returned, so nothing waits forever.
func (s *Service) RequestExport(ctx context.Context, a *Auth) (*store.Export, error) {
	if s.exports == nil {
		return nil, fmt.Errorf("core: request export: %w", model.Invalid("exports are not available on this server"))
	}
	now := s.now().UTC()
	if _, err := s.PurgeExpiredExports(ctx, now); err != nil {
		return nil, err
	}
	list, err := s.store.AccountExports(ctx, a.Account.ID)
	if err != nil {
		return nil, fmt.Errorf("core: request export: %w", err)
	}
	for _, e := range list {
		if e.State == store.ExportPending || e.State == store.ExportRunning {
			return nil, fmt.Errorf("core: request export: %w", errExportBusy)
		}
	}
	if len(list) >= MaxExports {
		return nil, fmt.Errorf("core: request export: %d held: %w", len(list), model.ErrRateLimited)
	}
	e := &store.Export{AccountID: a.Account.ID, CreatedAt: now, ExpiresAt: now.Add(ExportLifetime)}
	if err := s.store.CreateExport(ctx, e); err != nil {
		return nil, fmt.Errorf("core: request export: %w", err)
	}
	if err := s.exports.EnqueueExport(ctx, e.ID); err != nil {
		return nil, errors.Join(fmt.Errorf("core: request export: %w", err), s.store.DeleteExport(ctx, e.ID))
	}
	return e, nil
}

// Export returns the account's export id. An expired one is deleted on
// the spot and is model.ErrNotFound, whether or not the cleanup ran yet.
func (s *Service) Export(ctx context.Context, a *Auth, id int64) (*store.Export, error) {
	e, err := s.store.Export(ctx, a.Account.ID, id)
	if err != nil {
		return nil, fmt.Errorf("core: export %d: %w", id, err)
	}
	if !s.now().Before(e.ExpiresAt) {
		if err := s.store.DeleteExport(ctx, e.ID); err != nil {
			return nil, fmt.Errorf("core: export %d: %w", id, err)
		}
		return nil, fmt.Errorf("core: export %d: expired: %w", id, model.ErrNotFound)
	}
	return e, nil
}

// Exports lists the account's unexpired exports, newest first.
func (s *Service) Exports(ctx context.Context, a *Auth) ([]*store.Export, error) {
	list, err := s.store.AccountExports(ctx, a.Account.ID)
	if err != nil {
		return nil, fmt.Errorf("core: exports: %w", err)
	}
	now := s.now()
	out := list[:0]
	for _, e := range list {
		if now.Before(e.ExpiresAt) {
			out = append(out, e)
		}
	}
	return out, nil
}

// ExportArchive returns the account's ready archive id with its export.
// One not ready yet, expired or another account's is model.ErrNotFound.
func (s *Service) ExportArchive(ctx context.Context, a *Auth, id int64) (*store.Export, []byte, error) {
	e, err := s.Export(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	if e.State != store.ExportReady {
		return nil, nil, fmt.Errorf("core: export %d: not ready: %w", id, model.ErrNotFound)
	}
	b, err := s.store.ExportArchive(ctx, a.Account.ID, id)
	if err != nil {
		return nil, nil, fmt.Errorf("core: export %d: %w", id, err)
	}
	return e, b, nil
}

// PurgeExpiredExports deletes every export, ready or not, whose lifetime
// ended at or before now, and returns how many. The export job calls it,
// the retention sweep may, and reads check expiry themselves.
func (s *Service) PurgeExpiredExports(ctx context.Context, now time.Time) (int, error) {
	n, err := s.store.DeleteExpiredExports(ctx, now)
	if err != nil {
		return n, fmt.Errorf("core: purge exports: %w", err)
	}
	return n, nil
}

// ExportJob returns the export a job is to build, whoever owns it, and
// whether it still needs building: one finished, failed or expired
// needs nothing (a retried or duplicate job then does nothing).
func (s *Service) ExportJob(ctx context.Context, id int64) (*store.Export, bool, error) {
	e, err := s.store.ExportByID(ctx, id)
	if errors.Is(err, model.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("core: export job %d: %w", id, err)
	}
	todo := (e.State == store.ExportPending || e.State == store.ExportRunning) && s.now().Before(e.ExpiresAt)
	return e, todo, nil
}

// ExportProgress records how far export id's job got, in percent.
func (s *Service) ExportProgress(ctx context.Context, id int64, percent int) error {
	if err := s.store.SetExportProgress(ctx, id, percent); err != nil {
		return fmt.Errorf("core: export %d progress: %w", id, err)
	}
	return nil
}

// FinishExport stores export id's archive (sealed by the store) and marks
// it ready.
func (s *Service) FinishExport(ctx context.Context, id int64, archive []byte) error {
	if err := s.store.FinishExport(ctx, id, archive, s.now().UTC()); err != nil {
		return fmt.Errorf("core: finish export %d: %w", id, err)
	}
	return nil
}

// FailExport marks export id failed, once its job gave up.
func (s *Service) FailExport(ctx context.Context, id int64) error {
	if err := s.store.FailExport(ctx, id, s.now().UTC()); err != nil {
		return fmt.Errorf("core: fail export %d: %w", id, err)
	}
	return nil
}
