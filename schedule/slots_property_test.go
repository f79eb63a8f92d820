package schedule

import (
	"flag"
	"math/rand/v2"
	"testing"
	"time"
)

var propIters = flag.Int("prop.iters", 300, "scenarios for TestSlotsBookableLater")
var propSeed = flag.Uint64("prop.seed", 20261121, "seed for TestSlotsBookableLater; 0 = from the clock")
var propNoSplit = flag.Bool("prop.nosplit", false, "never split a transition day at its gap")

var propZones = []string{
	"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago",
	"Pacific/Chatham", "Asia/Kathmandu", "America/Nuuk", "Asia/Tehran", "America/Havana",
}

// propScenario draws random rules near a DST transition of a random zone.
type propScenario struct {
	rules           Rules
	q               SlotQuery // Window is the viewer's; Earliest/Latest at now
	now             time.Time
	notice, horizon time.Duration
	splitGap        bool
}

func randClock(rng *rand.Rand) int {
	switch rng.IntN(6) {
	case 0:
		return 0
	case 1:
		return MinutesPerDay
	}
	return 5 * rng.IntN(MinutesPerDay/5+1)
}

func randDay(rng *rand.Rand) []LocalInterval {
	switch rng.IntN(8) {
	case 0, 1, 2:
		return []LocalInterval{{0, MinutesPerDay}}
	case 3:
		return []LocalInterval{{0, 30}, {1410, MinutesPerDay}} // 23:30-24:00 + 00:00-00:30 chains
	case 4:
		return nil
	}
	var ivs []LocalInterval
	for k := 1 + rng.IntN(3); k > 0; k-- {
		a, b := randClock(rng), randClock(rng)
		if a > b {
			a, b = b, a
		}
		if a < b {
			ivs = append(ivs, LocalInterval{a, b})
		}
	}
	return ivs
}

// gapSplit returns the hours of a spring-forward day split exactly at its
// gap (so locally two intervals, as instants one), or nil.
func gapSplit(loc *time.Location, d Date) []LocalInterval {
	for m := 0; m < MinutesPerDay; m += 15 {
		t := Resolve(loc, d, m)
		if w := wallOf(t, loc); w != d.utc().Unix()+int64(m)*60 { // m is in a gap
			e := m
			for e < MinutesPerDay && wallOf(Resolve(loc, d, e), loc) != d.utc().Unix()+int64(e)*60 {
				e += 15
			}
			var out []LocalInterval
			if m > 0 {
				out = append(out, LocalInterval{0, m})
			}
			return append(out, LocalInterval{e, MinutesPerDay})
		}
	}
	return nil
}

func newPropScenario(t *testing.T, rng *rand.Rand) propScenario {
	loc := mustLoc(t, propZones[rng.IntN(len(propZones))])
	base := Date{2026, time.January, 1}.AddDays(rng.IntN(700))
	if rng.IntN(3) > 0 {
		if _, end := Resolve(loc, base, 0).ZoneBounds(); !end.IsZero() {
			base = DateOf(end, loc)
		}
	}
	r := Rules{Location: loc, Overrides: map[Date][]LocalInterval{}}
	always := rng.IntN(5) == 0 // open around the clock but for overrides
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		day := randDay(rng)
		if always {
			day = []LocalInterval{{0, MinutesPerDay}}
		}
		for _, li := range day {
			r.Weekly = append(r.Weekly, WeeklyInterval{wd, li.Start, li.End})
		}
	}
	for n := rng.IntN(6); n > 0; n-- {
		r.Overrides[base.AddDays(rng.IntN(30)-15)] = randDay(rng)
	}
	sc := propScenario{rules: r}
	// Sometimes split the transition day exactly at its gap.
	for d := base.AddDays(-3); !d.After(base.AddDays(3)); d = d.AddDays(1) {
		if split := gapSplit(loc, d); split != nil && rng.IntN(2) == 0 && !*propNoSplit {
			r.Overrides[d] = split
			sc.splitGap = true
		}
	}
	sc.now = Resolve(loc, base.AddDays(-rng.IntN(10)), rng.IntN(MinutesPerDay)).Add(time.Duration(rng.IntN(60)) * time.Second)
	sc.notice = time.Duration(rng.IntN(6)*60) * time.Minute
	sc.horizon = time.Duration(10+rng.IntN(50)) * 24 * time.Hour
	dur := time.Duration(15+5*rng.IntN(94)) * time.Minute // 15..480
	var step time.Duration
	if rng.IntN(3) > 0 {
		step = time.Duration(5+5*rng.IntN(24)) * time.Minute
	}
	busy := []Interval{}
	for n := rng.IntN(5); n > 0; n-- {
		s := sc.now.Add(time.Duration(rng.IntN(20*1440)) * time.Minute)
		busy = append(busy, Interval{s, s.Add(time.Duration(15+rng.IntN(300)) * time.Minute)})
	}
	viewer := mustLoc(t, propZones[rng.IntN(len(propZones))])
	from := DateOf(sc.now, viewer).AddDays(rng.IntN(8) - 1)
	to := from.AddDays(rng.IntN(43))
	sc.q = SlotQuery{
		Window:       Interval{Resolve(viewer, from, 0), Resolve(viewer, to.AddDays(1), 0)},
		Earliest:     sc.now.Add(sc.notice),
		Latest:       sc.now.Add(sc.horizon),
		Duration:     dur,
		Step:         step,
		BufferBefore: time.Duration(5*rng.IntN(7)) * time.Minute,
		BufferAfter:  time.Duration(5*rng.IntN(7)) * time.Minute,
		Busy:         busy,
	}
	return sc
}

// TestSlotsBookableLater: every slot a viewer is shown is still offered
// when the booking is checked over [start, start+1µs), right away or up to
// 48 hours later while it is still beyond the notice; and a slot's start
// never lies in BusyTimes.
func TestSlotsBookableLater(t *testing.T) {
	seed := *propSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (-prop.seed=N repeats a run, 0 draws a new one)", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := 0; i < *propIters; i++ {
		sc := newPropScenario(t, rng)
		slots := sc.rules.Slots(sc.q)
		busy := sc.rules.BusyTimes(sc.q)
		for _, s := range slots {
			for _, b := range busy {
				if b.Contains(s.Start) {
					t.Fatalf("scenario %d: slot %v lies in busy %v", i, s.Start, b)
				}
			}
		}
		for _, s := range slots {
			for _, k := range []int{0, rng.IntN(49), rng.IntN(49)} {
				now := sc.now.Add(time.Duration(k) * time.Hour)
				if s.Start.Before(now.Add(sc.notice)) {
					continue
				}
				q := sc.q
				q.Window = Interval{s.Start, s.Start.Add(time.Microsecond)}
				q.Earliest, q.Latest = now.Add(sc.notice), now.Add(sc.horizon)
				got := sc.rules.Slots(q)
				if len(got) != 1 || !equalIntervals(got, []Interval{s}) {
					t.Fatalf("scenario %d (%v, split gap %v): slot %v shown over %v..%v is refused %dh later (got %s)\nrules %+v\nquery %+v",
						i, sc.rules.Location, sc.splitGap, s.Start, sc.q.Window.Start, sc.q.Window.End, k, fmtIntervals(got), sc.rules, sc.q)
				}
			}
		}
		// Sub-windows (the viewer's single days) show the same slots.
		viewer := sc.q.Window.Start.Location()
		for d := DateOf(sc.q.Window.Start, viewer); ; d = d.AddDays(1) {
			w := Interval{Resolve(viewer, d, 0), Resolve(viewer, d.AddDays(1), 0)}
			if !w.Start.Before(sc.q.Window.End) {
				break
			}
			q := sc.q
			q.Window = w
			if got, want := sc.rules.Slots(q), inWindow(slots, w); !equalIntervals(got, want) {
				t.Fatalf("scenario %d (%v, split gap %v): day %s:\n got  %s\n want %s", i, sc.rules.Location, sc.splitGap, d, fmtIntervals(got), fmtIntervals(want))
			}
		}
	}
}
