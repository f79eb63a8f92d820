package mentorbook

import (
	"context"
	"time"
)

// ServiceFormat is how a service is delivered.
type ServiceFormat string

const (
	// FormatSessions is a number of live sessions of a set length.
	FormatSessions ServiceFormat = "sessions"
	// FormatAsync is written, text-based help for a number of days.
	FormatAsync ServiceFormat = "async"
)

// Meeting modes of a sessions service.
const (
	ModeOnline = "online"
	ModeOnsite = "onsite"
)

// Service is something a mentor offers. Every mentor has one default
// service, the free consultation booked straight from the calendar; the
// others are requested as mentorships. Prices are minor units of the
// platform currency.
type Service struct {
	ID          int64
	MentorID    int64
	IsDefault   bool
	Title       string
	Description string
	PriceMinor  int64
	Format      ServiceFormat
	Sessions    int // with FormatSessions
	// SessionMinutes is the length of each session; the default service's
	// is the mentor's availability session length, as stored reads report it.
	SessionMinutes int
	Days           int    // with FormatAsync: how long it runs
	Mode           string // with FormatSessions: ModeOnline or ModeOnsite
	Location       string // an https meeting link (optional) or an address
	Active         bool
	ArchivedAt     time.Time // zero while not archived
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Archived reports whether the service is hidden from new requests.
func (s Service) Archived() bool { return !s.ArchivedAt.IsZero() }

// Requestable reports whether a mentee may ask for it now: offered, and
// not the default service (which is booked, not requested).
func (s Service) Requestable() bool { return s.Active && !s.Archived() && !s.IsDefault }

// Services holds mentors' services.
type Services interface {
	// Create inserts a service and returns it as stored.
	Create(ctx context.Context, s Service) (Service, error)
	// EnsureDefault creates the mentor's default service unless it exists,
	// and returns it.
	EnsureDefault(ctx context.Context, mentorID int64, now time.Time) (Service, error)
	// Update replaces the editable fields of the service s.ID (title,
	// description, price, terms, active, archived) and returns it.
	Update(ctx context.Context, s Service) (Service, error)
	Get(ctx context.Context, id int64) (Service, error)
	// Default returns the mentor's default service.
	Default(ctx context.Context, mentorID int64) (Service, error)
	// List lists a mentor's services by ID, default first; public lists
	// only active services that are not archived.
	List(ctx context.Context, mentorID int64, public bool) ([]Service, error)
}
