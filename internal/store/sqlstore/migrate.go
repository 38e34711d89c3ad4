package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one embedded schema change.
type migration struct {
	version int
	script  string
}

// migrations returns the schema changes in version order, written for d.
// Files are named NNNN_what.sql; the version is NNNN, so a database records
// what it ran by number, not by position, and a file added out of order can
// never be mistaken for another. A file is never edited once released, only
// followed by a new one.
func migrations(d *Dialect) ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	r := strings.NewReplacer("{{pk}}", d.PK, "{{blob}}", d.Blob)
	out := make([]migration, 0, len(names))
	seen := map[int]string{}
	for _, n := range names {
		v, err := migrationVersion(n)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", prev, n, v)
		}
		seen[v] = n
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, script: r.Replace(string(b))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrationVersion parses the NNNN of migrations/NNNN_what.sql.
func migrationVersion(name string) (int, error) {
	base := path.Base(name)
	num, _, ok := strings.Cut(base, "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || v <= 0 {
		return 0, fmt.Errorf("migration %s: name must start with a positive number and '_'", base)
	}
	return v, nil
}

// SchemaVersion is the version Migrate brings a schema to: the highest
// embedded migration number.
func SchemaVersion() int {
	ms, err := migrations(&Dialect{})
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate brings db's schema up to date. It is idempotent: each migration
// runs once, in its own transaction, recorded in schema_migrations.
func Migrate(ctx context.Context, db *sql.DB, d Dialect) error {
	steps, err := migrations(&d)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	const table = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER NOT NULL PRIMARY KEY,
	applied_at BIGINT NOT NULL
)`
	if _, err := db.ExecContext(ctx, table); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, m := range steps {
		if err := migrateStep(ctx, db, &d, m.version, m.script); err != nil {
			return fmt.Errorf("store: migration %d: %w", m.version, err)
		}
	}
	return nil
}

func migrateStep(ctx context.Context, db *sql.DB, d *Dialect, version int, script string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	c := conn{tx: tx, d: d}
	if d.MigrationLock != "" {
		if _, err := c.exec(ctx, d.MigrationLock); err != nil {
			return err
		}
	}
	var n int
	if err := c.row(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	for _, stmt := range statements(script) {
		if _, err := c.exec(ctx, stmt); err != nil {
			return fmt.Errorf("%w (in %.60q)", err, stmt)
		}
	}
	if _, err := c.exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`,
		version, micros(time.Now())); err != nil {
		return err
	}
	return tx.Commit()
}

// statements splits a script at semicolons that end a line, dropping
// comment lines. The scripts contain no semicolons in literals.
func statements(script string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(script, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if s := strings.TrimSpace(cur.String()); s != ";" {
				out = append(out, strings.TrimSuffix(s, ";"))
			}
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
