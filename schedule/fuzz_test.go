package schedule

import (
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// fuzzZones mixes ordinary DST, 30-minute and 45-minute offsets, midnight
// transitions, negative DST (Dublin), 2-hour DST (Troll) and no DST.
var fuzzZones = []string{
	"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
	"Asia/Kathmandu", "America/Santiago", "Pacific/Chatham", "Asia/Tokyo",
	"America/Sao_Paulo", "Asia/Amman", "America/Havana", "Europe/Dublin",
	"Antarctica/Troll", "America/St_Johns", "Australia/Eucla", "Africa/Casablanca",
	"Asia/Tehran", "Pacific/Apia", "America/Caracas", "Asia/Gaza", "America/Nuuk",
}

// bytesIn turns fuzz bytes into bounded numbers. Once the bytes run out it
// continues with a PRNG seeded from them, so short inputs still describe a
// full scenario while mutations of the prefix stay local.
type bytesIn struct {
	b   []byte
	rng *rand.Rand
}

func newBytesIn(b []byte) *bytesIn {
	h := fnv.New64a()
	h.Write(b)
	return &bytesIn{b: b, rng: rand.New(rand.NewPCG(h.Sum64(), uint64(len(b))))}
}

func (r *bytesIn) u8() int {
	if len(r.b) == 0 {
		return r.rng.IntN(256)
	}
	v := r.b[0]
	r.b = r.b[1:]
	return int(v)
}

func (r *bytesIn) intn(n int) int { return (r.u8()<<16 | r.u8()<<8 | r.u8()) % n }

// offsetAt is the UTC offset in force at instant t, in seconds.
func offsetAt(loc *time.Location, t int64) int64 {
	_, off := time.Unix(t, 0).In(loc).Zone()
	return int64(off)
}

// wallOf reads an instant's wall clock in loc as if it were UTC seconds.
func wallOf(t time.Time, loc *time.Location) int64 {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC).Unix()
}

func FuzzResolve(f *testing.F) {
	f.Add(uint8(1), uint16(7371), uint16(150))  // NY 2026-03-08 02:30 (gap)
	f.Add(uint8(1), uint16(7609), uint16(90))   // NY 2026-11-01 01:30 (ambiguous)
	f.Add(uint8(3), uint16(7399), uint16(105))  // Lord Howe 2026-04-05 01:45
	f.Add(uint8(3), uint16(7581), uint16(135))  // Lord Howe 2026-10-04 02:15
	f.Add(uint8(5), uint16(7553), uint16(0))    // Santiago 2026-09-06 00:00
	f.Add(uint8(5), uint16(7398), uint16(1410)) // Santiago 2026-04-04 23:30
	f.Add(uint8(6), uint16(7574), uint16(180))  // Chatham 2026-09-27 03:00
	f.Add(uint8(17), uint16(2189), uint16(600)) // Apia 2011-12-30: a skipped day
	f.Add(uint8(4), uint16(0), uint16(1440))
	f.Fuzz(func(t *testing.T, zone uint8, day uint16, minute uint16) {
		loc := mustLoc(t, fuzzZones[int(zone)%len(fuzzZones)])
		// Days from 2006-01-01 up to ~2063, minute 0..1440.
		d := Date{2006, time.January, 1}.AddDays(int(day) % 21000)
		min := int(minute) % (MinutesPerDay + 1)
		got := Resolve(loc, d, min)
		wall := d.utc().Unix() + int64(min)*60

		// Independent oracle: sample the offsets in force around the wall
		// time every 15 minutes, then keep the offsets under which some
		// instant shows exactly this wall clock.
		var cands []int64
		seen := map[int64]bool{}
		for s := wall - 30*3600; s <= wall+30*3600; s += 900 {
			off := offsetAt(loc, s)
			if seen[off] {
				continue
			}
			seen[off] = true
			if c := wall - off; offsetAt(loc, c) == off {
				cands = append(cands, c)
			}
		}
		slices.Sort(cands)
		if len(cands) > 0 {
			// Exists: the earliest instant showing it (fall-back rule).
			if got.Unix() != cands[0] {
				t.Fatalf("%v %s %s: got %v, want %v (candidates %v)", loc, d, FormatClock(min),
					got, time.Unix(cands[0], 0).In(loc), cands)
			}
			if wallOf(got, loc) != wall {
				t.Fatalf("%v %s %s: wall clock of %v differs", loc, d, FormatClock(min), got)
			}
			return
		}
		// Gap: later by exactly the gap, i.e. by offset after - offset before.
		gap := wallOf(got, loc) - wall
		before, after := offsetAt(loc, got.Unix()-gap), offsetAt(loc, got.Unix())
		if gap <= 0 || after-before != gap {
			t.Fatalf("%v %s %s in a gap: got %v, moved %ds, offsets %d -> %d", loc, d, FormatClock(min), got, gap, before, after)
		}
	})
}

// fuzzScenario is one random mentor, query and second window.
type fuzzScenario struct {
	rules   Rules
	q       SlotQuery
	windows []Interval
}

func deriveScenario(t *testing.T, data []byte) fuzzScenario {
	in := newBytesIn(data)
	loc := mustLoc(t, fuzzZones[in.u8()%len(fuzzZones)])
	base := Date{2026, time.January, 1}.AddDays(in.intn(730))
	if in.u8()%2 == 0 {
		// Move next to one of the zone's transitions in 2026-2027, where
		// bugs live. (ZoneBounds only picks inputs here, it is no oracle.)
		t0 := Resolve(loc, base, 0)
		if _, end := t0.ZoneBounds(); !end.IsZero() && end.Year() < 2028 {
			base = DateOf(end, loc).AddDays(in.intn(5) - 3)
		}
	}
	origin := Resolve(loc, base, 0)
	minutes := func(lo, hi int) time.Time { return origin.Add(time.Duration(lo+in.intn(hi-lo)) * time.Minute) }
	q := SlotQuery{Duration: time.Duration(5*(1+in.intn(48))) * time.Minute}
	if in.u8() < 20 {
		q.Duration = time.Duration(1+in.intn(30*60)) * time.Minute // up to 30h, odd lengths
	}
	switch k := in.u8(); {
	case k < 60:
		q.Step = 0
	case k < 120:
		q.Step = time.Duration(1+in.intn(90)) * time.Minute
	default:
		q.Step = time.Duration(5*(1+in.intn(24))) * time.Minute
	}
	q.BufferBefore = time.Duration(5*in.intn(7)) * time.Minute
	q.BufferAfter = time.Duration(5*in.intn(7)) * time.Minute
	q.Earliest = minutes(-3*1440, 6*1440).Add(time.Duration(in.intn(60)) * time.Second)
	q.Latest = q.Earliest.Add(time.Duration(in.intn(20*1440)) * time.Minute)
	var windows []Interval
	for k := 0; k < 3; k++ {
		// Mostly near Earliest, where the anchoring rules matter.
		s := q.Earliest.Add(time.Duration(in.intn(9*1440)-3*1440) * time.Minute)
		windows = append(windows, Interval{s, s.Add(time.Duration(in.intn(6*1440)) * time.Minute)})
	}
	q.Window = windows[0]
	clock := func() int { // biased towards 00:00 and 24:00
		switch k := in.u8(); {
		case k < 40:
			return 0
		case k < 80:
			return MinutesPerDay
		default:
			return in.intn(MinutesPerDay/5+1) * 5
		}
	}
	span := func() (int, int) {
		a, b := clock(), clock()
		return min(a, b), max(a, b) // equal bounds make an (ignored) empty interval
	}
	r := Rules{Location: loc, Overrides: map[Date][]LocalInterval{}}
	for n := 2 + in.intn(14); n > 0; n-- {
		s, e := span()
		r.Weekly = append(r.Weekly, WeeklyInterval{time.Weekday(in.intn(7)), s, e})
	}
	for n := in.intn(4); n > 0; n-- {
		d := base.AddDays(in.intn(16) - 4)
		var ivs []LocalInterval
		for k := in.intn(3); k > 0; k-- {
			s, e := span()
			ivs = append(ivs, LocalInterval{s, e})
		}
		r.Overrides[d] = ivs // may be empty: a day off
	}
	for n := in.intn(10); n > 0; n-- {
		s := minutes(-3*1440, 12*1440)
		q.Busy = append(q.Busy, Interval{s, s.Add(time.Duration(in.intn(300)) * time.Minute)})
	}
	return fuzzScenario{r, q, windows}
}

// naiveMerged re-derives the merged availability from scratch: minute
// bitmaps per date, resolved with Resolve, sorted and merged by hand.
func naiveMerged(r Rules, first, last Date) []Interval {
	var raw []Interval
	for d := first; !d.After(last); d = d.AddDays(1) {
		var on [MinutesPerDay]bool
		mark := func(s, e int) {
			for m := max(s, 0); m < min(e, MinutesPerDay); m++ {
				on[m] = true
			}
		}
		if ov, ok := r.Overrides[d]; ok {
			for _, li := range ov {
				mark(li.Start, li.End)
			}
		} else {
			for _, w := range r.Weekly {
				if w.Weekday == d.Weekday() {
					mark(w.Start, w.End)
				}
			}
		}
		for m := 0; m < MinutesPerDay; m++ {
			if on[m] && (m == 0 || !on[m-1]) {
				e := m
				for e < MinutesPerDay && on[e] {
					e++
				}
				s, en := Resolve(r.Location, d, m), Resolve(r.Location, d, e)
				if s.Before(en) {
					raw = append(raw, Interval{s, en})
				}
			}
		}
	}
	slices.SortFunc(raw, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	var merged []Interval
	for _, iv := range raw {
		if n := len(merged); n > 0 && !iv.Start.After(merged[n-1].End) {
			if iv.End.After(merged[n-1].End) {
				merged[n-1].End = iv.End
			}
			continue
		}
		merged = append(merged, iv)
	}
	return merged
}

// naiveSlots enumerates every grid point of every merged interval and
// checks each rule directly against every busy interval.
// naiveGrid is the grid a candidate at s of merged interval a (index i)
// is on, by the rule of maxChainAge: merged[0] is cut when it began at the
// first expanded instant, so its real start lies further back.
func naiveGrid(merged []Interval, i int, cut bool, ref, s time.Time) time.Time {
	if (i == 0 && cut) || !s.Before(merged[i].Start.Add(maxChainAge)) {
		return ref
	}
	return merged[i].Start
}

func naiveSlots(merged []Interval, cut bool, ref time.Time, q SlotQuery) []Interval {
	step := q.Step
	if step <= 0 {
		step = q.Duration
	}
	var out []Interval
	for i, a := range merged {
		// Only starts inside the window can be offered: begin one step
		// before it, minute by minute to the nearest grid point.
		s := later(a.Start, q.Window.Start.Add(-step).Truncate(time.Minute))
		for ; !s.Add(q.Duration).After(a.End) && s.Before(q.Window.End); s = s.Add(time.Minute) {
			if s.Sub(naiveGrid(merged, i, cut, ref, s))%step != 0 {
				continue
			}
			if s.Before(q.Earliest) || !s.Before(q.Latest) || !q.Window.Contains(s) {
				continue
			}
			block := Interval{s.Add(-q.BufferBefore), s.Add(q.Duration + q.BufferAfter)}
			free := true
			for _, b := range q.Busy {
				free = free && !block.Overlaps(b)
			}
			if free {
				out = append(out, Interval{s, s.Add(q.Duration)})
			}
		}
	}
	return out
}

func FuzzSlots(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("mentorbook"))
	f.Add([]byte{1, 0, 0, 10, 0, 5, 1, 0, 0, 0, 20, 0, 0, 0, 0, 0, 40, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{3, 0, 1, 20, 0, 0, 7, 0, 0, 3, 10, 200, 90, 1, 2, 3, 200, 0, 0, 0, 9, 9, 9, 1, 0, 0, 100})
	f.Add([]byte{5, 0, 2, 100, 0, 0, 8, 0, 0, 6, 30, 50, 0, 0, 1, 200, 5, 0, 4, 0, 0, 6, 255, 255, 7, 0, 0, 1, 2})
	f.Add([]byte{6, 1, 1, 1, 0, 0, 9, 0, 0, 2, 70, 30, 0, 0, 5, 0, 0, 0, 255, 255, 255, 0, 0, 0, 8, 1, 3, 3, 3})
	f.Add([]byte{9, 0, 100, 7, 0, 0, 5, 0, 0, 0, 1, 1, 1, 60, 0, 0, 1, 100, 0, 0, 40, 0, 0, 40, 0, 0, 40, 0, 0, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		sc := deriveScenario(t, data)
		loc := sc.rules.Location
		ref := gridReference(loc)
		for _, w := range sc.windows {
			q := sc.q
			q.Window = w
			// Far enough back that any merged interval starting later than
			// the first expanded instant is whole.
			first := DateOf(w.Start, loc).AddDays(-maxWalkBack - 2)
			merged := naiveMerged(sc.rules, first, DateOf(w.End, loc).AddDays(3))
			cut := len(merged) > 0 && merged[0].Start.Equal(Resolve(loc, first, 0))
			got := sc.rules.Slots(q)
			checkSlotProperties(t, q, merged, cut, ref, got)
			if want := naiveSlots(merged, cut, ref, q); !equalIntervals(got, want) {
				t.Fatalf("window [%v, %v) in %v:\n got  %s\n want %s", w.Start, w.End, loc, fmtIntervals(got), fmtIntervals(want))
			}
			checkBusyTimes(t, sc.rules, q, merged, got)
			checkLocalDates(t, sc.rules, q, got)
		}
	})
}

// checkSlotProperties asserts the slot rules one by one, so a failure
// names the rule that broke.
func checkSlotProperties(t *testing.T, q SlotQuery, merged []Interval, cut bool, ref time.Time, got []Interval) {
	t.Helper()
	step := q.Step
	if step <= 0 {
		step = q.Duration
	}
	for i, s := range got {
		if i > 0 && !got[i-1].Start.Before(s.Start) {
			t.Fatalf("slots not strictly ascending at %v", s.Start)
		}
		if !s.End.Equal(s.Start.Add(q.Duration)) {
			t.Fatalf("slot %v has wrong length", s)
		}
		if !q.Window.Contains(s.Start) {
			t.Fatalf("slot %v starts outside the window", s.Start)
		}
		if s.Start.Before(q.Earliest) || !s.Start.Before(q.Latest) {
			t.Fatalf("slot %v outside [Earliest, Latest)", s.Start)
		}
		inside := false
		for k, a := range merged {
			if !s.Start.Before(a.Start) && !s.End.After(a.End) {
				inside = true
				if g := naiveGrid(merged, k, cut, ref, s.Start); s.Start.Sub(g)%step != 0 {
					t.Fatalf("slot %v off the grid of %v in [%v, %v)", s.Start, g, a.Start, a.End)
				}
			}
		}
		if !inside {
			t.Fatalf("slot %s not inside availability %s", fmtIntervals([]Interval{s}), fmtIntervals(merged))
		}
		block := Interval{s.Start.Add(-q.BufferBefore), s.End.Add(q.BufferAfter)}
		for _, b := range q.Busy {
			if block.Overlaps(b) {
				t.Fatalf("slot %v blocked range overlaps busy %v", s.Start, b)
			}
		}
	}
}

// checkBusyTimes probes BusyTimes at every interesting instant: an instant
// of the window is busy exactly when it is not bookable.
func checkBusyTimes(t *testing.T, r Rules, q SlotQuery, merged []Interval, slots []Interval) {
	t.Helper()
	bt := r.BusyTimes(q)
	if !equalIntervals(bt, Normalize(bt)) {
		t.Fatalf("BusyTimes not normalized: %s", fmtIntervals(bt))
	}
	var probes []time.Time
	add := func(ts ...time.Time) {
		for _, p := range ts {
			probes = append(probes, p, p.Add(-time.Second))
		}
	}
	add(q.Window.Start, q.Window.End, q.Earliest, q.Latest)
	for _, iv := range merged {
		add(iv.Start, iv.End)
	}
	for _, iv := range q.Busy {
		add(iv.Start, iv.End)
	}
	for _, iv := range bt {
		add(iv.Start, iv.End)
	}
	for _, s := range slots {
		add(s.Start)
	}
	for _, p := range probes {
		if !q.Window.Contains(p) {
			continue
		}
		bookable := !p.Before(q.Earliest) && p.Before(q.Latest)
		inAvail := false
		for _, a := range merged {
			inAvail = inAvail || a.Contains(p)
		}
		for _, b := range q.Busy {
			bookable = bookable && !b.Contains(p)
		}
		bookable = bookable && inAvail
		busy := false
		for _, b := range bt {
			busy = busy || b.Contains(p)
		}
		if busy == bookable {
			t.Fatalf("BusyTimes at %v: busy=%v but bookable=%v", p, busy, bookable)
		}
	}
}

// checkLocalDates changes the hours of the dates just outside
// q.LocalDates, where a chain across midnight would matter most, and
// checks that neither Slots nor BusyTimes notice.
func checkLocalDates(t *testing.T, r Rules, q SlotQuery, slots []Interval) {
	t.Helper()
	first, last := q.LocalDates(r.Location)
	r2 := r
	r2.Overrides = maps.Clone(r.Overrides)
	for _, d := range []Date{first.AddDays(-2), first.AddDays(-1), last.AddDays(1), last.AddDays(2)} {
		r2.Overrides[d] = []LocalInterval{{0, MinutesPerDay}}
	}
	if got := r2.Slots(q); !equalIntervals(got, slots) {
		t.Fatalf("hours outside LocalDates %s..%s changed Slots:\n got  %s\n want %s", first, last, fmtIntervals(got), fmtIntervals(slots))
	}
	if !equalIntervals(r2.BusyTimes(q), r.BusyTimes(q)) {
		t.Fatalf("hours outside LocalDates %s..%s changed BusyTimes", first, last)
	}
}
