package schedule

import (
	"testing"
	"time"
)

// slotCase expectations are hand-computed from the zone offsets noted on
// each case; want lists slot starts (every slot lasts query.Duration).
type slotCase struct {
	name  string
	rules Rules
	query SlotQuery
	want  []string
}

func runSlotCases(t *testing.T, cases []slotCase) {
	t.Helper()
	for _, c := range cases {
		got := c.rules.Slots(c.query)
		var want []Interval
		for _, s := range c.want {
			start := ts(t, s)
			want = append(want, Interval{start, start.Add(c.query.Duration)})
		}
		if !equalIntervals(got, want) {
			t.Errorf("%s:\n got  %s\n want %s", c.name, fmtIntervals(got), fmtIntervals(want))
		}
	}
}

// open is a query with no notice or horizon limits inside the window.
func open(t *testing.T, from, to string, dur, step time.Duration) SlotQuery {
	return SlotQuery{
		Window:   Interval{ts(t, from), ts(t, to)},
		Earliest: ts(t, "2025-01-01T00:00:00Z"),
		Latest:   ts(t, "2028-01-01T00:00:00Z"),
		Duration: dur,
		Step:     step,
	}
}

func with(q SlotQuery, f func(*SlotQuery)) SlotQuery { f(&q); return q }

func TestSlotsBasics(t *testing.T) {
	// UTC mentor, Monday 2026-01-05 09:00-12:00.
	utcMon := Rules{Location: time.UTC, Weekly: []WeeklyInterval{{time.Monday, 540, 720}}}
	monday := open(t, "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z", time.Hour, 30*time.Minute)
	busy := []Interval{{ts(t, "2026-01-05T10:00:00Z"), ts(t, "2026-01-05T10:30:00Z")}}
	runSlotCases(t, []slotCase{
		{"grid", utcMon, monday, []string{
			"2026-01-05T09:00:00Z", "2026-01-05T09:30:00Z", "2026-01-05T10:00:00Z",
			"2026-01-05T10:30:00Z", "2026-01-05T11:00:00Z"}},
		{"step 0 means duration", utcMon, with(monday, func(q *SlotQuery) { q.Step = 0 }), []string{
			"2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", "2026-01-05T11:00:00Z"}},
		{"step shorter than duration", utcMon, with(monday, func(q *SlotQuery) {
			q.Duration, q.Step = 90*time.Minute, 20*time.Minute
		}), []string{
			"2026-01-05T09:00:00Z", "2026-01-05T09:20:00Z", "2026-01-05T09:40:00Z",
			"2026-01-05T10:00:00Z", "2026-01-05T10:20:00Z"}},
		{"step longer than duration", utcMon, with(monday, func(q *SlotQuery) {
			q.Duration, q.Step = 30*time.Minute, 50*time.Minute
		}), []string{
			"2026-01-05T09:00:00Z", "2026-01-05T09:50:00Z", "2026-01-05T10:40:00Z",
			"2026-01-05T11:30:00Z"}},
		{"busy, touching is fine", utcMon, with(monday, func(q *SlotQuery) { q.Busy = busy }), []string{
			"2026-01-05T09:00:00Z", "2026-01-05T10:30:00Z", "2026-01-05T11:00:00Z"}},
		{"busy with 10 min buffers", utcMon, with(monday, func(q *SlotQuery) {
			q.Busy, q.BufferBefore, q.BufferAfter = busy, 10*time.Minute, 10*time.Minute
		}), []string{"2026-01-05T11:00:00Z"}},
		{"buffer after only", utcMon, with(monday, func(q *SlotQuery) {
			q.Busy, q.BufferAfter = busy, 10*time.Minute
		}), []string{"2026-01-05T10:30:00Z", "2026-01-05T11:00:00Z"}},
		{"buffer before only", utcMon, with(monday, func(q *SlotQuery) {
			q.Busy, q.BufferBefore = busy, 10*time.Minute
		}), []string{"2026-01-05T09:00:00Z", "2026-01-05T11:00:00Z"}}, // 09:00 blocks [08:50,10:00): touches
		{"overlapping busy in any order", utcMon, with(monday, func(q *SlotQuery) {
			q.Busy = []Interval{
				{ts(t, "2026-01-05T11:10:00Z"), ts(t, "2026-01-05T11:20:00Z")},
				{ts(t, "2026-01-05T09:00:00Z"), ts(t, "2026-01-05T09:40:00Z")},
				{ts(t, "2026-01-05T09:20:00Z"), ts(t, "2026-01-05T09:50:00Z")},
			}
		}), []string{"2026-01-05T10:00:00Z"}},
		{"notice", utcMon, with(monday, func(q *SlotQuery) { q.Earliest = ts(t, "2026-01-05T10:15:00Z") }), []string{
			"2026-01-05T10:30:00Z", "2026-01-05T11:00:00Z"}},
		{"notice exactly on grid", utcMon, with(monday, func(q *SlotQuery) { q.Earliest = ts(t, "2026-01-05T10:30:00Z") }), []string{
			"2026-01-05T10:30:00Z", "2026-01-05T11:00:00Z"}},
		{"horizon", utcMon, with(monday, func(q *SlotQuery) { q.Latest = ts(t, "2026-01-05T10:30:00Z") }), []string{
			"2026-01-05T09:00:00Z", "2026-01-05T09:30:00Z", "2026-01-05T10:00:00Z"}},
		{"window cuts starts only", utcMon, with(monday, func(q *SlotQuery) {
			q.Window = Interval{ts(t, "2026-01-05T09:10:00Z"), ts(t, "2026-01-05T10:30:00Z")}
		}), []string{"2026-01-05T09:30:00Z", "2026-01-05T10:00:00Z"}},
		{"zero duration", utcMon, with(monday, func(q *SlotQuery) { q.Duration = 0 }), nil},
		{"empty window", utcMon, with(monday, func(q *SlotQuery) { q.Window.End = q.Window.Start }), nil},
		{"horizon before notice", utcMon, with(monday, func(q *SlotQuery) {
			q.Earliest, q.Latest = ts(t, "2026-01-05T11:00:00Z"), ts(t, "2026-01-05T10:00:00Z")
		}), nil},
		{"override other hours", Rules{Location: time.UTC, Weekly: utcMon.Weekly,
			Overrides: map[Date][]LocalInterval{{2026, 1, 5}: {{780, 900}}}},
			with(monday, func(q *SlotQuery) { q.Step = 0 }),
			[]string{"2026-01-05T13:00:00Z", "2026-01-05T14:00:00Z"}},
		{"override day off", Rules{Location: time.UTC, Weekly: utcMon.Weekly,
			Overrides: map[Date][]LocalInterval{{2026, 1, 5}: nil}}, monday, nil},
		{"override on other date keeps weekly", Rules{Location: time.UTC, Weekly: utcMon.Weekly,
			Overrides: map[Date][]LocalInterval{{2026, 1, 12}: nil}},
			with(monday, func(q *SlotQuery) { q.Step = 0 }), []string{
				"2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", "2026-01-05T11:00:00Z"}},
	})
}

func TestSlotsAcrossMidnight(t *testing.T) {
	// Berlin in January is +01:00. Mon 22:00-24:00 + Tue 00:00-02:00 is one
	// 4h interval from 21:00Z; 60 min slots every 45 min are anchored at it:
	// 22:00, 22:45, 23:30, 00:15, 01:00 local. Split per date it would give
	// 22:00, 22:45, 00:00, 00:45 instead.
	berlin := mustLoc(t, "Europe/Berlin")
	r := Rules{Location: berlin, Weekly: []WeeklyInterval{{time.Monday, 1320, 1440}, {time.Tuesday, 0, 120}}}
	all := []string{"2026-01-05T21:00:00Z", "2026-01-05T21:45:00Z", "2026-01-05T22:30:00Z",
		"2026-01-05T23:15:00Z", "2026-01-06T00:00:00Z"}
	q := open(t, "2026-01-04T23:00:00Z", "2026-01-06T23:00:00Z", time.Hour, 45*time.Minute)
	runSlotCases(t, []slotCase{
		{"both days", r, q, all},
		{"viewer asks for Tuesday only", r, with(q, func(q *SlotQuery) {
			q.Window = Interval{ts(t, "2026-01-05T23:00:00Z"), ts(t, "2026-01-06T23:00:00Z")}
		}), all[3:]},
		{"viewer asks for Monday only", r, with(q, func(q *SlotQuery) {
			q.Window = Interval{ts(t, "2026-01-04T23:00:00Z"), ts(t, "2026-01-05T23:00:00Z")}
		}), all[:3]}, // 23:30 runs past midnight and is still offered
		{"notice inside the chain keeps the anchor", r, with(q, func(q *SlotQuery) {
			q.Earliest = ts(t, "2026-01-05T22:00:00Z")
		}), all[2:]},
		{"notice on Tuesday keeps the anchor", r, with(q, func(q *SlotQuery) {
			q.Earliest = ts(t, "2026-01-05T23:30:00Z")
			q.Window = Interval{ts(t, "2026-01-05T23:00:00Z"), ts(t, "2026-01-06T23:00:00Z")}
		}), all[4:]},
	})
}

func TestSlotsDST(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	early := Rules{Location: ny, Weekly: []WeeklyInterval{{time.Sunday, 0, 240}}}
	inGap := Rules{Location: ny, Weekly: []WeeklyInterval{{time.Sunday, 90, 210}}}
	runSlotCases(t, []slotCase{
		// 2026-03-08 00:00 EST (05:00Z) .. 04:00 EDT (08:00Z): 3 hours; the
		// slot that would start at 02:00 does not exist.
		{"NY spring-forward 00:00-04:00", early,
			open(t, "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", time.Hour, 0),
			[]string{"2026-03-08T05:00:00Z", "2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z"}},
		// 01:30 EST (06:30Z) .. 03:30 EDT (07:30Z) is one hour long.
		{"NY spring-forward 01:30-03:30", inGap,
			open(t, "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", 30*time.Minute, 0),
			[]string{"2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z"}},
		// 2026-11-01 00:00 EDT (04:00Z) .. 04:00 EST (09:00Z): 5 hours; 01:00
		// local is offered twice (EDT then EST) as distinct instants.
		{"NY fall-back 00:00-04:00", early,
			open(t, "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", time.Hour, 0),
			[]string{"2026-11-01T04:00:00Z", "2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z",
				"2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"}},
		// 01:30 EDT (05:30Z) .. 03:30 EST (08:30Z): 3 hours.
		{"NY fall-back 01:30-03:30", inGap,
			open(t, "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", time.Hour, 0),
			[]string{"2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", "2026-11-01T07:30:00Z"}},
	})
	// The instants above as NY wall clocks, to show what a viewer sees.
	got := early.Slots(open(t, "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", time.Hour, 0))
	var walls []string
	for _, s := range got {
		walls = append(walls, s.Start.In(ny).Format("15:04 MST"))
	}
	want := []string{"00:00 EDT", "01:00 EDT", "01:00 EST", "02:00 EST", "03:00 EST"}
	if len(walls) != len(want) {
		t.Fatalf("fall-back walls = %v, want %v", walls, want)
	}
	for i := range want {
		if walls[i] != want[i] {
			t.Errorf("fall-back walls = %v, want %v", walls, want)
			break
		}
	}
}

func TestSlotsZones(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	ktm := mustLoc(t, "Asia/Kathmandu")
	chatham := mustLoc(t, "Pacific/Chatham")
	santiago := mustLoc(t, "America/Santiago")

	// Mentor in NY (EST, -05:00) Mon 2026-01-05 20:00-22:00 = 01:00Z-03:00Z
	// on Tue 01-06 = 06:45-08:45 Kathmandu (+05:45) on Tue 01-06.
	nyEvening := Rules{Location: ny, Weekly: []WeeklyInterval{{time.Monday, 1200, 1320}}}
	ktmDay := func(d string) Interval {
		date := mustDate(t, d)
		return Interval{Resolve(ktm, date, 0), Resolve(ktm, date, MinutesPerDay)}
	}
	q := open(t, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", time.Hour, 0)

	// Chatham 2026-09-27 (Sunday) 02:00 +12:45 (13:15Z) .. 05:00 +13:45
	// (15:15Z), clocks jump 02:45 -> 03:45 at 14:00Z. 2026-04-05 (Sunday)
	// 02:00 +13:45 (12:15Z) .. 05:00 +12:45 (16:15Z): four hours.
	chathamSun := Rules{Location: chatham, Weekly: []WeeklyInterval{{time.Sunday, 120, 300}}}

	// Santiago Sat 2026-09-05 22:00 -04 (02:00Z) .. 24:00 = Sun 01:00 -03
	// (04:00Z) joins Sun 00:00 (-> 01:00 -03, 04:00Z) .. 02:00 -03 (05:00Z).
	santiagoRules := Rules{Location: santiago,
		Weekly:    []WeeklyInterval{{time.Saturday, 1320, 1440}},
		Overrides: map[Date][]LocalInterval{{2026, 9, 6}: {{0, 120}}}}

	runSlotCases(t, []slotCase{
		{"viewer's Kathmandu Tuesday", nyEvening, with(q, func(q *SlotQuery) { q.Window = ktmDay("2026-01-06") }),
			[]string{"2026-01-06T01:00:00Z", "2026-01-06T02:00:00Z"}},
		{"viewer's Kathmandu Monday", nyEvening, with(q, func(q *SlotQuery) { q.Window = ktmDay("2026-01-05") }), nil},
		{"Chatham spring-forward", chathamSun,
			open(t, "2026-09-26T00:00:00Z", "2026-09-28T00:00:00Z", time.Hour, 30*time.Minute),
			[]string{"2026-09-26T13:15:00Z", "2026-09-26T13:45:00Z", "2026-09-26T14:15:00Z"}},
		{"Chatham fall-back", chathamSun,
			open(t, "2026-04-04T00:00:00Z", "2026-04-06T00:00:00Z", time.Hour, 0),
			[]string{"2026-04-04T12:15:00Z", "2026-04-04T13:15:00Z", "2026-04-04T14:15:00Z", "2026-04-04T15:15:00Z"}},
		{"Santiago across a midnight gap", santiagoRules,
			open(t, "2026-09-05T00:00:00Z", "2026-09-07T00:00:00Z", time.Hour, 0),
			[]string{"2026-09-06T02:00:00Z", "2026-09-06T03:00:00Z", "2026-09-06T04:00:00Z"}},
	})

	for _, s := range nyEvening.Slots(with(q, func(q *SlotQuery) { q.Window = ktmDay("2026-01-06") })) {
		if got := DateOf(s.Start, ktm); got != mustDate(t, "2026-01-06") {
			t.Errorf("slot %v falls on Kathmandu date %s", s.Start, got)
		}
		if s.Start.Location() != ny {
			t.Errorf("slot %v not in the mentor's location", s.Start)
		}
	}
}

func TestBusyTimes(t *testing.T) {
	r := Rules{Location: time.UTC, Weekly: []WeeklyInterval{{time.Monday, 540, 720}, {time.Monday, 780, 840}}}
	q := SlotQuery{
		Window:   Interval{ts(t, "2026-01-05T00:00:00Z"), ts(t, "2026-01-06T00:00:00Z")},
		Earliest: ts(t, "2026-01-05T09:15:00Z"),
		Latest:   ts(t, "2026-01-05T13:30:00Z"),
		Duration: time.Hour, BufferBefore: time.Hour, // ignored by BusyTimes
		Busy: []Interval{
			{ts(t, "2026-01-05T10:00:00Z"), ts(t, "2026-01-05T10:30:00Z")},
			{ts(t, "2026-01-04T10:00:00Z"), ts(t, "2026-01-04T10:30:00Z")}, // outside window
		},
	}
	// Bookable: [09:15,10:00) [10:30,12:00) [13:00,13:30).
	want := []Interval{
		{ts(t, "2026-01-05T00:00:00Z"), ts(t, "2026-01-05T09:15:00Z")},
		{ts(t, "2026-01-05T10:00:00Z"), ts(t, "2026-01-05T10:30:00Z")},
		{ts(t, "2026-01-05T12:00:00Z"), ts(t, "2026-01-05T13:00:00Z")},
		{ts(t, "2026-01-05T13:30:00Z"), ts(t, "2026-01-06T00:00:00Z")},
	}
	if got := r.BusyTimes(q); !equalIntervals(got, want) {
		t.Errorf("BusyTimes = %s, want %s", fmtIntervals(got), fmtIntervals(want))
	}
	q.Window = Interval{ts(t, "2026-01-06T00:00:00Z"), ts(t, "2026-01-07T00:00:00Z")}
	if got := r.BusyTimes(q); !equalIntervals(got, []Interval{q.Window}) {
		t.Errorf("BusyTimes of a day without hours = %s, want the whole window", fmtIntervals(got))
	}
}
