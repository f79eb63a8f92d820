package schedule

import (
	"testing"
	"time"
)

// Nuuk springs forward at Saturday 23:00 (to Sunday 00:00), so "Saturday
// until 23:00" joins Sunday on that weekend only.
func TestSlotsOnAWeekendJoinedByAGap(t *testing.T) {
	loc := mustLoc(t, "America/Nuuk")
	r := Rules{Location: loc, Weekly: []WeeklyInterval{
		{time.Saturday, 9*60 + 10, 23 * 60},
		{time.Sunday, 0, MinutesPerDay},
		{time.Monday, 0, 12 * 60},
	}}
	now := time.Date(2027, 3, 20, 12, 0, 0, 0, time.UTC)
	q := func(w Interval) SlotQuery {
		return SlotQuery{Window: w, Earliest: now, Latest: now.Add(60 * 24 * time.Hour), Duration: time.Hour, Step: 35 * time.Minute}
	}
	weekend := Interval{Resolve(loc, Date{2027, 3, 27}, 0), Resolve(loc, Date{2027, 3, 30}, 0)}
	shown := r.Slots(q(weekend))
	for _, s := range shown {
		if got := r.Slots(q(Interval{s.Start, s.Start.Add(time.Microsecond)})); len(got) == 0 {
			t.Errorf("slot %v shown over Sat..Mon is refused by the booking check", s.Start)
		}
	}
}

// A chain that runs through a spring-forward day whose local hours are split
// exactly at the DST gap is one merged interval, and the walk back must
// see it as one, or the anchor depends on the window.
func TestSlotsChainThroughADaySplitAtItsGap(t *testing.T) {
	cases := []struct {
		zone string
		day  Date // spring-forward day
		ivs  []LocalInterval
	}{
		{"America/New_York", Date{2026, 3, 8}, []LocalInterval{{0, 120}, {180, 1440}}},
		{"America/Santiago", Date{2026, 9, 6}, []LocalInterval{{60, 1440}}},
		{"Australia/Lord_Howe", Date{2026, 10, 4}, []LocalInterval{{0, 120}, {150, 1440}}},
		{"Pacific/Chatham", Date{2026, 9, 27}, []LocalInterval{{0, 165}, {225, 1440}}},
	}
	for _, c := range cases {
		loc := mustLoc(t, c.zone)
		// The chain starts at 10:00 ten days before the transition.
		r := Rules{Location: loc, Weekly: allDay(), Overrides: map[Date][]LocalInterval{}}
		r.Overrides[c.day.AddDays(-10)] = []LocalInterval{{600, 1440}}
		r.Overrides[c.day.AddDays(-11)] = []LocalInterval{{0, 60}}
		r.Overrides[c.day] = c.ivs
		now := Resolve(loc, c.day.AddDays(-20), 0)
		q := func(w Interval) SlotQuery {
			return SlotQuery{Window: w, Earliest: now, Latest: now.Add(60 * 24 * time.Hour), Duration: time.Hour, Step: 35 * time.Minute}
		}
		day := Interval{Resolve(loc, c.day.AddDays(2), 0), Resolve(loc, c.day.AddDays(3), 0)}
		wide := Interval{Resolve(loc, c.day.AddDays(-5), 0), day.End}
		a := r.Slots(q(day))
		b := inWindow(r.Slots(q(wide)), day)
		if !equalIntervals(a, b) {
			t.Errorf("%s: a one-day window and a wide one disagree:\n day  %s\n wide %s", c.zone, fmtIntervals(a), fmtIntervals(b))
		}
		for _, s := range b {
			if one := r.Slots(q(Interval{s.Start, s.Start.Add(time.Microsecond)})); len(one) != 1 {
				t.Errorf("%s: slot %v shown over the wide window is refused by the booking check", c.zone, s.Start)
			}
		}
	}
}
