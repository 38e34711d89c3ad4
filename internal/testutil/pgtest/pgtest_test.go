package pgtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/roost-social/roost/internal/testutil/pgtest"
)

func TestSchemaIsPrivateAndDropped(t *testing.T) {
	ctx := context.Background()
	var schema string
	t.Run("use", func(t *testing.T) {
		var dsn string
		dsn, schema = pgtest.Schema(t)
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `CREATE TABLE things (id BIGINT)`); err != nil {
			t.Fatal(err)
		}
		var got string
		if err := conn.QueryRow(ctx, `SELECT table_schema FROM information_schema.tables WHERE table_name = 'things'`).Scan(&got); err != nil || got != schema {
			t.Errorf("table created in %q (%v), want %q", got, err, schema)
		}
		if other := pgtest.URL(t); other == dsn {
			t.Error("two calls returned the same schema")
		}
	})
	conn, err := pgx.Connect(ctx, pgtest.ServerURL())
	if err != nil {
		t.Skip(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT COUNT(*) FROM pg_namespace WHERE nspname = $1`, schema).Scan(&n); err != nil || n != 0 {
		t.Errorf("schema %s still exists after the test (%d, %v)", schema, n, err)
	}
}
