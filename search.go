package mentorbook

import (
	"context"
	"time"

	"github.com/mentorbook/mentorbook/schedule"
)

// MentorSearch selects active mentors for the directory in one order. The
// store narrows; the use case checks availability exactly with the slot
// rules.
type MentorSearch struct {
	Words  []string // each must occur in the name, headline, bio or skills (lower-cased)
	Skills []string // each must be one of the mentor's (lower-cased)
	// MaxPriceMinor keeps mentors with an active service priced at or
	// below it; 0 keeps those whose free consultation is active. nil = any.
	MaxPriceMinor *int64
	// Window, when set, keeps only mentors whose free consultation is
	// active and who may offer a slot starting in it at Now: a superset of
	// those who do (weekly hours on the UTC week, overrides, notice and
	// horizon), for the slot rules to decide.
	Window schedule.Interval
	Now    time.Time
	Order  MentorOrder
	After  *MentorKey // keyset cursor: only mentors after this one in Order
	Limit  int        // > 0
}

// MentorOrder is the order of a search's results; ties go by ID.
type MentorOrder int

const (
	ByID        MentorOrder = iota
	ByRelevance             // most query words in the name, headline or skills first
	ByPrice                 // lowest active service price first; mentors without one last
)

// NoPrice is the price key of a mentor with no active service: above any
// price (at most 10^12), so they sort last by price.
const NoPrice int64 = 10_000_000_000_000

// MentorKey is a mentor's place in a search's order, and what the search
// read on the way.
type MentorKey struct {
	ID       int64
	Score    int   // query words found in the name, headline or skills
	PriceKey int64 // the lowest active service price, or NoPrice
	FreeOpen bool  // the free consultation is active: the calendar takes requests
}

// MentorSearcher is the directory's half of the Mentors repository.
type MentorSearcher interface {
	// Search returns the keys of the mentors f selects, in f.Order.
	Search(ctx context.Context, f MentorSearch) ([]MentorKey, error)
	// ByIDs returns the public profiles of the mentors with these IDs that
	// exist, in no particular order.
	ByIDs(ctx context.Context, ids []int64) ([]Mentor, error)
}
