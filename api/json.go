package api

import (
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// The wire forms of domain types. Instants are RFC 3339: UTC for stored
// times, the viewer's offset for slots.

type userJSON struct {
	ID       int64        `json:"id"`
	Email    string       `json:"email"`
	Name     string       `json:"name"`
	Timezone string       `json:"timezone"`
	Mentor   *profileJSON `json:"mentor"`
	Admin    bool         `json:"admin"`
}

type profileJSON struct {
	ID       int64    `json:"id"`
	Headline string   `json:"headline"`
	Bio      string   `json:"bio"`
	Skills   []string `json:"skills"`
	Active   bool     `json:"active"`
	// MaxActiveMentorships caps awaiting-payment plus active mentorships; 0 = no limit.
	MaxActiveMentorships int `json:"max_active_mentorships"`
	credentialsJSON
	// MeetingURL is the mentor's personal meeting link ("" = none).
	MeetingURL string    `json:"meeting_url"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// credentialsJSON are a mentor's credibility fields.
type credentialsJSON struct {
	Links           []string `json:"links"`
	Languages       []string `json:"languages"`
	YearsExperience int      `json:"years_experience"`
}

func toCredentials(c mentorbook.Credentials) credentialsJSON {
	return credentialsJSON{nonNil(c.Links), nonNil(c.Languages), c.YearsExperience}
}

type mentorJSON struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Headline string   `json:"headline"`
	Bio      string   `json:"bio"`
	Skills   []string `json:"skills"`
	Timezone string   `json:"timezone"`
	Active   bool     `json:"active"`
	credentialsJSON
	// SessionsHeld is set for one profile, not in the directory's list.
	SessionsHeld *int `json:"sessions_held,omitempty"`
	// MeetingURL is present only for the mentor and their confirmed mentees.
	MeetingURL string `json:"meeting_url,omitempty"`
}

type intervalJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type weeklyJSON struct {
	Weekday int    `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

type availabilityJSON struct {
	Timezone            string       `json:"timezone"`
	Weekly              []weeklyJSON `json:"weekly"`
	SessionMinutes      int          `json:"session_minutes"`
	SlotIntervalMinutes int          `json:"slot_interval_minutes"`
	MinNoticeMinutes    int          `json:"min_notice_minutes"`
	HorizonDays         int          `json:"horizon_days"`
	BufferBeforeMinutes int          `json:"buffer_before_minutes"`
	BufferAfterMinutes  int          `json:"buffer_after_minutes"`
	PendingExpiryHours  int          `json:"pending_expiry_hours"`
}

type overrideJSON struct {
	Date      string         `json:"date"`
	Intervals []intervalJSON `json:"intervals"`
}

type bookingJSON struct {
	ID         int64  `json:"id"`
	Status     string `json:"status"`
	MentorID   int64  `json:"mentor_id"`
	MenteeID   int64  `json:"mentee_id"`
	MentorName string `json:"mentor_name"`
	MenteeName string `json:"mentee_name"`
	// MentorshipID is the mentorship the booking is a session of; null
	// for a free consultation.
	MentorshipID *int64     `json:"mentorship_id"`
	Start        time.Time  `json:"start"`
	End          time.Time  `json:"end"`
	Message      string     `json:"message"`
	Reason       string     `json:"reason,omitempty"`
	CancelledBy  int64      `json:"cancelled_by,omitempty"`
	ExpiresAt    *time.Time `json:"expires_at"` // null: never expires (a mentorship session)
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`

	Mode string `json:"mode"`
	// Location is null until the caller may know it (the mentee: once
	// confirmed), or while there is none.
	Location         *string        `json:"location"`
	Version          int            `json:"version"`
	Sequence         int            `json:"sequence"`
	Reschedules      int            `json:"reschedules"`
	LateCancellation bool           `json:"late_cancellation"`
	Held             bool           `json:"held"`
	Attendance       attendanceJSON `json:"attendance"`
}

// attendanceJSON is what each party reported; null while they have not.
type attendanceJSON struct {
	MentorSaysMenteeCame *bool `json:"mentor_says_mentee_came"`
	MenteeSaysMentorCame *bool `json:"mentee_says_mentor_came"`
}

func toUser(u mentorbook.User) userJSON {
	j := userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Timezone: u.Timezone, Admin: u.Admin}
	if u.Mentor != nil {
		p := toProfile(*u.Mentor)
		j.Mentor = &p
	}
	return j
}

func toProfile(p mentorbook.MentorProfile) profileJSON {
	return profileJSON{ID: p.UserID, Headline: p.Headline, Bio: p.Bio, Skills: nonNil(p.Skills),
		Active: p.Active, MaxActiveMentorships: p.MaxActiveMentorships, credentialsJSON: toCredentials(p.Credentials),
		MeetingURL: p.MeetingURL, UpdatedAt: p.UpdatedAt.UTC()}
}

func toMentor(m mentorbook.Mentor) mentorJSON {
	return mentorJSON{ID: m.ID, Name: m.Name, Headline: m.Headline, Bio: m.Bio, Skills: nonNil(m.Skills),
		Timezone: m.Timezone, Active: m.Active, credentialsJSON: toCredentials(m.Credentials)}
}

func toAvailability(a mentorbook.Availability) availabilityJSON {
	j := availabilityJSON{
		Timezone:            a.Timezone,
		Weekly:              []weeklyJSON{},
		SessionMinutes:      a.SessionMinutes,
		SlotIntervalMinutes: a.SlotIntervalMinutes,
		MinNoticeMinutes:    a.MinNoticeMinutes,
		HorizonDays:         a.HorizonDays,
		BufferBeforeMinutes: a.BufferBeforeMinutes,
		BufferAfterMinutes:  a.BufferAfterMinutes,
		PendingExpiryHours:  a.PendingExpiryHours,
	}
	for _, w := range a.Weekly {
		j.Weekly = append(j.Weekly, weeklyJSON{Weekday: int(w.Weekday),
			Start: schedule.FormatClock(w.Start), End: schedule.FormatClock(w.End)})
	}
	return j
}

func toOverride(o mentorbook.Override) overrideJSON {
	j := overrideJSON{Date: o.Date.String(), Intervals: []intervalJSON{}}
	for _, iv := range o.Intervals {
		j.Intervals = append(j.Intervals, intervalJSON{schedule.FormatClock(iv.Start), schedule.FormatClock(iv.End)})
	}
	return j
}

// toBooking is b, as the use case gave it to the caller, at now (which
// decides whether it was held).
func toBooking(b mentorbook.Booking, now time.Time) bookingJSON {
	j := bookingJSON{ID: b.ID, Status: string(b.Status), MentorID: b.MentorID, MenteeID: b.MenteeID,
		MentorName: b.MentorName, MenteeName: b.MenteeName,
		Start: b.Start.UTC(), End: b.End.UTC(), Message: b.Message, Reason: b.Reason, CancelledBy: b.CancelledBy,
		ExpiresAt: optionalTime(b.ExpiresAt), CreatedAt: b.CreatedAt.UTC(), UpdatedAt: b.UpdatedAt.UTC(),
		Mode: b.Mode, Version: b.Version, Sequence: b.Sequence, Reschedules: b.Reschedules,
		LateCancellation: b.LateCancellation, Held: b.Held(now),
		Attendance: attendanceJSON{b.MentorSaysMenteeCame, b.MenteeSaysMentorCame}}
	if b.MentorshipID != 0 {
		j.MentorshipID = &b.MentorshipID
	}
	if b.Location != "" {
		j.Location = &b.Location
	}
	return j
}

// toInstants formats intervals already in the viewer's zone.
func toInstants(ivs []schedule.Interval) []intervalJSON {
	out := make([]intervalJSON, 0, len(ivs))
	for _, iv := range ivs {
		out = append(out, intervalJSON{iv.Start.Format(time.RFC3339), iv.End.Format(time.RFC3339)})
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
