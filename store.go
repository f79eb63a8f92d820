package mentorbook

import (
	"context"
	"time"

	"github.com/mentorbook/mentorbook/schedule"
)

// Store is the storage contract the use cases need: a unit of work over one
// repository per concern. The one implementation (internal/sqlstore) runs
// the same SQL on SQLite and PostgreSQL, and both pass the conformance
// suite (storetest). Not-found is an ENOTFOUND *Error, never (zero, nil);
// uniqueness and overlap violations are ECONFLICT; an unreachable or
// unwritable database is EUNAVAILABLE.
type Store interface {
	// Read runs fn with repositories that read the latest committed data,
	// each statement on its own; their write methods fail. Use it for
	// reads that need no transaction.
	Read(ctx context.Context, fn func(Tx) error) error
	// Write runs fn in one write transaction: it commits when fn returns
	// nil and rolls back otherwise, so what fn wrote lands together or not
	// at all. fn may run more than once (a transaction that lost a
	// serialization race or deadlock is retried), so it must have no
	// effect outside tx, and slow work (hashing, email, HTTP) belongs
	// before or after it: on SQLite it holds the only write lock.
	Write(ctx context.Context, fn func(Tx) error) error
	// Ping checks that the database answers and can still be written.
	Ping(ctx context.Context) error
	Close() error
}

// Tx gives the repositories of one unit of work.
type Tx interface {
	Users() Users
	Mentors() Mentors
	Availability() Availabilities
	Bookings() Bookings
	Jobs() Jobs
	Notifications() Notifications
	Broadcasts() Broadcasts
	Services() Services
	Mentorships() Mentorships
	Conversations() Conversations
	Events() Events
	// Progress and Reviews: issue 10's progress of a mentorship (progress.go).
	Progress() Progresses
	Reviews() Reviews
	Platform() Platform
	Payments() Payments
	Ledger() Ledger
	Cashouts() Cashouts
}

// Users holds accounts, their sessions and failed logins.
type Users interface {
	// Create inserts u (Email already lower-cased) and returns it with ID
	// set. A taken email is ECONFLICT.
	Create(ctx context.Context, u User, passwordHash string) (User, error)
	// ByID returns a user with Mentor loaded when they have a profile.
	ByID(ctx context.Context, id int64) (User, error)
	// Credentials returns the user with that (lower-cased) email and their
	// password hash.
	Credentials(ctx context.Context, email string) (User, string, error)
	// Lock makes later steps about this user in other transactions wait
	// until this one ends (a row lock on PostgreSQL; SQLite's write lock
	// already serialises writers). ENOTFOUND when there is no such user.
	// Several users are locked in ascending ID order, the one order every
	// transaction takes them in.
	Lock(ctx context.Context, ids ...int64) error

	CreateSession(ctx context.Context, s Session) error
	// SessionUser returns the user of an unexpired session (ExpiresAt >
	// now), with Mentor loaded when they have a profile, and the session's
	// ExpiresAt.
	SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (User, time.Time, error)
	// DeleteSession removes a session; a missing one is not an error.
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// DeleteExpiredSessions removes sessions with ExpiresAt <= now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)

	// LoginFailures counts the user's failures at or after since, and
	// returns the oldest of them (zero time when count is 0).
	LoginFailures(ctx context.Context, userID int64, since time.Time) (count int, oldest time.Time, err error)
	AddLoginFailure(ctx context.Context, userID int64, at time.Time) error
	// ClearLoginFailures forgets all of a user's failures.
	ClearLoginFailures(ctx context.Context, userID int64) error
	// DeleteLoginFailures removes every user's failures before the time.
	DeleteLoginFailures(ctx context.Context, before time.Time) (int, error)

	// Admins lists the administrators whose accounts are not deleted, by ID.
	Admins(ctx context.Context) ([]User, error)
	// SetAdmin makes the user with that (lower-cased) email an
	// administrator or not, and returns them.
	SetAdmin(ctx context.Context, email string, admin bool) (User, error)

	// Update sets a user's name and zone.
	Update(ctx context.Context, id int64, name, timezone string) error
	// SetPassword replaces a user's password hash.
	SetPassword(ctx context.Context, id int64, passwordHash string) error
	// SetEmail replaces a user's (lower-cased) email; a taken one is ECONFLICT.
	SetEmail(ctx context.Context, id int64, email string) error
	// DeleteSessions ends every session of a user except the one whose
	// token hash is keep (nil: all of them).
	DeleteSessions(ctx context.Context, userID int64, keep []byte) (int, error)
	// MarkDeleted makes an account unusable and anonymous while keeping
	// its row for the other party's history: its name becomes "Deleted
	// user", its email and password are overwritten, its mentor profile
	// inactive, its sessions and reset tokens gone.
	MarkDeleted(ctx context.Context, id int64, now time.Time) error

	// CreatePasswordReset stores a reset token's hash.
	CreatePasswordReset(ctx context.Context, r PasswordReset) error
	// UsePasswordReset marks an unused, unexpired token used at now and
	// returns its user; any other token is ENOTFOUND.
	UsePasswordReset(ctx context.Context, tokenHash []byte, now time.Time) (int64, error)
	// AddResetRequest records a reset request for an address (by hash) and
	// returns how many there have been since the given time, this one
	// included, and the oldest of them.
	AddResetRequest(ctx context.Context, emailHash []byte, at, since time.Time) (count int, oldest time.Time, err error)
	// DeleteResetData removes reset requests and tokens from before the time.
	DeleteResetData(ctx context.Context, before time.Time) (int, error)

	// CalendarFeed returns the nonce of the user's calendar feed;
	// ENOTFOUND when they have none.
	CalendarFeed(ctx context.Context, userID int64) ([]byte, error)
	// SetCalendarFeed creates or replaces the user's feed: the old token
	// stops working in the same transaction.
	SetCalendarFeed(ctx context.Context, userID int64, nonce, tokenHash []byte, at time.Time) error
	// CalendarFeedUser returns the user whose feed token has that hash.
	CalendarFeedUser(ctx context.Context, tokenHash []byte) (int64, error)
}

// Mentors holds mentor profiles.
type Mentors interface {
	// PutProfile creates or replaces a user's mentor profile.
	PutProfile(ctx context.Context, p MentorProfile) (MentorProfile, error)
	ByID(ctx context.Context, id int64) (Mentor, error)
	List(ctx context.Context, f MentorFilter) ([]Mentor, error)
	MentorSearcher
}

// Availabilities holds mentors' weekly hours, settings and date overrides.
type Availabilities interface {
	// Put creates or replaces a mentor's settings.
	Put(ctx context.Context, a Availability) error
	// Get is ENOTFOUND when the mentor never saved settings.
	Get(ctx context.Context, mentorID int64) (Availability, error)
	PutOverride(ctx context.Context, o Override) error
	// DeleteOverride is ENOTFOUND when there is none for that date.
	DeleteOverride(ctx context.Context, mentorID int64, d schedule.Date) error
	// Overrides lists overrides with from <= Date <= to, by date.
	Overrides(ctx context.Context, mentorID int64, from, to schedule.Date) ([]Override, error)
	// SlotsVersion is the version of everything that decides a user's free
	// slots (held time, hours, overrides, profile, zone): the database
	// raises it in the transaction of any change to them. 0 before the first.
	SlotsVersion(ctx context.Context, userID int64) (int64, error)
}

// Bookings holds booking requests and the time active ones hold. "No
// person holds two overlapping active bookings, in any role" is enforced by
// the database itself: any write that would break it is ECONFLICT.
type Bookings interface {
	// Create expires the stale pending bookings of both parties (their time
	// is free again), then inserts b and, when it is active, the time it
	// holds: the mentor's b.Blocked(), the mentee's b.Session().
	Create(ctx context.Context, b Booking, now time.Time) (Booking, error)
	// Get returns the booking with its effective status at now.
	Get(ctx context.Context, id int64, now time.Time) (Booking, error)
	// ChangeStatus moves a booking whose effective status at c.At is one of
	// c.From to c.To (recording when it was confirmed, whether a
	// cancellation is late, and raising Sequence); otherwise ECONFLICT naming the status, with the
	// booking as it is (ENOTFOUND if there is no such booking). A stale
	// pending booking is expired first, which the transaction keeps if it
	// commits. Concurrent changes of one booking take turns. Moving to an
	// inactive status frees its time.
	ChangeStatus(ctx context.Context, c StatusChange) (Booking, error)
	// List lists a user's bookings by (Start, ID), effective status at f.Now.
	List(ctx context.Context, f BookingFilter) ([]Booking, error)
	// Count counts what List would list without a limit or cursor.
	Count(ctx context.Context, f BookingFilter) (int, error)
	// Blocks returns the time held by active bookings (pending not yet
	// expired at now, or confirmed) of a user in any role that overlaps
	// [from, to), sorted by start.
	Blocks(ctx context.Context, userID int64, from, to, now time.Time) ([]schedule.Interval, error)
	// Holds is Blocks before the clock is applied: the time held by
	// bookings stored as pending or confirmed, with when a pending one
	// lapses, so a cache can apply any later instant itself.
	Holds(ctx context.Context, userID int64, from, to time.Time) ([]Hold, error)
	// ExpireStale materialises the expiry of pending bookings with
	// ExpiresAt <= now within scope, frees their time, and returns them as
	// they now are, so each can be notified in the same transaction.
	ExpireStale(ctx context.Context, now time.Time, scope StaleScope) ([]Booking, error)

	// ClaimKey records (key.UserID, key.Key) unless it exists: claimed is
	// true for a new claim. An existing claim returns the booking bound to
	// it, and RequestHash as it was claimed. A racing claim of the same key
	// waits for the first transaction to end.
	ClaimKey(ctx context.Context, key IdempotencyKey) (bookingID int64, hash string, claimed bool, err error)
	// BindKey binds a claimed key to the booking made under it.
	BindKey(ctx context.Context, key IdempotencyKey, bookingID int64) error
	// KeyedBooking returns the booking made under (userID, key) and the
	// request hash it was claimed with; ENOTFOUND when the key is unclaimed.
	KeyedBooking(ctx context.Context, userID int64, key string, now time.Time) (Booking, string, error)
	// DeleteKeys removes keys created before the time.
	DeleteKeys(ctx context.Context, before time.Time) (int, error)

	// Lock returns the booking with its effective status at now and holds
	// its row until the transaction ends, so changes of one booking take
	// turns. A stale pending booking is expired first.
	Lock(ctx context.Context, id int64, now time.Time) (Booking, error)
	// Move gives a booking locked by Lock a new time (and the buffers it
	// now holds), raising Version, Sequence and Reschedules by one; the
	// time it holds moves with it in the same transaction, so the overlap
	// guard refuses (ECONFLICT) a taken time. A pending booking's expiry
	// is no later than its new start.
	Move(ctx context.Context, b Booking, start, end time.Time, before, after time.Duration, at time.Time) (Booking, error)
	// SetLocation replaces a booking's location, raising Sequence.
	SetLocation(ctx context.Context, id int64, location string, at time.Time) (Booking, error)
	// ReportAttendance records what one party (the mentor when byMentor)
	// reported about the other; ECONFLICT when that party already did.
	ReportAttendance(ctx context.Context, id int64, byMentor, otherCame bool, at time.Time) (Booking, error)
	// SessionsHeld counts the mentor's held sessions at now (Booking.Held),
	// and gives the end of the first confirmed session still to end (zero
	// when none): the count changes with the clock no earlier.
	SessionsHeld(ctx context.Context, mentorID int64, now time.Time) (held int, nextEnd time.Time, err error)
	// Reliability counts the sessions the user missed (as the other party
	// reported) and the confirmed sessions they cancelled late.
	Reliability(ctx context.Context, userID int64) (noShows, lateCancellations int, err error)
}

// Notifications holds in-app notifications and per-kind email settings.
type Notifications interface {
	// Create inserts n (ReadAt nil) and returns it with ID set.
	Create(ctx context.Context, n Notification) (Notification, error)
	// List lists a user's notifications, newest (highest ID) first.
	List(ctx context.Context, f NotificationFilter) ([]Notification, error)
	// UnreadCount counts a user's unread notifications.
	UnreadCount(ctx context.Context, userID int64) (int, error)
	// MarkRead marks the user's unread notifications among ids (all of
	// them when all is set) read at now; others' IDs are ignored. It
	// returns how many it marked.
	MarkRead(ctx context.Context, userID int64, ids []int64, all bool, now time.Time) (int, error)
	// EmailOff lists the kinds whose email the user turned off.
	EmailOff(ctx context.Context, userID int64) ([]NotificationKind, error)
	// SetEmail turns the user's email of kind on or off.
	SetEmail(ctx context.Context, userID int64, kind NotificationKind, on bool) error
	// SigningKey returns the database's secret key of that name, made by
	// a migration; ENOTFOUND when there is none.
	SigningKey(ctx context.Context, name string) ([]byte, error)
}

// StaleScope narrows ExpireStale; the zero value is every booking.
type StaleScope struct {
	Users     []int64 // only bookings with one of these users as a party
	BookingID int64   // only this booking
}

// Broadcasts holds broadcasts and the responses to them.
type Broadcasts interface {
	// Create inserts b (Skills normalised) and returns it as stored.
	Create(ctx context.Context, b Broadcast) (Broadcast, error)
	// Get returns a broadcast with its author's name and responses count;
	// lock holds its row until the transaction ends, so a response and
	// the broadcast's closing take turns.
	Get(ctx context.Context, id int64, lock bool) (Broadcast, error)
	// Update stores b's title, body, skills, status and UpdatedAt.
	Update(ctx context.Context, b Broadcast) (Broadcast, error)
	// Delete removes a broadcast and its responses; ENOTFOUND if none.
	Delete(ctx context.Context, id int64) error
	List(ctx context.Context, f BroadcastFilter) ([]Broadcast, error)
	// Respond inserts a response. A second response of the same mentor to
	// the same broadcast is ECONFLICT, decided by a unique constraint.
	Respond(ctx context.Context, r BroadcastResponse) (BroadcastResponse, error)
	// Responses lists a broadcast's responses, oldest first; mentorID > 0
	// keeps only that mentor's.
	Responses(ctx context.Context, broadcastID, mentorID int64) ([]BroadcastResponse, error)
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
	With     int64           // only bookings with this other party; 0 = anyone
	// MentorshipID selects the sessions of one mentorship; 0 = any booking.
	MentorshipID int64
	// WasConfirmed keeps only bookings that were confirmed at some time.
	WasConfirmed bool
	From, To     time.Time      // Start in [From, To); zero = unbounded
	After        *BookingCursor // keyset: only (Start, ID) after this
	Limit        int            // > 0 for List
	Now          time.Time      // for effective status
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

// ReadValue runs fn through s.Read and returns what it returned.
func ReadValue[T any](ctx context.Context, s Store, fn func(Tx) (T, error)) (T, error) {
	var out T
	err := s.Read(ctx, func(tx Tx) (err error) { out, err = fn(tx); return err })
	return out, err
}

// WriteValue2 is WriteValue for two values.
func WriteValue2[T, U any](ctx context.Context, s Store, fn func(Tx) (T, U, error)) (T, U, error) {
	var t T
	var u U
	err := s.Write(ctx, func(tx Tx) (err error) { t, u, err = fn(tx); return err })
	return t, u, err
}

// WriteValue runs fn through s.Write and returns what it returned.
func WriteValue[T any](ctx context.Context, s Store, fn func(Tx) (T, error)) (T, error) {
	var out T
	err := s.Write(ctx, func(tx Tx) (err error) { out, err = fn(tx); return err })
	return out, err
}
