package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite"
)

// database is one test database that can be opened, closed and opened again,
// as a restarting server would.
type database struct {
	name string
	open func(t *testing.T) *conn
}

// conn is one open connection to a test database. It is closed when the
// test ends, if not before.
type conn struct {
	backend Backend
	close   func()
	// state reads a job's state and attempt straight from River's table.
	state func(ctx context.Context, id int64) (string, int, error)
	// begin starts a transaction of the backend's own type.
	begin func(ctx context.Context) (tx any, commit, rollback func() error, err error)
}

// forEachDatabase runs f against SQLite, opened both ways the package
// documentation allows, and PostgreSQL.
func forEachDatabase(t *testing.T, f func(t *testing.T, db database)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		f(t, sqliteDatabase(t, 0))
	})
	t.Run("sqlite-one-conn", func(t *testing.T) {
		t.Parallel()
		f(t, sqliteDatabase(t, 1))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		f(t, postgresDatabase(t))
	})
}

// sqliteDatabase opens a file database with WAL, a busy timeout and
// IMMEDIATE transactions, and at most maxConns connections (0: no limit).
func sqliteDatabase(t *testing.T, maxConns int) database {
	path := filepath.Join(t.TempDir(), "roost.db")
	dsn := "file:" + path +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate"
	return database{name: "sqlite", open: func(t *testing.T) *conn {
		db, err := sql.Open("sqlite", dsn)
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(maxConns)
		t.Cleanup(func() { db.Close() })
		return &conn{
			backend: SQLite(db),
			close:   func() { db.Close() },
			state: func(ctx context.Context, id int64) (state string, attempt int, err error) {
				err = db.QueryRowContext(ctx, "SELECT state, attempt FROM river_job WHERE id = ?", id).Scan(&state, &attempt)
				return state, attempt, err
			},
			begin: func(ctx context.Context) (any, func() error, func() error, error) {
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					return nil, nil, nil, err
				}
				return tx, tx.Commit, tx.Rollback, nil
			},
		}
	}}
}

// postgresDatabase creates a schema of its own on the test server and drops
// it when the test ends. It skips when the server is unreachable, unless
// ROOST_REQUIRE_POSTGRES=1.
func postgresDatabase(t *testing.T) database {
	url := os.Getenv("ROOST_TEST_POSTGRES")
	if url == "" {
		url = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		if os.Getenv("ROOST_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL unreachable at ROOST_TEST_POSTGRES and ROOST_REQUIRE_POSTGRES=1: %v", err)
		}
		t.Skipf("skipping PostgreSQL test: unreachable at ROOST_TEST_POSTGRES (%v); set ROOST_REQUIRE_POSTGRES=1 to fail instead", err)
	}
	schema := "jobs_test_" + randomHex(t)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close(ctx)
	})
	return database{name: "postgres", open: func(t *testing.T) *conn {
		cfg, err := pgxpool.ParseConfig(url)
		if err != nil {
			t.Fatal(err)
		}
		cfg.ConnConfig.RuntimeParams["search_path"] = schema
		pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		return &conn{
			backend: Postgres(pool),
			close:   pool.Close,
			state: func(ctx context.Context, id int64) (state string, attempt int, err error) {
				err = pool.QueryRow(ctx, "SELECT state::text, attempt FROM river_job WHERE id = $1", id).Scan(&state, &attempt)
				return state, attempt, err
			},
			begin: func(ctx context.Context) (any, func() error, func() error, error) {
				tx, err := pool.Begin(ctx)
				if err != nil {
					return nil, nil, nil, err
				}
				return tx, func() error { return tx.Commit(ctx) }, func() error { return tx.Rollback(ctx) }, nil
			},
		}
	}}
}

func randomHex(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// waitState polls until job id reaches state, failing the test after 20s.
func (c *conn) waitState(t *testing.T, id int64, want string) int {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		state, attempt, err := c.state(context.Background(), id)
		if err != nil {
			t.Fatalf("read job %d: %v", id, err)
		}
		if state == want {
			return attempt
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d is %s after attempt %d, want %s", id, state, attempt, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// logRecorder keeps every record River hands to the logger, at any level,
// so tests can see what the level cap lets through.
type logRecorder struct {
	mu      sync.Mutex
	records []string
	levels  []slog.Level
}

func (r *logRecorder) logger() *slog.Logger { return slog.New(recordHandler{r: r}) }

func (r *logRecorder) add(rec slog.Record, attrs []slog.Attr) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", rec.Level, rec.Message)
	for _, a := range attrs {
		fmt.Fprintf(&b, " %s", a)
	}
	rec.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s", a)
		return true
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, b.String())
	r.levels = append(r.levels, rec.Level)
}

// check fails the test on any error record (SQLITE_BUSY and the like) and on
// any record containing one of the forbidden strings.
func (r *logRecorder) check(t *testing.T, forbidden ...string) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, rec := range r.records {
		if r.levels[i] >= slog.LevelError {
			t.Errorf("River logged an error: %s", rec)
		}
		if r.levels[i] < slog.LevelWarn {
			t.Errorf("record below warn got through: %s", rec)
		}
		for _, f := range forbidden {
			if strings.Contains(rec, f) {
				t.Errorf("log record contains %q: %s", f, rec)
			}
		}
	}
}

type recordHandler struct {
	r     *logRecorder
	attrs []slog.Attr
}

func (h recordHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h recordHandler) Handle(_ context.Context, rec slog.Record) error {
	h.r.add(rec, h.attrs)
	return nil
}

func (h recordHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return recordHandler{r: h.r, attrs: append(append([]slog.Attr{}, h.attrs...), attrs...)}
}

func (h recordHandler) WithGroup(string) slog.Handler { return h }
