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

// maxWalkBack bounds how many dates the expansion walks back to find where
// continuous (across-midnight) availability begins.
const maxWalkBack = 400

// Slots returns the offered slots (Start, End=Start+Duration) in ascending
// order without duplicates. Times are in the mentor's Location.
//
// Within each merged availability interval [a, b) the candidate starts are
// a + k*Step (k >= 0) with start+Duration <= b. A candidate is offered when
// Earliest <= start < Latest, start lies in Window, and
// [start-BufferBefore, start+Duration+BufferAfter) overlaps no Busy interval.
//
// The grid is anchored independently of Window (see expandDates), so a
// booking can be verified by recomputing slots over any window containing it
// with the same Earliest. (The one exception: availability running without a
// break across more than 400 midnights before the window.)
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
	for _, a := range r.expandedAvailability(q) {
		lastStart := a.End.Add(-q.Duration)
		s := a.Start
		if s.Before(from) {
			// Jump to the first grid point >= from instead of stepping there.
			k := (from.Sub(s) + step - 1) / step
			s = s.Add(k * step)
		}
		for ; !s.After(lastStart) && s.Before(until); s = s.Add(step) {
			blockStart, blockEnd := s.Add(-before), s.Add(q.Duration+after)
			// Blocked ranges only move forward, so busy intervals left behind
			// never matter again: one pass over busy for the whole query.
			for j < len(busy) && !busy[j].End.After(blockStart) {
				j++
			}
			if j < len(busy) && busy[j].Start.Before(blockEnd) {
				continue
			}
			out = append(out, Interval{s, s.Add(q.Duration)})
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
	open := Intersect(r.expandedAvailability(q), []Interval{{q.Earliest, q.Latest}})
	bookable := Subtract(open, q.Busy)
	return Subtract([]Interval{q.Window}, bookable)
}

// expandedAvailability is the availability both Slots and BusyTimes work
// from: the merged intervals of the dates chosen by expandDates.
func (r Rules) expandedAvailability(q SlotQuery) []Interval {
	p := newWeekPlan(r)
	lo, hi := r.expandDates(p, q)
	return r.availability(p, newResolver(r.Location), lo, hi)
}

// LocalDates returns the mentor-local dates (in loc, the Rules' Location)
// whose hours Slots and BusyTimes may consult for q. Callers that load
// overrides per query must load at least these dates; an override outside
// the range cannot change the result.
func (q SlotQuery) LocalDates(loc *time.Location) (first, last Date) {
	start, floor, last := queryBounds(q, orUTC(loc))
	first = start.AddDays(-maxWalkBack)
	if first.Before(floor) {
		first = floor
	}
	if last.Before(first) {
		last = first
	}
	return first, last
}

// queryBounds computes the date bounds shared by LocalDates and expandDates:
// where the walk back starts, the floor it never passes, and the last date.
func queryBounds(q SlotQuery, loc *time.Location) (start, floor, last Date) {
	// Slots starting on the window's last date may run into the next one;
	// days are at least ~22h long, so one date per 20h of Duration suffices.
	last = DateOf(q.Window.End, loc).AddDays(1 + int(max(q.Duration, 0)/(20*time.Hour)))
	floor = DateOf(q.Earliest, loc).AddDays(-1)
	start = DateOf(q.Window.Start, loc).AddDays(-1)
	if start.Before(floor) {
		start = floor
	}
	return start, floor, last
}

// expandDates chooses the mentor-local dates [lo, hi] to expand for q.
//
// Slot grids are anchored at the start of each merged interval, so lo must
// not cut a merged interval that continues across midnight into the window:
// starting one date before the window, it walks back while the previous date
// ends at 24:00 and lo starts at 00:00. The walk never passes
// DateOf(Earliest)-1 (nothing before Earliest is offered, so every window at
// the same "now" anchors such a chain at the same point) nor goes more than
// maxWalkBack dates. For the same reason a window opening before Earliest
// starts at that floor.
func (r Rules) expandDates(p *weekPlan, q SlotQuery) (lo, hi Date) {
	lo, floor, hi := queryBounds(q, orUTC(r.Location))
	for i := 0; i < maxWalkBack && lo.After(floor); i++ {
		prev := lo.AddDays(-1)
		if !continuesAcrossMidnight(p.day(prev), p.day(lo)) {
			break
		}
		lo = prev
	}
	return lo, hi
}

// continuesAcrossMidnight reports whether availability runs from the end of
// one date (an interval ending 24:00) into the next (one starting 00:00).
// Both lists are normalized, so only the last and first entries can.
func continuesAcrossMidnight(prev, next []LocalInterval) bool {
	return len(prev) > 0 && prev[len(prev)-1].End == MinutesPerDay &&
		len(next) > 0 && next[0].Start == 0
}
