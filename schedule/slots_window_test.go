package schedule

import (
	"fmt"
	"testing"
	"time"
)

func allDay() []WeeklyInterval {
	var w []WeeklyInterval
	for d := time.Sunday; d <= time.Saturday; d++ {
		w = append(w, WeeklyInterval{d, 0, MinutesPerDay})
	}
	return w
}

func weekdays(ranges ...LocalInterval) []WeeklyInterval {
	var w []WeeklyInterval
	for d := time.Monday; d <= time.Friday; d++ {
		for _, r := range ranges {
			w = append(w, WeeklyInterval{d, r.Start, r.End})
		}
	}
	return w
}

// inWindow returns the slots of ref whose start lies in w.
func inWindow(ref []Interval, w Interval) []Interval {
	var out []Interval
	for _, s := range ref {
		if w.Contains(s.Start) {
			out = append(out, s)
		}
	}
	return out
}

// TestSlotsWindowIndependent checks that the slots a viewer sees do not
// depend on which window was asked for: a booking is re-checked over a
// different window than the one it was picked from.
func TestSlotsWindowIndependent(t *testing.T) {
	now := ts(t, "2026-03-20T10:07:00Z")
	scenarios := []struct {
		name  string
		rules Rules
		dur   time.Duration
		step  time.Duration
		busy  []Interval
	}{
		{"24/7 Berlin, 45 min step over DST", Rules{Location: mustLoc(t, "Europe/Berlin"), Weekly: allDay()},
			time.Hour, 45 * time.Minute, nil},
		{"24/7 New York, 50 min step over DST", Rules{Location: mustLoc(t, "America/New_York"), Weekly: allDay()},
			time.Hour, 50 * time.Minute, []Interval{{now.Add(50 * time.Hour), now.Add(53 * time.Hour)}}},
		{"24/7 Lord Howe, 35 min step", Rules{Location: mustLoc(t, "Australia/Lord_Howe"), Weekly: allDay()},
			25 * time.Minute, 35 * time.Minute, nil},
		{"24/7 Santiago, 45 min step over midnight DST", Rules{Location: mustLoc(t, "America/Santiago"), Weekly: allDay()},
			time.Hour, 45 * time.Minute, nil},
		{"NY office hours, 50 min step", Rules{Location: mustLoc(t, "America/New_York"),
			Weekly: weekdays(LocalInterval{540, 720}, LocalInterval{780, 1050})},
			time.Hour, 50 * time.Minute, nil},
		{"Chatham midnight chains and a long weekend", Rules{Location: mustLoc(t, "Pacific/Chatham"),
			Weekly: append(weekdays(LocalInterval{0, 120}, LocalInterval{1320, 1440}),
				WeeklyInterval{time.Saturday, 0, 1440}, WeeklyInterval{time.Sunday, 0, 1440}),
			Overrides: map[Date][]LocalInterval{{2026, 4, 1}: {{0, 1440}}}},
			40 * time.Minute, 45 * time.Minute, nil},
	}
	viewers := []*time.Location{mustLoc(t, "Asia/Kathmandu"), mustLoc(t, "Pacific/Pago_Pago"), time.UTC}

	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			query := func(w Interval) SlotQuery {
				return SlotQuery{Window: w, Earliest: now.Add(2 * time.Hour), Latest: now.Add(40 * 24 * time.Hour),
					Duration: sc.dur, Step: sc.step, BufferBefore: 5 * time.Minute, Busy: sc.busy}
			}
			ref := sc.rules.Slots(query(Interval{now.Add(-3 * 24 * time.Hour), now.Add(45 * 24 * time.Hour)}))
			if len(ref) == 0 {
				t.Fatal("reference window has no slots")
			}
			check := func(w Interval, got []Interval) {
				t.Helper()
				if want := inWindow(ref, w); !equalIntervals(got, want) {
					t.Fatalf("window [%v, %v):\n got  %s\n want %s", w.Start, w.End, fmtIntervals(got), fmtIntervals(want))
				}
			}
			// Many arbitrary windows of different lengths and offsets.
			lengths := []time.Duration{time.Hour, 5 * time.Hour, 24 * time.Hour, 3 * 24 * time.Hour, 10 * 24 * time.Hour}
			for i := 0; i < 150; i++ {
				start := now.Add(-2*24*time.Hour + time.Duration(i)*(7*time.Hour+13*time.Minute))
				w := Interval{start, start.Add(lengths[i%len(lengths)])}
				check(w, sc.rules.Slots(query(w)))
			}
			// Viewer days, and week-by-week against the whole month.
			for _, vloc := range viewers {
				first := DateOf(now, vloc)
				month := Interval{Resolve(vloc, first, 0), Resolve(vloc, first.AddDays(35), 0)}
				monthSlots := sc.rules.Slots(query(month))
				check(month, monthSlots)
				var weekly []Interval
				for wk := 0; wk < 5; wk++ {
					d := first.AddDays(7 * wk)
					weekly = append(weekly, sc.rules.Slots(query(Interval{Resolve(vloc, d, 0), Resolve(vloc, d.AddDays(7), 0)}))...)
				}
				if !equalIntervals(weekly, monthSlots) {
					t.Fatalf("%v: week-by-week differs from the month", vloc)
				}
				for d := first; d.Before(first.AddDays(35)); d = d.AddDays(1) {
					w := Interval{Resolve(vloc, d, 0), Resolve(vloc, d, MinutesPerDay)}
					check(w, sc.rules.Slots(query(w)))
				}
			}
		})
	}
}

// TestSlotsAnchor24x7 pins where an endless chain (open 24/7) is anchored:
// on the reference grid, midnight of 2000-01-03 in the mentor's zone plus
// multiples of the step, whatever window is asked for and whenever. A
// 35-minute step does not divide a day, so any other anchor shows.
func TestSlotsAnchor24x7(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	r := Rules{Location: berlin, Weekly: allDay()}
	// 2000-01-03 00:00 CET = 2000-01-02T23:00Z (hand-computed).
	ref := ts(t, "2000-01-02T23:00:00Z")
	step := 35 * time.Minute
	day := Interval{ts(t, "2026-03-30T22:00:00Z"), ts(t, "2026-03-31T22:00:00Z")} // 03-31 in Berlin (CEST)
	var seen []Interval
	for _, now := range []time.Time{ts(t, "2026-03-20T10:07:00Z"), ts(t, "2026-03-21T10:07:00Z"), ts(t, "2026-03-29T03:00:00Z")} {
		for _, w := range []Interval{day, {now, day.End}, {day.Start.Add(-72 * time.Hour), day.End.Add(24 * time.Hour)}} {
			slots := inWindow(r.Slots(SlotQuery{Window: w, Earliest: now, Latest: now.Add(60 * 24 * time.Hour), Duration: time.Hour, Step: step}), day)
			if len(slots) == 0 {
				t.Fatalf("now %v window %v: no slots", now, w)
			}
			for _, s := range slots {
				if off := s.Start.Sub(ref); off%step != 0 {
					t.Fatalf("slot %v is %v after the reference, not a multiple of %v", s.Start, off, step)
				}
			}
			if seen == nil {
				seen = slots
			} else if !equalIntervals(slots, seen) {
				t.Fatalf("now %v window %v: slots of 03-31 changed:\n got  %s\n want %s", now, w, fmtIntervals(slots), fmtIntervals(seen))
			}
		}
	}
	// From 2000-01-02T23:00Z to 2026-03-30T22:00Z is 9583 days less an
	// hour = 13800900 minutes = 394311 * 35 + 15 (computed with Python's
	// datetime), so the first slot of the day is 20 minutes in.
	if want := ts(t, "2026-03-30T22:20:00Z"); !seen[0].Start.Equal(want) {
		t.Errorf("first slot of 03-31 = %v, want %v", seen[0].Start, want)
	}
}

// TestSlotsChainsAnchorAtTheirStart: a chain through a long weekend is
// anchored where it begins, also when asked for from its last day.
func TestSlotsChainsAnchorAtTheirStart(t *testing.T) {
	utc := time.UTC
	// Friday 2026-03-20 20:00 to Monday 2026-03-23 04:00, UTC.
	r := Rules{Location: utc, Weekly: []WeeklyInterval{
		{time.Friday, 20 * 60, MinutesPerDay}, {time.Saturday, 0, MinutesPerDay},
		{time.Sunday, 0, MinutesPerDay}, {time.Monday, 0, 4 * 60},
	}}
	now := ts(t, "2026-03-22T12:00:00Z") // inside the chain
	w := Interval{ts(t, "2026-03-23T00:00:00Z"), ts(t, "2026-03-24T00:00:00Z")}
	slots := r.Slots(SlotQuery{Window: w, Earliest: now, Latest: now.Add(30 * 24 * time.Hour), Duration: time.Hour, Step: 35 * time.Minute})
	// From Friday 20:00 to Monday 00:00 is 52 h = 3120 min = 89 * 35 + 5,
	// so the grid reaches Monday at 00:30 (hand-computed); a 60-minute
	// session must end by 04:00.
	var got []string
	for _, s := range slots {
		got = append(got, s.Start.Format("15:04"))
	}
	if fmt.Sprint(got) != "[00:30 01:05 01:40 02:15 02:50]" {
		t.Errorf("Monday's slots %v", got)
	}
}

func ExampleRules_Slots() {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	r := Rules{
		Location: berlin,
		Weekly:   []WeeklyInterval{{Weekday: time.Monday, Start: 9 * 60, End: 12 * 60}},
	}
	day := Date{2026, time.January, 5}
	slots := r.Slots(SlotQuery{
		Window:      Interval{Resolve(berlin, day, 0), Resolve(berlin, day, MinutesPerDay)},
		Earliest:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Latest:      time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Duration:    time.Hour,
		Step:        30 * time.Minute,
		BufferAfter: 10 * time.Minute,
		Busy:        []Interval{{time.Date(2026, 1, 5, 10, 0, 0, 0, berlin), time.Date(2026, 1, 5, 10, 30, 0, 0, berlin)}},
	})
	for _, s := range slots {
		fmt.Println(s.Start.Format("15:04"), "-", s.End.Format("15:04"))
	}
	// Output:
	// 10:30 - 11:30
	// 11:00 - 12:00
}

func TestLocalDates(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	tests := []struct {
		name        string
		window      Interval
		dur         time.Duration
		first, last string
	}{
		// Window 03-25..03-26 local: the walk starts at 03-24 and may go
		// 400 dates back, looking at one more; last is the window end's
		// date + 1.
		{"a window", Interval{ts(t, "2026-03-24T23:00:00Z"), ts(t, "2026-03-26T23:00:00Z")}, time.Hour, "2025-02-16", "2026-03-28"},
		// A 30h session may end two dates after the window.
		{"long session", Interval{ts(t, "2026-03-24T23:00:00Z"), ts(t, "2026-03-25T23:00:00Z")}, 30 * time.Hour, "2025-02-16", "2026-03-28"},
	}
	for _, tt := range tests {
		q := SlotQuery{Window: tt.window, Duration: tt.dur}
		first, last := q.LocalDates(berlin)
		if first != mustDate(t, tt.first) || last != mustDate(t, tt.last) {
			t.Errorf("%s: LocalDates = %s..%s, want %s..%s", tt.name, first, last, tt.first, tt.last)
		}
	}
}
