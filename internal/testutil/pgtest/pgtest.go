// Package pgtest gives a test its own PostgreSQL schema, so that packages
// testing against PostgreSQL in parallel never see each other's tables.
//
// The server is ROOST_TEST_POSTGRES (default DefaultURL). When it cannot be
// reached the test is skipped with a message saying so, unless
// ROOST_REQUIRE_POSTGRES=1, which turns the skip into a failure (CI sets
// it). Usage:
//
//	dsn := pgtest.URL(t) // a fresh schema, dropped when t ends
//	pool, err := pgxpool.New(ctx, dsn)
//
// The DSN sets search_path to the schema, so unqualified table names
// (migrations, River's tables, queries) all land in it.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the server tests use when ROOST_TEST_POSTGRES is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// ServerURL returns the configured server's DSN.
func ServerURL() string {
	if u := os.Getenv("ROOST_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultURL
}

// URL creates a fresh, uniquely named schema, drops it (with everything in
// it) when tb ends, and returns a DSN whose search_path is that schema.
func URL(tb testing.TB) string {
	dsn, _ := Schema(tb)
	return dsn
}

// Schema is URL that also returns the schema's name, for tests that need
// to name it (to place another schema beside it, or to inspect it).
func Schema(tb testing.TB) (dsn, schema string) {
	tb.Helper()
	base := ServerURL()
	if err := down(); err != nil {
		unreachable(tb, base, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		markDown(err)
		unreachable(tb, base, err)
	}
	defer conn.Close(ctx)
	schema = "roost_test_" + randomHex(6)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("pgtest: create schema: %v", err)
	}
	tb.Cleanup(func() { drop(tb, base, schema) })
	return withSearchPath(base, schema), schema
}

// downErr remembers a failed connection so that the other tests of the
// process skip at once instead of each waiting for a timeout.
var downErr struct {
	sync.Mutex
	err error
}

func down() error {
	downErr.Lock()
	defer downErr.Unlock()
	return downErr.err
}

func markDown(err error) {
	downErr.Lock()
	defer downErr.Unlock()
	downErr.err = err
}

func unreachable(tb testing.TB, base string, err error) {
	tb.Helper()
	msg := fmt.Sprintf("pgtest: PostgreSQL unreachable at %s: %v (set ROOST_TEST_POSTGRES to a reachable server)", redact(base), err)
	if os.Getenv("ROOST_REQUIRE_POSTGRES") == "1" {
		tb.Fatal(msg + "; ROOST_REQUIRE_POSTGRES=1, so this is a failure")
	}
	tb.Skip(msg + "; skipping (ROOST_REQUIRE_POSTGRES=1 makes this a failure)")
}

func drop(tb testing.TB, base, schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Errorf("pgtest: drop schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
		tb.Errorf("pgtest: drop schema %s: %v", schema, err)
	}
}

// withSearchPath adds search_path to a URL or keyword/value DSN; pgx sends
// unknown parameters to the server as run-time settings.
func withSearchPath(dsn, schema string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return strings.TrimSpace(dsn) + " search_path=" + schema
}

// redact hides a password in a URL DSN.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		return u.Redacted()
	}
	return "(keyword/value DSN)"
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
