package schedule

import "time"

// SlotQuery describes which slots a viewer may book.
type SlotQuery struct {
	Window       Interval      // only slots whose START lies in Window are returned (viewer's [from 00:00, to+1 00:00))
	Earliest     time.Time     // now + minimum notice: a slot's start must be >= Earliest
	Latest       time.Time     // now + horizon: a slot's start must be < Latest
	Duration     time.Duration // slot length (> 0)
	Step         time.Duration // grid step; 0 means Duration
	BufferBefore time.Duration // a candidate blocks [start-BufferBefore, end+BufferAfter)
	BufferAfter  time.Duration
	Busy         []Interval // blocked ranges of active bookings (any order; may overlap)
}

// Availability can run without a break across midnights (a mentor open
// 24/7 has one endless merged interval), so where its grid is anchored needs
// a rule that does not depend on the window asked for or on the time of
// asking; otherwise a slot shown today could be refused tomorrow.
//
// A merged interval's candidates are on the grid of its start a while they
// are less than maxChainAge after a; later candidates (and all of an interval
// whose start lies more than maxWalkBack dates back) are on the reference
// grid: gridReference() + k*Step. The expansion walks back far enough to find
// every start less than maxChainAge before the window, so each candidate's
// grid depends only on the rules and the candidate itself.
const (
	maxChainAge = 380 * 24 * time.Hour
	maxWalkBack = 400 // dates; more than maxChainAge plus a day
)

// gridReference is the fixed instant reference grids count from: mentor-local
// midnight of Monday 2000-01-03.
func gridReference(loc *time.Location) time.Time {
	return Resolve(loc, Date{2000, time.January, 3}, 0)
}

// gridAtOrAfter returns the first anchor + k*step (k any integer) at or after t.
func gridAtOrAfter(anchor, t time.Time, step time.Duration) time.Time {
	d := t.Sub(anchor)
	k := d / step // truncates toward zero: rounds up for negative d
	if d%step > 0 {
		k++
	}
	return anchor.Add(k * step)
}

// Slots returns the offered slots (Start, End=Start+Duration) in ascending
// order without duplicates. Times are in the mentor's Location.
//
// Within each merged availability interval [a, b) the candidate starts are
// a + k*Step (k >= 0) with start+Duration <= b. A candidate is offered when
// Earliest <= start < Latest, start lies in Window, and
// [start-BufferBefore, start+Duration+BufferAfter) overlaps no Busy interval.
//
// The grid never depends on Window or Earliest (see maxChainAge), so a
// booking can be verified by recomputing slots over any window containing it.
// A non-positive Duration or an empty Window yields nil; a negative Step is
// treated as 0 and negative buffers as 0.
func (r Rules) Slots(q SlotQuery) []Interval {
	if q.Duration <= 0 || q.Window.IsEmpty() {
		return nil
	}
	step := q.Step
	if step <= 0 {
		step = q.Duration
	}
	before, after := max(q.BufferBefore, 0), max(q.BufferAfter, 0)
	from := later(q.Window.Start, q.Earliest) // lowest admissible start
	until := earlier(q.Window.End, q.Latest)  // starts must be before this
	if !from.Before(until) {
		return nil
	}

	busy := Normalize(q.Busy)
	var out []Interval
	j := 0 // busy[:j] end before every remaining candidate's blocked range
	avail, cut := r.expandedAvailability(q)
	ref := gridReference(r.Location)
	for i, a := range avail {
		lastStart := a.End.Add(-q.Duration)
		// Candidates start in [a.Start, switchAt) on a's grid, then on the
		// reference grid.
		switchAt := a.Start.Add(maxChainAge)
		if i == 0 && cut {
			switchAt = a.Start
		}
		for _, seg := range [2]struct {
			anchor   time.Time
			from, to time.Time
		}{{a.Start, a.Start, switchAt}, {ref, switchAt, a.End}} {
			if !seg.from.Before(seg.to) {
				continue // most intervals never reach the reference grid
			}
			s := gridAtOrAfter(seg.anchor, later(seg.from, from), step)
			for ; s.Before(seg.to) && !s.After(lastStart) && s.Before(until); s = s.Add(step) {
				blockStart, blockEnd := s.Add(-before), s.Add(q.Duration+after)
				// Blocked ranges only move forward, so busy intervals left
				// behind never matter again: one pass over busy per query.
				for j < len(busy) && !busy[j].End.After(blockStart) {
					j++
				}
				if j < len(busy) && busy[j].Start.Before(blockEnd) {
					continue
				}
				out = append(out, Interval{s, s.Add(q.Duration)})
			}
		}
	}
	return out
}

// BusyTimes returns Window minus bookable time, normalized, where bookable =
// (availability ∩ [Earliest, Latest)) minus q.Busy. Buffers, Duration and
// Step do not apply: this is the free/busy view, not the slot list.
func (r Rules) BusyTimes(q SlotQuery) []Interval {
	if q.Window.IsEmpty() {
		return nil
	}
	avail, _ := r.expandedAvailability(q)
	open := Intersect(avail, []Interval{{q.Earliest, q.Latest}})
	bookable := Subtract(open, q.Busy)
	return Subtract([]Interval{q.Window}, bookable)
}

// expandedAvailability is the availability both Slots and BusyTimes work
// from: the merged intervals of the dates chosen by expandDates. cut reports
// that the first interval continues from further back than the walk looked,
// so its own start is not known.
func (r Rules) expandedAvailability(q SlotQuery) (avail []Interval, cut bool) {
	p := newWeekPlan(r)
	lo, hi, cut := r.expandDates(p, q)
	avail = r.availability(p, newResolver(r.Location), lo, hi)
	// The chain reaches lo at 00:00 unless a gap emptied that interval.
	cut = cut && len(avail) > 0 && avail[0].Start.Equal(Resolve(r.Location, lo, 0))
	return avail, cut
}

// LocalDates returns the mentor-local dates (in loc, the Rules' Location)
// whose hours Slots and BusyTimes may consult for q. Callers that load
// overrides per query must load at least these dates; an override outside
// the range cannot change the result.
func (q SlotQuery) LocalDates(loc *time.Location) (first, last Date) {
	start, last := queryBounds(q, orUTC(loc))
	// The walk looks at one date before the farthest it may move to.
	return start.AddDays(-maxWalkBack - 1), last
}

// queryBounds computes the date bounds shared by LocalDates and expandDates:
// where the walk back starts and the last date.
func queryBounds(q SlotQuery, loc *time.Location) (start, last Date) {
	// Slots starting on the window's last date may run into the next one;
	// days are at least ~22h long, so one date per 20h of Duration suffices.
	last = DateOf(q.Window.End, loc).AddDays(1 + int(max(q.Duration, 0)/(20*time.Hour)))
	start = DateOf(q.Window.Start, loc).AddDays(-1)
	return start, last
}

// expandDates chooses the mentor-local dates [lo, hi] to expand for q.
//
// Grids are anchored at the start of each merged interval, so lo must not
// cut a merged interval that runs into the window: starting one date before
// the window, it walks back while lo is available all day and the previous
// date ends at 24:00, at most maxWalkBack dates. If the availability still
// continues there, its start is too far back to matter (see maxChainAge):
// lo goes back to where the walk began and cut is true.
func (r Rules) expandDates(p *weekPlan, q SlotQuery) (lo, hi Date, cut bool) {
	start, hi := queryBounds(q, orUTC(r.Location))
	res := newResolver(r.Location)
	lo = start
	for range maxWalkBack {
		if !r.continuesAllDay(p, res, lo) {
			return lo, hi, false
		}
		lo = lo.AddDays(-1)
	}
	if r.continuesAllDay(p, res, lo) {
		return start, hi, true
	}
	return lo, hi, false
}

// continuesAllDay reports whether availability runs without a break from
// the day before d through the whole of d, judged on resolved instants: a
// day split exactly at its spring-forward gap (Santiago 01:00-24:00, Nuuk
// Saturday ..-23:00) is continuous although its wall-clock hours are not.
func (r Rules) continuesAllDay(p *weekPlan, res *resolver, d Date) bool {
	prev, next := p.day(d.AddDays(-1)), p.day(d)
	if len(prev) == 0 {
		return false
	}
	if prev[len(prev)-1].End == MinutesPerDay && len(next) == 1 && next[0] == (LocalInterval{0, MinutesPerDay}) {
		return true // the common case, whatever the zone does
	}
	// Otherwise only a spring-forward gap can join what the wall clock
	// splits; the walk ends here at most once per query.
	midnight := res.resolve(d, 0)
	if res.resolve(d.AddDays(-1), prev[len(prev)-1].End).Before(midnight) {
		return false
	}
	day := r.availability(p, res, d, d)
	return len(day) == 1 && day[0].Start.Equal(midnight) && day[0].End.Equal(res.resolve(d, MinutesPerDay))
}
