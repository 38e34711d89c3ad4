// Package sqlite is Roost's default store: an embedded SQLite database
// (modernc.org/sqlite, pure Go) in WAL mode, running the shared sqlstore
// queries with embedded migrations. It also provides the vault's key store,
// kept in a separate file so that a copy of the data file never holds keys.
//
// A data directory holds roost.db (data) and keys.db (wrapped data keys),
// both created with mode 0600 (SQLite gives the -wal and -shm files the same
// mode). Back up roost.db; back up keys.db separately or not at all: a
// shredded key must not survive in a backup.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/roost-social/roost/internal/store/sqlstore"
	"github.com/roost-social/roost/internal/vault"
)

// File names inside a data directory.
const (
	DataFile = "roost.db"
	KeyFile  = "keys.db"
)

// Dialect is SQLite for sqlstore.
var Dialect = sqlstore.Dialect{
	Name:                 "sqlite",
	QuestionPlaceholders: true,
	PK:                   "INTEGER PRIMARY KEY",
	Blob:                 "BLOB",
	CacheStatements:      true,
	Optimize:             "PRAGMA optimize",
	FeedIndexHint:        "INDEXED BY statuses_feed",
	IsUniqueViolation: func(err error) bool {
		return hasCode(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
	IsForeignKeyViolation: func(err error) bool { return hasCode(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY) },
}

// hasCode reports whether err is an SQLite error with one of codes.
func hasCode(err error, codes ...int) bool {
	var e *msqlite.Error
	return errors.As(err, &e) && slices.Contains(codes, e.Code())
}

// Store is the SQLite store.
type Store struct {
	*sqlstore.Store
	db *sql.DB
}

// Open opens (creating if needed) dir/roost.db and migrates it. The vault
// must be open already, over the key store from OpenKeyStore.
func Open(ctx context.Context, dir string, v *vault.Vault) (*Store, error) {
	db, err := openDB(filepath.Join(dir, DataFile))
	if err != nil {
		return nil, err
	}
	s := &Store{Store: sqlstore.New(db, Dialect, v), db: db}
	if err := s.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// DB is the underlying database, for the job queue that shares it.
func (s *Store) DB() *sql.DB { return s.db }

// Migrate brings the schema up to date; running it again does nothing.
func (s *Store) Migrate(ctx context.Context) error { return sqlstore.Migrate(ctx, s.db, Dialect) }

// pragmas apply to every connection. Writes take the lock at BEGIN
// (_txlock=immediate) so that concurrent writers wait their turn
// (busy_timeout) instead of failing on a lock upgrade. synchronous=NORMAL
// is safe in WAL mode: a power cut may lose the last commits, never
// consistency. secure_delete overwrites deleted rows in the file.
const pragmas = "?_txlock=immediate" +
	"&_pragma=busy_timeout(10000)" +
	"&_pragma=journal_mode(WAL)" +
	"&_pragma=synchronous(NORMAL)" +
	"&_pragma=foreign_keys(1)" +
	"&_pragma=secure_delete(1)"

// openDB opens path, creating it and its directory private to the owner.
func openDB(path string) (*sql.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	err = f.Chmod(0o600) // a file restored from elsewhere may be readable by others
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+path+pragmas)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", filepath.Base(path), err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", filepath.Base(path), err)
	}
	return db, nil
}

// KeyStore is the vault's key store in its own SQLite file.
type KeyStore struct {
	*sqlstore.KeyStore
	db *sql.DB
}

// OpenKeyStore opens (creating if needed) the key file at path, usually
// dir/keys.db. Deleted keys are overwritten in the file (secure_delete) and
// the WAL is truncated after each deletion, so a shredded key is gone from
// both files.
func OpenKeyStore(path string) (*KeyStore, error) {
	db, err := openDB(path)
	if err != nil {
		return nil, err
	}
	ks, err := sqlstore.NewKeyStore(context.Background(), db, Dialect, "data_keys")
	if err != nil {
		db.Close()
		return nil, err
	}
	ks.AfterDelete = func(ctx context.Context) error {
		_, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		return err
	}
	return &KeyStore{KeyStore: ks, db: db}, nil
}

// Close closes the key file.
func (k *KeyStore) Close() error { return k.db.Close() }
