package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache prepares each distinct SQL text once. modernc.org/sqlite parses
// a statement on every call otherwise, which was a quarter of the CPU of a
// slots read. database/sql re-prepares a cached statement lazily on each
// pooled connection it runs on. The store's queries are a small fixed set
// (a few shapes per filter); past maxCachedStmts texts, statements are not
// kept, so no input can grow the cache without bound.
const maxCachedStmts = 256

type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// get returns the cached statement for query, or nil when the cache is
// full and query should run unprepared.
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	if len(c.m) >= maxCachedStmts {
		return nil, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// conn runs queries through the cache, outside a transaction when tx is nil.
// It satisfies queryer, so helpers take it whether or not they run in a
// transaction.
type conn struct {
	cache *stmtCache
	tx    *sql.Tx
}

// stmt returns the cached statement for query, bound to the transaction;
// nil (with no error) means run query unprepared.
func (c conn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := c.cache.get(ctx, query)
	if err != nil || st == nil || c.tx == nil {
		return st, err
	}
	return c.tx.StmtContext(ctx, st), nil
}

// direct is what runs a query unprepared: the transaction, or the pool.
func (c conn) direct() queryer {
	if c.tx != nil {
		return c.tx
	}
	return c.cache.db
}

func (c conn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.direct().ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

func (c conn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.direct().QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

func (c conn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, query)
	if err != nil || st == nil {
		// Unprepared; after a failed prepare database/sql reports the same
		// error through the *sql.Row.
		return c.direct().QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// txn is a transaction whose queries go through the statement cache.
type txn struct {
	conn
}

func (t txn) Commit() error   { return t.tx.Commit() }
func (t txn) Rollback() error { return t.tx.Rollback() }
