// Package postgres implements mentorbook.Store on PostgreSQL with pgx.
//
// The overlap invariant is an exclusion constraint on booking_blocks (see
// migrations/), which needs the btree_gist extension.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mentorbook/mentorbook"
)

// Compile-time check that DB implements the contract.
var _ mentorbook.Store = (*DB)(nil)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a Mentorbook store in a PostgreSQL database (the schema is chosen
// by the URL's search_path, if any).
type DB struct {
	pool *pgxpool.Pool
}

// Open connects a pool to the database at url, e.g.
// postgres://user@host:5432/db?sslmode=disable&pool_max_conns=16. Call
// Migrate before use.
func Open(ctx context.Context, url string) (*DB, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	return &DB{pool: pool}, nil
}

// Close closes the pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// migrationLock is the pg_advisory_lock key serialising Migrate across app
// instances. It is one key per database, not per schema, because
// btree_gist is per database too.
const migrationLock int64 = 0x6d656e746f72626b // "mentorbk"

// Migrate applies the embedded migrations not yet recorded in
// schema_migrations, in name order, each in a transaction. Several app
// instances may call it at once: all work happens on one connection holding
// a session advisory lock, so they take turns and later ones find nothing
// to do.
func (db *DB) Migrate(ctx context.Context) (err error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()

	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	defer func() {
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock); uerr != nil {
			// The session may still hold the lock: it must not return to
			// the pool. Closing the connection releases the lock.
			conn.Conn().Close(context.WithoutCancel(ctx))
			err = errors.Join(err, fmt.Errorf("postgres: migrate: unlock: %w", uerr))
		}
	}()

	// In public, not in the current schema: an extension lives once per
	// database, and dropping the schema it was created in would silently
	// drop it and every exclusion constraint using it, in all schemas.
	if _, err := conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public`); err != nil {
		return fmt.Errorf("postgres: migrate: btree_gist: %w", err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    text        PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}

	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := migrate(ctx, conn.Conn(), name); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
	}
	return nil
}

func migrate(ctx context.Context, conn *pgx.Conn, name string) error {
	script, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)

	var applied bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, name).Scan(&applied); err != nil {
		return err
	} else if applied {
		return nil
	}
	// No arguments: pgx sends the script with the simple protocol, which
	// allows several statements.
	if _, err := tx.Exec(ctx, string(script)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, name); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// queryer is what the read helpers need: the pool or a transaction.
type queryer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// readTx starts a read-only transaction for reads that need one snapshot.
func (db *DB) readTx(ctx context.Context) (pgx.Tx, error) {
	return db.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
}

// mapError turns constraint violations into mentorbook errors: the one
// place PostgreSQL error codes are interpreted. Other errors pass through.
func mapError(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "23505": // unique_violation
		return mentorbook.Errorf(mentorbook.ECONFLICT, "That conflicts with existing data.")
	case "23P01": // exclusion_violation: booking_blocks_no_overlap
		return mentorbook.Errorf(mentorbook.ECONFLICT, "That time overlaps another booking.")
	case "40P01", "40001": // deadlock_detected, serialization_failure: lost a race; retrying may work
		return mentorbook.Errorf(mentorbook.ECONFLICT, "A concurrent change got there first; try again.")
	case "23514": // check_violation
		return mentorbook.Errorf(mentorbook.EINVALID, "A value is out of range.")
	case "23503": // foreign_key_violation
		return mentorbook.Errorf(mentorbook.ENOTFOUND, "A referenced record does not exist.")
	}
	if strings.HasPrefix(pe.Code, "22") {
		// data_exception (a NUL in text, a date out of range): the use
		// cases validate input, so this is a backstop against a 500.
		return mentorbook.Errorf(mentorbook.EINVALID, "A value cannot be stored.")
	}
	return err
}

func notFound(what string) error {
	return mentorbook.Errorf(mentorbook.ENOTFOUND, "%s not found.", what)
}

// utc normalises instants read from timestamptz, which pgx returns in
// time.Local.
func utc(t time.Time) time.Time { return t.UTC() }

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func fromNullTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// orNow is t, or now when t is zero: callers may leave timestamps to the store.
func orNow(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}
