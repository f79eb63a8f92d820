package schedule

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestWeekSpansOf(t *testing.T) {
	sun := time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC) // a Sunday
	for _, c := range []struct {
		name string
		iv   Interval
		want []WeekSpan
	}{
		{"three hours on Monday", Interval{sun.Add(33 * time.Hour), sun.Add(36 * time.Hour)}, []WeekSpan{{1980, 2160}}},
		{"partial minutes round outwards", Interval{sun.Add(30 * time.Second), sun.Add(90 * time.Second)}, []WeekSpan{{0, 2}}},
		{"Saturday night into Sunday", Interval{sun.Add(-time.Hour), sun.Add(time.Hour)}, []WeekSpan{{MinutesPerWeek - 60, MinutesPerWeek}, {0, 60}}},
		{"a week or more", Interval{sun.Add(5 * time.Hour), sun.Add(7*24*time.Hour + 5*time.Hour)}, []WeekSpan{{0, MinutesPerWeek}}},
		{"in another zone, the same instants", Interval{sun.Add(33 * time.Hour).In(mustZone(t, "Asia/Kathmandu")), sun.Add(36 * time.Hour)}, []WeekSpan{{1980, 2160}}},
	} {
		if got := WeekSpansOf(c.iv); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// Every instant that a weekly interval covers, resolved by the slot rules'
// own Resolve on many dates around daylight saving changes, falls in one
// of the interval's week spans.
func TestWeekSpansCoverEveryResolvedInstant(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(2, 0, 0)
	for _, zone := range []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"} {
		loc := mustZone(t, zone)
		for range 200 {
			s := rng.IntN(MinutesPerDay)
			w := WeeklyInterval{Weekday: time.Weekday(rng.IntN(7)), Start: s, End: s + 1 + rng.IntN(MinutesPerDay-s)}
			spans := WeekSpans([]WeeklyInterval{w}, loc, from, to)
			d := DateOf(from, loc).AddDays(rng.IntN(700))
			for d.Weekday() != w.Weekday {
				d = d.AddDays(1)
			}
			for _, m := range []int{w.Start, w.End - 1, (w.Start + w.End) / 2} {
				at := Resolve(loc, d, m)
				wm := weekMinute(at)
				if !slices.ContainsFunc(spans, func(sp WeekSpan) bool { return sp.Start <= wm && wm < sp.End }) {
					t.Fatalf("%s %v on %v minute %d = %v (week minute %d) is outside %v", zone, w, d, m, at, wm, spans)
				}
			}
		}
	}
}

func TestWeekSpansAreOnlyAsWideAsTheOffsetsNeed(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := []WeeklyInterval{{Weekday: time.Monday, Start: 9 * 60, End: 12 * 60}}
	// Berlin is UTC+1 in winter and UTC+2 in summer: Monday 07:00–11:00 UTC covers both.
	if got, want := WeekSpans(w, mustZone(t, "Europe/Berlin"), from, from.AddDate(1, 0, 0)), []WeekSpan{{1440 + 7*60, 1440 + 11*60}}; !slices.Equal(got, want) {
		t.Errorf("Berlin: %v, want %v", got, want)
	}
	// Kolkata has one offset, +05:30.
	if got, want := WeekSpans(w, mustZone(t, "Asia/Kolkata"), from, from.AddDate(1, 0, 0)), []WeekSpan{{1440 + 210, 1440 + 390}}; !slices.Equal(got, want) {
		t.Errorf("Kolkata: %v, want %v", got, want)
	}
	// Sunday 01:00 in Auckland (UTC+13 in January) is Saturday noon UTC.
	sun := []WeeklyInterval{{Weekday: time.Sunday, Start: 60, End: 120}}
	if got, want := WeekSpans(sun, mustZone(t, "Pacific/Auckland"), from, from.AddDate(0, 1, 0)), []WeekSpan{{6*1440 + 12*60, 6*1440 + 13*60}}; !slices.Equal(got, want) {
		t.Errorf("Auckland: %v, want %v", got, want)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := LoadZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
