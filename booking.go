package mentorbook

import (
	"time"

	"github.com/mentorbook/mentorbook/schedule"
)

// BookingStatus is where a booking request stands.
type BookingStatus string

const (
	StatusPending   BookingStatus = "pending"
	StatusConfirmed BookingStatus = "confirmed"
	StatusDeclined  BookingStatus = "declined"
	StatusCancelled BookingStatus = "cancelled"
	StatusExpired   BookingStatus = "expired"
)

// Valid reports whether s is a known status.
func (s BookingStatus) Valid() bool {
	switch s {
	case StatusPending, StatusConfirmed, StatusDeclined, StatusCancelled, StatusExpired:
		return true
	}
	return false
}

// Active reports whether a booking in status s holds its time.
func (s BookingStatus) Active() bool { return s == StatusPending || s == StatusConfirmed }

// Booking is a mentee's request for a mentor's time. Stores report the
// effective status: a pending booking whose ExpiresAt has passed is expired.
type Booking struct {
	ID           int64
	MentorID     int64
	MenteeID     int64
	MentorshipID int64  // the mentorship it is a session of; 0 for a free consultation
	MentorName   string // the parties' names, as they are now
	MenteeName   string
	MentorZone   string // the zone of the mentor's hours (their availability's, else their account's)
	MenteeZone   string // the mentee's account zone
	Status       BookingStatus
	Start, End   time.Time // UTC
	BufferBefore time.Duration
	BufferAfter  time.Duration
	Message      string
	Reason       string // why it was declined or cancelled
	CancelledBy  int64  // user who cancelled, 0 if not cancelled
	ExpiresAt    time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// Mode is ModeOnline or ModeOnsite; Location the meeting link or the
	// address, copied from its service when it was made.
	Mode     string
	Location string
	// Version rises by one with each reschedule; reminders are keyed by it.
	Version int
	// Sequence rises with every change a calendar must apply (time,
	// location, status): the iCalendar SEQUENCE.
	Sequence    int
	Reschedules int       // how often it was rescheduled
	ConfirmedAt time.Time // zero if it never was confirmed
	// LateCancellation marks a confirmed session cancelled less than
	// LateCancellationWindow before its start.
	LateCancellation bool
	// What each party reported about the other's attendance; nil = not yet.
	MentorSaysMenteeCame *bool
	MenteeSaysMentorCame *bool
}

// Limits and windows of a session's life.
const (
	MaxReschedules         = 3
	LateCancellationWindow = 24 * time.Hour
	// Attendance may be reported from AttendanceOpensAfter the start until
	// AttendanceClosesAfter the end.
	AttendanceOpensAfter  = 10 * time.Minute
	AttendanceClosesAfter = 7 * 24 * time.Hour
)

// LocationVisibleTo reports whether user may see where the session
// happens: its mentor always, its mentee once it is confirmed.
func (b Booking) LocationVisibleTo(userID int64) bool {
	return userID == b.MentorID || (userID == b.MenteeID && b.Status == StatusConfirmed)
}

// Reschedulable reports whether either party may still move it at now.
func (b Booking) Reschedulable(now time.Time) bool {
	return b.Cancellable(now) && b.Reschedules < MaxReschedules
}

// AttendanceOpen reports whether attendance may be reported at now.
func (b Booking) AttendanceOpen(now time.Time) bool {
	return b.Status == StatusConfirmed && !now.Before(b.Start.Add(AttendanceOpensAfter)) &&
		!now.After(b.End.Add(AttendanceClosesAfter))
}

// Held reports whether the session took place as far as anyone knows at
// now: confirmed, over, and neither party reported a no-show. Every rule
// that needs "held" (reviews, connections, sessions_held) asks here, or
// its SQL form heldAfterEnd in internal/sqlstore.
func (b Booking) Held(now time.Time) bool {
	no := func(p *bool) bool { return p != nil && !*p }
	return b.Status == StatusConfirmed && !b.End.After(now) && !no(b.MentorSaysMenteeCame) && !no(b.MenteeSaysMentorCame)
}

// IsLateCancellation reports whether cancelling at at would be late: the
// session was confirmed and starts within LateCancellationWindow.
func (b Booking) IsLateCancellation(at time.Time) bool {
	return b.Status == StatusConfirmed && b.Start.Sub(at) < LateCancellationWindow
}

// Blocked is the mentor's time the booking holds: the session plus the
// buffers it was made with.
func (b Booking) Blocked() schedule.Interval {
	return schedule.Interval{Start: b.Start.Add(-b.BufferBefore), End: b.End.Add(b.BufferAfter)}
}

// Session is the session itself, which is what the mentee's time holds.
func (b Booking) Session() schedule.Interval {
	return schedule.Interval{Start: b.Start, End: b.End}
}

// Answerable reports whether the booking is a request its mentor may still
// accept or decline. Status is effective, as stores report it, so a
// pending request has not expired (and so has not started either).
func (b Booking) Answerable() bool { return b.Status == StatusPending }

// Cancellable reports whether either party may still call the booking off
// at now: it holds its time and has not started.
func (b Booking) Cancellable(now time.Time) bool {
	return b.Status.Active() && b.Start.After(now)
}

// Hold is time a booking holds in one user's calendar (Blocked for its
// mentor, Session for its mentee). A pending booking's hold lapses at
// PendingUntil (its ExpiresAt); a confirmed one's never (zero).
type Hold struct {
	schedule.Interval
	PendingUntil time.Time
}

// ActiveAt reports whether the hold still holds its time at now.
func (h Hold) ActiveAt(now time.Time) bool {
	return h.PendingUntil.IsZero() || h.PendingUntil.After(now)
}
