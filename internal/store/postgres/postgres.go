// Package postgres is Roost's PostgreSQL store: the shared sqlstore queries
// over pgx (a pgxpool.Pool, wrapped as a database/sql DB), with embedded
// migrations. It also provides the vault's key store, in its own schema
// (KeySchema) so that a dump of the data schema never holds keys:
//
//	pg_dump --exclude-schema=roost_keys ...
//
// The data tables live in the connection's search_path (normally public).
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/roost-social/roost/internal/store/sqlstore"
	"github.com/roost-social/roost/internal/vault"
)

// KeySchema is where the key store keeps wrapped keys.
const KeySchema = "roost_keys"

// Dialect is PostgreSQL for sqlstore.
var Dialect = sqlstore.Dialect{
	Name:     "postgres",
	PK:       "BIGINT PRIMARY KEY",
	Blob:     "BYTEA",
	Optimize: "ANALYZE",
	// Nodes starting together take turns migrating.
	MigrationLock: "SELECT pg_advisory_xact_lock(7306416807)",
	// READ COMMITTED: transactions that count from what they read lock
	// first.
	RowLocks:              true,
	IsUniqueViolation:     func(err error) bool { return hasCode(err, "23505") },
	IsForeignKeyViolation: func(err error) bool { return hasCode(err, "23503") },
}

// hasCode reports whether err is a PostgreSQL error with SQLSTATE code.
func hasCode(err error, code string) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == code
}

// Store is the PostgreSQL store.
type Store struct {
	*sqlstore.Store
	pool *pgxpool.Pool
	db   *sql.DB
}

// Open connects to dsn and migrates the schema. The vault must be open
// already, over the key store from OpenKeyStore.
func Open(ctx context.Context, dsn string, v *vault.Vault) (*Store, error) {
	pool, db, err := connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	s := &Store{Store: sqlstore.New(db, Dialect, v), pool: pool, db: db}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// connect opens a pool with JIT compilation off: the timeline queries'
// cost estimates are high enough to trigger it, and compiling takes far
// longer than running them.
func connect(ctx context.Context, dsn string) (*pgxpool.Pool, *sql.DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, nil, fmt.Errorf("postgres: %w", err)
	}
	return pool, stdlib.OpenDBFromPool(pool), nil
}

// Pool is the connection pool, for the job queue that shares it.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// DB is the pool as a database/sql DB.
func (s *Store) DB() *sql.DB { return s.db }

// Migrate brings the schema up to date; running it again does nothing.
func (s *Store) Migrate(ctx context.Context) error { return sqlstore.Migrate(ctx, s.db, Dialect) }

// Close closes the database and the pool.
func (s *Store) Close() error {
	err := s.db.Close()
	s.pool.Close()
	return err
}

// KeyStore is the vault's key store in its own schema, over its own small
// pool.
//
// Deleted keys leave PostgreSQL's files only as the server reuses pages and
// recycles WAL; what stays behind is wrapped under a master key that is never
// in the database.
type KeyStore struct {
	*sqlstore.KeyStore
	pool *pgxpool.Pool
	db   *sql.DB
}

var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// OpenKeyStore connects to dsn and keeps keys in schema (KeySchema in
// production), creating it and its table if needed.
func OpenKeyStore(ctx context.Context, dsn, schema string) (*KeyStore, error) {
	if !identifier.MatchString(schema) {
		return nil, fmt.Errorf("postgres: bad key schema name %q", schema)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	k := &KeyStore{pool: pool, db: db}
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		k.Close()
		return nil, fmt.Errorf("postgres: key schema: %w", err)
	}
	if k.KeyStore, err = sqlstore.NewKeyStore(ctx, db, Dialect, schema+".data_keys"); err != nil {
		k.Close()
		return nil, err
	}
	return k, nil
}

// Close closes the key store's pool.
func (k *KeyStore) Close() error {
	err := k.db.Close()
	k.pool.Close()
	return err
}
