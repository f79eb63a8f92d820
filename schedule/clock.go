package schedule

import "fmt"

// MinutesPerDay is the clock value of "24:00": the next date's 00:00.
const MinutesPerDay = 1440

// ParseClock parses a strict "HH:MM" wall clock time into minutes since local
// midnight. 00:00..24:00 is accepted; "24:00" (1440) lets an interval end at
// the end of the day without naming the next date.
func ParseClock(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("schedule: invalid clock %q: want HH:MM", s)
	}
	h, ok1 := digits(s[0:2])
	m, ok2 := digits(s[3:5])
	if !ok1 || !ok2 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("schedule: invalid clock %q: want 00:00..24:00", s)
	}
	return h*60 + m, nil
}

// FormatClock formats minutes since midnight as "HH:MM" (1440 -> "24:00").
// Values outside 0..1440 are a caller bug; they are formatted with a sign and
// hours past 24 rather than silently wrapped.
func FormatClock(min int) string {
	sign := ""
	if min < 0 {
		sign, min = "-", -min
	}
	return fmt.Sprintf("%s%02d:%02d", sign, min/60, min%60)
}
