package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/roost-social/roost/internal/store/sqlite"
	"github.com/roost-social/roost/internal/store/sqlstore"
	"github.com/roost-social/roost/internal/store/storetest"
	"github.com/roost-social/roost/internal/vault"
	"github.com/roost-social/roost/internal/vault/vaulttest"
)

// open makes a store in a fresh directory.
func open(tb testing.TB) storetest.Harness {
	h, _ := openDir(tb, tb.TempDir())
	return h
}

// openDir opens the key store, the vault and the store in dir.
func openDir(tb testing.TB, dir string) (storetest.Harness, *sqlite.Store) {
	tb.Helper()
	ctx := context.Background()
	ks, err := sqlite.OpenKeyStore(filepath.Join(dir, sqlite.KeyFile))
	if err != nil {
		tb.Fatal(err)
	}
	mk, err := vault.NewMasterKey()
	if err != nil {
		tb.Fatal(err)
	}
	v, err := vault.New(ctx, mk, ks)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := sqlite.Open(ctx, dir, v)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		s.Close()
		ks.Close()
	})
	return storetest.Harness{Store: s, Vault: v}, s
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestKeyStore(t *testing.T) {
	vaulttest.RunKeyStore(t, func(t *testing.T) vault.KeyStore {
		ks, err := sqlite.OpenKeyStore(filepath.Join(t.TempDir(), sqlite.KeyFile))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ks.Close() })
		return ks
	})
}

func TestMigrateIsIdempotent(t *testing.T) {
	_, s := openDir(t, t.TempDir())
	for i := 0; i < 2; i++ {
		if err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != sqlstore.SchemaVersion() {
		t.Errorf("schema_migrations has %d rows (%v), want %d", n, err, sqlstore.SchemaVersion())
	}
}
