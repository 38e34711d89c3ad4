package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// Backend is the database the queue lives in. Build it with SQLite or
// Postgres; the zero Backend is unusable.
type Backend struct {
	impl backendImpl
}

// SQLite keeps jobs in the SQLite database behind db (modernc.org/sqlite).
// See the package documentation for the connection settings db needs. Jobs
// that complete plainly are marked so in one statement per batch rather
// than River's one per job (see sqlitecomplete.go).
func SQLite(db *sql.DB) Backend {
	return Backend{impl: driverBackend[*sql.Tx]{newSQLiteDriver(db)}}
}

// Postgres keeps jobs in the PostgreSQL database behind pool, in the schema
// its search_path selects.
func Postgres(pool *pgxpool.Pool) Backend {
	return Backend{impl: driverBackend[pgx.Tx]{riverpgxv5.New(pool)}}
}

// Migrate creates or upgrades River's tables. It is idempotent and belongs
// next to the store's own migrations, before New.
func Migrate(ctx context.Context, backend Backend) error {
	if backend.impl == nil {
		return fmt.Errorf("jobs: migrate: no backend")
	}
	if err := backend.impl.migrate(ctx, quietLogger(nil)); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

type backendImpl interface {
	migrate(ctx context.Context, logger *slog.Logger) error
	newClient(cfg *river.Config) (client, error)
}

// client is what Queue needs of a river.Client, whatever its transaction
// type.
type client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	insertTx(ctx context.Context, tx any, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// driverBackend adapts one River driver; TTx is its transaction type.
type driverBackend[TTx any] struct {
	driver riverdriver.Driver[TTx]
}

func (b driverBackend[TTx]) migrate(ctx context.Context, logger *slog.Logger) error {
	m, err := rivermigrate.New(b.driver, &rivermigrate.Config{Logger: logger})
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

func (b driverBackend[TTx]) newClient(cfg *river.Config) (client, error) {
	c, err := river.NewClient(b.driver, cfg)
	if err != nil {
		return nil, err
	}
	return riverClient[TTx]{c}, nil
}

type riverClient[TTx any] struct {
	*river.Client[TTx]
}

func (c riverClient[TTx]) insertTx(ctx context.Context, tx any, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	t, ok := tx.(TTx)
	if !ok {
		var want TTx
		return nil, fmt.Errorf("transaction is %T, this backend needs %T", tx, want)
	}
	return c.InsertTx(ctx, t, args, opts)
}
