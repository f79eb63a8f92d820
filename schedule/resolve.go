package schedule

import (
	"math"
	"time"
)

// maxOffset bounds |UTC offset| of any zone (real offsets stay within ±15h);
// every instant whose wall clock equals a given wall time lies within it.
const maxOffset = 26 * 3600

// Resolve turns a wall time (local date d plus minute of day, 0..1440) in loc
// into an instant, using the RFC 5545 / Temporal "compatible" policy:
//
//   - a wall time that does not exist (spring-forward gap) moves forward by
//     the length of the gap, e.g. New York 2026-03-08 02:30 -> 03:30 EDT;
//   - a wall time that occurs twice (fall-back) is the earlier instant,
//     e.g. New York 2026-11-01 01:30 -> 01:30 EDT.
//
// time.Date does not apply this policy consistently, so the offsets around
// the requested time are inspected and chosen explicitly. Minute 1440 is the
// next date's 00:00; other out-of-range minutes are carried into adjacent
// dates the way time.Date carries them. A nil loc means UTC.
func Resolve(loc *time.Location, d Date, minute int) time.Time {
	r := newResolver(loc)
	return r.resolve(d, minute)
}

// resolver resolves many wall times in one zone. It caches the last zone
// period (a span of constant UTC offset) so that the common case, a wall time
// more than a day away from any transition, needs no zone lookup at all.
type resolver struct {
	loc        *time.Location
	start, end int64 // cached period [start, end) in Unix seconds
	offset     int64 // its UTC offset in seconds
	valid      bool
}

func newResolver(loc *time.Location) *resolver {
	return &resolver{loc: orUTC(loc)}
}

func (r *resolver) resolve(d Date, minute int) time.Time {
	return time.Unix(r.resolveUnix(d, minute), 0).In(r.loc)
}

// resolveUnix returns the resolved instant in Unix seconds.
func (r *resolver) resolveUnix(d Date, minute int) int64 {
	// wall is the wall time read as if it were UTC; an instant t shows that
	// wall clock exactly when t + offset(t) == wall.
	wall := d.utc().Unix() + int64(minute)*60
	if r.valid && wall-maxOffset >= r.start && wall+maxOffset < r.end {
		// A single offset covers every instant that could show this wall
		// clock, so it is neither in a gap nor ambiguous.
		return wall - r.offset
	}
	start, end, off := r.period(wall)
	if wall-maxOffset >= start && wall+maxOffset < end {
		r.start, r.end, r.offset, r.valid = start, end, off, true
		return wall - off
	}
	return r.resolveNearTransition(wall)
}

// period returns the zone period containing instant t (Unix seconds) with
// open-ended periods widened to the int64 range.
func (r *resolver) period(t int64) (start, end, offset int64) {
	tt := time.Unix(t, 0).In(r.loc)
	_, off := tt.Zone()
	s, e := tt.ZoneBounds()
	start, end = math.MinInt64, math.MaxInt64
	if !s.IsZero() {
		start = s.Unix()
	}
	if !e.IsZero() {
		end = e.Unix()
	}
	if end <= t {
		// Past a zone's last listed transition Go computes periods from
		// the zone's rule, and in a leap year it ends the year's last one
		// on 31 December 00:00 UTC, before t (golang/go#81583). It runs
		// on to the next year's first period, which begins on 1 January
		// 00:00 UTC. Without this, resolveNearTransition never moved on.
		end = time.Date(tt.UTC().Year()+1, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()
	}
	return start, end, int64(off)
}

// resolveNearTransition walks the zone periods that could contain an instant
// showing wall, in time order. The first period whose offset maps wall into
// itself yields the earliest such instant (the fall-back rule). If wall falls
// between two periods, it lies in a gap: reading it with the offset in force
// before the gap moves it forward by exactly the gap's length.
func (r *resolver) resolveNearTransition(wall int64) int64 {
	t := wall - maxOffset
	var prevOffset int64
	havePrev := false
	for {
		start, end, off := r.period(t)
		cand := wall - off
		if cand >= start && cand < end {
			return cand
		}
		if cand < start && havePrev {
			return wall - prevOffset
		}
		if end == math.MaxInt64 || end > wall+maxOffset {
			break
		}
		prevOffset, havePrev = off, true
		t = end
	}
	// Unreachable for real zones (offsets within maxOffset); fall back to the
	// standard library's choice rather than panic.
	sec := wall % 86400
	if sec < 0 {
		sec += 86400
	}
	days := (wall - sec) / 86400
	u := time.Unix(days*86400, 0).UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, int(sec), 0, r.loc).Unix()
}
