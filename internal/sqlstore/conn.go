package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// Querier is a pool or a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// errReadOnly is a write attempted through Store.Read: a defect.
var errReadOnly = errors.New("sqlstore: write outside a write transaction")

// conn runs the repositories' statements: in a write transaction (tx), or
// on the read pool (db, read-only). Statements on the read pool go through
// the prepared-statement cache when the engine keeps one.
type conn struct {
	tx       *sql.Tx
	db       *sql.DB
	stmts    *stmtCache
	readOnly bool
	d        *Dialect
	// ctx is the unit of work's: its deadline bounds every statement,
	// whatever context a caller hands a repository method.
	ctx context.Context
}

func (c conn) q() Querier {
	if c.tx != nil {
		return c.tx
	}
	return c.db
}

// stmt returns query's cached statement, bound to the transaction if
// there is one, or nil to run query unprepared.
func (c conn) stmt(query string) *sql.Stmt {
	st := c.stmts.get(c.ctx, query)
	if st != nil && c.tx != nil {
		return c.tx.StmtContext(c.ctx, st)
	}
	return st
}

// The repositories pass their caller's ctx; statements run under the unit
// of work's instead (see conn.ctx).
func (c conn) query(_ context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.stmt(query); st != nil {
		return st.QueryContext(c.ctx, args...)
	}
	return c.q().QueryContext(c.ctx, query, args...)
}

func (c conn) queryRow(_ context.Context, query string, args ...any) *sql.Row {
	if st := c.stmt(query); st != nil {
		return st.QueryRowContext(c.ctx, args...)
	}
	return c.q().QueryRowContext(c.ctx, query, args...)
}

// writer is the transaction to write through, for statements a dialect
// runs itself.
func (c conn) writer() (Querier, error) {
	if c.readOnly {
		return nil, errReadOnly
	}
	return c.q(), nil
}

// exec runs a write; a broken constraint comes back as a mentorbook error,
// so the use case inside the transaction can tell what happened.
func (c conn) exec(_ context.Context, query string, args ...any) (sql.Result, error) {
	if c.readOnly {
		return nil, errReadOnly
	}
	var res sql.Result
	var err error
	if st := c.stmt(query); st != nil {
		res, err = st.ExecContext(c.ctx, args...)
	} else {
		res, err = c.q().ExecContext(c.ctx, query, args...)
	}
	return res, c.violation(err)
}

// execScan runs a write that returns a row (RETURNING) into dest.
func (c conn) execScan(ctx context.Context, query string, args []any, dest ...any) error {
	if c.readOnly {
		return errReadOnly
	}
	return c.violation(c.queryRow(ctx, query, args...).Scan(dest...))
}

// violation maps a broken constraint to its mentorbook error.
func (c conn) violation(err error) error {
	if err == nil {
		return nil
	}
	if v, ok := c.d.Violation(err); ok {
		return v.error(err)
	}
	return err
}

// affected runs a write and counts its rows.
func (c conn) affected(ctx context.Context, query string, args ...any) (int, error) {
	res, err := c.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// limitClause is LIMIT the value bound to placeholder p. SQLite (3.53
// here) reads a bare bound LIMIT while planning (sqlite3ExprIsInteger), so
// binding it again expires the prepared statement and every execution
// prepares it anew: two to five times a list query's cost
// (docs/performance.md, issue 11). A cast hides the value from the
// planner; PostgreSQL reads it the same.
func limitClause(p string) string { return "LIMIT CAST(" + p + " AS BIGINT)" }

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

// get returns the cached statement for query, or nil when query should run
// unprepared: no cache, a full cache, or a failed prepare (running it
// unprepared then reports the error).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st
	}
	if len(c.m) >= maxCachedStmts {
		return nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}
