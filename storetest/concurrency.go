package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

var concurrencyTests = []test{
	{"concurrent overlapping bookings never overlap and fail only with conflicts", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, other := mustMentor(t, s, "m"), mustMentor(t, s, "other")
		mentees := []mentorbook.User{mustUser(t, s, "e0"), mustUser(t, s, "e1"), mustUser(t, s, "e2"), mustUser(t, s, "e3")}
		durations := []time.Duration{15 * time.Minute, 30 * time.Minute, 45 * time.Minute, time.Hour, 90 * time.Minute}

		// 64 requests for one morning, several for each start: most for m
		// with one of four mentees, some with m as the mentee of another
		// mentor.
		const n = 64
		reqs := make([]mentorbook.Booking, n)
		for i := range reqs {
			start := t0.Add(time.Duration(i%16) * 15 * time.Minute)
			if i%8 == 7 {
				reqs[i] = pending(other.ID, m.ID, start, 30*time.Minute)
				continue
			}
			reqs[i] = pending(m.ID, mentees[i%4].ID, start, durations[i%5])
			if i%3 == 0 {
				reqs[i].BufferAfter = 15 * time.Minute
			}
		}

		var wg sync.WaitGroup
		ready := make(chan struct{})
		got := make([]mentorbook.Booking, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				<-ready
				got[i], errs[i] = s.CreateBooking(ctx, reqs[i], nil, now)
			})
		}
		close(ready)
		wg.Wait()

		held := map[int64][]schedule.Interval{} // user → time their successful bookings hold
		var ok, conflicts int
		for i := range n {
			switch code := mentorbook.ErrorCode(errs[i]); code {
			case "":
				ok++
				held[got[i].MentorID] = append(held[got[i].MentorID], got[i].Blocked())
				held[got[i].MenteeID] = append(held[got[i].MenteeID], got[i].Session())
			case mentorbook.ECONFLICT:
				conflicts++
			default:
				t.Errorf("request %d failed with %q, want only conflicts: %v", i, code, errs[i])
			}
		}
		t.Logf("%d booked, %d conflicts", ok, conflicts)
		for user, ivs := range held {
			if a, b, bad := overlapping(ivs); bad {
				t.Errorf("user %d holds overlapping bookings %v and %v", user, a, b)
			}
			// What the database says is held is exactly what succeeded.
			blocks, err := s.Blocks(ctx, user, t0.Add(-24*time.Hour), t0.Add(24*time.Hour), now)
			if err != nil {
				t.Fatal(err)
			}
			sortIntervals(ivs)
			if !equalIntervals(blocks, ivs) {
				t.Errorf("Blocks(user %d) = %v, want %v", user, blocks, ivs)
			}
		}
		if ok == 0 || conflicts == 0 {
			t.Errorf("%d booked and %d conflicts: want both", ok, conflicts)
		}
	}},
}
