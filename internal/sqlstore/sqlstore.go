// Package sqlstore implements mentorbook.Store once, in SQL that SQLite
// (modernc.org/sqlite) and PostgreSQL (pgx through database/sql) both run.
// The engine packages (sqlite, postgres) open the pools, migrate, begin
// write transactions their own way and describe their errors; a Dialect
// holds the few statements that must differ. Every instant is a parameter:
// the database's clock is never read.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/mentorbook/mentorbook"
)

// Config is what an engine gives New.
type Config struct {
	// Read runs reads outside a transaction. It may refuse writes (SQLite
	// opens it query_only).
	Read *sql.DB
	// Begin starts a write transaction and returns the function that ends
	// it (rolling back unless committed). SQLite begins IMMEDIATE behind
	// its writer queue; PostgreSQL begins READ COMMITTED.
	Begin func(ctx context.Context) (*sql.Tx, func(), error)
	// Write, when set, is the pool Begin's transactions run on: its
	// statements are cached like Read's. Set it where Prepare is.
	Write *sql.DB
	// Prepare keeps prepared statements (modernc parses every statement
	// otherwise; pgx caches them by itself).
	Prepare bool
	Dialect Dialect
	// Timeout bounds every Read and Write, so a database that stops
	// answering gives EUNAVAILABLE instead of hanging requests.
	Timeout time.Duration
	Close   func() error
}

// Dialect is what differs between engines.
type Dialect struct {
	Name string
	// ForUpdate and ForNoKeyUpdate are row-lock suffixes ("" where the
	// write lock already serialises writers).
	ForUpdate, ForNoKeyUpdate string
	// SkipLocked is the suffix that lets concurrent claims pass each
	// other's locked rows.
	SkipLocked string
	// ExpireStale materialises the expiry of pending bookings (status
	// 'pending', expires_at <= $1) also matching the condition cond (whose
	// placeholders start at $2), frees their time and returns their IDs.
	ExpireStale func(ctx context.Context, q Querier, now time.Time, cond string, args ...any) ([]int64, error)
	// Violation describes a constraint error; ok is false for others.
	Violation func(err error) (v Violation, ok bool)
	// Retryable reports a lost serialization race or deadlock, after
	// which the whole transaction may run again.
	Retryable func(err error) bool
	// ConnectionLost reports a connection ended under a statement (an
	// administrator terminated it, or it broke): a transaction that had
	// not yet asked to commit did not commit, and may run again on
	// another connection. nil: never.
	ConnectionLost func(err error) bool
	// Unavailable reports an error of an unreachable or unwritable
	// database (as opposed to a bad statement).
	Unavailable func(err error) bool
}

// lockOf restricts a row-lock suffix to the rows of one table alias.
func (d *Dialect) lockOf(suffix, alias string) string {
	if suffix == "" {
		return ""
	}
	return suffix + " OF " + alias
}

// Violation is a broken constraint: its kind and the name of the
// constraint or trigger that fired.
type Violation struct {
	Kind ViolationKind
	Name string
}

type ViolationKind int

const (
	Unique ViolationKind = iota + 1
	Check
	ForeignKey
	NotNull
	Exclusion // a PostgreSQL exclusion constraint or a SQLite trigger's RAISE
)

// DB is a mentorbook.Store.
type DB struct {
	cfg           Config
	reads, writes *stmtCache
}

var _ mentorbook.Store = (*DB)(nil)

// New returns a store over an engine's pools.
func New(cfg Config) *DB {
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	db := &DB{cfg: cfg}
	if cfg.Prepare {
		db.reads = &stmtCache{db: cfg.Read}
		if cfg.Write != nil {
			db.writes = &stmtCache{db: cfg.Write}
		}
	}
	return db
}

// Close closes the pools.
func (db *DB) Close() error {
	db.reads.close()
	db.writes.close()
	return db.cfg.Close()
}

// maxAttempts bounds how often Write runs a transaction that lost a race.
// Conflicting inserts into an exclusion constraint can deadlock on
// PostgreSQL (each waits for the other's uncommitted row); the retry then
// sees the winner committed and answers a plain conflict. Under heavy load
// a transaction can lose several times in a row; the unit of work's
// deadline bounds the whole, so the count can be generous.
const maxAttempts = 10

// Read runs fn outside a transaction.
func (db *DB) Read(ctx context.Context, fn func(mentorbook.Tx) error) error {
	ctx, cancel := context.WithTimeout(ctx, db.cfg.Timeout)
	defer cancel()
	return db.mapErr(ctx, fn(&tx{conn{db: db.cfg.Read, stmts: db.reads, readOnly: true, d: &db.cfg.Dialect, ctx: ctx}}))
}

// Write runs fn in a write transaction, again when it loses a race.
func (db *DB) Write(ctx context.Context, fn func(mentorbook.Tx) error) error {
	ctx, cancel := context.WithTimeout(ctx, db.cfg.Timeout)
	defer cancel()
	var err error
	for attempt := 1; ; attempt++ {
		var committing bool
		committing, err = db.write(ctx, fn)
		if err == nil || attempt == maxAttempts || !db.retry(err, committing) {
			break
		}
		// A short random pause, so the transactions that collided do not
		// collide again.
		select {
		case <-time.After(time.Duration(rand.Int64N(int64(attempt) * int64(5*time.Millisecond)))):
		case <-ctx.Done():
			return db.mapErr(ctx, ctx.Err())
		}
	}
	return db.mapErr(ctx, err)
}

// retry reports whether a transaction that failed with err may run again:
// a lost race, or a lost connection before the commit was asked for (after
// it, whether it committed is unknown).
func (db *DB) retry(err error, committing bool) bool {
	d := db.cfg.Dialect
	return d.Retryable(err) || (!committing && d.ConnectionLost != nil && d.ConnectionLost(err))
}

// write runs fn in one transaction; committing reports that err came from
// the commit itself.
func (db *DB) write(ctx context.Context, fn func(mentorbook.Tx) error) (committing bool, err error) {
	sqlTx, end, err := db.cfg.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer end()
	if err := fn(&tx{conn{tx: sqlTx, stmts: db.writes, d: &db.cfg.Dialect, ctx: ctx}}); err != nil {
		return false, err
	}
	return true, sqlTx.Commit()
}

// Ping checks that the database answers and can be written: a file that
// turned read-only or a full disk fails here, not only on the next write.
func (db *DB) Ping(ctx context.Context) error {
	return db.Write(ctx, func(t mentorbook.Tx) error {
		_, err := t.(*tx).exec(ctx, `UPDATE health SET checks = checks + 1 WHERE id = 1`)
		return err
	})
}

// errUnavailable is what callers see while the database is unreachable.
var errUnavailable = &mentorbook.Error{Code: mentorbook.EUNAVAILABLE,
	Message: "The service is briefly unavailable; try again in a moment.", RetryAfter: 5 * time.Second}

// mapErr turns errors into mentorbook errors: the one place database
// errors are interpreted. Errors of fn's own (already *mentorbook.Error)
// pass through.
func (db *DB) mapErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var me *mentorbook.Error
	if errors.As(err, &me) {
		return err
	}
	d := db.cfg.Dialect
	// Our own deadline passing means the database did not answer in time;
	// the caller's context ending is the caller's business.
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || d.Unavailable(err) {
		return fmt.Errorf("%w (%v)", errUnavailable, err)
	}
	return err
}

// violations maps constraints and triggers, by the name they have on both
// engines, to what a caller is told.
var violations = map[string]*mentorbook.Error{
	"booking_blocks_no_overlap": mentorbook.Errorf(mentorbook.ECONFLICT, "That time overlaps another booking."),
	"services_default_free":     mentorbook.Errorf(mentorbook.EINVALID, "The free consultation cannot have a price or be archived."),
	"services_one_default":      mentorbook.Errorf(mentorbook.ECONFLICT, "The mentor already has a free consultation."),
	"message_reports_once":      mentorbook.Errorf(mentorbook.ECONFLICT, "You already reported that message."),
	// Reviews (migration 0013): SQLite names a unique index by its column.
	"reviews_one_per_mentorship": errReviewed,
	"reviews.mentorship_id":      errReviewed,
	"reviews_one_per_booking":    errReviewed,
	"reviews.booking_id":         errReviewed,
	"reviews_rating":             mentorbook.Errorf(mentorbook.EINVALID, "A rating is from 1 to 5."),
	"time_entries_minutes":       mentorbook.Errorf(mentorbook.EINVALID, "Time is from 1 to 1440 minutes."),
	// A unique index: PostgreSQL names it, SQLite names its columns.
	"broadcast_responses_one_per_mentor":                              errAnsweredTwice,
	"broadcast_responses.broadcast_id, broadcast_responses.mentor_id": errAnsweredTwice,
	"bookings_reschedule_limit":                                       mentorbook.Errorf(mentorbook.ECONFLICT, "This session was already moved 3 times."),
	// Tokens are 256 random bits: a clash means a defect, told as a conflict.
	"calendar_feeds_token": mentorbook.Errorf(mentorbook.ECONFLICT, "That calendar feed address is taken; make another."),
	// The money invariants (migration 0010, docs/money.md).
	"ledger_accounts_nonnegative": mentorbook.Errorf(mentorbook.ECONFLICT, "There is not enough money in that balance."),
	"ledger_transactions_once":    mentorbook.Errorf(mentorbook.ECONFLICT, "That was already recorded in the ledger."),
	// SQLite names a broken unique constraint by its columns.
	"ledger_transactions.source_type, ledger_transactions.source_id, ledger_transactions.kind": mentorbook.Errorf(
		mentorbook.ECONFLICT, "That was already recorded in the ledger."),
	"ledger_append_only":          mentorbook.Errorf(mentorbook.EINTERNAL, "The ledger is append-only."),
	"payments_one_per_mentorship": mentorbook.Errorf(mentorbook.ECONFLICT, "The mentorship already has a payment."),
	"payments.mentorship_id":      mentorbook.Errorf(mentorbook.ECONFLICT, "The mentorship already has a payment."),
	"payments_refund_bound":       mentorbook.Errorf(mentorbook.EINVALID, "Refunds cannot exceed the payment."),
	"cashouts_one_requested":      mentorbook.Errorf(mentorbook.ECONFLICT, "Another cashout is still requested."),
	"cashouts.mentor_id":          mentorbook.Errorf(mentorbook.ECONFLICT, "Another cashout is still requested."),
}

var errReviewed = mentorbook.Errorf(mentorbook.ECONFLICT, "This has been reviewed already: one review each.")

var errAnsweredTwice = mentorbook.Errorf(mentorbook.ECONFLICT, "You already answered this broadcast.")

// error is the mentorbook error of a violation: by name when it is known,
// else by kind for the kinds whose meaning does not depend on the name.
// An unknown exclusion or trigger is a defect, reported as such.
func (v Violation) error(cause error) error {
	if e, ok := violations[v.Name]; ok {
		return fmt.Errorf("%w (%v)", e, cause)
	}
	var e *mentorbook.Error
	switch v.Kind {
	case Unique:
		e = mentorbook.Errorf(mentorbook.ECONFLICT, "That conflicts with existing data.")
	case Check, NotNull:
		e = mentorbook.Errorf(mentorbook.EINVALID, "A value is out of range.")
	case ForeignKey:
		e = mentorbook.Errorf(mentorbook.ENOTFOUND, "A referenced record does not exist.")
	default:
		return fmt.Errorf("sqlstore: unexpected violation of %q: %w", v.Name, cause)
	}
	return fmt.Errorf("%w (%v)", e, cause)
}

func notFound(what string) error {
	return mentorbook.Errorf(mentorbook.ENOTFOUND, "%s not found.", what)
}

// tx is the unit of work's view: the repositories over one connection.
type tx struct {
	conn
}

func (t *tx) Users() mentorbook.Users                 { return users{t} }
func (t *tx) Mentors() mentorbook.Mentors             { return mentors{t} }
func (t *tx) Availability() mentorbook.Availabilities { return availability{t} }
func (t *tx) Bookings() mentorbook.Bookings           { return bookings{t} }
func (t *tx) Jobs() mentorbook.Jobs                   { return jobs{t} }
func (t *tx) Notifications() mentorbook.Notifications { return notifications{t} }
func (t *tx) Broadcasts() mentorbook.Broadcasts       { return broadcasts{t} }
func (t *tx) Services() mentorbook.Services           { return services{t} }
func (t *tx) Mentorships() mentorbook.Mentorships     { return mentorships{t} }
func (t *tx) Conversations() mentorbook.Conversations { return conversations{t} }
func (t *tx) Events() mentorbook.Events               { return events{t} }
func (t *tx) Progress() mentorbook.Progresses         { return progress{t} }
func (t *tx) Reviews() mentorbook.Reviews             { return reviews{t} }
func (t *tx) Platform() mentorbook.Platform           { return platform{t} }
func (t *tx) Payments() mentorbook.Payments           { return payments{t} }
func (t *tx) Ledger() mentorbook.Ledger               { return ledger{t} }
func (t *tx) Cashouts() mentorbook.Cashouts           { return cashouts{t} }
