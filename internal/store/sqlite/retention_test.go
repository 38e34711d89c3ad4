package sqlite_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/roost-social/roost/internal/store/storetest"
)

// TestPurgeEmptiesTheWAL: a purged row's ciphertext is overwritten in
// roost.db (secure_delete) but stays in the WAL's older frames; recording
// a sweep that purged rows checkpoints and truncates the WAL, so neither
// file holds it any more. A sweep that purged nothing leaves the WAL be.
func TestPurgeEmptiesTheWAL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	h, s := openDir(t, dir)
	c := storetest.WriteCanaries(t, h)
	var sealed []byte
	if err := s.DB().QueryRow(`SELECT text FROM statuses WHERE id = ?`, c.StatusID).Scan(&sealed); err != nil || len(sealed) == 0 {
		t.Fatalf("the status's ciphertext: %v", err)
	}
	if err := s.DeleteStatus(ctx, c.StatusID); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordRetentionRun(ctx, "notifications", time.Now(), 0); err != nil {
		t.Fatal(err)
	}
	if files := readAll(t, dir); !bytes.Contains(files["roost.db-wal"], sealed) {
		t.Fatal("the scan cannot see the deleted row in the WAL")
	}
	if err := s.RecordRetentionRun(ctx, "direct_messages", time.Now(), 1); err != nil {
		t.Fatal(err)
	}
	for name, b := range readAll(t, dir) {
		if bytes.Contains(b, sealed) {
			t.Errorf("the purged row's ciphertext is still in %s", name)
		}
	}
	if _, err := s.Status(ctx, c.StatusID); err == nil {
		t.Error("the purged status is still readable")
	}
}
