package mentorbook

import (
	"context"
	"time"

	"github.com/mentorbook/mentorbook/schedule"
)

// Store is the storage contract the use cases need. Implementations
// (sqlite, postgres) pass the same conformance suite (storetest). Not-found
// is an ENOTFOUND *Error, never (zero, nil); uniqueness and overlap
// violations are ECONFLICT.
type Store interface {
	Ping(ctx context.Context) error
	Close() error

	// CreateUser inserts u (Email already lower-cased) and returns it with
	// ID and CreatedAt set. A taken email is ECONFLICT.
	CreateUser(ctx context.Context, u User, passwordHash string) (User, error)
	// UserByID returns a user with Mentor loaded when they have a profile.
	UserByID(ctx context.Context, id int64) (User, error)
	// UserCredentials returns the user with that (lower-cased) email and
	// their password hash.
	UserCredentials(ctx context.Context, email string) (User, string, error)

	CreateSession(ctx context.Context, s Session) error
	// SessionUser returns the user of an unexpired session (ExpiresAt > now),
	// with Mentor loaded when they have a profile.
	SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (User, error)
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// DeleteExpiredSessions removes sessions with ExpiresAt <= now and
	// returns how many went.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)

	// AttemptLogin admits a login attempt for a user or refuses it, in one
	// atomic step that concurrent callers, in this process or another on
	// the same database, cannot interleave: it counts the user's failures
	// at or after since; when there are max or more it records nothing and
	// returns allowed false and the oldest of them; otherwise it records a
	// failure at at — the attempt counts as failed until ClearLoginFailures
	// says otherwise — and returns allowed true (oldest is then zero).
	// ENOTFOUND when there is no such user.
	AttemptLogin(ctx context.Context, userID int64, at, since time.Time, max int) (allowed bool, oldest time.Time, err error)
	// LoginFailures counts failures at or after since, and returns the
	// oldest of them (zero time when count is 0).
	LoginFailures(ctx context.Context, userID int64, since time.Time) (count int, oldest time.Time, err error)
	// ClearLoginFailures forgets all of a user's failures, including one
	// AttemptLogin recorded for an attempt that turned out right.
	ClearLoginFailures(ctx context.Context, userID int64) error
	// DeleteLoginFailures removes failures of every user before the time
	// and returns how many went.
	DeleteLoginFailures(ctx context.Context, before time.Time) (int, error)

	// PutMentorProfile creates or replaces a user's mentor profile.
	PutMentorProfile(ctx context.Context, p MentorProfile) (MentorProfile, error)
	MentorByID(ctx context.Context, id int64) (Mentor, error)
	ListMentors(ctx context.Context, f MentorFilter) ([]Mentor, error)

	// PutAvailability creates or replaces a mentor's settings.
	PutAvailability(ctx context.Context, a Availability) error
	// Availability is ENOTFOUND when the mentor never saved settings.
	Availability(ctx context.Context, mentorID int64) (Availability, error)
	PutOverride(ctx context.Context, o Override) error
	// DeleteOverride is ENOTFOUND when there is none for that date.
	DeleteOverride(ctx context.Context, mentorID int64, d schedule.Date) error
	// Overrides lists overrides with from <= Date <= to, by date.
	Overrides(ctx context.Context, mentorID int64, from, to schedule.Date) ([]Override, error)

	// CreateBooking atomically: expires the stale pending bookings of both
	// parties (status pending, ExpiresAt <= now); if key is set, claims
	// (key.UserID, key.Key) first — an existing claim with the same
	// RequestHash returns the booking made under it, with another hash it is
	// EINVALID; inserts the booking and the time it holds for both parties
	// (the mentor b.Blocked(), the mentee b.Session()). Any overlap with
	// another active booking of either party, in either role, is ECONFLICT
	// and is enforced by the database itself.
	CreateBooking(ctx context.Context, b Booking, key *IdempotencyKey, now time.Time) (Booking, error)
	// IdempotentBooking returns the booking made under (userID, key) and the
	// request hash it was claimed with; ENOTFOUND when the key is unclaimed.
	IdempotentBooking(ctx context.Context, userID int64, key string, now time.Time) (Booking, string, error)
	// BookingByID returns the booking with its effective status at now.
	BookingByID(ctx context.Context, id int64, now time.Time) (Booking, error)
	// ListBookings lists a user's bookings by (Start, ID), effective status at f.Now.
	ListBookings(ctx context.Context, f BookingFilter) ([]Booking, error)
	// Blocks returns the time held by active bookings (pending not yet
	// expired at now, or confirmed) of a user in any role that overlaps
	// [from, to), sorted by start.
	Blocks(ctx context.Context, userID int64, from, to, now time.Time) ([]schedule.Interval, error)
	// ChangeBookingStatus moves a booking whose effective status at c.At is
	// one of c.From to c.To, atomically; otherwise ECONFLICT (ENOTFOUND if
	// there is no such booking). Moving to an inactive status frees its time.
	ChangeBookingStatus(ctx context.Context, c StatusChange) (Booking, error)
	// ExpireBookings materialises expiry of pending bookings with
	// ExpiresAt <= now and frees their time; it returns how many expired.
	ExpireBookings(ctx context.Context, now time.Time) (int, error)
	// DeleteIdempotencyKeys removes keys created before the time.
	DeleteIdempotencyKeys(ctx context.Context, before time.Time) (int, error)
}

// MentorFilter selects public mentor profiles, ordered by ID.
type MentorFilter struct {
	Skill   string // lower-cased; "" = any
	AfterID int64  // keyset cursor: only IDs > AfterID
	Limit   int    // > 0
	// IncludeInactive lists inactive mentors too.
	IncludeInactive bool
}

// BookingFilter selects one user's bookings, ordered by (Start, ID).
type BookingFilter struct {
	UserID   int64
	Role     string          // "mentor", "mentee" or "" for both
	Statuses []BookingStatus // effective statuses; empty = all
	From, To time.Time       // Start in [From, To); zero = unbounded
	After    *BookingCursor  // keyset: only (Start, ID) after this
	Limit    int             // > 0
	Now      time.Time       // for effective status
}

// BookingCursor is a position in a (Start, ID) ordered list.
type BookingCursor struct {
	Start time.Time
	ID    int64
}

// StatusChange is a booking state transition.
type StatusChange struct {
	BookingID int64
	From      []BookingStatus
	To        BookingStatus
	Reason    string
	By        int64 // acting user
	At        time.Time
}

// IdempotencyKey makes POST /bookings retries safe: per user, kept at least 24 hours.
type IdempotencyKey struct {
	UserID      int64
	Key         string
	RequestHash string
	CreatedAt   time.Time
}
