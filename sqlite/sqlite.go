// Package sqlite opens Mentorbook's store on SQLite (modernc.org/sqlite,
// pure Go): the pools, the migrations (DDL), how a write transaction begins
// and what its errors mean. The queries are internal/sqlstore's, shared
// with PostgreSQL.
//
// Every write transaction is BEGIN IMMEDIATE, on the writer pool: it takes
// the write lock up front, waiting up to busy_timeout for it, so a
// transaction never reads and then fails to upgrade with SQLITE_BUSY. The
// reader pool is query_only, so nothing can write around that path. The
// overlap invariant is a trigger on booking_blocks; see migrations/.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook/internal/sqlstore"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a Mentorbook store in one SQLite file.
type DB struct {
	*sqlstore.DB
	read   *sql.DB
	write  *sql.DB
	writer chan struct{} // holds a token while this process has a write transaction open
}

// Options tune Open; the zero value is production-ready.
type Options struct {
	// Timeout bounds each unit of work (default 5s).
	Timeout time.Duration
}

// Open opens (creating if needed) the database file at path. Call Migrate
// before use.
func Open(ctx context.Context, path string, opts ...Options) (*DB, error) {
	if strings.ContainsAny(path, "?#") {
		// The driver would read the rest as DSN parameters.
		return nil, fmt.Errorf("sqlite: open %q: path must not contain ? or #", path)
	}
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	dsn := func(txlock string, busyMillis int, pragmas ...string) string {
		q := url.Values{}
		if txlock != "" {
			q.Set("_txlock", txlock)
		}
		// time.Time parameters are stored as integer unix microseconds,
		// the form every instant column has.
		q.Set("_time_integer_format", "unix_micro")
		base := []string{fmt.Sprintf("busy_timeout(%d)", busyMillis), "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"}
		for _, p := range append(base, pragmas...) {
			q.Add("_pragma", p)
		}
		return "file:" + path + "?" + q.Encode()
	}

	// SQLite's busy handler sleeps without looking at the context, so the
	// writers wait for another process's lock in short steps (begin) and
	// the unit of work's deadline still holds.
	write, err := sql.Open("sqlite", dsn("immediate", int(beginStep/time.Millisecond)))
	if err != nil {
		return nil, err
	}
	// One writer at a time holds the lock anyway (the writer queue below).
	// The second connection is where statements are first prepared for the
	// cache while the first is in a transaction; both are kept, with their
	// prepared statements.
	write.SetMaxOpenConns(2)
	write.SetMaxIdleConns(2)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}

	read, err := sql.Open("sqlite", dsn("", 10000, "query_only(1)"))
	if err != nil {
		write.Close()
		return nil, err
	}
	// A bounded pool that keeps what it opens: reopening a connection
	// re-runs the pragmas and re-prepares statements, and an unbounded
	// one keeps a file handle for every connection a burst ever opened.
	readers := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)

	db := &DB{read: read, write: write, writer: make(chan struct{}, 1)}
	db.DB = sqlstore.New(sqlstore.Config{
		Read:    read,
		Write:   write,
		Begin:   db.begin,
		Prepare: true,
		Timeout: o.Timeout,
		Dialect: dialect,
		Close: func() error {
			return errors.Join(read.Close(), write.Close())
		},
	})
	return db, nil
}

// begin starts a write transaction (BEGIN IMMEDIATE). Writers of this
// process queue for a token first, in arrival order: SQLite's busy handler
// backs off ever longer, so under heavy contention newcomers overtake long
// waiters. A writer in another process (or another handle on the file)
// is waited for in steps of beginStep until ctx ends.
func (db *DB) begin(ctx context.Context) (*sql.Tx, func(), error) {
	select {
	case db.writer <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	for {
		tx, err := db.write.BeginTx(ctx, nil)
		if err == nil {
			return tx, func() { tx.Rollback(); <-db.writer }, nil
		}
		var se *sqlite.Error
		if !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || ctx.Err() != nil {
			<-db.writer
			return nil, nil, err
		}
	}
}

// beginStep is how long one BEGIN IMMEDIATE waits for another process's
// write lock (busy_timeout on the writer pool) before begin looks at its
// deadline again.
const beginStep = 100 * time.Millisecond

// Migrate applies the embedded migrations not yet recorded in
// schema_migrations, in name order, each in its own (immediate) transaction,
// so several processes migrating one file at once apply each exactly once.
func (db *DB) Migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrate(ctx, name); err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", name, err)
		}
	}
	return nil
}

func (db *DB) migrate(ctx context.Context, name string) error {
	script, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	tx, end, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer end()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    TEXT    PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, name).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(script)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`,
		name, time.Now()); err != nil {
		return err
	}
	return tx.Commit()
}

var dialect = sqlstore.Dialect{
	Name: "sqlite",
	// BEGIN IMMEDIATE already serialises writers: no row locks.
	ExpireStale: expireStale,
	Violation:   violation,
	Retryable:   func(error) bool { return false },
	Unavailable: unavailable,
}

// expireStale frees the time of stale pending bookings, then marks them
// expired: two statements, which the write lock makes one step.
func expireStale(ctx context.Context, q sqlstore.Querier, now time.Time, cond string, args ...any) ([]int64, error) {
	args = append([]any{now}, args...)
	stale := `status = 'pending' AND expires_at <= $1 ` + cond
	if _, err := q.ExecContext(ctx, `DELETE FROM booking_blocks WHERE booking_id IN (SELECT id FROM bookings WHERE `+stale+`)`, args...); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `UPDATE bookings SET status = 'expired', updated_at = $1 WHERE `+stale+` RETURNING id`, args...)
	if err != nil {
		return nil, err
	}
	return sqlstore.IDs(rows)
}

// violation reads the constraint from SQLite's message, "... constraint
// failed: users.email (2067)" or, for a trigger's RAISE, "... constraint
// failed: booking_blocks_no_overlap: user already holds ... (1811)": the
// triggers' messages start with the invariant's name and a colon.
func violation(err error) (sqlstore.Violation, bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_CONSTRAINT {
		return sqlstore.Violation{}, false
	}
	msg := se.Error()
	const marker = "constraint failed: "
	name := msg
	if i := strings.LastIndex(msg, marker); i >= 0 {
		name = msg[i+len(marker):]
	}
	name, _, _ = strings.Cut(name, ":")
	name, _, _ = strings.Cut(name, " (")
	v := sqlstore.Violation{Name: name}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		v.Kind = sqlstore.Unique
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		v.Kind = sqlstore.Check
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		v.Kind = sqlstore.ForeignKey
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		v.Kind = sqlstore.NotNull
	default: // SQLITE_CONSTRAINT_TRIGGER: an invariant a trigger guards
		v.Kind = sqlstore.Exclusion
	}
	return v, true
}

// unavailable reports a database that cannot be written or read at all:
// read-only file, full disk, I/O error, or a lock that never came.
func unavailable(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_BUSY,
		sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return true
	}
	return false
}
