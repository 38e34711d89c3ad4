package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

// testExports checks an export's life: pending, running with progress,
// ready with its sealed archive (readable by its owner alone), failed,
// expired, and shredded with its owner's keys.
func testExports(t *testing.T, f *fx) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	alice, bob := f.account("exporter"), f.account("other")
	f.is(f.s.CreateExport(f.ctx, &store.Export{AccountID: alice.ID}), model.ErrInvalid)
	f.is(f.s.CreateExport(f.ctx, &store.Export{AccountID: 987654321, ExpiresAt: now.Add(time.Hour)}), model.ErrNotFound)

	e := &store.Export{AccountID: alice.ID, CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)}
	f.must(f.s.CreateExport(f.ctx, e))
	if e.ID == 0 || e.State != store.ExportPending {
		t.Fatalf("created %+v", e)
	}
	_, err := f.s.Export(f.ctx, bob.ID, e.ID)
	f.is(err, model.ErrNotFound)
	_, err = f.s.ExportArchive(f.ctx, alice.ID, e.ID)
	f.is(err, model.ErrNotFound) // not ready yet

	f.must(f.s.SetExportProgress(f.ctx, e.ID, 40))
	got, err := f.s.Export(f.ctx, alice.ID, e.ID)
	f.must(err)
	if got.State != store.ExportRunning || got.Progress != 40 || !got.CreatedAt.Equal(now) || !got.ExpiresAt.Equal(e.ExpiresAt) {
		t.Fatalf("running export = %+v", got)
	}

	archive := []byte("PK archive bytes of exporter")
	f.must(f.s.FinishExport(f.ctx, e.ID, archive, now.Add(time.Minute)))
	got, err = f.s.ExportByID(f.ctx, e.ID)
	f.must(err)
	if got.State != store.ExportReady || got.Progress != 100 || got.Size != int64(len(archive)) ||
		got.FinishedAt == nil || !got.FinishedAt.Equal(now.Add(time.Minute)) {
		t.Fatalf("ready export = %+v", got)
	}
	b, err := f.s.ExportArchive(f.ctx, alice.ID, e.ID)
	f.must(err)
	if !bytes.Equal(b, archive) {
		t.Fatalf("archive = %q", b)
	}
	_, err = f.s.ExportArchive(f.ctx, bob.ID, e.ID)
	f.is(err, model.ErrNotFound)
	f.is(f.s.SetExportProgress(f.ctx, e.ID, 50), model.ErrNotFound) // finished: no going back
	f.is(f.s.FinishExport(f.ctx, e.ID, archive, now), model.ErrNotFound)

	failed := &store.Export{AccountID: alice.ID, CreatedAt: now.Add(time.Second), ExpiresAt: now.Add(time.Hour)}
	f.must(f.s.CreateExport(f.ctx, failed))
	f.must(f.s.FailExport(f.ctx, failed.ID, now))
	list, err := f.s.AccountExports(f.ctx, alice.ID)
	f.must(err)
	if len(list) != 2 || list[0].ID != failed.ID || list[0].State != store.ExportFailed || list[1].ID != e.ID {
		t.Fatalf("AccountExports = %+v", list)
	}
	if l, err := f.s.AccountExports(f.ctx, bob.ID); err != nil || len(l) != 0 {
		t.Fatalf("bob's exports = %v, %v", l, err)
	}

	// Expiry: the failed one (an hour) goes, the ready one (a day) stays.
	n, err := f.s.DeleteExpiredExports(f.ctx, now.Add(time.Hour))
	f.must(err)
	if n != 1 {
		t.Errorf("DeleteExpiredExports removed %d, want 1", n)
	}
	_, err = f.s.Export(f.ctx, alice.ID, failed.ID)
	f.is(err, model.ErrNotFound)

	// The archive is sealed under its owner's key: shredding it loses it.
	f.must(f.v.Shred(f.ctx, alice.ID))
	_, err = f.s.ExportArchive(f.ctx, alice.ID, e.ID)
	f.is(err, model.ErrShredded)
	f.must(f.s.DeleteExport(f.ctx, e.ID))
	_, err = f.s.ExportByID(f.ctx, e.ID)
	f.is(err, model.ErrNotFound)
}
