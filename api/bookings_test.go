package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// mon10 is Monday 2026-06-01 10:00 UTC, 12:00 in Berlin: a slot of the test mentors.
var mon10 = time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)

func TestBookingLifecycle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("UTC")
		b := e.signup("UTC")

		got := e.mustBook(a, m.ID, mon10)
		if got.Status != "pending" || got.MentorID != m.ID || got.MenteeID != a.ID || !got.Start.Equal(mon10) ||
			!got.End.Equal(mon10.Add(time.Hour)) || got.Message != "hi" || !got.CreatedAt.Equal(testNow) {
			t.Fatalf("booking %+v", got)
		}
		// Expires at the earlier of creation + 48 h and the start.
		if !got.ExpiresAt.Equal(mon10) {
			t.Errorf("expires_at %v, want the start %v", got.ExpiresAt, mon10)
		}
		later := e.mustBook(a, m.ID, mon10.Add(72*time.Hour))
		if !later.ExpiresAt.Equal(testNow.Add(48 * time.Hour)) {
			t.Errorf("expires_at %v, want now+48h", later.ExpiresAt)
		}
		// The held slot is gone for everyone else, and for overlapping durations.
		want(t, e.book(b, m.ID, mon10, 0), http.StatusConflict).problem(t)
		want(t, e.book(b, m.ID, mon10.Add(-time.Hour), 120), http.StatusConflict)

		var acc bookingOut
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", got.ID), m.Token, nil), http.StatusOK).decode(t, &acc)
		if acc.Status != "confirmed" || acc.ID != got.ID {
			t.Fatalf("accepted %+v", acc)
		}
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", got.ID), m.Token, nil), http.StatusConflict).problem(t)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/decline", got.ID), m.Token, nil), http.StatusConflict)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/cancel", got.ID), a.Token, map[string]string{"reason": " "}), http.StatusUnprocessableEntity)
		var c bookingOut
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/cancel", got.ID), a.Token, map[string]string{"reason": "ill"}), http.StatusOK).decode(t, &c)
		if c.Status != "cancelled" {
			t.Fatalf("cancelled %+v", c)
		}
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/cancel", got.ID), a.Token, map[string]string{"reason": "again"}), http.StatusConflict)
		// Cancelling freed the slot at once.
		nb := e.mustBook(b, m.ID, mon10)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/decline", nb.ID), m.Token, map[string]string{"reason": "busy"}), http.StatusOK)
		last := e.mustBook(a, m.ID, mon10) // declining freed it too
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", last.ID), m.Token, nil), http.StatusOK)

		// A session that has started can no longer be cancelled; a future one can.
		e.clock.Advance(mon10.Sub(testNow))
		p := want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/cancel", last.ID), a.Token, map[string]string{"reason": "late"}), http.StatusConflict).problem(t)
		if !strings.Contains(p.Detail, "started") {
			t.Errorf("detail %q", p.Detail)
		}
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/cancel", later.ID), a.Token, map[string]string{"reason": "late"}), http.StatusOK)
	})
}

func TestPendingRequestsExpireAndFreeTheirSlot(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", map[string]any{"pending_expiry_hours": 2})
		a, b := e.signup("UTC"), e.signup("UTC")
		start := mon10.Add(24 * time.Hour)
		p := e.mustBook(a, m.ID, start)
		if !p.ExpiresAt.Equal(testNow.Add(2 * time.Hour)) {
			t.Fatalf("expires_at %v", p.ExpiresAt)
		}
		e.clock.Advance(2 * time.Hour)
		var got bookingOut
		want(t, e.call("GET", fmt.Sprintf("/api/v1/bookings/%d", p.ID), a.Token, nil), http.StatusOK).decode(t, &got)
		if got.Status != "expired" {
			t.Fatalf("status %q after expiry", got.Status)
		}
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", p.ID), m.Token, nil), http.StatusConflict)
		e.mustBook(b, m.ID, start)
		var list struct{ Bookings []bookingOut }
		want(t, e.call("GET", "/api/v1/bookings?status=expired", a.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Bookings) != 1 || list.Bookings[0].ID != p.ID {
			t.Fatalf("expired list %+v", list)
		}
	})
}

func TestBookingRequestsMustMatchAnOfferedSlot(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", map[string]any{"min_notice_minutes": 90})
		other := e.mentor("Europe/Berlin", nil)
		a := e.signup("UTC")
		for name, start := range map[string]time.Time{
			"off the grid":         mon10.Add(10 * time.Minute),
			"in the past":          testNow.Add(-24 * time.Hour),
			"inside the notice":    testNow.Add(time.Hour), // 09:00 Berlin, but notice lasts until 07:30Z
			"outside availability": time.Date(2026, 6, 1, 16, 0, 0, 0, time.UTC),
			"on a weekend":         time.Date(2026, 6, 6, 10, 0, 0, 0, time.UTC),
			"beyond the horizon":   mon10.Add(61 * 24 * time.Hour),
		} {
			if r := e.book(a, m.ID, start, 0); r.Status != http.StatusConflict {
				t.Errorf("%s: status %d, want 409", name, r.Status)
			}
		}
		want(t, e.book(a, m.ID, testNow.Add(2*time.Hour), 0), http.StatusCreated)    // the first slot after the notice
		want(t, e.book(a, m.ID, mon10.Add(-30*time.Minute), 30), http.StatusCreated) // a 30-minute grid
		want(t, e.book(m, m.ID, mon10, 0), http.StatusUnprocessableEntity)
		want(t, e.book(a, a.ID, mon10, 0), http.StatusUnprocessableEntity)
		// Overlap with one of the mentee's own bookings, with another mentor.
		e.mustBook(a, other.ID, mon10.Add(2*time.Hour))
		want(t, e.book(a, m.ID, mon10.Add(2*time.Hour), 0), http.StatusConflict)
		// A mentor's own booking as a mentee blocks their time as mentor.
		e.mustBook(m, other.ID, mon10.Add(4*time.Hour))
		want(t, e.book(a, m.ID, mon10.Add(4*time.Hour), 0), http.StatusConflict)
	})
}

func TestBookingEndpointsAsMentorMenteeOtherAndAnonymous(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		mentee := e.signup("UTC")
		other := e.signup("UTC")
		b := e.mustBook(mentee, m.ID, mon10)
		path := func(format string, id int64) string { return fmt.Sprintf(format, id) }

		// Reading.
		for who, status := range map[string]int{"mentor": 200, "mentee": 200, "other": 404, "anonymous": 401} {
			token := map[string]string{"mentor": m.Token, "mentee": mentee.Token, "other": other.Token}[who]
			want(t, e.call("GET", path("/api/v1/bookings/%d", b.ID), token, nil), status)
		}
		for who, tc := range map[string]struct {
			token string
			n     int
		}{"mentor": {m.Token, 1}, "mentee": {mentee.Token, 1}, "other": {other.Token, 0}} {
			var list struct{ Bookings []bookingOut }
			want(t, e.call("GET", "/api/v1/bookings", tc.token, nil), http.StatusOK).decode(t, &list)
			if len(list.Bookings) != tc.n {
				t.Errorf("%s lists %d bookings, want %d", who, len(list.Bookings), tc.n)
			}
		}
		var list struct{ Bookings []bookingOut }
		want(t, e.call("GET", "/api/v1/bookings?role=mentee", m.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Bookings) != 0 {
			t.Errorf("mentor's mentee role lists %d", len(list.Bookings))
		}
		want(t, e.call("GET", "/api/v1/bookings", "", nil), http.StatusUnauthorized)
		want(t, e.call("POST", "/api/v1/bookings", "", map[string]any{"mentor_id": m.ID, "start": mon10.Format(time.RFC3339)}), http.StatusUnauthorized)

		// Accept and decline: only the mentor; the mentee is forbidden,
		// strangers do not learn the booking exists. None of the refusals
		// changes the booking.
		for _, verb := range []string{"accept", "decline"} {
			want(t, e.call("POST", path("/api/v1/bookings/%d/"+verb, b.ID), mentee.Token, nil), http.StatusForbidden).problem(t)
			want(t, e.call("POST", path("/api/v1/bookings/%d/"+verb, b.ID), other.Token, nil), http.StatusNotFound).problem(t)
			want(t, e.call("POST", path("/api/v1/bookings/%d/"+verb, b.ID), "", nil), http.StatusUnauthorized).problem(t)
		}
		want(t, e.call("POST", path("/api/v1/bookings/%d/cancel", b.ID), other.Token, map[string]string{"reason": "x"}), http.StatusNotFound)
		want(t, e.call("POST", path("/api/v1/bookings/%d/cancel", b.ID), "", map[string]string{"reason": "x"}), http.StatusUnauthorized)
		var got bookingOut
		want(t, e.call("GET", path("/api/v1/bookings/%d", b.ID), m.Token, nil), http.StatusOK).decode(t, &got)
		if got.Status != "pending" {
			t.Fatalf("refused calls changed the booking to %s", got.Status)
		}
		want(t, e.call("POST", path("/api/v1/bookings/%d/accept", b.ID), m.Token, nil), http.StatusOK)

		// Either party may cancel.
		b2 := e.mustBook(mentee, m.ID, mon10.Add(time.Hour))
		want(t, e.call("POST", path("/api/v1/bookings/%d/cancel", b2.ID), m.Token, map[string]string{"reason": "sick"}), http.StatusOK)
		b3 := e.mustBook(mentee, m.ID, mon10.Add(2*time.Hour))
		want(t, e.call("POST", path("/api/v1/bookings/%d/decline", b3.ID), m.Token, map[string]string{"reason": "busy"}), http.StatusOK)
		b4 := e.mustBook(mentee, m.ID, mon10.Add(3*time.Hour))
		want(t, e.call("POST", path("/api/v1/bookings/%d/cancel", b4.ID), mentee.Token, map[string]string{"reason": "conflict"}), http.StatusOK)
		want(t, e.call("GET", "/api/v1/bookings/999999", m.Token, nil), http.StatusNotFound)
		want(t, e.call("POST", "/api/v1/bookings/999999/accept", m.Token, nil), http.StatusNotFound)
	})
}

func TestBookingListFiltersAndPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a, other := e.signup("UTC"), e.signup("UTC")
		var ids []int64
		for i := 0; i < 5; i++ {
			// One mentee may have at most 3 requests pending with a mentor:
			// the first is accepted at once and the last is another's.
			who := a
			if i == 4 {
				who = other
			}
			ids = append(ids, e.mustBook(who, m.ID, mon10.Add(time.Duration(4-i)*time.Hour)).ID) // later first
			if i == 0 {
				want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", ids[0]), m.Token, nil), http.StatusOK)
			}
		}
		var seen []int64
		cursor := ""
		for range 10 {
			var page struct {
				Bookings   []bookingOut
				NextCursor string `json:"next_cursor"`
			}
			want(t, e.call("GET", "/api/v1/bookings?role=mentor&limit=2&cursor="+cursor, m.Token, nil), http.StatusOK).decode(t, &page)
			for _, b := range page.Bookings {
				seen = append(seen, b.ID)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		// By start time: the reverse of creation order.
		if fmt.Sprint(seen) != fmt.Sprint([]int64{ids[4], ids[3], ids[2], ids[1], ids[0]}) {
			t.Fatalf("paged %v, created %v", seen, ids)
		}
		var page struct{ Bookings []bookingOut }
		want(t, e.call("GET", "/api/v1/bookings?status=confirmed", a.Token, nil), http.StatusOK).decode(t, &page)
		if len(page.Bookings) != 1 || page.Bookings[0].ID != ids[0] {
			t.Fatalf("confirmed %+v", page.Bookings)
		}
		from := mon10.Add(time.Hour).Format(time.RFC3339)
		to := mon10.Add(3 * time.Hour).Format(time.RFC3339)
		want(t, e.call("GET", "/api/v1/bookings?from="+from+"&to="+to, a.Token, nil), http.StatusOK).decode(t, &page)
		if len(page.Bookings) != 2 || page.Bookings[0].ID != ids[3] || page.Bookings[1].ID != ids[2] {
			t.Fatalf("from/to %+v", page.Bookings)
		}
		for _, q := range []string{"role=boss", "status=done", "from=yesterday", "limit=101", "limit=x", "cursor=zz"} {
			want(t, e.call("GET", "/api/v1/bookings?"+q, a.Token, nil), http.StatusUnprocessableEntity).problem(t)
		}
	})
}

func TestIdempotencyKeyReturnsTheFirstAnswer(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a, b := e.signup("UTC"), e.signup("UTC")
		var first, again bookingOut
		want(t, e.book(a, m.ID, mon10, 0, "Idempotency-Key", "k1"), http.StatusCreated).decode(t, &first)
		want(t, e.book(a, m.ID, mon10, 0, "Idempotency-Key", "k1"), http.StatusCreated).decode(t, &again)
		if again.ID != first.ID {
			t.Fatalf("retry made booking %d, first %d", again.ID, first.ID)
		}
		p := want(t, e.book(a, m.ID, mon10.Add(time.Hour), 0, "Idempotency-Key", "k1"), http.StatusUnprocessableEntity).problem(t)
		if !strings.Contains(p.Detail, "Idempotency-Key") {
			t.Errorf("detail %q", p.Detail)
		}
		// Keys are per user: b's k1 is a new request (which conflicts with a's booking).
		want(t, e.book(b, m.ID, mon10, 0, "Idempotency-Key", "k1"), http.StatusConflict)
		want(t, e.book(b, m.ID, mon10.Add(time.Hour), 0, "Idempotency-Key", "k1"), http.StatusCreated)

		// Many retries racing with one key make one booking.
		const n = 32
		ids := make([]int64, n)
		statuses := make([]int, n)
		var wg sync.WaitGroup
		startGun := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-startGun
				r := call(t, e.srv, "POST", "/api/v1/bookings", a.Token,
					map[string]any{"mentor_id": m.ID, "start": mon10.Add(3 * time.Hour).Format(time.RFC3339), "message": "hi"},
					"Idempotency-Key", "race")
				statuses[i] = r.Status
				var bo bookingOut
				if r.Status == http.StatusCreated {
					r.decode(t, &bo)
				}
				ids[i] = bo.ID
			}()
		}
		close(startGun)
		wg.Wait()
		for i := range n {
			if statuses[i] != http.StatusCreated || ids[i] != ids[0] {
				t.Fatalf("retry %d: status %d id %d, first id %d", i, statuses[i], ids[i], ids[0])
			}
		}
		var list struct{ Bookings []bookingOut }
		want(t, e.call("GET", "/api/v1/bookings?role=mentee", a.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Bookings) != 2 {
			t.Fatalf("mentee has %d bookings, want 2", len(list.Bookings))
		}
	})
}

func TestBadInputGetsAClearErrorAndChangesNothing(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("UTC")
		b := e.mustBook(a, m.ID, mon10)
		snapshot := func() string {
			var list struct{ Bookings []bookingOut }
			want(t, e.call("GET", "/api/v1/bookings", a.Token, nil), http.StatusOK).decode(t, &list)
			var av availabilityOut
			want(t, e.call("GET", "/api/v1/me/availability", m.Token, nil), http.StatusOK).decode(t, &av)
			return fmt.Sprintf("%+v %+v", list, av)
		}
		before := snapshot()
		huge := `{"message":"` + strings.Repeat("x", 1<<20) + `"}`
		for _, tc := range []struct {
			name, method, path, token string
			body                      any
			status                    int
		}{
			{"malformed JSON", "POST", "/api/v1/bookings", a.Token, `{"mentor_id":`, 400},
			{"not an object", "POST", "/api/v1/bookings", a.Token, `[1,2]`, 400},
			{"unknown field", "POST", "/api/v1/bookings", a.Token, `{"mentor_id":1,"start":"x","colour":"red"}`, 400},
			{"wrong type", "POST", "/api/v1/bookings", a.Token, `{"mentor_id":"one"}`, 400},
			{"trailing data", "POST", "/api/v1/bookings", a.Token, `{"mentor_id":1}{}`, 400},
			{"empty body", "POST", "/api/v1/bookings", a.Token, nil, 400},
			{"too large", "POST", "/api/v1/bookings", a.Token, huge, 413},
			{"too large availability", "PUT", "/api/v1/me/availability", m.Token, huge, 413},
			{"invalid start", "POST", "/api/v1/bookings", a.Token, `{"mentor_id":1,"start":"tomorrow"}`, 422},
			{"wrong type availability", "PUT", "/api/v1/me/availability", m.Token, `{"weekly":"mon"}`, 400},
			{"no token", "POST", fmt.Sprintf("/api/v1/bookings/%d/accept", b.ID), "", nil, 401},
			{"bad token", "POST", fmt.Sprintf("/api/v1/bookings/%d/accept", b.ID), "nope", nil, 401},
			{"unknown endpoint", "GET", "/api/v1/nothing", "", nil, 404},
			{"decline with unknown field", "POST", fmt.Sprintf("/api/v1/bookings/%d/decline", b.ID), m.Token, `{"why":"x"}`, 400},
		} {
			r := e.call(tc.method, tc.path, tc.token, tc.body)
			if r.Status != tc.status {
				t.Errorf("%s: status %d, want %d (%s)", tc.name, r.Status, tc.status, r.Body)
				continue
			}
			r.problem(t)
		}
		if after := snapshot(); after != before {
			t.Fatalf("rejected requests changed data:\n%s\n%s", before, after)
		}
		// A POST that needs no body accepts an empty one.
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", b.ID), m.Token, nil), http.StatusOK)
	})
}

// One mentee may hold at most 3 pending requests with one mentor and 10 in
// all; past that 409 says why and nothing is stored. An answer frees a
// place.
func TestPendingRequestsAreLimited(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		a := e.signup("UTC")
		var mentors []user
		for range 4 {
			mentors = append(mentors, e.mentor("Europe/Berlin", nil))
		}
		count := func() int {
			var page struct{ Bookings []bookingOut }
			want(t, e.call("GET", "/api/v1/bookings?role=mentee&status=pending", a.Token, nil), http.StatusOK).decode(t, &page)
			return len(page.Bookings)
		}
		var first bookingOut
		for i := range 3 {
			b := e.mustBook(a, mentors[0].ID, mon10.Add(time.Duration(i)*time.Hour))
			if i == 0 {
				first = b
			}
		}
		p := want(t, e.book(a, mentors[0].ID, mon10.Add(3*time.Hour), 0), http.StatusConflict).problem(t)
		if !strings.Contains(p.Detail, "3 requests waiting for this mentor") {
			t.Errorf("fourth request with one mentor: %q", p.Detail)
		}
		if n := count(); n != 3 {
			t.Fatalf("%d pending after the refusal, want 3", n)
		}
		// The mentor answers one: a place is free again.
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/decline", first.ID), mentors[0].Token, nil), http.StatusOK)
		e.mustBook(a, mentors[0].ID, mon10.Add(3*time.Hour))

		// Ten in all, across mentors.
		for i, m := range mentors[1:] {
			for j := range 3 {
				if count() == 10 {
					break
				}
				// Tuesday to Thursday, within the mentors' hours.
				e.mustBook(a, m.ID, mon10.Add(time.Duration(i+1)*24*time.Hour+time.Duration(j)*time.Hour))
			}
		}
		if n := count(); n != 10 {
			t.Fatalf("%d pending, want 10", n)
		}
		p = want(t, e.book(a, mentors[3].ID, mon10.Add(3*24*time.Hour+4*time.Hour), 0), http.StatusConflict).problem(t)
		if !strings.Contains(p.Detail, "10 requests waiting") {
			t.Errorf("eleventh request: %q", p.Detail)
		}
		if n := count(); n != 10 {
			t.Errorf("%d pending after the refusal, want 10", n)
		}
	})
}
