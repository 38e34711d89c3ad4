// Package teststore opens real stores for tests outside the store
// packages: a fresh SQLite store, or PostgreSQL in fresh schemas, each with
// its own vault and master key, closed when the test ends. It is how core,
// the Mastodon API and federation tests get a store without repeating the
// key store → vault → store sequence.
package teststore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/store/postgres"
	"github.com/roost-social/roost/internal/store/sqlite"
	"github.com/roost-social/roost/internal/testutil/pgtest"
	"github.com/roost-social/roost/internal/vault"
)

// SQLite opens a fresh SQLite store and its vault in a temporary directory.
func SQLite(t testing.TB) (store.Store, *vault.Vault) {
	t.Helper()
	dir := t.TempDir()
	ks, err := sqlite.OpenKeyStore(filepath.Join(dir, sqlite.KeyFile))
	if err != nil {
		t.Fatalf("open key store: %v", err)
	}
	t.Cleanup(func() { _ = ks.Close() })
	v := openVault(t, ks)
	st, err := sqlite.Open(context.Background(), dir, v)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st, v
}

// Postgres opens a fresh PostgreSQL store and its vault, data and keys in
// schemas of their own; it skips (or fails, under ROOST_REQUIRE_POSTGRES)
// as pgtest does when the server cannot be reached.
func Postgres(t testing.TB) (store.Store, *vault.Vault) {
	t.Helper()
	ctx := context.Background()
	dsn, _ := pgtest.Schema(t)
	_, keySchema := pgtest.Schema(t)
	ks, err := postgres.OpenKeyStore(ctx, dsn, keySchema)
	if err != nil {
		t.Fatalf("open key store: %v", err)
	}
	t.Cleanup(func() { _ = ks.Close() })
	v := openVault(t, ks)
	st, err := postgres.Open(ctx, dsn, v)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st, v
}

func openVault(t testing.TB, ks vault.KeyStore) *vault.Vault {
	t.Helper()
	mk, err := vault.NewMasterKey()
	if err != nil {
		t.Fatal(err)
	}
	v, err := vault.New(context.Background(), mk, ks)
	if err != nil {
		t.Fatalf("open vault: %v", err)
	}
	return v
}
