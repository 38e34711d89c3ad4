package app_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/jobs"
)

// TestJobSurvivesRestart inserts a job while Roost is open but not serving,
// closes it as a stopped server would, opens it again and serves: the job
// is worked. The jobs package proves River's side of this; this test proves
// the wiring puts the queue in the server's own database and starts its
// workers with `serve`.
func TestJobSurvivesRestart(t *testing.T) {
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		flags := append([]string{"--data-dir", t.TempDir()}, db.flags(t)...)
		cfg := loadConfig(t, flags...)
		quiet := app.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}

		first, err := app.Open(ctx, cfg, quiet)
		if err != nil {
			t.Fatal(err)
		}
		res, err := first.Queue().Insert(ctx, jobs.PingArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if state := jobState(t, first, res.Job.ID); state != "available" {
			t.Fatalf("before the restart the job is %q, want available", state)
		}
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}

		second, err := app.Open(ctx, cfg, quiet)
		if err != nil {
			t.Fatal(err)
		}
		defer second.Close()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		serveCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- second.Serve(serveCtx, ln) }()
		defer func() {
			stop()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		}()
		deadline := time.Now().Add(20 * time.Second)
		for state := ""; state != "completed"; state = jobState(t, second, res.Job.ID) {
			if time.Now().After(deadline) {
				t.Fatalf("after the restart the job is still %q", state)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// jobState reads a job's state straight from River's table.
func jobState(t *testing.T, a *app.App, id int64) string {
	t.Helper()
	var state string
	var err error
	switch st := a.Store().(type) {
	case interface{ Pool() *pgxpool.Pool }:
		err = st.Pool().QueryRow(context.Background(), `SELECT state FROM river_job WHERE id = $1`, id).Scan(&state)
	case interface{ DB() *sql.DB }:
		err = st.DB().QueryRow(`SELECT state FROM river_job WHERE id = ?`, id).Scan(&state)
	default:
		t.Fatalf("cannot reach the database of %T", st)
	}
	if err != nil {
		t.Fatalf("job %d: %v", id, err)
	}
	return state
}
