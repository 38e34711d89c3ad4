package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/roost-social/roost/internal/model"
	"github.com/roost-social/roost/internal/vault"
)

// cipherRow seals or opens the personal fields of one row for one owner.
// It keeps the first error so that a row's fields can be handled in a run of
// calls and checked once.
type cipherRow struct {
	ctx   context.Context
	v     *vault.Vault
	owner int64
	table string
	row   int64
	class string // the vault key class sealing uses (see in)
	err   error
}

func (s *Store) cipher(ctx context.Context, owner int64, table string, row int64) *cipherRow {
	return &cipherRow{ctx: ctx, v: s.v, owner: owner, table: table, row: row}
}

// in makes the row seal under the owner's keys of class (vault.ClassPosts
// and the others), which retire with that class's retention; opening does
// not depend on it.
func (c *cipherRow) in(class string) *cipherRow {
	c.class = class
	return c
}

func (c *cipherRow) place(col string) vault.Place {
	return vault.Place{Table: c.table, Column: col, Row: c.row, Class: c.class}
}

// statusClass is the key class of a status and its edits: direct messages
// apart, then local posts and the cache of other servers' posts, which
// retire on different schedules.
func statusClass(local bool, v model.Visibility) string {
	switch {
	case v == model.VisibilityDirect:
		return vault.ClassDirect
	case local:
		return vault.ClassPosts
	}
	return vault.ClassCache
}

func (c *cipherRow) seal(col string, b []byte) []byte {
	if c.err != nil {
		return nil
	}
	ct, err := c.v.Seal(c.ctx, c.owner, c.place(col), b)
	if err != nil {
		c.err = fmt.Errorf("seal %s.%s: %w", c.table, col, err)
	}
	return ct
}

func (c *cipherRow) sealString(col, s string) []byte { return c.seal(col, []byte(s)) }

// sealJSON seals v's JSON encoding. A JSON value is never empty, so the
// column always holds a ciphertext and a shredded row always shows as such.
func (c *cipherRow) sealJSON(col string, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil && c.err == nil {
		c.err = fmt.Errorf("encode %s.%s: %w", c.table, col, err)
	}
	return c.seal(col, b)
}

func (c *cipherRow) open(col string, ct []byte) []byte {
	if c.err != nil {
		return nil
	}
	pt, err := c.v.Open(c.ctx, c.owner, c.place(col), ct)
	if err != nil {
		c.err = fmt.Errorf("open %s.%s %d: %w", c.table, col, c.row, err)
	}
	return pt
}

func (c *cipherRow) openString(col string, ct []byte) string { return string(c.open(col, ct)) }

func (c *cipherRow) openJSON(col string, ct []byte, v any) {
	b := c.open(col, ct)
	if c.err != nil || len(b) == 0 {
		return
	}
	if err := json.Unmarshal(b, v); err != nil {
		c.err = fmt.Errorf("decode %s.%s %d: %w", c.table, col, c.row, err)
	}
}

// shredded reports whether err is an unreadable row, which listings skip.
func shredded(err error) bool { return errors.Is(err, model.ErrShredded) }
