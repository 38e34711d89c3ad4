package postgres

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Backups of a PostgreSQL store are made with PostgreSQL's own tools, which
// come with the client package (postgresql-client on Debian): pg_dump takes
// a consistent snapshot of one schema while the server runs (one
// transaction, REPEATABLE READ), with the schema's tables, sequences,
// indexes and River's tables, and psql plays it back. A dump is plain SQL,
// so an admin can read, compress or restore it by hand. Only the data
// schema is dumped; the key store lives in a schema of its own and is never
// in it.

// Dump writes a plain-SQL dump of schema (the data schema, never the key
// store's) at dsn to dest, which must not exist. The file is created with
// mode 0600 under a temporary name and renamed once pg_dump succeeds.
func Dump(ctx context.Context, dsn, schema, dest string) error {
	if !identifier.MatchString(schema) {
		return fmt.Errorf("postgres: dump: bad schema name %q", schema)
	}
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("postgres: dump: %s already exists", dest)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("postgres: dump: %w", err)
	}
	tmp := dest + ".partial"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("postgres: dump: %w", err)
	}
	f.Close()
	err = runTool(ctx, dsn, "pg_dump", "--schema="+schema, "--no-owner", "--no-privileges",
		"--format=plain", "--file="+tmp)
	if err == nil {
		err = syncPath(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, dest)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("postgres: dump: %w", err)
	}
	return nil
}

// Restore plays the dump src, made by Dump of the same schema, back into
// dsn's database, in one transaction: either the whole dump is restored or
// nothing changes. It must run while no server uses the schema. A schema
// that holds tables is refused unless replace is set; then it is dropped
// with everything in it first. The key store's schema is left as it is:
// restored data opens with the keys that still exist, and what was sealed
// under a key shredded since the dump stays unreadable.
func Restore(ctx context.Context, dsn, schema, src string, replace bool) error {
	if !identifier.MatchString(schema) {
		return fmt.Errorf("postgres: restore: bad schema name %q", schema)
	}
	if err := checkDump(src, schema); err != nil {
		return fmt.Errorf("postgres: restore: %w", err)
	}
	if !replace {
		n, err := tableCount(ctx, dsn, schema)
		if err != nil {
			return fmt.Errorf("postgres: restore: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("postgres: restore: schema %s already holds %d tables: %w", schema, n, fs.ErrExist)
		}
	}
	drop := "DROP SCHEMA IF EXISTS " + pgx.Identifier{schema}.Sanitize() + " CASCADE"
	err := runTool(ctx, dsn, "psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
		"--command="+drop, "--file="+src)
	if err != nil {
		return fmt.Errorf("postgres: restore: %w", err)
	}
	return nil
}

// checkDump makes sure src is a pg_dump of schema, so that a dump of
// another schema (or the key store's) is not restored by mistake.
func checkDump(src, schema string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	want := "CREATE SCHEMA " + schema + ";"
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first && !strings.HasPrefix(line, "--") {
			break
		}
		first = false
		if line == want {
			return nil
		}
		if strings.HasPrefix(line, "COPY ") {
			break // the schema is created before any data
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	return fmt.Errorf("%s is not a pg_dump of schema %s", src, schema)
}

func tableCount(ctx context.Context, dsn, schema string) (int, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, `SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = $1`, schema).Scan(&n)
	return n, err
}

// runTool runs one of PostgreSQL's client programs against dsn. The
// password goes in the environment (PGPASSWORD), never on the command
// line where other users could read it.
func runTool(ctx context.Context, dsn, tool string, args ...string) error {
	path, err := exec.LookPath(tool)
	if err != nil {
		return fmt.Errorf("%s not found: install PostgreSQL's client programs (postgresql-client) in the server's major version or later", tool)
	}
	uri, password, err := libpqURL(dsn)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, path, append([]string{"--dbname=" + uri}, args...)...)
	cmd.Env = os.Environ()
	if password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+password)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = msg[:2000] + "…"
		}
		return fmt.Errorf("%s: %w: %s", tool, err, msg)
	}
	return nil
}

// libpqParams are the URL parameters the PostgreSQL tools (libpq)
// understand; the others (search_path, pgx's pool settings) are pgx's and
// would make libpq refuse the URL.
var libpqParams = map[string]bool{
	"sslmode": true, "sslcert": true, "sslkey": true, "sslrootcert": true, "sslcrl": true,
	"sslpassword": true, "sslsni": true, "connect_timeout": true, "application_name": true,
	"target_session_attrs": true, "options": true, "passfile": true, "service": true,
	"channel_binding": true, "gssencmode": true, "krbsrvname": true, "host": true, "hostaddr": true,
	"port": true, "user": true, "dbname": true, "load_balance_hosts": true,
}

// libpqURL turns a pgx URL into one libpq accepts, without its password,
// which it returns apart.
func libpqURL(dsn string) (uri, password string, err error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", "", errors.New("the database URL must be a postgres:// URL for backup and restore")
	}
	q := u.Query()
	password = q.Get("password")
	for k := range q {
		if !libpqParams[k] {
			q.Del(k) // the password too: it goes in the environment
		}
	}
	if u.User != nil {
		if p, ok := u.User.Password(); ok {
			password = p
		}
		u.User = url.User(u.User.Username())
	}
	u.RawQuery = q.Encode()
	return u.String(), password, nil
}

func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
