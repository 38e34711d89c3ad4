package export

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/testutil/teststore"
)

// nopQueue leaves exports pending: the test runs their job by hand.
type nopQueue struct{}

func (nopQueue) EnqueueExport(context.Context, int64) error { return nil }

func newWorker(t *testing.T) (*worker, store.Store, *core.Auth) {
	t.Helper()
	st, v := teststore.SQLite(t)
	svc := core.New(core.Options{Store: st, Vault: v, Settings: core.Settings{Domain: "roost.test", BaseURL: "https://roost.test"}})
	svc.SetExportQueue(nopQueue{})
	a, err := svc.CreateUser(context.Background(), core.NewUser{Username: "alice", Password: "password-alice", Approved: true})
	if err != nil {
		t.Fatal(err)
	}
	w := &worker{svc: svc, b: NewBuilder(svc), log: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now}
	return w, st, &core.Auth{Account: a}
}

func job(id int64, attempt int) *river.Job[Args] {
	return &river.Job[Args]{JobRow: &rivertype.JobRow{Attempt: attempt, MaxAttempts: maxAttempts}, Args: Args{ExportID: id}}
}

// TestWorkBuildsOnce: the job builds a valid archive, and running it again
// (a retry, a duplicate) or for an export gone or expired does nothing.
func TestWorkBuildsOnce(t *testing.T) {
	ctx := context.Background()
	w, st, alice := newWorker(t)
	if _, err := w.svc.PostStatus(ctx, alice.Account, core.NewStatus{Text: "hello archive", Visibility: model.VisibilityPrivate}); err != nil {
		t.Fatal(err)
	}
	e, err := w.svc.RequestExport(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Work(ctx, job(e.ID, 1)); err != nil {
		t.Fatal(err)
	}
	got, b, err := w.svc.ExportArchive(ctx, alice, e.ID)
	if err != nil || got.State != store.ExportReady || got.Size != int64(len(b)) {
		t.Fatalf("after the job: %+v, %v", got, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		if f.Name == FileOutbox || f.Name == FileActor || f.Name == FileLikes {
			rc, _ := f.Open()
			var v map[string]any
			if err := json.NewDecoder(rc).Decode(&v); err != nil {
				t.Errorf("%s is not JSON: %v", f.Name, err)
			}
			rc.Close()
			if f.Name == FileLikes {
				if items, ok := v["orderedItems"].([]any); !ok || len(items) != 0 {
					t.Errorf("empty likes.json lacks orderedItems: %v", v)
				}
			}
		}
	}
	for _, n := range []string{FileOutbox, FileActor, FileLikes, FileBookmarks, FileFollows, FileBlocks, FileMutes,
		FileDomainBlocks, FileBookmarksCSV, FileLists, FileReadme} {
		if !names[n] {
			t.Errorf("the archive lacks %s", n)
		}
	}

	before := got.FinishedAt
	if err := w.Work(ctx, job(e.ID, 2)); err != nil {
		t.Fatal(err)
	}
	if again, _ := st.ExportByID(ctx, e.ID); !again.FinishedAt.Equal(*before) {
		t.Error("a second run rebuilt a finished export")
	}
	if err := w.Work(ctx, job(987654321, 1)); err != nil {
		t.Errorf("a job for a missing export: %v", err)
	}

	// An expired export is purged by the next job, not built.
	w.now = func() time.Time { return time.Now().Add(core.ExportLifetime) }
	if err := w.Work(ctx, job(e.ID, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ExportByID(ctx, e.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("expired export after a job: %v", err)
	}
}
