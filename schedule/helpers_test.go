package schedule

import (
	"strings"
	"testing"
	"time"
	// Expected values come from time.LoadLocation, not from LoadZone: the
	// host's zoneinfo, or this copy on hosts without one.
	_ "time/tzdata"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

// ts parses an RFC 3339 instant; expected values are written this way so
// they come from the tz rules, not from the code under test.
func ts(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("time.Parse(%q): %v", s, err)
	}
	return v
}

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustClock(t testing.TB, s string) int {
	t.Helper()
	m, err := ParseClock(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fmtIntervals renders intervals in UTC for readable failure messages.
func fmtIntervals(ivs []Interval) string {
	var b strings.Builder
	for i, iv := range ivs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("[" + iv.Start.UTC().Format(time.RFC3339) + ", " + iv.End.UTC().Format(time.RFC3339) + ")")
	}
	return "{" + b.String() + "}"
}

func equalIntervals(a, b []Interval) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Start.Equal(b[i].Start) || !a[i].End.Equal(b[i].End) {
			return false
		}
	}
	return true
}
