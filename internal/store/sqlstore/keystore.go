package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/roost-social/roost/internal/vault"
)

// KeyStore is a vault.KeyStore over one table. Callers put the table
// somewhere data backups do not reach: another SQLite file, another
// PostgreSQL schema.
type KeyStore struct {
	db    *sql.DB
	d     Dialect
	table string
	// AfterDelete, when set, runs after keys are deleted, to push the
	// erasure to disk (SQLite truncates its WAL, which still holds the
	// deleted rows).
	AfterDelete func(context.Context) error
}

var _ vault.KeyStore = (*KeyStore)(nil)

// NewKeyStore returns a key store over table (which may be schema-qualified)
// and creates the table if it is missing.
func NewKeyStore(ctx context.Context, db *sql.DB, d Dialect, table string) (*KeyStore, error) {
	k := &KeyStore{db: db, d: d, table: table}
	ddl := strings.NewReplacer("{{table}}", table, "{{pk}}", d.PK, "{{blob}}", d.Blob).Replace(
		`CREATE TABLE IF NOT EXISTS {{table}} (
			id {{pk}},
			owner BIGINT NOT NULL,
			period TEXT NOT NULL,
			master_id TEXT NOT NULL,
			wrapped {{blob}} NOT NULL,
			created_at BIGINT NOT NULL,
			UNIQUE (owner, period)
		)`)
	if _, err := db.ExecContext(ctx, ddl); err != nil {
		return nil, fmt.Errorf("keystore: create table: %w", err)
	}
	return k, nil
}

func (k *KeyStore) conn() conn { return conn{db: k.db, d: &k.d} }

func (k *KeyStore) fail(op string, err error) error {
	return (&Store{d: k.d}).fail("keystore: "+op, err)
}

const keyCols = `id, owner, period, master_id, wrapped, created_at`

func scanKey(sc rowScanner) (*vault.WrappedKey, error) {
	var w vault.WrappedKey
	err := sc.Scan(&w.ID, &w.Owner, &w.Period, &w.MasterID, &w.Wrapped, timeCol{&w.CreatedAt})
	return &w, err
}

// PutKey inserts w, giving it an ID if it has none.
func (k *KeyStore) PutKey(ctx context.Context, w *vault.WrappedKey) error {
	if w.CreatedAt.IsZero() {
		w.CreatedAt = time.Now().UTC()
	}
	w.ID = newID(w.ID, w.CreatedAt)
	_, err := k.conn().exec(ctx, `INSERT INTO `+k.table+` (`+keyCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		w.ID, w.Owner, w.Period, w.MasterID, w.Wrapped, micros(w.CreatedAt))
	return k.fail("put key", err)
}

func (k *KeyStore) Key(ctx context.Context, id int64) (*vault.WrappedKey, error) {
	w, err := scanKey(k.conn().row(ctx, `SELECT `+keyCols+` FROM `+k.table+` WHERE id = $1`, id))
	if err != nil {
		return nil, k.fail(opID("key", id), err)
	}
	return w, nil
}

func (k *KeyStore) KeyFor(ctx context.Context, owner int64, period string) (*vault.WrappedKey, error) {
	w, err := scanKey(k.conn().row(ctx, `SELECT `+keyCols+` FROM `+k.table+` WHERE owner = $1 AND period = $2`, owner, period))
	if err != nil {
		return nil, k.fail(opID("key for", owner), err)
	}
	return w, nil
}

func (k *KeyStore) OwnerKeys(ctx context.Context, owner int64) ([]*vault.WrappedKey, error) {
	rows, err := k.conn().query(ctx, `SELECT `+keyCols+` FROM `+k.table+` WHERE owner = $1 ORDER BY period`, owner)
	out, err := collect(rows, err, scanKey)
	return out, k.fail(opID("owner keys", owner), err)
}

func (k *KeyStore) DeleteKeys(ctx context.Context, ids []int64) error {
	for _, part := range chunks(ids) {
		var a args
		if _, err := k.conn().exec(ctx, `DELETE FROM `+k.table+` WHERE id IN (`+a.list(part)+`)`, a...); err != nil {
			return k.fail("delete keys", err)
		}
	}
	if k.AfterDelete != nil && len(ids) > 0 {
		return k.fail("delete keys", k.AfterDelete(ctx))
	}
	return nil
}

// RewrapAll reads and rewrites every key in one transaction.
func (k *KeyStore) RewrapAll(ctx context.Context, fn func(*vault.WrappedKey) ([]byte, string, error)) error {
	s := &Store{db: k.db, d: k.d}
	err := s.tx(ctx, func(c conn) error {
		rows, err := c.query(ctx, `SELECT `+keyCols+` FROM `+k.table+` ORDER BY id`)
		keys, err := collect(rows, err, scanKey)
		if err != nil {
			return err
		}
		for _, w := range keys {
			wrapped, master, err := fn(w)
			if err != nil {
				return err
			}
			if _, err := c.exec(ctx, `UPDATE `+k.table+` SET wrapped = $2, master_id = $3 WHERE id = $1`,
				w.ID, wrapped, master); err != nil {
				return err
			}
		}
		return nil
	})
	return k.fail("rewrap", err)
}

// ClassKeysBefore matches the class by prefix and compares only periods of
// that class, which all have the same shape ("class/2006-01"), so the
// comparison means the same under any collation.
func (k *KeyStore) ClassKeysBefore(ctx context.Context, class, before string, limit int) ([]*vault.WrappedKey, error) {
	prefix := class + "/"
	rows, err := k.conn().query(ctx, `SELECT `+keyCols+` FROM `+k.table+`
		WHERE substr(period, 1, $1) = $2 AND period < $3 ORDER BY period, id LIMIT $4`,
		len(prefix), prefix, before, limit)
	out, err := collect(rows, err, scanKey)
	return out, k.fail("class keys "+class, err)
}
