package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/core"
	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store/sqlite"
	"github.com/roost-social/roost/internal/testutil/roostbin"
)

// TestMain removes the roost binary that the crash test builds.
func TestMain(m *testing.M) {
	code := m.Run()
	roostbin.Cleanup()
	os.Exit(code)
}

// TestDeliveryKill9 kills the server (SIGKILL) while a delivery is in
// flight to a slow inbox, restarts it, and checks that the inbox then gets
// the activity: River keeps the job, which was running, and works it again.
//
// River rescues a job left running by a dead process once it has run for
// RescueStuckJobsAfter, an hour in production. The real binary is killed;
// the restart is the same server opened in process with that delay cut to
// seconds (app.Options.RescueStuckJobsAfter), on the same database.
func TestDeliveryKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the roost binary")
	}
	bin := roostbin.Path(t)
	forEachDatabase(t, func(t *testing.T, db database) {
		ctx := context.Background()
		in := newTestInbox(t, true)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		dir := t.TempDir()
		dbFlags := db.flags(t)
		flags := append([]string{"--data-dir", dir, "--listen", addr, "--domain", addr,
			"--dev-allow-private-networks"}, dbFlags...)

		// Before the server runs: a user, a remote follower and a post,
		// whose fan-out job waits in the queue.
		cfg := loadConfig(t, flags...)
		a, err := app.Open(ctx, cfg, app.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		svc := a.Service()
		alice, err := svc.CreateUser(ctx, core.NewUser{Username: "alice", Password: "password-alice", Approved: true})
		if err != nil {
			t.Fatal(err)
		}
		fan, err := svc.ResolveActor(ctx, in.actorURI("fan"))
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Store().PutFollow(ctx, &model.Follow{ID: model.NewID(time.Now()), AccountID: fan.ID,
			TargetID: alice.ID, CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		v, err := svc.PostStatus(ctx, alice, core.NewStatus{Text: "survives kill -9", Visibility: model.VisibilityPublic})
		if err != nil {
			t.Fatal(err)
		}
		noteID := "http://" + addr + "/users/alice/statuses/" + model.FormatID(v.Status.ID)
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}

		// The inbox holds the first delivery until the server is dead, and
		// does not count it.
		entered, release := make(chan struct{}), make(chan struct{})
		var first sync.Once
		in.set(func(in *testInbox) {
			in.hold = func(act map[string]any) bool {
				held := false
				first.Do(func() {
					held = true
					close(entered)
					<-release
				})
				return held
			}
		})
		defer func() {
			select {
			case <-release:
			default:
				close(release)
			}
		}()

		srv := startRoost(t, bin, flags)
		select {
		case <-entered:
		case <-time.After(60 * time.Second):
			t.Fatalf("no delivery began; server output:\n%s", srv.out.String())
		}
		if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = srv.cmd.Wait()
		close(release)
		if n := in.count(ofType("Create", noteID)); n != 0 {
			t.Fatalf("the inbox counted %d deliveries before the restart", n)
		}

		// The delivery job is still marked running, by a process that is
		// gone.
		if n := runningJobs(t, db, dir, dbFlags); n != 1 {
			t.Fatalf("%d delivery jobs were running at the kill, want one", n)
		}

		logs := &syncBuffer{}
		restarted := serveAt(t, addr, loadConfig(t, flags...), app.Options{
			Logger: slog.New(slog.NewTextHandler(logs, nil)), Delivery: fastDelivery(),
			RescueStuckJobsAfter: 3 * time.Second,
		})
		deadline := time.Now().Add(150 * time.Second)
		for in.count(ofType("Create", noteID)) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("the delivery was lost; server log:\n%s", logs.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
		in.checkClean(t)
		restarted()
	})
}

// serveAt opens Roost with cfg and o and serves it on addr until the
// returned stop is called (or the test ends), then closes it.
func serveAt(t *testing.T, addr string, cfg *config.Config, o app.Options) (stop func()) {
	t.Helper()
	a, err := app.Open(context.Background(), cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		_ = a.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
			if err := a.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// roostProcess is the roost binary serving.
type roostProcess struct {
	cmd *exec.Cmd
	out *syncBuffer
}

func startRoost(t *testing.T, bin string, flags []string) *roostProcess {
	t.Helper()
	p := &roostProcess{out: &syncBuffer{}}
	p.cmd = exec.Command(bin, append([]string{"serve"}, flags...)...)
	var env []string
	for _, kv := range os.Environ() {
		if !bytes.HasPrefix([]byte(kv), []byte("ROOST_")) {
			env = append(env, kv)
		}
	}
	p.cmd.Env, p.cmd.Stdout, p.cmd.Stderr = env, p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	return p
}

// runningJobs counts the delivery jobs River's table marks running (a
// fan-out or periodic job may be mid-completion at the kill too).
func runningJobs(t *testing.T, db database, dir string, dbFlags []string) int64 {
	t.Helper()
	ctx := context.Background()
	if db.name == "sqlite" {
		conn, err := sql.Open("sqlite", filepath.Join(dir, sqlite.DataFile))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var n int64
		if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE state = 'running' AND kind = 'roost_deliver'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	dsn := dbFlags[len(dbFlags)-1]
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int64
	if err := conn.QueryRow(ctx, `SELECT COUNT(*) FROM river_job WHERE state = 'running' AND kind = 'roost_deliver'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
