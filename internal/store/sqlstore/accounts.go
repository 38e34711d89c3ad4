package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/store"
)

const accountCols = `a.id, a.username, a.domain, a.display_name, a.note, a.fields,
	a.locked, a.bot, a.discoverable, a.noindex, a.uri, a.url, a.created_at, a.updated_at,
	a.suspended_at, a.followers_count, a.following_count, a.statuses_count, a.last_status_at,
	(SELECT mv.target_id FROM account_moves mv WHERE mv.account_id = a.id)`

type rowScanner interface{ Scan(dest ...any) error }

// scanAccount reads accountCols, after the extra leading columns pre, and
// opens the sealed fields.
func (s *Store) scanAccount(ctx context.Context, sc rowScanner, pre ...any) (*model.Account, error) {
	var a model.Account
	var name, note, fields []byte
	dest := append(pre, &a.ID, &a.Username, &a.Domain, &name, &note, &fields,
		&a.Locked, &a.Bot, &a.Discoverable, &a.NoIndex, &a.URI, &a.URL,
		timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt}, nullTimeCol{&a.SuspendedAt},
		&a.FollowersCount, &a.FollowingCount, &a.StatusesCount, nullTimeCol{&a.LastStatusAt},
		idCol{&a.MovedToID})
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	c := s.cipher(ctx, a.ID, "accounts", a.ID)
	a.DisplayName = c.openString("display_name", name)
	a.Note = c.openString("note", note)
	c.openJSON("fields", fields, &a.Fields)
	return &a, c.err
}

// collect scans every row with scan, skipping rows that were shredded.
func collect[T any](rows *sql.Rows, err error, scan func(rowScanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if shredded(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// accountList runs a query over accountCols.
func (s *Store) accountList(ctx context.Context, c conn, q string, a args) ([]*model.Account, error) {
	rows, err := c.query(ctx, q, a...)
	return collect(rows, err, func(r rowScanner) (*model.Account, error) { return s.scanAccount(ctx, r) })
}

// keyedAccounts runs a query selecting a paging key then accountCols.
func (s *Store) keyedAccounts(ctx context.Context, q string, a args, rev bool) ([]store.Keyed[*model.Account], error) {
	rows, err := s.conn().query(ctx, q, a...)
	out, err := collect(rows, err, func(r rowScanner) (store.Keyed[*model.Account], error) {
		var k store.Keyed[*model.Account]
		acc, err := s.scanAccount(ctx, r, &k.Key)
		k.Value = acc
		return k, err
	})
	if rev {
		reverse(out)
	}
	return out, err
}

// sealedAccount is an account's personal fields as ciphertexts.
func (s *Store) sealAccount(ctx context.Context, a *model.Account) (name, note, fields []byte, err error) {
	c := s.cipher(ctx, a.ID, "accounts", a.ID)
	name = c.sealString("display_name", a.DisplayName)
	note = c.sealString("note", a.Note)
	f := a.Fields
	if f == nil {
		f = []model.Field{}
	}
	fields = c.sealJSON("fields", f)
	return name, note, fields, c.err
}

func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

func (s *Store) insertAccount(ctx context.Context, c conn, a *model.Account) error {
	name, note, fields, err := s.sealAccount(ctx, a)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO accounts (id, username, username_lower, domain,
		display_name, note, fields, locked, bot, discoverable, noindex, uri, url,
		created_at, updated_at, suspended_at, followers_count, following_count,
		statuses_count, last_status_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
		a.ID, a.Username, strings.ToLower(a.Username), a.Domain,
		nullBytes(name), nullBytes(note), nullBytes(fields), a.Locked, a.Bot, a.Discoverable, a.NoIndex,
		a.URI, a.URL, micros(a.CreatedAt), micros(a.UpdatedAt), nullMicros(a.SuspendedAt),
		a.FollowersCount, a.FollowingCount, a.StatusesCount, nullMicros(a.LastStatusAt))
	return err
}

func (s *Store) prepareAccount(a *model.Account) {
	a.CreatedAt = s.orNow(a.CreatedAt)
	a.ID = newID(a.ID, a.CreatedAt)
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	a.Domain = strings.ToLower(a.Domain)
}

// CreateLocalAccount inserts a local account and its user in one transaction.
func (s *Store) CreateLocalAccount(ctx context.Context, a *model.Account, u *model.User) error {
	a.Domain = ""
	s.prepareAccount(a)
	u.AccountID = a.ID
	u.CreatedAt = s.orNow(u.CreatedAt)
	err := s.tx(ctx, func(c conn) error {
		if err := s.insertAccount(ctx, c, a); err != nil {
			return err
		}
		return s.insertUser(ctx, c, u)
	})
	return s.fail("create account", err)
}

// CreateRemoteAccount inserts an account that lives on another server. The
// unique indexes on (domain, username_lower) and on uri (where set) make
// the conflicts.
func (s *Store) CreateRemoteAccount(ctx context.Context, a *model.Account) error {
	switch {
	case a.Domain == "":
		return model.Invalid("remote account needs a domain")
	case a.URI == "":
		return model.Invalid("remote account needs its ActivityPub id")
	}
	s.prepareAccount(a)
	return s.fail("create remote account", s.insertAccount(ctx, s.conn(), a))
}

func (s *Store) Account(ctx context.Context, id int64) (*model.Account, error) {
	r := s.conn().row(ctx, `SELECT `+accountCols+` FROM accounts a WHERE a.id = $1`, id)
	a, err := s.scanAccount(ctx, r)
	return a, s.fail(opID("account", id), err)
}

func (s *Store) AccountsByID(ctx context.Context, ids []int64) (map[int64]*model.Account, error) {
	out := make(map[int64]*model.Account, len(ids))
	for _, part := range chunks(ids) {
		var a args
		q := `SELECT ` + accountCols + ` FROM accounts a WHERE a.id IN (` + a.list(part) + `)`
		list, err := s.accountList(ctx, s.conn(), q, a)
		if err != nil {
			return nil, s.fail("accounts by id", err)
		}
		for _, acc := range list {
			out[acc.ID] = acc
		}
	}
	return out, nil
}

func (s *Store) AccountByUsername(ctx context.Context, username, domain string) (*model.Account, error) {
	r := s.conn().row(ctx, `SELECT `+accountCols+` FROM accounts a
		WHERE a.domain = $1 AND a.username_lower = $2`, strings.ToLower(domain), strings.ToLower(username))
	a, err := s.scanAccount(ctx, r)
	return a, s.fail("account by username", err)
}

// AccountByURI reads the accounts_uri index, which leaves out the empty
// URIs of local accounts.
func (s *Store) AccountByURI(ctx context.Context, uri string) (*model.Account, error) {
	if uri == "" {
		return nil, s.fail("account by uri", model.ErrNotFound)
	}
	r := s.conn().row(ctx, `SELECT `+accountCols+` FROM accounts a WHERE a.uri = $1 AND a.uri <> ''`, uri)
	a, err := s.scanAccount(ctx, r)
	return a, s.fail("account by uri", err)
}

func (s *Store) UpdateAccount(ctx context.Context, a *model.Account) error {
	name, note, fields, err := s.sealAccount(ctx, a)
	if err != nil {
		return s.fail(opID("update account", a.ID), err)
	}
	n, err := s.conn().affected(ctx, `UPDATE accounts SET display_name = $2, note = $3, fields = $4,
		locked = $5, bot = $6, discoverable = $7, noindex = $8, updated_at = $9 WHERE id = $1`,
		a.ID, nullBytes(name), nullBytes(note), nullBytes(fields), a.Locked, a.Bot, a.Discoverable, a.NoIndex,
		micros(s.orNow(a.UpdatedAt)))
	return s.fail(opID("update account", a.ID), noRow(n, err))
}

// noRow turns "no row changed" into sql.ErrNoRows.
func noRow(n int64, err error) error {
	if err == nil && n == 0 {
		return sql.ErrNoRows
	}
	return err
}

func (s *Store) SetAccountSuspended(ctx context.Context, id int64, at *time.Time) error {
	n, err := s.conn().affected(ctx, `UPDATE accounts SET suspended_at = $2 WHERE id = $1`, id, nullMicros(at))
	return s.fail(opID("suspend account", id), noRow(n, err))
}

// likePrefix escapes s for a LIKE pattern matching strings that start with s.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

// SearchAccounts lists local accounts before remote ones, each by username.
func (s *Store) SearchAccounts(ctx context.Context, prefix string, limit, offset int) ([]*model.Account, error) {
	q := `SELECT ` + accountCols + ` FROM accounts a
		WHERE a.username_lower LIKE $1 ESCAPE '\' AND a.suspended_at IS NULL
		ORDER BY a.domain <> '', a.username_lower, a.domain LIMIT $2 OFFSET $3`
	list, err := s.accountList(ctx, s.conn(), q, args{likePrefix(strings.ToLower(prefix)), clampLimit(limit), max(offset, 0)})
	return list, s.fail("search accounts", err)
}
