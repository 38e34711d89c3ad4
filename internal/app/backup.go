package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/store/postgres"
	"github.com/roost-social/roost/internal/store/sqlite"
)

// KeyBackupMaxDays is the longest a copy of the key store may be kept.
// Shredding destroys keys; a key-store backup brings them back, together
// with every data backup they open. So an account deleted (or a month
// purged) today is gone from every backup only once the last key-store
// copy made before today is destroyed. Thirty days is the month the GDPR
// gives for erasure (Art. 12(3)); see "Backups" in docs/PRIVACY.md.
const KeyBackupMaxDays = 30

// BackupOptions say what Backup writes and where.
type BackupOptions struct {
	// To is a file to create, or an existing directory to create a
	// timestamped file in.
	To string
	// Keys backs up the key store instead of the data.
	Keys bool
	// Now names the file in a directory; nil is time.Now.
	Now func() time.Time
}

// Backup writes a consistent backup of cfg's data (or, with o.Keys, of its
// key store), never both in one file, and returns the file's path. It
// needs neither the master key nor a stopped server: SQLite is copied with
// VACUUM INTO, PostgreSQL dumped with pg_dump, both from one snapshot. A
// data backup holds only ciphertext for personal fields and no key; it is
// readable only beside the key store and the master key, and only for
// keys not shredded since.
func Backup(ctx context.Context, cfg *config.Config, o BackupOptions) (string, error) {
	dest, err := backupPath(cfg, o)
	if err != nil {
		return "", err
	}
	switch {
	case cfg.Database.Driver == config.DriverPostgres:
		schema, err := dataSchema(ctx, cfg.Database.URL)
		if err != nil {
			return "", err
		}
		if o.Keys {
			schema = keySchema(cfg.Database.URL)
		}
		err = postgres.Dump(ctx, cfg.Database.URL, schema, dest)
		if err != nil {
			return "", fmt.Errorf("app: backup: %w", err)
		}
	default:
		src := filepath.Join(cfg.DataDir, sqlite.DataFile)
		if o.Keys {
			src = keyStorePath(cfg)
		}
		if err := sqlite.Backup(ctx, src, dest); err != nil {
			return "", fmt.Errorf("app: backup: %w", err)
		}
	}
	return dest, nil
}

// backupPath is o.To, or a new file named for what is backed up and when
// in the directory o.To.
func backupPath(cfg *config.Config, o BackupOptions) (string, error) {
	if o.To == "" {
		return "", errors.New("app: backup: no destination")
	}
	fi, err := os.Stat(o.To)
	if err != nil || !fi.IsDir() {
		return o.To, nil // a new file; Backup refuses an existing one
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	what, ext := "data", ".db"
	if o.Keys {
		what = "keys"
	}
	if cfg.Database.Driver == config.DriverPostgres {
		ext = ".sql"
	}
	return filepath.Join(o.To, "roost-"+what+"-"+now().UTC().Format("20060102T150405Z")+ext), nil
}

// Restore puts a data backup made by Backup back in place of cfg's data,
// beside the key store as it is now: what was sealed under keys shredded
// since the backup (deleted accounts) stays unreadable. The server must be
// stopped. Existing data is refused unless replace is set. The next Open
// migrates the restored data to this version's schema.
func Restore(ctx context.Context, cfg *config.Config, from string, replace bool) error {
	if _, err := os.Stat(from); err != nil {
		return fmt.Errorf("app: restore: %w", err)
	}
	var err error
	switch cfg.Database.Driver {
	case config.DriverPostgres:
		var schema string
		if schema, err = dataSchema(ctx, cfg.Database.URL); err == nil {
			err = postgres.Restore(ctx, cfg.Database.URL, schema, from, replace)
		}
	default:
		if err = prepareDataDir(cfg.DataDir, slog.New(slog.DiscardHandler)); err == nil {
			err = sqlite.Restore(from, cfg.DataDir, replace)
		}
	}
	if err != nil {
		return fmt.Errorf("app: restore: %w", err)
	}
	return nil
}

// dataSchema is the PostgreSQL schema the data lives in: the first schema
// of the URL's search_path, or else the one the server picks for it
// (normally public). It is never the key store's.
func dataSchema(ctx context.Context, dsn string) (string, error) {
	schema, err := searchPathSchema(ctx, dsn)
	if err != nil {
		return "", fmt.Errorf("app: data schema: %w", err)
	}
	if !validSchema.MatchString(schema) {
		return "", fmt.Errorf("app: data schema %q: name it with search_path in the database URL", schema)
	}
	if schema == keySchema(dsn) {
		return "", fmt.Errorf("app: the data schema %s is the key store's", schema)
	}
	return schema, nil
}

func searchPathSchema(ctx context.Context, dsn string) (string, error) {
	cc, err := pgx.ParseConfig(dsn)
	if err != nil {
		return "", err
	}
	first, _, _ := strings.Cut(cc.RuntimeParams["search_path"], ",")
	first = strings.TrimSpace(first)
	if first != "" && first != `"$user"` {
		return first, nil
	}
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var schema *string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return "", err
	}
	if schema == nil {
		return "public", nil // nothing on the path exists yet: a restore creates it
	}
	return *schema, nil
}
