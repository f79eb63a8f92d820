package api

import (
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/mentorbook/mentorbook/app"
)

// appendSlotsJSON appends the slots answer to dst: byte for byte what
// writeJSON wrote for it through encoding/json (compact, a trailing
// newline), in one buffer. JSON encoding through intermediate structs
// was a fifth of a slots request's CPU and a third of its allocations
// (docs/performance.md, issue 11). It depends on res alone, so its bytes
// can be kept and served again.
func appendSlotsJSON(dst []byte, res app.Slots) []byte {
	dst = append(dst, `{"timezone":`...)
	dst = appendJSONString(dst, res.Location.String())
	dst = append(dst, `,"duration_minutes":`...)
	dst = strconv.AppendInt(dst, int64(res.DurationMinutes), 10)
	dst = append(dst, `,"days":[`...)
	var z zonePeriod
	for i, d := range res.Days {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"date":"`...)
		dst = d.Date.AppendFormat(dst)
		dst = append(dst, `","slots":[`...)
		for j, iv := range d.Slots {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"start":"`...)
			dst = z.in(iv.Start).AppendFormat(dst, time.RFC3339)
			dst = append(dst, `","end":"`...)
			dst = z.in(iv.End).AppendFormat(dst, time.RFC3339)
			dst = append(dst, `"}`...)
		}
		dst = append(dst, "]}"...)
	}
	return append(dst, "]}\n"...)
}

// slotsJSONSize is a capacity that holds the answer for res in one
// allocation: a day without slots takes 34 bytes, a slot 72 (both with
// their comma), a zone name rarely more than 32.
func slotsJSONSize(res app.Slots) int {
	n := 96
	for _, d := range res.Days {
		n += 34 + 72*len(d.Slots)
	}
	return n
}

// zonePeriod formats a run of instants of one location without looking
// their zone up each time: a named zone past its last listed transition
// (all of them today, the embedded data being slim) recomputes the
// period from its rule on every lookup. Within one period, an instant
// formats the same in a fixed zone of that period's name and offset.
type zonePeriod struct {
	loc        *time.Location // the location the period belongs to
	start, end int64          // [start, end) in Unix seconds
	fixed      *time.Location
}

// in returns t in a fixed zone with t's name and offset.
func (z *zonePeriod) in(t time.Time) time.Time {
	if u := t.Unix(); z.fixed == nil || t.Location() != z.loc || u < z.start || u >= z.end {
		name, offset := t.Zone()
		start, end := t.ZoneBounds()
		z.loc, z.fixed = t.Location(), time.FixedZone(name, offset)
		z.start, z.end = math.MinInt64, math.MaxInt64
		if !start.IsZero() {
			z.start = start.Unix()
		}
		if !end.IsZero() {
			z.end = end.Unix()
		}
	}
	return t.In(z.fixed)
}

// appendJSONString appends s as encoding/json writes a string: the names
// of zones need no escaping, anything else goes through encoding/json.
func appendJSONString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '/' || c == '_' || c == '-' || c == '+') {
			b, _ := json.Marshal(s)
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}
