// Package sqlstore is Roost's one database/sql implementation of
// store.Store, shared by SQLite and PostgreSQL. What differs between the two
// databases lives in a Dialect; the SQL is written once, with $1-style
// placeholders, and the queries are plain strings kept one file per area.
//
// Every personal text field is sealed by the vault before it is written and
// opened after it is read, bound to its table, column and row. Listings skip
// rows whose owner's key was shredded; single reads return an error wrapping
// model.ErrShredded.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
	"github.com/roost-social/roost/internal/vault"
)

// Dialect is everything sqlstore needs to know about a database.
type Dialect struct {
	// Name names the database in messages: "sqlite", "postgres".
	Name string
	// QuestionPlaceholders rewrites the queries' $n placeholders to ?n.
	QuestionPlaceholders bool
	// PK is the column type of a 64-bit integer primary key (on SQLite
	// "INTEGER PRIMARY KEY", so that the key is the rowid).
	PK string
	// Blob is the byte-string column type.
	Blob string
	// CacheStatements keeps prepared statements for reuse. SQLite wants it
	// (parsing a timeline query costs more than running it); pgx already
	// caches statements per connection.
	CacheStatements bool
	// FeedIndexHint follows "statuses s" in the queries that walk all
	// statuses newest first (home, public). SQLite needs telling to walk the
	// narrow statuses_feed index, which rejects rows without reading them,
	// instead of the table.
	FeedIndexHint string
	// Optimize refreshes the planner's statistics.
	Optimize string
	// MigrationLock is run first in the migration transaction to keep other
	// migrators out; empty when the transaction itself is exclusive.
	MigrationLock string
	// RowLocks has the transactions that read rows before they change what
	// depends on them (follows and their counters, a status and its boosts)
	// lock those rows first, as PostgreSQL needs at READ COMMITTED. SQLite
	// leaves it off: its writers hold the database's write lock from BEGIN
	// (_txlock=immediate), which keeps them apart already.
	RowLocks bool
	// IsUniqueViolation reports whether err is a unique-constraint failure.
	IsUniqueViolation func(error) bool
	// IsForeignKeyViolation reports whether err is a write referring to a
	// row that is not there (a boost of a status deleted meanwhile).
	IsForeignKeyViolation func(error) bool
}

// Store implements store.Store over a *sql.DB.
type Store struct {
	db    *sql.DB
	d     Dialect
	v     *vault.Vault
	now   func() time.Time
	stmts *stmtCache // nil unless the dialect caches statements
}

var _ store.Store = (*Store)(nil)

// New returns a store over db, sealing personal data with v. The schema must
// have been migrated (see Migrate).
func New(db *sql.DB, d Dialect, v *vault.Vault) *Store {
	s := &Store{db: db, d: d, v: v, now: time.Now}
	if d.CacheStatements {
		s.stmts = &stmtCache{db: db, m: map[string]*sql.Stmt{}}
	}
	return s
}

// SetClock replaces the store's clock, for tests of expiring rows.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Close closes the database.
func (s *Store) Close() error {
	s.stmts.close()
	return s.db.Close()
}

// Optimize refreshes the query planner's statistics; run it after bulk
// loads and now and then (a daily job).
func (s *Store) Optimize(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, s.d.Optimize)
	return s.fail("optimize", err)
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn runs queries in the dialect's placeholder style, through the
// statement cache when there is one, inside a transaction when tx is set.
type conn struct {
	db     querier
	tx     *sql.Tx
	d      *Dialect
	stmts  *stmtCache
	missed *missed // in a transaction: the queries it found unprepared
}

// stmt returns a cached prepared statement for query, or nil. In a
// transaction it only uses a statement prepared already, bound to the
// transaction's connection; one not prepared yet runs as it is, and is
// prepared after the transaction (see stmtCache).
func (c conn) stmt(ctx context.Context, query string) *sql.Stmt {
	if c.stmts == nil {
		return nil
	}
	if c.tx == nil {
		return c.stmts.get(ctx, query)
	}
	st, ok := c.stmts.lookup(query)
	if !ok {
		c.missed.add(query)
		return nil
	}
	return c.tx.StmtContext(ctx, st)
}

func (c conn) q() querier {
	if c.tx != nil {
		return c.tx
	}
	return c.db
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = c.d.rebind(query)
	if st := c.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.q().ExecContext(ctx, query, args...)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = c.d.rebind(query)
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.q().QueryContext(ctx, query, args...)
}

func (c conn) row(ctx context.Context, query string, args ...any) *sql.Row {
	query = c.d.rebind(query)
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.q().QueryRowContext(ctx, query, args...)
}

// affected runs an exec and returns how many rows it changed.
func (c conn) affected(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := c.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Row lock strengths: forUpdate for a row about to be deleted (it also
// keeps new rows from referring to it), forNoKeyUpdate for one whose
// counters are about to change (rows may still refer to it meanwhile).
const (
	forUpdate      = "FOR UPDATE"
	forNoKeyUpdate = "FOR NO KEY UPDATE"
)

// lock takes row locks of strength mode on the rows of table with the
// given ids, in ascending ID order so that two transactions locking some
// of the same rows cannot deadlock. It does nothing unless the dialect
// wants row locks. Rows that are not there are not an error.
func (c conn) lock(ctx context.Context, table, mode string, ids ...int64) error {
	if !c.d.RowLocks || len(ids) == 0 {
		return nil
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var a args
	// LockRows runs above the sort: rows are locked in ORDER BY order.
	_, err := scanIDs(c.query(ctx, `SELECT id FROM `+table+` WHERE id IN (`+a.list(ids)+`) ORDER BY id `+mode, a...))
	return err
}

func (s *Store) conn() conn { return conn{db: s.db, d: &s.d, stmts: s.stmts} }

// tx runs fn in a transaction, committed when fn returns nil. The
// statements it ran unprepared are prepared afterwards, when no connection
// is held.
func (s *Store) tx(ctx context.Context, fn func(c conn) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	c := s.conn()
	c.tx = tx
	if s.stmts != nil {
		c.missed = &missed{}
		defer func() { s.stmts.prepare(ctx, c.missed.queries) }()
	}
	if err := fn(c); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// rebind rewrites $n placeholders to ?n when the dialect wants that. The
// queries never contain a literal '$', so every '$' before a digit is a
// placeholder.
func (d *Dialect) rebind(q string) string {
	if !d.QuestionPlaceholders || strings.IndexByte(q, '$') < 0 {
		return q
	}
	b := []byte(q)
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '$' && b[i+1] >= '0' && b[i+1] <= '9' {
			b[i] = '?'
		}
	}
	return string(b)
}

// fail wraps err with the operation, mapping a missing row (or a reference
// to one) to model.ErrNotFound and a unique violation to
// model.ErrConflict. Driver
// messages never reach a client: adapters show only the kind.
func (s *Store) fail(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("store: %s: %w", op, model.ErrNotFound)
	case s.d.IsUniqueViolation != nil && s.d.IsUniqueViolation(err):
		return fmt.Errorf("store: %s: %w", op, model.ErrConflict)
	case s.d.IsForeignKeyViolation != nil && s.d.IsForeignKeyViolation(err):
		return fmt.Errorf("store: %s: %w", op, model.ErrNotFound)
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

func opID(op string, id int64) string { return op + " " + strconv.FormatInt(id, 10) }

// args collects query arguments and hands out their placeholders.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// list adds every id and returns "$i, $j, ..." for an IN clause.
func (a *args) list(ids []int64) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.add(id))
	}
	return b.String()
}

// DefaultLimit and MaxLimit bound a page's size when the caller gives none
// or too many, as Mastodon does.
const (
	DefaultLimit = 20
	MaxLimit     = 40
)

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// paging renders p as bounds on the key column col (to append to a WHERE
// clause) and an ORDER BY ... LIMIT tail. With MinID the rows come oldest
// first and reverse is true: the caller flips them to newest first.
func paging(a *args, col string, p store.Page) (where, tail string, reverse bool) {
	if p.MaxID > 0 {
		where += " AND " + col + " < " + a.add(p.MaxID)
	}
	if p.SinceID > 0 {
		where += " AND " + col + " > " + a.add(p.SinceID)
	}
	order := " DESC"
	if p.MinID > 0 {
		where += " AND " + col + " > " + a.add(p.MinID)
		order, reverse = " ASC", true
	}
	tail = " ORDER BY " + col + order + " LIMIT " + a.add(clampLimit(p.Limit))
	return where, tail, reverse
}

func reverse[T any](xs []T) {
	for i, j := 0, len(xs)-1; i < j; i, j = i+1, j-1 {
		xs[i], xs[j] = xs[j], xs[i]
	}
}

// Times are stored as Unix microseconds.

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// nullMicros is a nullable time argument.
func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

// nullID is a nullable reference argument: 0 is NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// timeCol scans a Unix-microseconds column into a time.Time.
type timeCol struct{ p *time.Time }

func (c timeCol) Scan(v any) error {
	n, ok := v.(int64)
	if !ok {
		return fmt.Errorf("time column: unexpected %T", v)
	}
	*c.p = fromMicros(n)
	return nil
}

// nullTimeCol scans a nullable Unix-microseconds column.
type nullTimeCol struct{ p **time.Time }

func (c nullTimeCol) Scan(v any) error {
	if v == nil {
		*c.p = nil
		return nil
	}
	var t time.Time
	if err := (timeCol{&t}).Scan(v); err != nil {
		return err
	}
	*c.p = &t
	return nil
}

// idCol scans a nullable integer column, NULL as 0.
type idCol struct{ p *int64 }

func (c idCol) Scan(v any) error {
	switch n := v.(type) {
	case nil:
		*c.p = 0
	case int64:
		*c.p = n
	default:
		return fmt.Errorf("id column: unexpected %T", v)
	}
	return nil
}

// newID returns id, or a fresh one made at t when id is 0.
func newID(id int64, t time.Time) int64 {
	if id != 0 {
		return id
	}
	return model.NewID(t)
}

// orNow returns t, or now when t is zero.
func (s *Store) orNow(t time.Time) time.Time {
	if t.IsZero() {
		return s.now().UTC()
	}
	return t
}

// scanIDs reads a one-column result of integers.
func scanIDs(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// chunks splits ids so that IN lists stay well under every database's
// parameter limit.
func chunks(ids []int64) [][]int64 {
	const size = 500
	var out [][]int64
	for len(ids) > size {
		out = append(out, ids[:size])
		ids = ids[size:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

func isNotFound(err error) bool { return errors.Is(err, model.ErrNotFound) }
