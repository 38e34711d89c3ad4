package app_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/roost-social/roost/internal/app"
	"github.com/roost-social/roost/internal/cli"
	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/testutil/openapi"
	"github.com/roost-social/roost/internal/testutil/pgtest"
)

// database is a storage choice the end-to-end tests run on.
type database struct {
	name string
	// flags returns the configuration flags that select it, or skips t.
	flags func(t *testing.T) []string
}

var databases = []database{
	{"sqlite", func(*testing.T) []string { return nil }},
	{"postgres", func(t *testing.T) []string {
		dsn, schema := pgtest.Schema(t)
		t.Cleanup(func() { dropSchema(t, schema+"_keys") }) // the key store's, beside the data
		return []string{"--database-driver", "postgres", "--database-url", dsn}
	}},
}

// dropSchema drops a schema pgtest did not make.
func dropSchema(t *testing.T, schema string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.ServerURL())
	if err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
	}
}

// forEachDatabase runs f as a subtest on SQLite and on PostgreSQL.
func forEachDatabase(t *testing.T, f func(t *testing.T, db database)) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) { f(t, db) })
	}
}

// server is a running Roost, wired exactly as `roost serve` wires it, on a
// real loopback listener.
type server struct {
	URL   string
	flags []string // the configuration flags it runs with, for the CLI
	app   *app.App
	logs  *syncBuffer
}

// startServer opens Roost with a fresh data directory on db and serves it
// until the test ends, when it checks that the shutdown was clean.
func startServer(t *testing.T, db database) *server {
	t.Helper()
	return startWith(t, db, nil, app.Options{})
}

// startWith starts a Roost as startServer does, with extra configuration
// flags and app options (its logger is always the test's log buffer).
func startWith(t *testing.T, db database, extraFlags []string, o app.Options) *server {
	t.Helper()
	s, _ := startStoppable(t, db, extraFlags, o)
	return s
}

// startStoppable starts a Roost as startWith does and also returns a stop
// that shuts it down and closes it before the test ends (so that its files
// can be backed up or restored); the test's cleanup stops it otherwise,
// and checks that the shutdown was clean.
func startStoppable(t *testing.T, db database, extraFlags []string, o app.Options) (*server, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	s := &server{URL: "http://" + addr, logs: &syncBuffer{}}
	s.flags = append([]string{"--data-dir", t.TempDir(), "--listen", addr, "--domain", addr}, extraFlags...)
	s.flags = append(s.flags, db.flags(t)...)
	cfg := loadConfig(t, s.flags...)
	o.Logger = slog.New(slog.NewTextHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s.app, err = app.Open(context.Background(), cfg, o)
	if err != nil {
		ln.Close()
		t.Fatalf("open: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.app.Serve(ctx, ln) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve: %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Error("server did not shut down within 30s")
			}
			if err := s.app.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return s, stop
}

// loadConfig builds a configuration from flags, as the CLI does, with no
// file and no environment.
func loadConfig(t *testing.T, flags ...string) *config.Config {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	f := config.RegisterFlags(fs)
	if err := fs.Parse(flags); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(nil, f)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

// roost runs a roost command line in-process, with s's configuration flags
// after the command's own arguments, and fails t unless it succeeds.
func (s *server) roost(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(stdin, append(args, s.flags...)...)
	if code != 0 {
		t.Fatalf("roost %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func runCLI(stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = cli.Run(context.Background(), args, cli.IO{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Program: "roost",
	})
	return out.String(), errOut.String(), code
}

// checkedClient returns an HTTP client whose every API response is checked
// against the Mastodon OpenAPI schema, when the schema is present (the check
// is skipped, not the test, when it is absent).
func checkedClient(t *testing.T) *http.Client {
	var v *openapi.Validator
	t.Run("schema", func(t *testing.T) { v = openapi.Load(t) })
	if v == nil {
		return &http.Client{Timeout: 30 * time.Second}
	}
	return &http.Client{Timeout: 30 * time.Second, Transport: v.Transport(t, nil)}
}

// assertLogsClean fails t if the server logged any of secrets.
func (s *server) assertLogsClean(t *testing.T, secrets ...string) {
	t.Helper()
	logs := s.logs.String()
	for _, sec := range secrets {
		if sec != "" && strings.Contains(logs, sec) {
			t.Errorf("the server log holds %q", sec)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

var _ io.Writer = (*syncBuffer)(nil)
