package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"sync"
)

// maxCachedStmts bounds the cache. Queries are constants apart from paging
// variants and IN lists (at most a few hundred texts); past the bound a
// query simply runs unprepared.
const maxCachedStmts = 1024

// stmtCache holds prepared statements by (rebound) query text. database/sql
// prepares each on a connection the first time it runs there and keeps it.
//
// Preparing a new statement takes a connection from the pool, so it is
// never done inside a transaction: the transaction already holds one, and
// on SQLite it holds the write lock too, while every other connection may
// belong to a writer queued for that lock. Waiting for a connection there
// would stall them all until busy_timeout. A transaction runs a statement
// it finds no prepared copy of as it is, and the statement is prepared once
// the transaction is over (see missed).
type stmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

// lookup returns the prepared statement for query, if there is one.
func (c *stmtCache) lookup(query string) (*sql.Stmt, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	st, ok := c.m[query]
	return st, ok
}

// full reports whether the cache takes no more statements.
func (c *stmtCache) full() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m) >= maxCachedStmts
}

// get returns the statement for query, preparing it if needed; nil when the
// cache is off or full, or preparing failed (the caller then runs the
// query unprepared and meets the error there). It may take a connection
// from the pool: never call it inside a transaction.
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if st, ok := c.lookup(query); ok || c.full() {
		return st
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.m[query]; ok {
		st.Close()
		return prev
	}
	c.m[query] = st
	return st
}

// prepare prepares the queries a transaction ran without a prepared copy.
func (c *stmtCache) prepare(ctx context.Context, queries []string) {
	for _, q := range queries {
		c.get(ctx, q)
	}
}

// missed collects the queries a transaction found no prepared statement
// for.
type missed struct{ queries []string }

func (m *missed) add(query string) {
	if m != nil && !slices.Contains(m.queries, query) {
		m.queries = append(m.queries, query)
	}
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}
