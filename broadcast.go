package mentorbook

import "time"

// BroadcastStatus is where a broadcast stands: open to answers, or closed
// by its author.
type BroadcastStatus string

const (
	BroadcastOpen   BroadcastStatus = "open"
	BroadcastClosed BroadcastStatus = "closed"
)

// Broadcast is a public call for help ("looking for help moving from PHP
// to Go") that mentors answer.
type Broadcast struct {
	ID             int64
	AuthorID       int64
	AuthorName     string
	Title          string
	Body           string
	Skills         []string // lower-cased, unique, sorted
	Status         BroadcastStatus
	ResponsesCount int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// BroadcastResponse is one mentor's answer to a broadcast, perhaps
// proposing one of their services.
type BroadcastResponse struct {
	ID          int64
	BroadcastID int64
	MentorID    int64
	MentorName  string
	Message     string
	ServiceID   int64 // 0 = none proposed
	// ServiceTitle and ServicePriceMinor describe the proposed service.
	ServiceTitle      string
	ServicePriceMinor int64
	CreatedAt         time.Time
}

// BroadcastFilter selects broadcasts, newest (highest ID) first.
type BroadcastFilter struct {
	Skill    string          // lower-cased; "" = any
	Words    []string        // each must occur in the title or body, ignoring case
	Status   BroadcastStatus // "" = any
	AuthorID int64           // 0 = anyone
	BeforeID int64           // keyset cursor: only IDs < BeforeID; 0 = from the newest
	Limit    int             // > 0
}
