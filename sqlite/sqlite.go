// Package sqlite implements mentorbook.Store on SQLite (modernc.org/sqlite,
// pure Go).
//
// Every write transaction is BEGIN IMMEDIATE (DSN _txlock=immediate): it
// takes the write lock up front, waiting up to busy_timeout for it, so a
// transaction never reads and then fails to upgrade with SQLITE_BUSY. The
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
	"sort"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Compile-time check that DB implements the contract.
var _ mentorbook.Store = (*DB)(nil)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a Mentorbook store in one SQLite file.
type DB struct {
	db     *sql.DB
	stmts  *stmtCache
	writer chan struct{} // holds a token while this process has a write transaction open
}

// Open opens (creating if needed) the database file at path. Call Migrate
// before use.
func Open(ctx context.Context, path string) (*DB, error) {
	if strings.ContainsAny(path, "?#") {
		// The driver would read the rest as DSN parameters.
		return nil, fmt.Errorf("sqlite: open %q: path must not contain ? or #", path)
	}
	q := url.Values{}
	q.Set("_txlock", "immediate")
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	dsn := "file:" + path + "?" + q.Encode()

	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// Each new connection re-runs the pragmas; keep a few around so bursts
	// of requests do not pay for that every time.
	sdb.SetMaxIdleConns(8)
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return &DB{db: sdb, stmts: &stmtCache{db: sdb}, writer: make(chan struct{}, 1)}, nil
}

// Close closes the database.
func (db *DB) Close() error {
	db.stmts.close()
	return db.db.Close()
}

// read runs queries outside a transaction.
func (db *DB) read() conn { return conn{cache: db.stmts} }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.db.PingContext(ctx) }

// Migrate applies the embedded migrations not yet recorded in
// schema_migrations, in name order, each in its own (immediate) transaction,
// so several processes migrating one file at once apply each exactly once.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    TEXT    PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("sqlite: create schema_migrations: %w", err)
	}
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
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer db.endWrite(tx)

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, name).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return nil
	}
	// A script holds many statements: run it directly, not prepared.
	if _, err := tx.tx.ExecContext(ctx, string(script)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		name, time.Now().UnixMicro()); err != nil {
		return err
	}
	return tx.Commit()
}

// beginWrite starts a write transaction (BEGIN IMMEDIATE). Writers of this
// process queue for a token first, in arrival order: SQLite's busy handler
// backs off ever longer, so under heavy contention newcomers overtake long
// waiters, which could then run out of busy_timeout. The timeout still
// covers writers in other processes. End it with endWrite.
func (db *DB) beginWrite(ctx context.Context) (txn, error) {
	select {
	case db.writer <- struct{}{}:
	case <-ctx.Done():
		return txn{}, ctx.Err()
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		<-db.writer
		return txn{}, err
	}
	return txn{conn{cache: db.stmts, tx: tx}}, nil
}

// endWrite rolls tx back unless it was committed, and lets the next writer in.
func (db *DB) endWrite(tx txn) {
	tx.Rollback()
	<-db.writer
}

// queryer is what the read helpers need: a *sql.DB or a *sql.Tx.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readTx starts a deferred (read-only) transaction for reads that need one
// consistent snapshot; in WAL mode it never waits for writers.
func (db *DB) readTx(ctx context.Context) (txn, error) {
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	return txn{conn{cache: db.stmts, tx: tx}}, err
}

// mapError turns constraint violations into mentorbook errors: the one
// place SQLite error codes are interpreted. Other errors pass through.
func mapError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		return mentorbook.Errorf(mentorbook.EINVALID, "A value is out of range.")
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return mentorbook.Errorf(mentorbook.ENOTFOUND, "A referenced record does not exist.")
	case sqlite3.SQLITE_CONSTRAINT_TRIGGER:
		// booking_blocks_no_overlap is the only trigger that raises.
		return mentorbook.Errorf(mentorbook.ECONFLICT, "That time overlaps another booking.")
	}
	if se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
		return mentorbook.Errorf(mentorbook.ECONFLICT, "That conflicts with existing data.")
	}
	return err
}

func notFound(what string) error {
	return mentorbook.Errorf(mentorbook.ENOTFOUND, "%s not found.", what)
}

// micros stores an instant as UTC unix microseconds.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros is the inverse of micros.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// nullMicros stores the zero time as NULL.
func nullMicros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

func fromNullMicros(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromMicros(n.Int64)
}

// orNow is t, or now when t is zero: callers may leave timestamps to the store.
func orNow(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}
