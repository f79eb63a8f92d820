package storetest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// The sweep (ExpireBookings with a clock just past a request's expiry)
// racing the mentor's answer (with a clock just before it): whichever wins,
// an active booking keeps the time it holds, and the loser gets a fair
// refusal, never a deadlock or another error.
var sweepTests = []test{
	{"the sweep racing an accept never leaves a confirmed booking without its time", func(t *testing.T, s Ops) {
		raceSweep(t, s, mentorbook.StatusConfirmed)
	}},
	{"the sweep racing a cancel neither deadlocks nor fails", func(t *testing.T, s Ops) {
		raceSweep(t, s, mentorbook.StatusCancelled)
	}},
}

func raceSweep(t *testing.T, s Ops, to mentorbook.BookingStatus) {
	ctx := t.Context()
	m := mustMentor(t, s, "m")
	from := []mentorbook.BookingStatus{mentorbook.StatusPending}
	if to == mentorbook.StatusCancelled {
		from = append(from, mentorbook.StatusConfirmed)
	}
	for i := range 60 {
		e := mustUser(t, s, "e")
		b := pending(m.ID, e.ID, t0.Add(time.Duration(i)*2*time.Hour), time.Hour)
		exp := now.Add(time.Duration(i+1) * time.Minute)
		b.ExpiresAt = exp
		b = mustBook(t, s, b)

		var wg sync.WaitGroup
		var answerErr, sweepErr error
		start := make(chan struct{})
		wg.Go(func() { <-start; _, sweepErr = s.ExpireBookings(ctx, exp.Add(time.Second)) })
		wg.Go(func() {
			<-start
			_, answerErr = s.ChangeBookingStatus(ctx, mentorbook.StatusChange{
				BookingID: b.ID, From: from, To: to, Reason: "r", By: m.ID, At: exp.Add(-time.Second)})
		})
		close(start)
		wg.Wait()
		if sweepErr != nil {
			t.Fatalf("round %d: sweep: %v", i, sweepErr)
		}
		// The sweep went first: a fair refusal names the state.
		if answerErr != nil && (mentorbook.ErrorCode(answerErr) != mentorbook.ECONFLICT ||
			!strings.HasPrefix(mentorbook.ErrorMessage(answerErr), "The booking is")) {
			t.Fatalf("round %d: answer: %v", i, answerErr)
		}
		cur, err := s.BookingByID(ctx, b.ID, exp.Add(-time.Second))
		if err != nil {
			t.Fatal(err)
		}
		blocks, err := s.Blocks(ctx, m.ID, b.Start, b.End, exp.Add(-time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if cur.Status == mentorbook.StatusConfirmed && len(blocks) == 0 {
			t.Fatalf("round %d: booking %d is confirmed but holds no time", i, b.ID)
		}
	}
}
