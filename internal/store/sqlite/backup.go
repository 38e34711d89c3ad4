package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the SQLite database at src to dest,
// while other connections (a running server) may be writing to it. It uses
// VACUUM INTO, which reads one snapshot and writes a compact new file: the
// copy holds the committed state at one instant, WAL contents included, and
// no free pages, so rows deleted before the backup leave nothing behind in
// it. dest must not exist; it is created with mode 0600 and written under a
// temporary name first, so a failed backup leaves no partial file.
//
// Backup copies one file. For the data, src is dir/roost.db; the key store
// (keys.db) is a file of its own and is never part of a data backup.
func Backup(ctx context.Context, src, dest string) error {
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sqlite: backup: no database at %s", src)
	} else if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("sqlite: backup: %s already exists", dest)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	tmp := dest + ".partial"
	if err := createEmpty(tmp); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	err := vacuumInto(ctx, src, tmp)
	if err == nil {
		err = syncFile(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, dest)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	return nil
}

// vacuumInto opens src without creating it (a read-only connection could
// not read a WAL database whose server is stopped) and copies it into the
// empty file dest.
func vacuumInto(ctx context.Context, src, dest string) error {
	db, err := sql.Open("sqlite", "file:"+src+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, `VACUUM INTO ?`, dest)
	return err
}

// createEmpty creates path empty and private; VACUUM INTO accepts an empty
// file as its target.
func createEmpty(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// header starts every SQLite database file.
var header = []byte("SQLite format 3\x00")

// Restore puts the database file src, made by Backup, in place of the
// data file in dir (dir/roost.db), for Open to migrate and use. It must run
// while no server uses dir. An existing data file is refused unless
// replace is set; then it and its WAL are removed. The key store in dir is
// left as it is: restored data opens with the keys that still exist, and
// what was sealed under a key shredded since the backup stays unreadable.
func Restore(src, dir string, replace bool) error {
	if err := checkDatabaseFile(src); err != nil {
		return fmt.Errorf("sqlite: restore: %w", err)
	}
	dest := filepath.Join(dir, DataFile)
	if !replace {
		if fi, err := os.Stat(dest); err == nil && fi.Size() > 0 {
			return fmt.Errorf("sqlite: restore: %s already holds a database: %w", dest, fs.ErrExist)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("sqlite: restore: %w", err)
	}
	tmp := dest + ".restoring"
	if err := copyFile(src, tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("sqlite: restore: %w", err)
	}
	// The old WAL belongs to the old file: left beside the restored one,
	// SQLite would replay it over the backup.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dest + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			_ = os.Remove(tmp)
			return fmt.Errorf("sqlite: restore: %w", err)
		}
	}
	if err := os.Rename(tmp, dest); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("sqlite: restore: %w", err)
	}
	return nil
}

// checkDatabaseFile makes sure path is an SQLite database, not (say) the
// key store or a PostgreSQL dump given by mistake.
func checkDatabaseFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	b := make([]byte, len(header))
	if _, err := io.ReadFull(f, b); err != nil || !bytes.Equal(b, header) {
		return fmt.Errorf("%s is not an SQLite database", path)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	err = db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'accounts')`).Scan(&n)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if n != 2 {
		return fmt.Errorf("%s is not a Roost data backup (the key store is restored by copying keys.db)", path)
	}
	return nil
}

// copyFile copies src to a new private file dest and syncs it.
func copyFile(src, dest string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
