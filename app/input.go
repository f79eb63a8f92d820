package app

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// Dates and instants are accepted within these years: wide enough for any
// schedule, narrow enough that every database and RFC 3339 can hold them
// (PostgreSQL has no year 0; RFC 3339 has four-digit years).
const (
	minYear = 1900
	maxYear = 9998
)

// parseDay parses a "YYYY-MM-DD" date within the accepted years.
func parseDay(s string) (schedule.Date, bool) {
	d, err := schedule.ParseDate(s)
	if err != nil || d.Year < minYear || d.Year > maxYear {
		return schedule.Date{}, false
	}
	return d, true
}

// parseInstant parses an RFC 3339 instant within the accepted years.
func parseInstant(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || !inYears(t) {
		return time.Time{}, false
	}
	return t, true
}

func inYears(t time.Time) bool {
	y := t.UTC().Year()
	return y >= minYear && y <= maxYear
}

// checkText records a problem with a text field that is not valid UTF-8 or
// holds a NUL character: neither can be stored everywhere (PostgreSQL text
// refuses NUL) nor shown safely.
func checkText(v mentorbook.Validation, field, s string) {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		v.Add(field, "must be text without control characters like NUL")
	}
}

// loadZone is schedule.LoadZone with the refusal worded for the user.
func loadZone(name string) (*time.Location, error) {
	loc, err := schedule.LoadZone(name)
	if err != nil {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "must be an IANA time zone like Europe/Berlin")
	}
	return loc, nil
}
