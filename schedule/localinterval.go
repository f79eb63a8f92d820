package schedule

import (
	"cmp"
	"slices"
	"time"
)

// LocalInterval is a wall-clock range within one local date in minutes since
// midnight, 0 <= Start < End <= 1440. End 1440 means the next date's 00:00.
type LocalInterval struct {
	Start, End int
}

// valid reports whether the interval is non-empty and within one day.
func (li LocalInterval) valid() bool {
	return 0 <= li.Start && li.Start < li.End && li.End <= MinutesPerDay
}

// NormalizeLocal returns a new slice sorted by start with overlapping and
// touching intervals merged. Intervals violating 0 <= Start < End <= 1440 are
// dropped: callers validate input first (package app names the field).
func NormalizeLocal(ivs []LocalInterval) []LocalInterval {
	out := make([]LocalInterval, 0, len(ivs))
	for _, iv := range ivs {
		if iv.valid() {
			out = append(out, iv)
		}
	}
	slices.SortFunc(out, func(a, b LocalInterval) int { return cmp.Compare(a.Start, b.Start) })
	if len(out) == 0 {
		return out
	}
	n := 0
	for _, iv := range out[1:] {
		if iv.Start <= out[n].End {
			out[n].End = max(out[n].End, iv.End)
			continue
		}
		n++
		out[n] = iv
	}
	return out[:n+1]
}

// WeeklyInterval is a LocalInterval on a weekday (0 Sunday .. 6 Saturday).
type WeeklyInterval struct {
	Weekday    time.Weekday
	Start, End int
}

// NormalizeWeekly returns a new slice sorted by weekday then start, with
// overlapping or touching intervals of the same weekday merged. Intervals
// with an out-of-range weekday or minutes are dropped.
//
// Sunday 22:00-24:00 and Monday 00:00-02:00 stay separate entries here; they
// join only once resolved to instants (see Rules.Availability).
func NormalizeWeekly(ivs []WeeklyInterval) []WeeklyInterval {
	out := make([]WeeklyInterval, 0, len(ivs))
	for _, iv := range ivs {
		if iv.Weekday >= time.Sunday && iv.Weekday <= time.Saturday &&
			(LocalInterval{iv.Start, iv.End}).valid() {
			out = append(out, iv)
		}
	}
	slices.SortFunc(out, func(a, b WeeklyInterval) int {
		if c := cmp.Compare(a.Weekday, b.Weekday); c != 0 {
			return c
		}
		return cmp.Compare(a.Start, b.Start)
	})
	if len(out) == 0 {
		return out
	}
	n := 0
	for _, iv := range out[1:] {
		if iv.Weekday == out[n].Weekday && iv.Start <= out[n].End {
			out[n].End = max(out[n].End, iv.End)
			continue
		}
		n++
		out[n] = iv
	}
	return out[:n+1]
}
