package storetest

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// sessionBooking is a pending request at start for an hour, online at loc.
func sessionBooking(t *testing.T, s Ops, m, e mentorbook.User, start time.Time, loc string) mentorbook.Booking {
	t.Helper()
	b, err := s.CreateBooking(t.Context(), mentorbook.Booking{MentorID: m.ID, MenteeID: e.ID, Status: mentorbook.StatusPending,
		Start: start, End: start.Add(time.Hour), Mode: mentorbook.ModeOnline, Location: loc,
		ExpiresAt: start, CreatedAt: now, UpdatedAt: now}, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func changeStatus(t *testing.T, s Ops, id int64, to mentorbook.BookingStatus, by int64, at time.Time) mentorbook.Booking {
	t.Helper()
	b, err := mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Booking, error) {
		return tx.Bookings().ChangeStatus(t.Context(), mentorbook.StatusChange{BookingID: id, To: to, By: by, At: at,
			From: []mentorbook.BookingStatus{mentorbook.StatusPending, mentorbook.StatusConfirmed}, Reason: "r"})
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func reliability(t *testing.T, s Ops, userID int64) (noShows, late int, err error) {
	err = s.Read(t.Context(), func(tx mentorbook.Tx) (err error) {
		noShows, late, err = tx.Bookings().Reliability(t.Context(), userID)
		return err
	})
	return noShows, late, err
}

var sessionTests = []test{
	{"a booking keeps its place, and a status change records confirmation, lateness and a new sequence", func(t *testing.T, s Ops) {
		m, e := mustMentor(t, s, "mentor"), mustUser(t, s, "mentee")
		b := sessionBooking(t, s, m, e, t0, "https://meet.example/a")
		if b.Mode != mentorbook.ModeOnline || b.Location != "https://meet.example/a" || b.Version != 1 || b.Sequence != 0 ||
			!b.ConfirmedAt.IsZero() || b.MentorSaysMenteeCame != nil {
			t.Fatalf("created %+v", b)
		}
		c := changeStatus(t, s, b.ID, mentorbook.StatusConfirmed, m.ID, now)
		if !c.ConfirmedAt.Equal(now) || c.Sequence != 1 || c.LateCancellation {
			t.Fatalf("confirmed %+v", c)
		}
		// Cancelled 23 hours ahead: late.
		x := changeStatus(t, s, b.ID, mentorbook.StatusCancelled, e.ID, t0.Add(-23*time.Hour))
		if !x.LateCancellation || x.Sequence != 2 || !x.ConfirmedAt.Equal(now) {
			t.Fatalf("cancelled %+v", x)
		}
		// A pending request cancelled late is not a late cancellation, nor
		// a confirmed one a day ahead.
		p := sessionBooking(t, s, m, e, t0.Add(2*time.Hour), "")
		if got := changeStatus(t, s, p.ID, mentorbook.StatusCancelled, e.ID, t0); got.LateCancellation {
			t.Errorf("pending cancellation late: %+v", got)
		}
		q := sessionBooking(t, s, m, e, t0.Add(4*time.Hour), "")
		changeStatus(t, s, q.ID, mentorbook.StatusConfirmed, m.ID, now)
		if got := changeStatus(t, s, q.ID, mentorbook.StatusCancelled, m.ID, t0.Add(-20*time.Hour)); got.LateCancellation {
			t.Errorf("a cancellation 24 h ahead is late: %+v", got)
		}
		n, late, err := reliability(t, s, e.ID)
		if err != nil || n != 0 || late != 1 {
			t.Errorf("reliability of the mentee: %d no-shows, %d late, %v", n, late, err)
		}
		// The feed's filter: only bookings that were confirmed.
		bs, err := s.ListBookings(t.Context(), mentorbook.BookingFilter{UserID: e.ID, WasConfirmed: true, Limit: 10, Now: now})
		if err != nil || len(bs) != 2 || bs[0].ID != b.ID || bs[1].ID != q.ID {
			t.Errorf("were confirmed: %v, %v", bs, err)
		}
	}},
	{"moving a booking moves the time it holds, raises its version, and is refused onto taken time", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e, f := mustMentor(t, s, "mentor"), mustUser(t, s, "mentee"), mustUser(t, s, "other")
		b := sessionBooking(t, s, m, e, t0, "")
		other := sessionBooking(t, s, m, f, t0.Add(3*time.Hour), "")
		move := func(start time.Time) (mentorbook.Booking, error) {
			return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Booking, error) {
				cur, err := tx.Bookings().Lock(ctx, b.ID, now)
				if err != nil {
					return cur, err
				}
				return tx.Bookings().Move(ctx, cur, start, start.Add(time.Hour), 0, 10*time.Minute, now.Add(time.Second))
			})
		}
		// Onto half its own time: allowed, since its old time is freed first.
		got, err := move(t0.Add(30 * time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.Sequence != 1 || got.Reschedules != 1 || !got.Start.Equal(t0.Add(30*time.Minute)) ||
			got.BufferAfter != 10*time.Minute || !got.ExpiresAt.Equal(t0) || got.Status != mentorbook.StatusPending {
			t.Fatalf("moved %+v", got)
		}
		blocks, err := s.Blocks(ctx, m.ID, t0.Add(-time.Hour), t0.Add(5*time.Hour), now)
		if err != nil || len(blocks) != 2 || !blocks[0].Start.Equal(t0.Add(30*time.Minute)) || !blocks[0].End.Equal(t0.Add(100*time.Minute)) {
			t.Fatalf("mentor's blocks %v, %v", blocks, err)
		}
		// Onto the other booking: refused, and nothing changed.
		if _, err := move(other.Start.Add(-30 * time.Minute)); mentorbook.ErrorCode(err) != mentorbook.ECONFLICT {
			t.Fatalf("move onto taken time: %v", err)
		}
		if again, _ := s.BookingByID(ctx, b.ID, now); again.Version != 2 || !again.Start.Equal(got.Start) {
			t.Fatalf("after a refused move %+v", again)
		}
		// Past the database's limit of three.
		for i := range 2 {
			if _, err := move(t0.Add(time.Duration(5+i) * time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := move(t0.Add(8 * time.Hour)); mentorbook.ErrorCode(err) != mentorbook.ECONFLICT || !strings.Contains(err.Error(), "3 times") {
			t.Fatalf("a fourth move: %v", err)
		}
	}},
	{"the location changes with the sequence, and each party reports attendance once", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, e := mustMentor(t, s, "mentor"), mustUser(t, s, "mentee")
		b := sessionBooking(t, s, m, e, t0, "")
		changeStatus(t, s, b.ID, mentorbook.StatusConfirmed, m.ID, now)
		loc, err := mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Booking, error) {
			return tx.Bookings().SetLocation(ctx, b.ID, "Main St 1", now)
		})
		if err != nil || loc.Location != "Main St 1" || loc.Sequence != 2 {
			t.Fatalf("set location %+v, %v", loc, err)
		}
		report := func(byMentor, came bool) (mentorbook.Booking, error) {
			return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Booking, error) {
				return tx.Bookings().ReportAttendance(ctx, b.ID, byMentor, came, t0.Add(time.Hour))
			})
		}
		got, err := report(false, true)
		if err != nil || got.MenteeSaysMentorCame == nil || !*got.MenteeSaysMentorCame || got.MentorSaysMenteeCame != nil {
			t.Fatalf("mentee's report %+v, %v", got, err)
		}
		if _, err := report(false, false); mentorbook.ErrorCode(err) != mentorbook.ECONFLICT {
			t.Fatalf("second report: %v", err)
		}
		held := func(at time.Time) (int, time.Time) {
			var next time.Time
			n, err := mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) (n int, err error) {
				n, next, err = tx.Bookings().SessionsHeld(ctx, m.ID, at)
				return n, err
			})
			if err != nil {
				t.Fatal(err)
			}
			return n, next
		}
		if n, next := held(got.End.Add(-time.Microsecond)); n != 0 || !next.Equal(got.End) {
			t.Fatalf("before its end: held %d, next end %v, want 0 and %v", n, next, got.End)
		}
		if n, next := held(t0.Add(2 * time.Hour)); n != 1 || !next.IsZero() || !got.Held(t0.Add(2*time.Hour)) {
			t.Fatalf("held %d, next end %v", n, next)
		}
		if got, err = report(true, false); err != nil || got.Held(t0.Add(2*time.Hour)) {
			t.Fatalf("mentor's no-show report %+v, %v", got, err)
		}
		if n, _ := held(t0.Add(2 * time.Hour)); n != 0 {
			t.Fatalf("held %d after a no-show", n)
		}
		n, _, err := reliability(t, s, e.ID)
		if err != nil || n != 1 {
			t.Fatalf("mentee no-shows %d, %v", n, err)
		}
	}},
	{"a calendar feed is found by its token's hash until replaced", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u, v := mustUser(t, s, "u"), mustUser(t, s, "v")
		set := func(id int64, nonce, hash string) {
			if err := s.Write(ctx, func(tx mentorbook.Tx) error {
				return tx.Users().SetCalendarFeed(ctx, id, []byte(nonce), []byte(hash), now)
			}); err != nil {
				t.Fatal(err)
			}
		}
		owner := func(hash string) (int64, error) {
			return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) (int64, error) { return tx.Users().CalendarFeedUser(ctx, []byte(hash)) })
		}
		if _, err := mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]byte, error) { return tx.Users().CalendarFeed(ctx, u.ID) }); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			t.Fatalf("no feed yet: %v", err)
		}
		set(u.ID, "n1", "h1")
		set(v.ID, "n2", "h2")
		if id, err := owner("h1"); err != nil || id != u.ID {
			t.Fatalf("h1 → %d, %v", id, err)
		}
		set(u.ID, "n3", "h3")
		if _, err := owner("h1"); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			t.Fatalf("replaced token still works: %v", err)
		}
		nonce, err := mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]byte, error) { return tx.Users().CalendarFeed(ctx, u.ID) })
		if err != nil || !bytes.Equal(nonce, []byte("n3")) {
			t.Fatalf("nonce %q, %v", nonce, err)
		}
		if id, err := owner("h2"); err != nil || id != v.ID {
			t.Fatalf("h2 → %d, %v", id, err)
		}
	}},
	{"a mentor profile keeps its meeting link", func(t *testing.T, s Ops) {
		u := mustUser(t, s, "m")
		p, err := s.PutMentorProfile(t.Context(), mentorbook.MentorProfile{UserID: u.ID, Headline: "h", Active: true,
			MeetingURL: "https://meet.example/u", UpdatedAt: now})
		if err != nil || p.MeetingURL != "https://meet.example/u" {
			t.Fatalf("profile %+v, %v", p, err)
		}
	}},
}
