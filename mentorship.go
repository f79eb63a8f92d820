package mentorbook

import (
	"context"
	"time"
)

// MentorshipStatus is where a mentorship stands.
type MentorshipStatus string

const (
	MentorshipPending         MentorshipStatus = "pending"
	MentorshipActive          MentorshipStatus = "active"
	MentorshipAwaitingPayment MentorshipStatus = "awaiting_payment"
	MentorshipDeclined        MentorshipStatus = "declined"
	MentorshipWithdrawn       MentorshipStatus = "withdrawn"
	MentorshipExpired         MentorshipStatus = "expired"
	MentorshipCompleted       MentorshipStatus = "completed"
	MentorshipCancelled       MentorshipStatus = "cancelled"
)

// MentorshipStatuses lists every status, in the order of the life cycle.
var MentorshipStatuses = []MentorshipStatus{MentorshipPending, MentorshipAwaitingPayment, MentorshipActive,
	MentorshipDeclined, MentorshipWithdrawn, MentorshipExpired, MentorshipCompleted, MentorshipCancelled}

// Valid reports whether s is a known status.
func (s MentorshipStatus) Valid() bool {
	for _, v := range MentorshipStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// Open reports whether a mentorship in status s is still going on or
// waiting for someone: a mentee may hold one open mentorship per service.
func (s MentorshipStatus) Open() bool {
	return s == MentorshipPending || s == MentorshipAwaitingPayment || s == MentorshipActive
}

// Final reports whether nothing can happen to it any more.
func (s MentorshipStatus) Final() bool { return !s.Open() }

// HoldsPlace reports whether it takes one of the mentor's places
// (max_active_mentorships).
func (s MentorshipStatus) HoldsPlace() bool {
	return s == MentorshipAwaitingPayment || s == MentorshipActive
}

// Mentorship is a mentee's request for a service and what came of it. The
// service's terms and price are copies made when it was requested. Stores
// report the effective status: a pending or awaiting-payment mentorship
// past ExpiresAt is expired, an active one past EndsAt is completed.
type Mentorship struct {
	ID         int64
	ServiceID  int64
	MentorID   int64
	MenteeID   int64
	MentorName string
	MenteeName string
	Status     MentorshipStatus

	// The service's terms when it was requested.
	Title            string
	Format           ServiceFormat
	SessionsIncluded int
	SessionMinutes   int
	Days             int
	Mode             string
	Location         string
	PriceMinor       int64
	Currency         string
	// FeeBPS is the platform's fee when it was requested, in basis points.
	FeeBPS int

	Message     string
	Reason      string // why it was declined or cancelled
	CancelledBy int64
	// ExpiresAt is the deadline of a pending request (the mentor's answer)
	// or of an awaiting-payment one (the payment); zero otherwise.
	ExpiresAt  time.Time
	AcceptedAt time.Time
	StartedAt  time.Time
	EndsAt     time.Time // async: when it completes by itself
	// SessionsUsed counts its pending and confirmed bookings.
	SessionsUsed int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Mentorships holds mentorships. Transitions are the use case's: it locks
// the row, decides, then saves.
type Mentorships interface {
	// Create inserts m and returns it as stored.
	Create(ctx context.Context, m Mentorship, now time.Time) (Mentorship, error)
	// Get returns a mentorship with its effective status at now.
	Get(ctx context.Context, id int64, now time.Time) (Mentorship, error)
	// Lock is Get holding the row until the transaction ends, so changes
	// of one mentorship take turns.
	Lock(ctx context.Context, id int64, now time.Time) (Mentorship, error)
	// Save writes m's status, reason, CancelledBy, ExpiresAt, AcceptedAt,
	// StartedAt, EndsAt and UpdatedAt, and returns it as stored at now.
	Save(ctx context.Context, m Mentorship, now time.Time) (Mentorship, error)
	// List lists mentorships newest first (CreatedAt, ID descending).
	List(ctx context.Context, f MentorshipFilter) ([]Mentorship, error)
	// Count counts what List would list without a limit or cursor.
	Count(ctx context.Context, f MentorshipFilter) (int, error)
	// ExpireDue materialises the timed transitions due at now (pending
	// and awaiting payment past ExpiresAt → expired, active past EndsAt →
	// completed) and returns the mentorships it changed.
	ExpireDue(ctx context.Context, now time.Time) ([]Mentorship, error)

	// ClaimKey and BindKey are Bookings' idempotency keys, bound to a
	// mentorship; one key serves one request of either kind.
	ClaimKey(ctx context.Context, key IdempotencyKey) (mentorshipID int64, hash string, claimed bool, err error)
	BindKey(ctx context.Context, key IdempotencyKey, mentorshipID int64) error
}

// MentorshipFilter selects mentorships of one user.
type MentorshipFilter struct {
	UserID    int64
	Role      string             // "mentor", "mentee" or "" for both
	Statuses  []MentorshipStatus // effective; empty = all
	ServiceID int64              // 0 = any
	After     *MentorshipCursor  // keyset: only those after it, newest first
	Limit     int                // > 0 for List
	Now       time.Time
}

// MentorshipCursor is a position in a (CreatedAt, ID) descending list.
type MentorshipCursor struct {
	CreatedAt time.Time
	ID        int64
}
