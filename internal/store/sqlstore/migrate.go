package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the schema changes in order, written for d. Files are
// named NNNN_what.sql and applied in name order; a file is never edited once
// released, only followed by a new one.
func migrations(d *Dialect) ([]string, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	r := strings.NewReplacer("{{pk}}", d.PK, "{{blob}}", d.Blob)
	out := make([]string, 0, len(names))
	for _, n := range names {
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, r.Replace(string(b)))
	}
	return out, nil
}

// SchemaVersion is the version Migrate brings a schema to: the number of
// embedded migrations.
func SchemaVersion() int {
	names, _ := fs.Glob(migrationFiles, "migrations/*.sql") // a valid, constant pattern
	return len(names)
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
	for i, step := range steps {
		if err := migrateStep(ctx, db, &d, i+1, step); err != nil {
			return fmt.Errorf("store: migration %d: %w", i+1, err)
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
