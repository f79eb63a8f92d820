package storetest

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

var (
	onlyPending   = []mentorbook.BookingStatus{mentorbook.StatusPending}
	activeOnes    = []mentorbook.BookingStatus{mentorbook.StatusPending, mentorbook.StatusConfirmed}
	everyStatuses = []mentorbook.BookingStatus{mentorbook.StatusPending, mentorbook.StatusConfirmed,
		mentorbook.StatusDeclined, mentorbook.StatusCancelled, mentorbook.StatusExpired}
)

var bookingTests = []test{
	{"a booking round trips with every field in UTC to the microsecond", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e := mustMentor(t, s, "mentor"), mustUser(t, s, "mentee")
		zone := time.FixedZone("UTC+5:45", 5*3600+45*60)
		start := t0.Add(1234567 * time.Nanosecond).In(zone)
		in := mentorbook.Booking{
			MentorID: m.ID, MenteeID: e.ID, Status: mentorbook.StatusPending,
			Start: start, End: start.Add(45 * time.Minute),
			BufferBefore: 10 * time.Minute, BufferAfter: 5 * time.Minute,
			Message:   "Hello, ünïcode ✓ and 'quotes'",
			ExpiresAt: now.Add(48*time.Hour + 999*time.Nanosecond).In(zone),
			CreatedAt: now.Add(1500 * time.Nanosecond), UpdatedAt: now.Add(2500 * time.Nanosecond),
		}
		got, err := s.CreateBooking(ctx, in, nil, now)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID <= 0 {
			t.Fatalf("ID = %d", got.ID)
		}
		want := in
		want.ID = got.ID
		want.Start = t0.Add(1234 * time.Microsecond)
		want.End = want.Start.Add(45 * time.Minute)
		want.ExpiresAt = now.Add(48 * time.Hour)
		want.CreatedAt = now.Add(time.Microsecond)
		want.UpdatedAt = now.Add(2 * time.Microsecond)
		wantBooking(t, got, want)

		byID, err := s.BookingByID(ctx, got.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		wantBooking(t, byID, want)

		listed, err := s.ListBookings(ctx, mentorbook.BookingFilter{UserID: e.ID, Limit: 10, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if len(listed) != 1 {
			t.Fatalf("ListBookings = %d bookings, want 1", len(listed))
		}
		wantBooking(t, listed[0], want)

		at := now.Add(time.Hour)
		cancelled := mustChange(t, s, mentorbook.StatusChange{BookingID: got.ID, From: activeOnes,
			To: mentorbook.StatusCancelled, Reason: "Sick", By: e.ID, At: at})
		want.Status, want.Reason, want.CancelledBy, want.UpdatedAt = mentorbook.StatusCancelled, "Sick", e.ID, at
		wantBooking(t, cancelled, want)
		byID, err = s.BookingByID(ctx, got.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		wantBooking(t, byID, want)
	}},

	{"a booking that never expires stays pending", func(t *testing.T, s Ops) {
		m, e := mustMentor(t, s, "mentor"), mustUser(t, s, "mentee")
		b := pending(m.ID, e.ID, t0, time.Hour)
		b.ExpiresAt = time.Time{}
		b = mustBook(t, s, b)
		got, err := s.BookingByID(t.Context(), b.ID, t0.Add(1000*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != mentorbook.StatusPending || !got.ExpiresAt.IsZero() {
			t.Errorf("status %s, expires %v; want pending, zero", got.Status, got.ExpiresAt)
		}
	}},

	{"a missing booking is not found", func(t *testing.T, s Ops) {
		ctx := t.Context()
		_, err := s.BookingByID(ctx, 999, now)
		wantCode(t, "BookingByID", err, mentorbook.ENOTFOUND)
		_, err = s.ChangeBookingStatus(ctx, mentorbook.StatusChange{BookingID: 999, From: onlyPending, To: mentorbook.StatusConfirmed, At: now})
		wantCode(t, "ChangeBookingStatus", err, mentorbook.ENOTFOUND)
	}},

	{"a booking with its end not after its start or with oneself is invalid", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e := mustMentor(t, s, "mentor"), mustUser(t, s, "mentee")
		_, err := s.CreateBooking(ctx, pending(m.ID, e.ID, t0, 0), nil, now)
		wantCode(t, "empty booking", err, mentorbook.EINVALID)
		_, err = s.CreateBooking(ctx, pending(m.ID, e.ID, t0, -time.Hour), nil, now)
		wantCode(t, "backwards booking", err, mentorbook.EINVALID)
		_, err = s.CreateBooking(ctx, pending(m.ID, m.ID, t0, time.Hour), nil, now)
		wantCode(t, "booking oneself", err, mentorbook.EINVALID)
	}},

	{"a mentor cannot hold two overlapping bookings", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e1, e2 := mustMentor(t, s, "mentor"), mustUser(t, s, "e1"), mustUser(t, s, "e2")
		mustBook(t, s, pending(m.ID, e1.ID, t0, time.Hour))
		for _, tc := range []struct {
			name  string
			start time.Time
			d     time.Duration
		}{
			{"same time", t0, time.Hour},
			{"inside", t0.Add(15 * time.Minute), 15 * time.Minute},
			{"around", t0.Add(-time.Hour), 3 * time.Hour},
			{"over the start", t0.Add(-30 * time.Minute), time.Hour},
			{"over the end", t0.Add(59 * time.Minute), time.Hour},
			{"one microsecond", t0.Add(time.Hour - time.Microsecond), time.Microsecond},
		} {
			_, err := s.CreateBooking(ctx, pending(m.ID, e2.ID, tc.start, tc.d), nil, now)
			wantCode(t, tc.name, err, mentorbook.ECONFLICT)
		}
		// A confirmed booking holds the time too.
		b := mustBook(t, s, pending(m.ID, e1.ID, t0.Add(24*time.Hour), time.Hour))
		mustChange(t, s, mentorbook.StatusChange{BookingID: b.ID, From: onlyPending, To: mentorbook.StatusConfirmed, By: m.ID, At: now})
		_, err := s.CreateBooking(ctx, pending(m.ID, e2.ID, t0.Add(24*time.Hour), time.Hour), nil, now)
		wantCode(t, "over a confirmed booking", err, mentorbook.ECONFLICT)
		wantCount(t, s, m.ID, 2)
	}},

	{"a mentee cannot hold two overlapping bookings even with different mentors", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m1, m2, e := mustMentor(t, s, "m1"), mustMentor(t, s, "m2"), mustUser(t, s, "mentee")
		mustBook(t, s, pending(m1.ID, e.ID, t0, time.Hour))
		_, err := s.CreateBooking(ctx, pending(m2.ID, e.ID, t0.Add(30*time.Minute), time.Hour), nil, now)
		wantCode(t, "mentee overlap", err, mentorbook.ECONFLICT)
		wantCount(t, s, e.ID, 1)
	}},

	{"a booking as mentee blocks the same user's time as mentor and back", func(t *testing.T, s Ops) {
		ctx := t.Context()
		a, b, c := mustMentor(t, s, "a"), mustMentor(t, s, "b"), mustUser(t, s, "c")
		mustBook(t, s, pending(b.ID, a.ID, t0, time.Hour)) // a is mentee
		_, err := s.CreateBooking(ctx, pending(a.ID, c.ID, t0.Add(30*time.Minute), time.Hour), nil, now)
		wantCode(t, "a as mentor over a as mentee", err, mentorbook.ECONFLICT)

		mustBook(t, s, pending(a.ID, c.ID, t0.Add(24*time.Hour), time.Hour)) // a is mentor
		_, err = s.CreateBooking(ctx, pending(b.ID, a.ID, t0.Add(24*time.Hour), time.Hour), nil, now)
		wantCode(t, "a as mentee over a as mentor", err, mentorbook.ECONFLICT)
		wantCount(t, s, a.ID, 2)
	}},

	{"buffers hold the mentor's time but not the mentee's", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, m2, e, e2 := mustMentor(t, s, "m"), mustMentor(t, s, "m2"), mustUser(t, s, "e"), mustUser(t, s, "e2")
		b := pending(m.ID, e.ID, t0, time.Hour)
		b.BufferBefore, b.BufferAfter = 15*time.Minute, 30*time.Minute
		mustBook(t, s, b)

		// The mentor is held from 08:45 to 10:30.
		_, err := s.CreateBooking(ctx, pending(m.ID, e2.ID, t0.Add(time.Hour), time.Hour), nil, now)
		wantCode(t, "mentor in the buffer after", err, mentorbook.ECONFLICT)
		_, err = s.CreateBooking(ctx, pending(m.ID, e2.ID, t0.Add(-time.Hour), 50*time.Minute), nil, now)
		wantCode(t, "mentor in the buffer before", err, mentorbook.ECONFLICT)
		mustBook(t, s, pending(m.ID, e2.ID, t0.Add(90*time.Minute), time.Hour))
		mustBook(t, s, pending(m.ID, e2.ID, t0.Add(-75*time.Minute), time.Hour))

		// The mentee is held only for the session, 09:00 to 10:00.
		mustBook(t, s, pending(m2.ID, e.ID, t0.Add(time.Hour), 15*time.Minute))
		mustBook(t, s, pending(m2.ID, e.ID, t0.Add(-15*time.Minute), 15*time.Minute))
		wantCount(t, s, e.ID, 3)
	}},

	{"touching bookings are allowed in every role", func(t *testing.T, s Ops) {
		m, e, x := mustMentor(t, s, "m"), mustMentor(t, s, "e"), mustUser(t, s, "x")
		mustBook(t, s, pending(m.ID, e.ID, t0, time.Hour))
		mustBook(t, s, pending(m.ID, e.ID, t0.Add(time.Hour), time.Hour))    // both again, right after
		mustBook(t, s, pending(m.ID, e.ID, t0.Add(-time.Hour), time.Hour))   // and right before
		mustBook(t, s, pending(e.ID, x.ID, t0.Add(2*time.Hour), time.Hour))  // e now as mentor
		mustBook(t, s, pending(x.ID, m.ID, t0.Add(-2*time.Hour), time.Hour)) // m now as mentee
		wantCount(t, s, m.ID, 4)
	}},

	{"declined, cancelled and expired bookings free their time at once", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e1, e2 := mustMentor(t, s, "m"), mustUser(t, s, "e1"), mustUser(t, s, "e2")

		b := mustBook(t, s, pending(m.ID, e1.ID, t0, time.Hour))
		mustChange(t, s, mentorbook.StatusChange{BookingID: b.ID, From: onlyPending, To: mentorbook.StatusDeclined, Reason: "busy", By: m.ID, At: now})
		mustBook(t, s, pending(m.ID, e2.ID, t0, time.Hour))

		b = mustBook(t, s, pending(m.ID, e1.ID, t0.Add(24*time.Hour), time.Hour))
		mustChange(t, s, mentorbook.StatusChange{BookingID: b.ID, From: onlyPending, To: mentorbook.StatusConfirmed, By: m.ID, At: now})
		mustChange(t, s, mentorbook.StatusChange{BookingID: b.ID, From: activeOnes, To: mentorbook.StatusCancelled, Reason: "ill", By: e1.ID, At: now})
		mustBook(t, s, pending(m.ID, e2.ID, t0.Add(24*time.Hour), time.Hour))

		// Expiry needs no sweep: booking at or after ExpiresAt finds the time free.
		short := pending(m.ID, e1.ID, t0.Add(48*time.Hour), time.Hour)
		short.ExpiresAt = now.Add(time.Hour)
		short = mustBook(t, s, short)
		_, err := s.CreateBooking(ctx, pending(m.ID, e2.ID, t0.Add(48*time.Hour), time.Hour), nil, short.ExpiresAt.Add(-time.Microsecond))
		wantCode(t, "before expiry", err, mentorbook.ECONFLICT)
		late := pending(m.ID, e2.ID, t0.Add(48*time.Hour), time.Hour)
		if _, err := s.CreateBooking(ctx, late, nil, short.ExpiresAt); err != nil {
			t.Fatalf("booking at expiry: %v", err)
		}
		// So does the mentee's own stale booking, with another mentor.
		m2, e3 := mustMentor(t, s, "m2"), mustUser(t, s, "e3")
		other := pending(m2.ID, e3.ID, t0.Add(72*time.Hour), time.Hour)
		other.ExpiresAt = now.Add(time.Hour)
		mustBook(t, s, other)
		if _, err := s.CreateBooking(ctx, pending(m.ID, e3.ID, t0.Add(72*time.Hour), time.Hour), nil, other.ExpiresAt); err != nil {
			t.Fatalf("booking over the mentee's expired booking: %v", err)
		}
		got, err := s.BookingByID(ctx, short.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != mentorbook.StatusExpired {
			t.Errorf("stale booking status = %s, want expired (materialised by CreateBooking)", got.Status)
		}
	}},

	{"a pending booking past its expiry is reported as expired", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e := mustMentor(t, s, "m"), mustUser(t, s, "e")
		b := pending(m.ID, e.ID, t0, time.Hour)
		b.ExpiresAt = now.Add(time.Hour)
		b = mustBook(t, s, b)
		before, at := b.ExpiresAt.Add(-time.Microsecond), b.ExpiresAt

		status := func(when time.Time) mentorbook.BookingStatus {
			t.Helper()
			got, err := s.BookingByID(ctx, b.ID, when)
			if err != nil {
				t.Fatal(err)
			}
			return got.Status
		}
		if got := status(before); got != mentorbook.StatusPending {
			t.Errorf("just before expiry: %s, want pending", got)
		}
		if got := status(at); got != mentorbook.StatusExpired {
			t.Errorf("at expiry: %s, want expired", got)
		}
		list := func(when time.Time, statuses ...mentorbook.BookingStatus) []int64 {
			t.Helper()
			bs, err := s.ListBookings(ctx, mentorbook.BookingFilter{UserID: m.ID, Statuses: statuses, Limit: 10, Now: when})
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range bs {
				if len(statuses) > 0 && !slices.Contains(statuses, b.Status) {
					t.Errorf("ListBookings(%v) returned a %s booking", statuses, b.Status)
				}
			}
			return ids(bs)
		}
		if got := list(before, mentorbook.StatusPending); len(got) != 1 {
			t.Errorf("pending before expiry: %v, want the booking", got)
		}
		if got := list(at, mentorbook.StatusPending); len(got) != 0 {
			t.Errorf("pending at expiry: %v, want none", got)
		}
		if got := list(at, mentorbook.StatusExpired); len(got) != 1 {
			t.Errorf("expired at expiry: %v, want the booking", got)
		}
		if got := list(at); len(got) != 1 {
			t.Errorf("all at expiry: %v, want the booking", got)
		}
		blocks := func(when time.Time) []schedule.Interval {
			t.Helper()
			ivs, err := s.Blocks(ctx, e.ID, t0.Add(-time.Hour), t0.Add(2*time.Hour), when)
			if err != nil {
				t.Fatal(err)
			}
			return ivs
		}
		if got := blocks(before); len(got) != 1 {
			t.Errorf("Blocks before expiry = %v, want the session", got)
		}
		if got := blocks(at); len(got) != 0 {
			t.Errorf("Blocks at expiry = %v, want none", got)
		}
	}},

	{"ExpireBookings materialises expiry, returns the expired bookings and frees the time", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e := mustMentor(t, s, "m"), mustUser(t, s, "e")
		var stale []mentorbook.Booking
		for i, hours := range []int{1, 2, 10} {
			b := pending(m.ID, e.ID, t0.Add(time.Duration(i)*24*time.Hour), time.Hour)
			b.ExpiresAt = now.Add(time.Duration(hours) * time.Hour)
			stale = append(stale, mustBook(t, s, b))
		}
		confirmed := mustBook(t, s, pending(m.ID, e.ID, t0.Add(5*24*time.Hour), time.Hour))
		mustChange(t, s, mentorbook.StatusChange{BookingID: confirmed.ID, From: onlyPending, To: mentorbook.StatusConfirmed, By: m.ID, At: now})

		sweep := now.Add(2 * time.Hour)
		expired, err := s.ExpireBookings(ctx, sweep)
		if err != nil {
			t.Fatal(err)
		}
		if len(expired) != 2 || expired[0].ID != stale[0].ID || expired[1].ID != stale[1].ID ||
			expired[0].Status != mentorbook.StatusExpired || expired[0].MenteeName != "e" || expired[1].MentorID != m.ID {
			t.Errorf("ExpireBookings = %+v, want the first two stale bookings, expired", expired)
		}
		if again, err := s.ExpireBookings(ctx, sweep); err != nil || len(again) != 0 {
			t.Errorf("second ExpireBookings = %v, %v; want none", again, err)
		}
		for i, want := range []mentorbook.BookingStatus{mentorbook.StatusExpired, mentorbook.StatusExpired, mentorbook.StatusPending} {
			// Read at the original now: only materialised expiry shows then.
			got, err := s.BookingByID(ctx, stale[i].ID, now)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != want {
				t.Errorf("booking %d status = %s, want %s", i, got.Status, want)
			}
		}
		if got, _ := s.BookingByID(ctx, confirmed.ID, now.Add(1000*time.Hour)); got.Status != mentorbook.StatusConfirmed {
			t.Errorf("confirmed booking became %s", got.Status)
		}
		// Materialised expiry freed the time even for a clock before it.
		mustBook(t, s, pending(m.ID, e.ID, t0, time.Hour))
	}},

	{"ExpireBookings in a scope expires only the bookings those users are a party to, or the one booking", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m1, m2 := mustMentor(t, s, "m1"), mustMentor(t, s, "m2")
		e1, e2 := mustUser(t, s, "e1"), mustUser(t, s, "e2")
		var bs []mentorbook.Booking
		for i, pair := range [][2]int64{{m1.ID, e1.ID}, {m2.ID, e2.ID}, {m2.ID, e1.ID}} {
			b := pending(pair[0], pair[1], t0.Add(time.Duration(i)*24*time.Hour), time.Hour)
			b.ExpiresAt = now.Add(time.Hour)
			bs = append(bs, mustBook(t, s, b))
		}
		if got, err := s.ExpireBookingsIn(ctx, now.Add(time.Hour), mentorbook.StaleScope{BookingID: bs[1].ID, Users: []int64{e1.ID}}); err != nil || len(got) != 0 {
			t.Fatalf("a booking outside the users expired: %+v, %v", got, err)
		}
		got, err := s.ExpireBookingsIn(ctx, now.Add(time.Hour), mentorbook.StaleScope{Users: []int64{e1.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != bs[0].ID || got[1].ID != bs[2].ID {
			t.Fatalf("expired %+v, want bookings %d and %d", got, bs[0].ID, bs[2].ID)
		}
		if b, _ := s.BookingByID(ctx, bs[1].ID, now); b.Status != mentorbook.StatusPending {
			t.Errorf("another pair's booking became %s", b.Status)
		}
		got, err = s.ExpireBookingsIn(ctx, now.Add(time.Hour), mentorbook.StaleScope{BookingID: bs[1].ID})
		if err != nil || len(got) != 1 || got[0].ID != bs[1].ID {
			t.Fatalf("expired %+v, %v; want booking %d", got, err, bs[1].ID)
		}
	}},

	{"a status change from the wrong state is a conflict", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e := mustMentor(t, s, "m"), mustUser(t, s, "e")
		b := mustBook(t, s, pending(m.ID, e.ID, t0, time.Hour))
		mustChange(t, s, mentorbook.StatusChange{BookingID: b.ID, From: onlyPending, To: mentorbook.StatusDeclined, By: m.ID, At: now})
		_, err := s.ChangeBookingStatus(ctx, mentorbook.StatusChange{BookingID: b.ID, From: onlyPending, To: mentorbook.StatusConfirmed, By: m.ID, At: now})
		wantCode(t, "accepting a declined booking", err, mentorbook.ECONFLICT)

		c := mustBook(t, s, pending(m.ID, e.ID, t0.Add(24*time.Hour), time.Hour))
		mustChange(t, s, mentorbook.StatusChange{BookingID: c.ID, From: onlyPending, To: mentorbook.StatusConfirmed, By: m.ID, At: now})
		_, err = s.ChangeBookingStatus(ctx, mentorbook.StatusChange{BookingID: c.ID, From: onlyPending, To: mentorbook.StatusDeclined, By: m.ID, At: now})
		wantCode(t, "declining a confirmed booking", err, mentorbook.ECONFLICT)
		if got, _ := s.BookingByID(ctx, c.ID, now); got.Status != mentorbook.StatusConfirmed {
			t.Errorf("after refused change: %s, want confirmed", got.Status)
		}

		// A stale pending booking is expired, not accepted, and its time is free.
		d := pending(m.ID, e.ID, t0.Add(48*time.Hour), time.Hour)
		d.ExpiresAt = now.Add(time.Hour)
		d = mustBook(t, s, d)
		_, err = s.ChangeBookingStatus(ctx, mentorbook.StatusChange{BookingID: d.ID, From: onlyPending, To: mentorbook.StatusConfirmed, By: m.ID, At: d.ExpiresAt})
		wantCode(t, "accepting a stale pending booking", err, mentorbook.ECONFLICT)
		got, err := s.BookingByID(ctx, d.ID, d.ExpiresAt)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != mentorbook.StatusExpired {
			t.Errorf("stale booking after accept = %s, want expired", got.Status)
		}
		ivs, err := s.Blocks(ctx, m.ID, t0.Add(47*time.Hour), t0.Add(50*time.Hour), now)
		if err != nil {
			t.Fatal(err)
		}
		if len(ivs) != 0 {
			t.Errorf("Blocks of the expired booking at an earlier clock = %v, want none", ivs)
		}
	}},

	{"a booking moved back to an active status holds its time again", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e1, e2 := mustMentor(t, s, "m"), mustUser(t, s, "e1"), mustUser(t, s, "e2")
		b := mustBook(t, s, pending(m.ID, e1.ID, t0, time.Hour))
		declined := []mentorbook.BookingStatus{mentorbook.StatusDeclined}
		mustChange(t, s, mentorbook.StatusChange{BookingID: b.ID, From: onlyPending, To: mentorbook.StatusDeclined, By: m.ID, At: now})
		mustChange(t, s, mentorbook.StatusChange{BookingID: b.ID, From: declined, To: mentorbook.StatusConfirmed, By: m.ID, At: now})
		_, err := s.CreateBooking(ctx, pending(m.ID, e2.ID, t0, time.Hour), nil, now)
		wantCode(t, "over the reactivated booking", err, mentorbook.ECONFLICT)

		// Reactivating over someone else's booking is refused too.
		mustChange(t, s, mentorbook.StatusChange{BookingID: b.ID, From: activeOnes, To: mentorbook.StatusDeclined, By: m.ID, At: now})
		mustBook(t, s, pending(m.ID, e2.ID, t0, time.Hour))
		_, err = s.ChangeBookingStatus(ctx, mentorbook.StatusChange{BookingID: b.ID, From: declined, To: mentorbook.StatusConfirmed, By: m.ID, At: now})
		wantCode(t, "reactivating over another booking", err, mentorbook.ECONFLICT)
	}},

	{"bookings are listed by role, effective status and start range, paged by start and ID", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u, a, b := mustMentor(t, s, "u"), mustMentor(t, s, "a"), mustUser(t, s, "b")
		other := mustMentor(t, s, "other")
		b1 := mustBook(t, s, pending(u.ID, a.ID, t0, time.Hour))
		mustChange(t, s, mentorbook.StatusChange{BookingID: b1.ID, From: onlyPending, To: mentorbook.StatusDeclined, By: u.ID, At: now})
		b2 := mustBook(t, s, pending(u.ID, b.ID, t0, time.Hour)) // same start as b1, larger ID
		b3 := mustBook(t, s, pending(u.ID, b.ID, t0.Add(2*time.Hour), time.Hour))
		mustChange(t, s, mentorbook.StatusChange{BookingID: b3.ID, From: onlyPending, To: mentorbook.StatusConfirmed, By: u.ID, At: now})
		b4 := mustBook(t, s, pending(a.ID, u.ID, t0.Add(4*time.Hour), time.Hour)) // u as mentee
		short := pending(u.ID, a.ID, t0.Add(6*time.Hour), time.Hour)
		short.ExpiresAt = now.Add(time.Hour)
		b5 := mustBook(t, s, short)
		b6 := mustBook(t, s, pending(u.ID, b.ID, t0.Add(-24*time.Hour), time.Hour))
		mustBook(t, s, pending(other.ID, a.ID, t0.Add(8*time.Hour), time.Hour)) // not u's
		mine := []mentorbook.Booking{b1, b2, b3, b4, b5, b6}

		clock := now.Add(2 * time.Hour) // b5 has expired by then
		statusAt := map[int64]mentorbook.BookingStatus{}
		for _, bk := range mine {
			got, err := s.BookingByID(ctx, bk.ID, clock)
			if err != nil {
				t.Fatal(err)
			}
			statusAt[bk.ID] = got.Status
		}
		if statusAt[b5.ID] != mentorbook.StatusExpired || statusAt[b1.ID] != mentorbook.StatusDeclined {
			t.Fatalf("effective statuses = %v", statusAt)
		}

		// want filters and orders the bookings in Go.
		want := func(f mentorbook.BookingFilter) []int64 {
			var out []mentorbook.Booking
			for _, bk := range mine {
				switch {
				case f.Role == "mentor" && bk.MentorID != u.ID, f.Role == "mentee" && bk.MenteeID != u.ID,
					len(f.Statuses) > 0 && !slices.Contains(f.Statuses, statusAt[bk.ID]),
					!f.From.IsZero() && bk.Start.Before(f.From), !f.To.IsZero() && !bk.Start.Before(f.To):
					continue
				}
				out = append(out, bk)
			}
			slices.SortFunc(out, func(x, y mentorbook.Booking) int {
				return cmp.Or(x.Start.Compare(y.Start), cmp.Compare(x.ID, y.ID))
			})
			return ids(out)
		}
		filters := []mentorbook.BookingFilter{
			{},
			{Role: "mentor"},
			{Role: "mentee"},
			{Statuses: onlyPending},
			{Statuses: []mentorbook.BookingStatus{mentorbook.StatusExpired, mentorbook.StatusDeclined}},
			{Statuses: everyStatuses},
			{Role: "mentor", Statuses: activeOnes},
			{From: t0},
			{To: t0.Add(2 * time.Hour)},
			{From: t0.Add(2 * time.Hour), To: t0.Add(6 * time.Hour)},
			{From: t0.Add(100 * time.Hour)},
		}
		for _, f := range filters {
			f.UserID, f.Now, f.Limit = u.ID, clock, 100
			got, err := s.ListBookings(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if w := want(f); !slices.Equal(ids(got), w) {
				t.Errorf("ListBookings(role %q, statuses %v, from %v, to %v) = %v, want %v",
					f.Role, f.Statuses, f.From, f.To, ids(got), w)
			}
			for _, bk := range got {
				if bk.Status != statusAt[bk.ID] {
					t.Errorf("listed booking %d status %s, want %s", bk.ID, bk.Status, statusAt[bk.ID])
				}
			}

			// Pages of two, each after the last one's (Start, ID), add up to the whole.
			var walked []int64
			page := f
			page.Limit = 2
			for i := 0; i < 10; i++ {
				got, err := s.ListBookings(ctx, page)
				if err != nil {
					t.Fatal(err)
				}
				walked = append(walked, ids(got)...)
				if len(got) < page.Limit {
					break
				}
				last := got[len(got)-1]
				page.After = &mentorbook.BookingCursor{Start: last.Start, ID: last.ID}
			}
			if w := want(f); !slices.Equal(walked, w) {
				t.Errorf("paged ListBookings(role %q, statuses %v) = %v, want %v", f.Role, f.Statuses, walked, w)
			}
		}
	}},

	{"Blocks lists a user's held time in both roles overlapping a range", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u, a, b := mustMentor(t, s, "u"), mustMentor(t, s, "a"), mustUser(t, s, "b")
		withBuffers := pending(u.ID, b.ID, t0, time.Hour)
		withBuffers.BufferBefore, withBuffers.BufferAfter = 10*time.Minute, 20*time.Minute
		mustBook(t, s, withBuffers) // u holds 08:50-10:20
		asMentee := pending(a.ID, u.ID, t0.Add(3*time.Hour), time.Hour)
		asMentee.BufferBefore = 30 * time.Minute
		c := mustBook(t, s, asMentee) // u holds 12:00-13:00, a holds 11:30-13:00
		mustChange(t, s, mentorbook.StatusChange{BookingID: c.ID, From: onlyPending, To: mentorbook.StatusConfirmed, By: a.ID, At: now})
		d := mustBook(t, s, pending(u.ID, b.ID, t0.Add(5*time.Hour), time.Hour))
		mustChange(t, s, mentorbook.StatusChange{BookingID: d.ID, From: onlyPending, To: mentorbook.StatusCancelled, Reason: "x", By: b.ID, At: now})
		mustBook(t, s, pending(a.ID, b.ID, t0.Add(7*time.Hour), time.Hour)) // not u's

		iv := func(from, to time.Duration) schedule.Interval {
			return schedule.Interval{Start: t0.Add(from), End: t0.Add(to)}
		}
		for _, tc := range []struct {
			user     int64
			from, to time.Time
			want     []schedule.Interval
		}{
			{u.ID, t0.Add(-24 * time.Hour), t0.Add(24 * time.Hour), []schedule.Interval{iv(-10*time.Minute, 80*time.Minute), iv(3*time.Hour, 4*time.Hour)}},
			{u.ID, t0.Add(80 * time.Minute), t0.Add(3 * time.Hour), nil}, // touching both ends
			{u.ID, t0.Add(80*time.Minute - time.Microsecond), t0.Add(3*time.Hour + time.Microsecond), []schedule.Interval{iv(-10*time.Minute, 80*time.Minute), iv(3*time.Hour, 4*time.Hour)}},
			{a.ID, t0, t0.Add(24 * time.Hour), []schedule.Interval{iv(150*time.Minute, 4*time.Hour), iv(7*time.Hour, 8*time.Hour)}},
			{b.ID, t0, t0.Add(24 * time.Hour), []schedule.Interval{iv(0, time.Hour), iv(7*time.Hour, 8*time.Hour)}},
		} {
			got, err := s.Blocks(ctx, tc.user, tc.from, tc.to, now)
			if err != nil {
				t.Fatal(err)
			}
			if !equalIntervals(got, tc.want) {
				t.Errorf("Blocks(user %d, %v, %v) = %v, want %v", tc.user, tc.from, tc.to, got, tc.want)
			}
			for _, iv := range got {
				if iv.Start.Location() != time.UTC || iv.End.Location() != time.UTC {
					t.Errorf("Blocks returned %v, want UTC", iv)
				}
			}
		}
	}},
}

// wantCount fails unless the user has n active bookings in any role.
func wantCount(t *testing.T, s Ops, userID int64, n int) {
	t.Helper()
	bs, err := s.ListBookings(t.Context(), mentorbook.BookingFilter{UserID: userID, Statuses: activeOnes, Limit: 1000, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != n {
		t.Errorf("user %d has %d active bookings, want %d", userID, len(bs), n)
	}
}
