package schedule

import "time"

// MinutesPerWeek is the length of the UTC week that WeekSpans map onto.
const MinutesPerWeek = 7 * MinutesPerDay

// WeekSpan is a range of the UTC week in minutes since Sunday 00:00 UTC,
// 0 <= Start < End <= MinutesPerWeek.
type WeekSpan struct {
	Start, End int
}

// WeekSpans maps weekly local hours in loc onto the UTC week: every instant
// that any of the hours covers, on any date from from to to, falls in one of
// the spans. The spans are wider than the hours by the range of loc's UTC
// offsets over that time (an hour where clocks change), so a search can
// narrow by them and leave the exact answer to the slot rules.
func WeekSpans(weekly []WeeklyInterval, loc *time.Location, from, to time.Time) []WeekSpan {
	minOff, maxOff := offsetRange(loc, from, to)
	var out []WeekSpan
	for _, w := range weekly {
		base := int(w.Weekday) * MinutesPerDay
		// Local wall minute m is the instant m - offset.
		start, end := base+w.Start-maxOff, base+w.End-minOff
		out = append(out, wrapWeek(start, end)...)
	}
	return out
}

// WeekSpansOf is the part of the UTC week that the interval iv covers: one
// or two spans, or the whole week when iv lasts a week or more. Minutes are
// whole: the spans include every minute iv touches.
func WeekSpansOf(iv Interval) []WeekSpan {
	start := weekMinute(iv.Start)
	n := int(iv.End.Sub(iv.Start.Truncate(time.Minute)) / time.Minute)
	if iv.End.Sub(iv.Start.Truncate(time.Minute))%time.Minute != 0 {
		n++
	}
	return wrapWeek(start, start+n)
}

// weekMinute is t's minute since the Sunday 00:00 UTC before it.
func weekMinute(t time.Time) int {
	t = t.UTC()
	return int(t.Weekday())*MinutesPerDay + t.Hour()*60 + t.Minute()
}

// wrapWeek folds [start, end) onto the week, splitting it where it wraps.
func wrapWeek(start, end int) []WeekSpan {
	if end-start >= MinutesPerWeek {
		return []WeekSpan{{0, MinutesPerWeek}}
	}
	if end <= start {
		return nil
	}
	n := end - start
	start = ((start % MinutesPerWeek) + MinutesPerWeek) % MinutesPerWeek
	end = start + n
	if end <= MinutesPerWeek {
		return []WeekSpan{{start, end}}
	}
	return []WeekSpan{{start, MinutesPerWeek}, {0, end - MinutesPerWeek}}
}

// offsetRange returns the least and greatest UTC offset of loc, in minutes,
// in force at any time from from to to. Past maxTransitions changes it
// gives the widest offsets there are, -12 to +14 hours.
func offsetRange(loc *time.Location, from, to time.Time) (minOff, maxOff int) {
	t := from.In(loc)
	_, off := t.Zone()
	minOff, maxOff = off/60, off/60
	for range maxTransitions {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.After(to) || !end.After(t) {
			return minOff, maxOff
		}
		t = end.In(loc)
		_, off = t.Zone()
		minOff, maxOff = min(minOff, off/60), max(maxOff, off/60)
	}
	return -12 * 60, 14 * 60
}

// maxTransitions bounds offsetRange's walk: two changes a year for a
// decade and more.
const maxTransitions = 100
