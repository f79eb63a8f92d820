package schedule

import (
	"testing"
	"time"
)

// BenchmarkMonthSlots is one mentor's month as the booking page asks for it:
// weekdays 09:00-12:00 and 13:00-17:30, 60 min sessions every 30 min,
// 10 min buffers, 40 bookings spread over the month.
func BenchmarkMonthSlots(b *testing.B) {
	for _, zone := range []string{"Europe/Berlin", "America/New_York"} {
		b.Run(zone, func(b *testing.B) {
			loc := mustLoc(b, zone)
			r := Rules{Location: loc, Weekly: weekdays(LocalInterval{540, 720}, LocalInterval{780, 1050})}
			// March 2026 contains both zones' spring-forward days.
			first := Date{2026, time.March, 1}
			q := SlotQuery{
				Window:       Interval{Resolve(loc, first, 0), Resolve(loc, first.AddDays(31), 0)},
				Earliest:     Resolve(loc, first, 600),
				Latest:       Resolve(loc, first.AddDays(60), 0),
				Duration:     time.Hour,
				Step:         30 * time.Minute,
				BufferBefore: 10 * time.Minute,
				BufferAfter:  10 * time.Minute,
			}
			for i := 0; i < 40; i++ {
				// Every ~18.6h, so bookings land at varied times of day.
				start := q.Window.Start.Add(time.Duration(i) * (18*time.Hour + 36*time.Minute))
				q.Busy = append(q.Busy, Interval{start, start.Add(time.Hour)})
			}
			if n := len(r.Slots(q)); n < 200 {
				b.Fatalf("only %d slots; benchmark setup is wrong", n)
			}
			b.ReportAllocs()
			for b.Loop() {
				r.Slots(q)
			}
		})
	}
}
