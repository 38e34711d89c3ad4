package postgres_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store/storetest"
)

// column is one column of a scanned schema.
type column struct{ schema, table, name, typ string }

func columns(t *testing.T, db *sql.DB, schemas ...string) []column {
	t.Helper()
	var out []column
	for _, schema := range schemas {
		rows, err := db.Query(`SELECT table_name, column_name, data_type FROM information_schema.columns
			WHERE table_schema = $1`, schema)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			c := column{schema: schema}
			if err := rows.Scan(&c.table, &c.name, &c.typ); err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
		rows.Close()
	}
	return out
}

// holds counts the rows of c's table whose c holds marker, as bytes.
func holds(t *testing.T, db *sql.DB, c column, marker string) int {
	t.Helper()
	tbl := pgx.Identifier{c.schema, c.table}.Sanitize()
	col := pgx.Identifier{c.name}.Sanitize()
	q := `SELECT COUNT(*) FROM ` + tbl + ` WHERE strpos(` + col + `::text, $1) > 0`
	if c.typ == "bytea" {
		q = `SELECT COUNT(*) FROM ` + tbl + ` WHERE position(convert_to($1, 'UTF8') IN ` + col + `) > 0`
	}
	var n int
	if err := db.QueryRow(q, marker).Scan(&n); err != nil {
		t.Fatalf("%s.%s: %v", c.table, c.name, err)
	}
	return n
}

// TestColumnsHoldNoPlaintext writes a marker into every encrypted field and
// looks for it in the raw bytes of every column of the data and key
// schemas, then in the tables' files and the WAL as the server wrote them.
func TestColumnsHoldNoPlaintext(t *testing.T) {
	ctx := context.Background()
	h, s, sc := openSchemas(t)
	c := storetest.WriteCanaries(t, h)
	db := s.DB()
	cols := columns(t, db, sc.data, sc.keys)
	found := 0
	for _, col := range cols {
		found += holds(t, db, col, c.Clear[0])
		for field, secret := range c.Secret {
			if n := holds(t, db, col, secret); n > 0 {
				t.Errorf("%s in clear in %s.%s", field, col.table, col.name)
			}
		}
	}
	if found == 0 {
		t.Fatal("the scan cannot see the data: the clear marker is in no column")
	}
	scanServerFiles(t, db, sc, c)

	if err := h.Vault.Shred(ctx, c.Owner.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Status(ctx, c.StatusID); !errors.Is(err, model.ErrShredded) {
		t.Errorf("status after shred: %v, want ErrShredded", err)
	}
	var keys int
	if err := db.QueryRow(`SELECT COUNT(*) FROM `+sc.keys+`.data_keys WHERE owner = $1`, c.Owner.ID).Scan(&keys); err != nil || keys != 0 {
		t.Errorf("owner still has %d keys (%v)", keys, err)
	}
}

// scanServerFiles reads the schemas' table, index and TOAST files and the
// newest WAL segments through the server, after a checkpoint has flushed
// them. It needs a superuser and is skipped otherwise.
func scanServerFiles(t *testing.T, db *sql.DB, sc schemas, c storetest.Canaries) {
	var super bool
	if err := db.QueryRow(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil || !super {
		t.Log("not a superuser: raw file scan skipped, column scan only")
		return
	}
	if _, err := db.Exec(`CHECKPOINT`); err != nil {
		t.Fatal(err)
	}
	rel := readFiles(t, db, `SELECT pg_read_binary_file(pg_relation_filepath(c.oid)) FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname IN ($1, $2) AND c.relkind IN ('r', 'i', 't')
		UNION ALL SELECT pg_read_binary_file(pg_relation_filepath(c.reltoastrelid)) FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname IN ($1, $2) AND c.reltoastrelid <> 0`, sc.data, sc.keys)
	wal := readFiles(t, db, `SELECT pg_read_binary_file('pg_wal/' || name) FROM
		(SELECT name FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' ORDER BY modification DESC LIMIT 3) w`)
	for what, b := range map[string][]byte{"table files": rel, "WAL": wal} {
		if !bytes.Contains(b, []byte(c.Clear[0])) {
			t.Fatalf("the scan cannot see the %s: the clear marker is not in them", what)
		}
		for field, secret := range c.Secret {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s in clear in the %s", field, what)
			}
		}
	}
}

func readFiles(t *testing.T, db *sql.DB, q string, args ...any) []byte {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var all []byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return all
}
