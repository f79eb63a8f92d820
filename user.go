package mentorbook

import "time"

// User is an account. A user may be a mentor (Mentor != nil) and a mentee at once.
type User struct {
	ID        int64
	Email     string // lower-cased
	Name      string
	Timezone  string // IANA zone name
	CreatedAt time.Time
	Mentor    *MentorProfile
	// Admin users confirm payments, pay cashouts and set the platform's
	// settings (mentorbook admin grant).
	Admin bool
	// DeletedAt is set once the account is deleted.
	DeletedAt *time.Time
}

// MentorProfile makes a user a mentor. Its ID is the user's ID.
type MentorProfile struct {
	UserID   int64
	Headline string
	Bio      string
	Skills   []string // lower-cased, unique, sorted
	Active   bool
	// MaxActiveMentorships caps the mentor's awaiting-payment plus active
	// mentorships; 0 = no limit.
	MaxActiveMentorships int
	Credentials
	// MeetingURL is the mentor's personal meeting link (https, or ""):
	// the place of online sessions whose service names none.
	MeetingURL string
	UpdatedAt  time.Time
}

// Mentor is a mentor's public profile.
type Mentor struct {
	ID       int64
	Name     string
	Headline string
	Bio      string
	Skills   []string
	Timezone string // the availability's zone if set, else the user's
	Active   bool
	Credentials
	// SessionsHeld counts the mentor's held sessions (read by the use
	// case for one profile; 0 in lists).
	SessionsHeld int
}

// Credentials are what a mentor shows to be trusted: links to their work
// (https only), the languages they speak, their years of experience.
type Credentials struct {
	Links           []string
	Languages       []string
	YearsExperience int
}

// PasswordReset is a single-use password reset token; only its hash is stored.
type PasswordReset struct {
	TokenHash []byte
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// DeletedName is what a deleted account is called.
const DeletedName = "Deleted user"

// Session is a signed-in session: an API bearer token or a web cookie.
// Only a hash of the secret token is stored.
type Session struct {
	TokenHash []byte
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}
