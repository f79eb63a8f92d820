package schedule

import (
	"time"
)

// Rules is a mentor's availability: weekly wall-clock hours in Location, with
// per-date overrides.
type Rules struct {
	Location  *time.Location // nil means UTC
	Weekly    []WeeklyInterval
	Overrides map[Date][]LocalInterval // a present key replaces that date's weekly hours; an empty slice = day off
}

// LocalIntervals returns the wall-clock intervals of date d: the override if
// present, else the weekly ones of d's weekday, normalized.
func (r Rules) LocalIntervals(d Date) []LocalInterval {
	return newWeekPlan(r).day(d)
}

// weekPlan answers LocalIntervals without re-normalizing the weekly hours
// for every date of a long range.
type weekPlan struct {
	rules Rules
	week  [7][]LocalInterval
}

func newWeekPlan(r Rules) *weekPlan {
	p := &weekPlan{rules: r}
	for _, w := range NormalizeWeekly(r.Weekly) {
		p.week[w.Weekday] = append(p.week[w.Weekday], LocalInterval{w.Start, w.End})
	}
	return p
}

// day returns d's normalized intervals; callers must not modify them.
func (p *weekPlan) day(d Date) []LocalInterval {
	if ov, ok := p.rules.Overrides[d]; ok {
		return NormalizeLocal(ov)
	}
	return p.week[d.Weekday()]
}

// Availability returns the merged available instants for the mentor-local
// dates first..last inclusive (nil if last is before first).
//
// Each wall-clock interval is resolved with Resolve (24:00 is the next date's
// 00:00), so intervals that touch across midnight join into one, a gap
// shortens (or empties) an interval and a repeated hour lengthens it.
func (r Rules) Availability(first, last Date) []Interval {
	return r.availability(newWeekPlan(r), newResolver(r.Location), first, last)
}

func (r Rules) availability(p *weekPlan, res *resolver, first, last Date) []Interval {
	n := DaysBetween(first, last) + 1
	if n <= 0 {
		return nil
	}
	out := make([]Interval, 0, 2*n)
	for d := first; !d.After(last); d = d.AddDays(1) {
		for _, li := range p.day(d) {
			out = append(out, Interval{res.resolve(d, li.Start), res.resolve(d, li.End)})
		}
	}
	// Normalize drops intervals emptied by a gap (02:30-03:00 on a
	// spring-forward day) and joins those touching across midnight.
	return Normalize(out)
}
