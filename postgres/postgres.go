// Package postgres opens Mentorbook's store on PostgreSQL: a pgx pool
// (kept at hand for advisory locks and, later, LISTEN/NOTIFY), database/sql
// on top of it through pgx's stdlib adapter, the migrations (DDL), and what
// its errors mean. The queries are internal/sqlstore's, shared with SQLite.
//
// The overlap invariant is an exclusion constraint on booking_blocks (see
// migrations/), which needs the btree_gist extension.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/mentorbook/mentorbook/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a Mentorbook store in a PostgreSQL database (the schema is chosen
// by the URL's search_path, if any).
type DB struct {
	*sqlstore.DB
	pool *pgxpool.Pool
}

// Options tune Open; the zero value is production-ready.
type Options struct {
	// Timeout bounds each unit of work (default 5s).
	Timeout time.Duration
}

// Open connects a pool to the database at url, e.g.
// postgres://user@host:5432/db?sslmode=disable&pool_max_conns=16. Call
// Migrate before use.
func Open(ctx context.Context, url string, opts ...Options) (*DB, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		// pgx's default (four on a two-core machine) queues requests
		// that each spend most of their time waiting on the network:
		// contended booking requests ran 20–60% faster with 16 here.
		cfg.MaxConns = int32(max(16, 4*runtime.NumCPU()))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	sdb := stdlib.OpenDBFromPool(pool)
	db := &DB{pool: pool}
	db.DB = sqlstore.New(sqlstore.Config{
		Read: sdb,
		Begin: func(ctx context.Context) (*sql.Tx, func(), error) {
			// READ COMMITTED, explicitly: a statement that waited for a
			// row lock then sees what the other transaction committed.
			tx, err := sdb.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
			if err != nil {
				return nil, nil, err
			}
			return tx, func() { tx.Rollback() }, nil
		},
		Timeout: o.Timeout,
		Dialect: dialect,
		Close: func() error {
			err := sdb.Close()
			pool.Close()
			return err
		},
	})
	return db, nil
}

// Pool is the pgx pool under the store, for what database/sql cannot do
// (LISTEN/NOTIFY).
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

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

var dialect = sqlstore.Dialect{
	Name:           "postgres",
	ForUpdate:      " FOR UPDATE",
	ForNoKeyUpdate: " FOR NO KEY UPDATE",
	SkipLocked:     " FOR UPDATE SKIP LOCKED",
	ExpireStale:    expireStale,
	Violation:      violation,
	Retryable:      retryable,
	ConnectionLost: connectionLost,
	Unavailable:    unavailable,
}

// expireStale is one statement that locks the bookings rows first (the
// order a status change locks in): the UPDATE re-checks each row after
// waiting for its lock, so a booking answered meanwhile keeps its blocks,
// and the sweep racing a cancel cannot deadlock.
func expireStale(ctx context.Context, q sqlstore.Querier, now time.Time, cond string, args ...any) ([]int64, error) {
	args = append([]any{now}, args...)
	stale := `status = 'pending' AND expires_at <= $1 ` + cond
	rows, err := q.QueryContext(ctx, `WITH expired AS (
			UPDATE bookings SET status = 'expired', updated_at = $1
			WHERE id IN (SELECT id FROM bookings WHERE `+stale+` ORDER BY id FOR UPDATE)
				AND status = 'pending' AND expires_at <= $1
			RETURNING id),
		freed AS (DELETE FROM booking_blocks WHERE booking_id IN (SELECT id FROM expired))
		SELECT id FROM expired ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	return sqlstore.IDs(rows)
}

// violation names the constraint PostgreSQL reports.
func violation(err error) (sqlstore.Violation, bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return sqlstore.Violation{}, false
	}
	v := sqlstore.Violation{Name: pe.ConstraintName}
	switch pe.Code {
	case "23505": // unique_violation
		v.Kind = sqlstore.Unique
	case "23514": // check_violation
		v.Kind = sqlstore.Check
	case "23503": // foreign_key_violation
		v.Kind = sqlstore.ForeignKey
	case "23502": // not_null_violation
		v.Kind = sqlstore.NotNull
	case "23P01": // exclusion_violation
		v.Kind = sqlstore.Exclusion
	default:
		if strings.HasPrefix(pe.Code, "22") {
			// data_exception (a NUL in text, a date out of range): the use
			// cases validate input, so this is a backstop against a 500.
			return sqlstore.Violation{Kind: sqlstore.Check, Name: pe.Code}, true
		}
		return sqlstore.Violation{}, false
	}
	return v, true
}

// retryable reports deadlock_detected and serialization_failure: the
// transaction lost a race and may succeed when run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// connectionLost reports a connection the server ended (terminated by an
// administrator or a restart: class 57P) or that broke (class 08).
func connectionLost(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "57P") || strings.HasPrefix(pe.Code, "08")
	}
	return errors.Is(err, driver.ErrBadConn)
}

// unavailable reports a server that cannot be reached or refuses work for
// now (connection errors, shutdown, too many connections, read-only).
func unavailable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P") ||
			pe.Code == "53300" || pe.Code == "25006" || strings.HasPrefix(pe.Code, "53")
	}
	var ne net.Error
	return errors.As(err, &ne) || pgconn.Timeout(err) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, context.DeadlineExceeded)
}
