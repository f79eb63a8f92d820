package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

func key(userID int64, k, hash string) *mentorbook.IdempotencyKey {
	return &mentorbook.IdempotencyKey{UserID: userID, Key: k, RequestHash: hash, CreatedAt: now}
}

var idempotencyTests = []test{
	{"a retry with the same idempotency key returns the first booking and makes no other", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e := mustMentor(t, s, "m"), mustUser(t, s, "e")
		first, err := s.CreateBooking(ctx, pending(m.ID, e.ID, t0, time.Hour), key(e.ID, "k1", "h1"), now)
		if err != nil {
			t.Fatal(err)
		}
		// Even a retry that would book other, free time returns the first.
		again, err := s.CreateBooking(ctx, pending(m.ID, e.ID, t0.Add(24*time.Hour), time.Hour), key(e.ID, "k1", "h1"), now)
		if err != nil {
			t.Fatal(err)
		}
		wantBooking(t, again, first)
		wantCount(t, s, e.ID, 1)

		got, hash, err := s.IdempotentBooking(ctx, e.ID, "k1", now)
		if err != nil {
			t.Fatal(err)
		}
		if hash != "h1" {
			t.Errorf("IdempotentBooking hash = %q, want h1", hash)
		}
		wantBooking(t, got, first)

		// The booking comes back with its effective status.
		later := first.ExpiresAt
		got, _, err = s.IdempotentBooking(ctx, e.ID, "k1", later)
		if err != nil || got.Status != mentorbook.StatusExpired {
			t.Errorf("IdempotentBooking after expiry = %s, %v; want expired", got.Status, err)
		}
		got, err = s.CreateBooking(ctx, pending(m.ID, e.ID, t0, time.Hour), key(e.ID, "k1", "h1"), later)
		if err != nil || got.ID != first.ID || got.Status != mentorbook.StatusExpired {
			t.Errorf("retry after expiry = booking %d %s, %v; want %d expired", got.ID, got.Status, err, first.ID)
		}
	}},

	{"an idempotency key reused for another request is invalid", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e := mustMentor(t, s, "m"), mustUser(t, s, "e")
		if _, err := s.CreateBooking(ctx, pending(m.ID, e.ID, t0, time.Hour), key(e.ID, "k1", "h1"), now); err != nil {
			t.Fatal(err)
		}
		_, err := s.CreateBooking(ctx, pending(m.ID, e.ID, t0.Add(24*time.Hour), time.Hour), key(e.ID, "k1", "h2"), now)
		wantCode(t, "other request, same key", err, mentorbook.EINVALID)
		wantCount(t, s, e.ID, 1)
	}},

	{"idempotency keys belong to their user", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e1, e2 := mustMentor(t, s, "m"), mustUser(t, s, "e1"), mustUser(t, s, "e2")
		b1, err := s.CreateBooking(ctx, pending(m.ID, e1.ID, t0, time.Hour), key(e1.ID, "same", "h"), now)
		if err != nil {
			t.Fatal(err)
		}
		b2, err := s.CreateBooking(ctx, pending(m.ID, e2.ID, t0.Add(time.Hour), time.Hour), key(e2.ID, "same", "h"), now)
		if err != nil {
			t.Fatal(err)
		}
		if b1.ID == b2.ID || b2.MenteeID != e2.ID {
			t.Errorf("second user's key returned booking %d of mentee %d", b2.ID, b2.MenteeID)
		}
		_, _, err = s.IdempotentBooking(ctx, m.ID, "same", now)
		wantCode(t, "IdempotentBooking of a user without that key", err, mentorbook.ENOTFOUND)
	}},

	{"an idempotency key is unclaimed until a booking is made under it", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e, x := mustMentor(t, s, "m"), mustUser(t, s, "e"), mustUser(t, s, "x")
		_, _, err := s.IdempotentBooking(ctx, e.ID, "k", now)
		wantCode(t, "IdempotentBooking of a new key", err, mentorbook.ENOTFOUND)

		taken := mustBook(t, s, pending(m.ID, x.ID, t0, time.Hour))
		_, err = s.CreateBooking(ctx, pending(m.ID, e.ID, t0, time.Hour), key(e.ID, "k", "h"), now)
		wantCode(t, "booking taken time", err, mentorbook.ECONFLICT)
		_, _, err = s.IdempotentBooking(ctx, e.ID, "k", now)
		wantCode(t, "IdempotentBooking after a failed booking", err, mentorbook.ENOTFOUND)

		mustChange(t, s, mentorbook.StatusChange{BookingID: taken.ID, From: onlyPending, To: mentorbook.StatusDeclined, By: m.ID, At: now})
		b, err := s.CreateBooking(ctx, pending(m.ID, e.ID, t0, time.Hour), key(e.ID, "k", "h"), now)
		if err != nil {
			t.Fatalf("retry once the time is free: %v", err)
		}
		if got, _, err := s.IdempotentBooking(ctx, e.ID, "k", now); err != nil || got.ID != b.ID {
			t.Errorf("IdempotentBooking = %d, %v; want %d", got.ID, err, b.ID)
		}
	}},

	{"racing retries with one idempotency key make one booking", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e := mustMentor(t, s, "m"), mustUser(t, s, "e")
		const n = 32
		var wg sync.WaitGroup
		start := make(chan struct{})
		got := make([]mentorbook.Booking, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				<-start
				got[i], errs[i] = s.CreateBooking(ctx, pending(m.ID, e.ID, t0, time.Hour), key(e.ID, "race", "h"), now)
			})
		}
		close(start)
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Errorf("retry %d: %v", i, errs[i])
			} else if got[i].ID != got[0].ID {
				t.Errorf("retry %d got booking %d, retry 0 got %d", i, got[i].ID, got[0].ID)
			}
		}
		wantCount(t, s, e.ID, 1)
	}},

	{"idempotency keys created before a time are deleted", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e := mustMentor(t, s, "m"), mustUser(t, s, "e")
		for i, k := range []string{"old", "older", "new"} {
			kk := key(e.ID, k, "h")
			kk.CreatedAt = now.Add(time.Duration(i) * time.Hour)
			if k == "older" {
				kk.CreatedAt = now.Add(-time.Hour)
			}
			if _, err := s.CreateBooking(ctx, pending(m.ID, e.ID, t0.Add(time.Duration(i)*time.Hour), time.Hour), kk, now); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.DeleteIdempotencyKeys(ctx, now.Add(2*time.Hour)) // "new" was created at exactly that time
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("DeleteIdempotencyKeys = %d, want 2", n)
		}
		for k, code := range map[string]string{"old": mentorbook.ENOTFOUND, "older": mentorbook.ENOTFOUND, "new": ""} {
			_, _, err := s.IdempotentBooking(ctx, e.ID, k, now)
			wantCode(t, "IdempotentBooking("+k+")", err, code)
		}
		wantCount(t, s, e.ID, 3) // the bookings stay
	}},
}
