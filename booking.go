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

// Held reports whether the session took place, as far as is known at now:
// it was confirmed and has ended. Attendance (a party reporting a no-show)
// narrows this; every rule that needs "held" (reviews, connections) asks
// here.
func (b Booking) Held(now time.Time) bool {
	return b.Status == StatusConfirmed && !b.End.After(now)
}
