package schedule

import (
	"slices"
	"time"
)

// Interval is a half-open range of instants [Start, End). It is empty when
// End <= Start.
type Interval struct {
	Start, End time.Time
}

// IsEmpty reports whether iv contains no instant.
func (iv Interval) IsEmpty() bool { return !iv.Start.Before(iv.End) }

// Overlaps reports whether iv and o share an instant. Touching intervals
// ([a,b) and [b,c)) do not overlap, and an empty interval overlaps nothing.
func (iv Interval) Overlaps(o Interval) bool {
	return iv.Start.Before(o.End) && o.Start.Before(iv.End) &&
		!iv.IsEmpty() && !o.IsEmpty()
}

// Contains reports whether Start <= t < End.
func (iv Interval) Contains(t time.Time) bool {
	return !t.Before(iv.Start) && t.Before(iv.End)
}

// Normalize returns a new slice of ivs sorted by start with empty intervals
// dropped and overlapping or touching intervals merged, so the result is a
// canonical set: disjoint, non-adjacent, ascending.
func Normalize(ivs []Interval) []Interval {
	out := make([]Interval, 0, len(ivs))
	for _, iv := range ivs {
		if !iv.IsEmpty() {
			out = append(out, iv)
		}
	}
	slices.SortFunc(out, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	return mergeSorted(out)
}

// mergeSorted merges overlapping or touching neighbours of a start-sorted,
// non-empty list in place.
func mergeSorted(ivs []Interval) []Interval {
	if len(ivs) == 0 {
		return ivs
	}
	n := 0
	for _, iv := range ivs[1:] {
		if !iv.Start.After(ivs[n].End) {
			if iv.End.After(ivs[n].End) {
				ivs[n].End = iv.End
			}
			continue
		}
		n++
		ivs[n] = iv
	}
	return ivs[:n+1]
}

// Subtract returns a minus b, normalized. Inputs need not be normalized.
func Subtract(a, b []Interval) []Interval {
	a, b = Normalize(a), Normalize(b)
	out := make([]Interval, 0, len(a))
	j := 0
	for _, iv := range a {
		cur := iv.Start
		// b intervals ending at or before this one's start can't affect it or
		// any later one, since a is ascending.
		for j < len(b) && !b[j].End.After(iv.Start) {
			j++
		}
		for k := j; k < len(b) && b[k].Start.Before(iv.End); k++ {
			if b[k].Start.After(cur) {
				out = append(out, Interval{cur, b[k].Start})
			}
			if b[k].End.After(cur) {
				cur = b[k].End
			}
		}
		if cur.Before(iv.End) {
			out = append(out, Interval{cur, iv.End})
		}
	}
	return out
}

// Intersect returns the instants in both a and b, normalized. Inputs need not
// be normalized.
func Intersect(a, b []Interval) []Interval {
	a, b = Normalize(a), Normalize(b)
	var out []Interval
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		start := later(a[i].Start, b[j].Start)
		end := earlier(a[i].End, b[j].End)
		if start.Before(end) {
			out = append(out, Interval{start, end})
		}
		// Advance whichever ends first; it can't meet anything further on.
		if a[i].End.Before(b[j].End) {
			i++
		} else {
			j++
		}
	}
	// Both inputs are normalized (gaps between their intervals), so the
	// pieces are already ascending and never touch.
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
