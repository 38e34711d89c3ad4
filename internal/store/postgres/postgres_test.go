package postgres_test

import (
	"context"
	"testing"

	"github.com/roost-social/roost/internal/store/postgres"
	"github.com/roost-social/roost/internal/store/sqlstore"
	"github.com/roost-social/roost/internal/store/storetest"
	"github.com/roost-social/roost/internal/testutil/pgtest"
	"github.com/roost-social/roost/internal/vault"
	"github.com/roost-social/roost/internal/vault/vaulttest"
)

// open makes a store in a fresh schema, with its keys in another.
func open(tb testing.TB) storetest.Harness {
	h, _ := openStore(tb)
	return h
}

func openStore(tb testing.TB) (storetest.Harness, *postgres.Store) {
	h, s, _ := openSchemas(tb)
	return h, s
}

// schemas names where a test store keeps its data and its keys.
type schemas struct{ data, keys string }

func openSchemas(tb testing.TB) (storetest.Harness, *postgres.Store, schemas) {
	tb.Helper()
	ctx := context.Background()
	dsn, dataSchema := pgtest.Schema(tb)
	_, keySchema := pgtest.Schema(tb)
	ks, err := postgres.OpenKeyStore(ctx, dsn, keySchema)
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
	s, err := postgres.Open(ctx, dsn, v)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		s.Close()
		ks.Close()
	})
	return storetest.Harness{Store: s, Vault: v}, s, schemas{data: dataSchema, keys: keySchema}
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestKeyStore(t *testing.T) {
	vaulttest.RunKeyStore(t, func(t *testing.T) vault.KeyStore {
		dsn, schema := pgtest.Schema(t)
		ks, err := postgres.OpenKeyStore(context.Background(), dsn, schema)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ks.Close() })
		return ks
	})
}

func TestMigrateIsIdempotent(t *testing.T) {
	_, s := openStore(t)
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
