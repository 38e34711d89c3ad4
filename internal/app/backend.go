package app

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"

	"github.com/roost-social/roost/internal/config"
	"github.com/roost-social/roost/internal/jobs"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/store/postgres"
	"github.com/roost-social/roost/internal/store/sqlite"
	"github.com/roost-social/roost/internal/vault"
)

// keyStore is the vault's key store as the backends open it.
type keyStore interface {
	vault.KeyStore
	io.Closer
}

// backend is one database choice: where the keys, the data and the jobs
// live. Only this file knows there are two.
type backend struct {
	keys  keyStore
	store store.Store
	jobs  jobs.Backend
	ping  func(context.Context) error
	// openStore opens the data store (migrated) once the vault is
	// unlocked, and sets store, jobs and ping.
	openStore func(ctx context.Context, v *vault.Vault) error
}

// openBackend opens the key store of cfg's database; the data store waits
// for the vault (openStore).
func openBackend(ctx context.Context, cfg *config.Config) (*backend, error) {
	switch cfg.Database.Driver {
	case config.DriverPostgres:
		return openPostgres(ctx, cfg)
	default:
		return openSQLite(cfg)
	}
}

func openSQLite(cfg *config.Config) (*backend, error) {
	ks, err := sqlite.OpenKeyStore(keyStorePath(cfg))
	if err != nil {
		return nil, fmt.Errorf("app: open key store: %w", err)
	}
	b := &backend{keys: ks}
	b.openStore = func(ctx context.Context, v *vault.Vault) error {
		st, err := sqlite.Open(ctx, cfg.DataDir, v)
		if err != nil {
			return fmt.Errorf("app: open database: %w", err)
		}
		b.store, b.jobs, b.ping = st, jobs.SQLite(st.DB()), st.DB().PingContext
		return nil
	}
	return b, nil
}

func openPostgres(ctx context.Context, cfg *config.Config) (*backend, error) {
	ks, err := postgres.OpenKeyStore(ctx, cfg.Database.URL, keySchema(cfg.Database.URL))
	if err != nil {
		return nil, fmt.Errorf("app: open key store: %w", err)
	}
	b := &backend{keys: ks}
	b.openStore = func(ctx context.Context, v *vault.Vault) error {
		st, err := postgres.Open(ctx, cfg.Database.URL, v)
		if err != nil {
			return fmt.Errorf("app: open database: %w", err)
		}
		b.store, b.jobs, b.ping = st, jobs.Postgres(st.Pool()), st.Pool().Ping
		return nil
	}
	return b, nil
}

// keySchema is the PostgreSQL schema of the key store: postgres.KeySchema
// (roost_keys), or <schema>_keys when the database URL puts the data in
// its own schema with search_path, so that two instances sharing a
// database never share keys. Either way, a dump of the data schema alone
// holds no keys.
func keySchema(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return postgres.KeySchema
	}
	first, _, _ := strings.Cut(u.Query().Get("search_path"), ",")
	first = strings.TrimSpace(first)
	if first == "" || first == "public" || first == `"$user"` || !validSchema.MatchString(first) {
		return postgres.KeySchema
	}
	return first + "_keys"
}

var validSchema = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,57}$`)

// close closes the data store, then the key store.
func (b *backend) close() error {
	var data io.Closer
	if b.store != nil {
		data = b.store
	}
	return closeAll(data, b.keys)
}
