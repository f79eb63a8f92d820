package schedule

import (
	"fmt"
	"time"
)

// Date is a civil calendar date with no zone.
//
// Dates are compared field by field and used as map keys (Rules.Overrides),
// so they must be normalized (a real calendar date). ParseDate, AddDays and
// DateOf only ever produce normalized dates.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses a strict "YYYY-MM-DD" string that must name a real date.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("schedule: invalid date %q: want YYYY-MM-DD", s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("schedule: invalid date %q: want YYYY-MM-DD", s)
	}
	date := Date{y, time.Month(m), d}
	if !date.IsValid() {
		return Date{}, fmt.Errorf("schedule: invalid date %q: no such day", s)
	}
	return date, nil
}

// digits parses a fixed-width run of ASCII digits; strconv.Atoi would also
// accept signs, which the strict formats here must reject.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// IsValid reports whether d is a real calendar date (e.g. not 2026-02-30).
func (d Date) IsValid() bool {
	if d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	// time.Date normalizes overflowing days, so a round trip detects them.
	return d.utc().Day() == d.Day
}

// String formats d as "YYYY-MM-DD".
func (d Date) String() string {
	var b [10]byte
	return string(d.AppendFormat(b[:0]))
}

// AppendFormat appends d as "YYYY-MM-DD" (String's form) to b, without
// fmt: encoding a month of slots formats every date of it.
func (d Date) AppendFormat(b []byte) []byte {
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		// Not a date any input can name; fmt gives the same widths.
		return fmt.Appendf(b, "%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	y, m := d.Year, int(d.Month)
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d.Day/10), byte('0'+d.Day%10))
}

// utc is midnight UTC of d. UTC has no DST, so day arithmetic on it is exact.
func (d Date) utc() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// dateOfTime is the calendar date of t in its own location.
func dateOfTime(t time.Time) Date {
	y, m, day := t.Date()
	return Date{y, m, day}
}

// AddDays returns the date n calendar days after d (n may be negative).
func (d Date) AddDays(n int) Date {
	// time.Date normalizes the day overflow on the calendar, never via 24h steps.
	return dateOfTime(time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// DaysBetween returns b - a in days.
func DaysBetween(a, b Date) int {
	// Unix seconds rather than Sub: Duration saturates after ~292 years.
	return int((b.utc().Unix() - a.utc().Unix()) / 86400)
}

// DateOf returns the local calendar date of instant t in loc (nil means UTC).
func DateOf(t time.Time, loc *time.Location) Date {
	return dateOfTime(t.In(orUTC(loc)))
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
