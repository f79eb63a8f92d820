package mentorbook

import (
	"time"

	"github.com/mentorbook/mentorbook/schedule"
)

// Availability is a mentor's weekly hours and booking settings.
type Availability struct {
	MentorID            int64
	Timezone            string // IANA zone the weekly hours are in
	Weekly              []schedule.WeeklyInterval
	SessionMinutes      int
	SlotIntervalMinutes int // 0 = the session length
	MinNoticeMinutes    int
	HorizonDays         int
	BufferBeforeMinutes int
	BufferAfterMinutes  int
	PendingExpiryHours  int
	UpdatedAt           time.Time
}

// DefaultAvailability is what a mentor has before saving settings: no hours,
// and the documented defaults.
func DefaultAvailability(mentorID int64, timezone string) Availability {
	return Availability{
		MentorID:           mentorID,
		Timezone:           timezone,
		Weekly:             []schedule.WeeklyInterval{},
		SessionMinutes:     60,
		MinNoticeMinutes:   240,
		HorizonDays:        60,
		PendingExpiryHours: 48,
	}
}

// Override replaces the weekly hours of one mentor-local date. Empty
// Intervals means the whole day off.
type Override struct {
	MentorID  int64
	Date      schedule.Date
	Intervals []schedule.LocalInterval
}
