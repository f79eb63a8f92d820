package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/api"
	"github.com/mentorbook/mentorbook/app"
)

// sessionOut is a booking with the fields of issue 10.
type sessionOut struct {
	bookingOut
	Mode             string
	Location         *string
	Version          int
	Sequence         int
	Reschedules      int
	LateCancellation bool `json:"late_cancellation"`
	Held             bool
	Attendance       struct {
		MentorSaysMenteeCame *bool `json:"mentor_says_mentee_came"`
		MenteeSaysMentorCame *bool `json:"mentee_says_mentor_came"`
	}
}

func (e *env) session(u user, id int64) sessionOut {
	e.t.Helper()
	var b sessionOut
	want(e.t, e.call("GET", fmt.Sprintf("/api/v1/bookings/%d", id), u.Token, nil), http.StatusOK).decode(e.t, &b)
	return b
}

func bookingPath(id int64, rest string) string { return fmt.Sprintf("/api/v1/bookings/%d%s", id, rest) }

// newEnvWith is newEnv with app options (a meeting link template).
func newEnvWith(t *testing.T, store mentorbook.Store, opts app.Options) *env {
	e := &env{t: t, store: store, clock: &clock{t: testNow}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts.Now, opts.CheapPasswords, opts.Logger = e.clock.Now, true, log
	e.srv = httptest.NewServer(api.New(app.New(store, opts), log))
	t.Cleanup(e.srv.Close)
	return e
}

// defaultService is the mentor's free consultation's ID.
func (e *env) defaultService(m user) int64 {
	e.t.Helper()
	var out struct{ Services []struct{ ID int64 } }
	want(e.t, e.call("GET", "/api/v1/me/services", m.Token, nil), http.StatusOK).decode(e.t, &out)
	return out.Services[0].ID
}

// kinds lists the kinds of u's notifications, newest first.
func (e *env) kinds(u user) []string {
	e.t.Helper()
	var out struct{ Notifications []struct{ Kind string } }
	want(e.t, e.call("GET", "/api/v1/notifications", u.Token, nil), http.StatusOK).decode(e.t, &out)
	var ks []string
	for _, n := range out.Notifications {
		ks = append(ks, n.Kind)
	}
	return ks
}

func TestLocationComesFromTheServiceAndOnlyPartiesSeeIt(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnvWith(t, store, app.Options{MeetingURLTemplate: "https://meet.example.org/{room}"})
		m := e.mentor("Europe/Berlin", nil)
		a, stranger := e.signup("UTC"), e.signup("UTC")

		// No link anywhere: a room from the template, one per booking.
		b1 := e.mustBook(a, m.ID, mon10)
		b2 := e.mustBook(a, m.ID, mon10.Add(2*time.Hour))
		l1, l2 := e.session(m, b1.ID).Location, e.session(m, b2.ID).Location
		if l1 == nil || l2 == nil || !strings.HasPrefix(*l1, "https://meet.example.org/mentorbook-") || *l1 == *l2 || len(*l1) < len("https://meet.example.org/mentorbook-")+16 {
			t.Fatalf("template rooms %v %v", l1, l2)
		}
		// The mentee sees it only once confirmed; strangers never.
		if got := e.session(a, b1.ID); got.Location != nil || got.Mode != "online" {
			t.Fatalf("pending booking shows the mentee %+v", got)
		}
		var list struct{ Bookings []sessionOut }
		want(t, e.call("GET", "/api/v1/bookings", a.Token, nil), http.StatusOK).decode(t, &list)
		for _, b := range list.Bookings {
			if b.Location != nil {
				t.Fatalf("list shows a pending location to the mentee: %+v", b)
			}
		}
		want(t, e.call("GET", bookingPath(b1.ID, ""), stranger.Token, nil), http.StatusNotFound)
		want(t, e.call("GET", bookingPath(b1.ID, ""), "", nil), http.StatusUnauthorized)
		var acc sessionOut
		want(t, e.call("POST", bookingPath(b1.ID, "/accept"), m.Token, nil), http.StatusOK).decode(t, &acc)
		if got := e.session(a, b1.ID); got.Location == nil || *got.Location != *l1 {
			t.Fatalf("confirmed booking shows the mentee %v, want %s", got.Location, *l1)
		}

		// The mentor's personal link comes before the template.
		want(t, e.call("PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "Go", "meeting_url": "http://insecure.example"}), http.StatusUnprocessableEntity)
		want(t, e.call("PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "Go", "meeting_url": "https://zoom.example/j/1"}), http.StatusOK)
		b3 := e.mustBook(a, m.ID, mon10.Add(4*time.Hour))
		if l := e.session(m, b3.ID).Location; l == nil || *l != "https://zoom.example/j/1" {
			t.Fatalf("personal link: %v", l)
		}
		// It is shown to the mentor and their confirmed mentees only.
		for _, c := range []struct {
			who  user
			want string
		}{{m, "https://zoom.example/j/1"}, {a, "https://zoom.example/j/1"}, {stranger, ""}, {user{}, ""}} {
			var p struct {
				MeetingURL   string `json:"meeting_url"`
				SessionsHeld *int   `json:"sessions_held"`
			}
			want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d", m.ID), c.who.Token, nil), http.StatusOK).decode(t, &p)
			if p.MeetingURL != c.want || p.SessionsHeld == nil {
				t.Errorf("user %d sees meeting_url %q (sessions_held %v), want %q", c.who.ID, p.MeetingURL, p.SessionsHeld, c.want)
			}
		}

		// The service's own place comes first: onsite, its address.
		want(t, e.call("PATCH", fmt.Sprintf("/api/v1/me/services/%d", e.defaultService(m)), m.Token,
			map[string]any{"mode": "onsite", "location": "Alexanderplatz 1, Berlin"}), http.StatusOK)
		b4 := e.mustBook(a, m.ID, mon10.Add(24*time.Hour))
		if got := e.session(m, b4.ID); got.Mode != "onsite" || got.Location == nil || *got.Location != "Alexanderplatz 1, Berlin" {
			t.Fatalf("onsite booking %+v", got)
		}
	})
}

func TestTheMentorChangesTheLocationUntilTheStart(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a, stranger := e.signup("UTC"), e.signup("UTC")
		b := e.mustBook(a, m.ID, mon10)
		before := e.session(m, b.ID)

		for _, c := range []struct {
			who    user
			body   any
			status int
		}{
			{user{}, map[string]any{"location": "https://x.example/1"}, http.StatusUnauthorized},
			{stranger, map[string]any{"location": "https://x.example/1"}, http.StatusNotFound},
			{a, map[string]any{"location": "https://x.example/1"}, http.StatusForbidden},
			{m, map[string]any{"location": "http://x.example/1"}, http.StatusUnprocessableEntity},
			{m, map[string]any{"location": "x.example"}, http.StatusUnprocessableEntity},
			{m, map[string]any{"location": ""}, http.StatusUnprocessableEntity},
			{m, map[string]any{}, http.StatusUnprocessableEntity},
		} {
			want(t, e.call("PATCH", bookingPath(b.ID, ""), c.who.Token, c.body), c.status)
		}
		if got := e.session(m, b.ID); got.Sequence != before.Sequence || got.Location != nil {
			t.Fatalf("refused changes changed the booking: %+v", got)
		}
		var got sessionOut
		want(t, e.call("PATCH", bookingPath(b.ID, ""), m.Token, map[string]any{"location": " https://x.example/1 "}), http.StatusOK).decode(t, &got)
		if got.Location == nil || *got.Location != "https://x.example/1" || got.Sequence != before.Sequence+1 {
			t.Fatalf("changed %+v", got)
		}
		if k := e.kinds(a); len(k) == 0 || k[0] != "booking_location_changed" {
			t.Fatalf("mentee notifications %v", k)
		}

		// An onsite session needs an address.
		want(t, e.call("PATCH", fmt.Sprintf("/api/v1/me/services/%d", e.defaultService(m)), m.Token,
			map[string]any{"mode": "onsite", "location": "Main St 1"}), http.StatusOK)
		on := e.mustBook(a, m.ID, mon10.Add(2*time.Hour))
		want(t, e.call("PATCH", bookingPath(on.ID, ""), m.Token, map[string]any{"location": "   "}), http.StatusUnprocessableEntity)
		want(t, e.call("PATCH", bookingPath(on.ID, ""), m.Token, map[string]any{"location": "Side St 2"}), http.StatusOK)

		e.clock.Advance(mon10.Sub(testNow))
		want(t, e.call("PATCH", bookingPath(b.ID, ""), m.Token, map[string]any{"location": "https://x.example/2"}), http.StatusConflict)
	})
}

func TestRescheduling(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", map[string]any{"slot_interval_minutes": 30})
		a, other, stranger := e.signup("UTC"), e.signup("UTC"), e.signup("UTC")
		b := e.mustBook(a, m.ID, mon10)
		taken := e.mustBook(other, m.ID, mon10.Add(3*time.Hour))
		move := func(who user, start time.Time) response {
			return e.call("POST", bookingPath(b.ID, "/reschedule"), who.Token, map[string]any{"start": start.Format(time.RFC3339)})
		}

		want(t, move(user{}, mon10.Add(time.Hour)), http.StatusUnauthorized)
		want(t, move(stranger, mon10.Add(time.Hour)), http.StatusNotFound)
		want(t, e.call("POST", bookingPath(b.ID, "/reschedule"), a.Token, map[string]any{"start": "tomorrow"}), http.StatusUnprocessableEntity)
		// Into a taken slot (overlapping another booking), or off the grid: nothing changes.
		want(t, move(a, mon10.Add(150*time.Minute)), http.StatusConflict)
		want(t, move(a, mon10.Add(10*time.Minute)), http.StatusConflict)
		// Onto a time the mentee holds with another mentor: 409 too.
		m2 := e.mentor("Europe/Berlin", nil)
		elsewhere := e.mustBook(a, m2.ID, mon10.Add(4*time.Hour))
		want(t, move(a, mon10.Add(4*time.Hour)), http.StatusConflict)
		want(t, e.call("POST", bookingPath(elsewhere.ID, "/cancel"), a.Token, map[string]any{"reason": "x"}), http.StatusOK)
		if got := e.session(a, b.ID); got.Version != 1 || !got.Start.Equal(mon10) || got.Reschedules != 0 {
			t.Fatalf("refused reschedule changed %+v", got)
		}

		// By half an hour, onto its own time: same ID and status, version 2.
		var got sessionOut
		want(t, move(a, mon10.Add(30*time.Minute)), http.StatusOK).decode(t, &got)
		if got.ID != b.ID || got.Status != "pending" || got.Version != 2 || !got.Start.Equal(mon10.Add(30*time.Minute)) ||
			!got.End.Equal(mon10.Add(90*time.Minute)) || got.Reschedules != 1 {
			t.Fatalf("rescheduled %+v", got)
		}
		if k := e.kinds(m); k[0] != "booking_rescheduled" {
			t.Fatalf("mentor notifications %v", k)
		}
		// The old time is free again, for anyone.
		want(t, e.book(stranger, m.ID, mon10.Add(-30*time.Minute), 0), http.StatusCreated)
		// The mentor may move it too; the mentee is told.
		want(t, e.call("POST", bookingPath(b.ID, "/accept"), m.Token, nil), http.StatusOK)
		want(t, move(m, mon10.Add(time.Hour)), http.StatusOK).decode(t, &got)
		if got.Status != "confirmed" || got.Version != 3 {
			t.Fatalf("moved by the mentor %+v", got)
		}
		if k := e.kinds(a); k[0] != "booking_rescheduled" {
			t.Fatalf("mentee notifications %v", k)
		}
		want(t, move(a, mon10.Add(4*time.Hour)), http.StatusOK)
		// At most three times.
		want(t, move(a, mon10.Add(-3*time.Hour)), http.StatusConflict)
		if got := e.session(a, b.ID); got.Version != 4 || got.Reschedules != 3 || !got.Start.Equal(mon10.Add(4*time.Hour)) {
			t.Fatalf("after the limit %+v", got)
		}
		// After its start: 409.
		want(t, e.call("POST", bookingPath(taken.ID, "/reschedule"), other.Token, map[string]any{"start": mon10.Add(24 * time.Hour).Format(time.RFC3339)}), http.StatusOK)
		e.clock.Advance(mon10.Add(25 * time.Hour).Sub(testNow))
		want(t, e.call("POST", bookingPath(taken.ID, "/reschedule"), other.Token, map[string]any{"start": mon10.Add(48 * time.Hour).Format(time.RFC3339)}), http.StatusConflict)
	})
}

// Many clients move different bookings onto the same free slot at once:
// exactly one wins and no two active bookings overlap.
func TestRescheduleRaceHasOneWinner(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		const clients = 32
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", map[string]any{"slot_interval_minutes": 15, "session_minutes": 15, "horizon_days": 60})
		bookings := make([]bookingOut, clients)
		mentees := make([]user, clients)
		for i := range clients {
			mentees[i] = e.signup("UTC")
			// Tuesday and Wednesday, 07:00Z on, every 15 minutes.
			day := time.Date(2026, 6, 2+i/16, 7, 0, 0, 0, time.UTC)
			bookings[i] = e.mustBook(mentees[i], m.ID, day.Add(time.Duration(i%16)*15*time.Minute))
		}
		target := time.Date(2026, 6, 4, 9, 0, 0, 0, time.UTC) // Thursday, free
		statuses := make([]int, clients)
		var wg sync.WaitGroup
		gun := make(chan struct{})
		for i := range clients {
			wg.Go(func() {
				<-gun
				statuses[i] = call(t, e.srv, "POST", bookingPath(bookings[i].ID, "/reschedule"), mentees[i].Token,
					map[string]any{"start": target.Format(time.RFC3339)}).Status
			})
		}
		close(gun)
		wg.Wait()
		won := 0
		for i, s := range statuses {
			switch s {
			case http.StatusOK:
				won++
			case http.StatusConflict:
			default:
				t.Errorf("client %d: %d", i, s)
			}
		}
		if won != 1 {
			t.Fatalf("%d reschedules won, want 1", won)
		}
		var list struct{ Bookings []sessionOut }
		want(t, e.call("GET", "/api/v1/bookings?role=mentor&limit=100", m.Token, nil), http.StatusOK).decode(t, &list)
		atTarget := 0
		for i, a := range list.Bookings {
			if a.Start.Equal(target) {
				atTarget++
			}
			for _, b := range list.Bookings[i+1:] {
				if a.Start.Before(b.End) && b.Start.Before(a.End) {
					t.Errorf("overlap: %+v and %+v", a, b)
				}
			}
			if (a.Version == 2) != a.Start.Equal(target) {
				t.Errorf("version %d at %v", a.Version, a.Start)
			}
		}
		if len(list.Bookings) != clients || atTarget != 1 {
			t.Fatalf("%d bookings, %d at the target", len(list.Bookings), atTarget)
		}
	})
}

func TestAttendanceAndLateCancellations(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newMailEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a, stranger := e.signup("UTC"), e.signup("UTC")
		confirm := func(start time.Time) bookingOut {
			b := e.mustBook(a, m.ID, start)
			want(t, e.call("POST", bookingPath(b.ID, "/accept"), m.Token, nil), http.StatusOK)
			return b
		}
		tue := mon10.Add(24 * time.Hour)
		held, missed := confirm(mon10), confirm(mon10.Add(2*time.Hour))
		late, early := confirm(tue), confirm(tue.Add(2*time.Hour))
		pending := e.mustBook(a, m.ID, mon10.Add(4*time.Hour))
		report := func(who user, id int64, body any) response {
			return e.call("POST", bookingPath(id, "/attendance"), who.Token, body)
		}
		yes, no := map[string]any{"other_attended": true}, map[string]any{"other_attended": false}

		// Before 10 minutes after the start: 409.
		e.clock.Advance(mon10.Add(9 * time.Minute).Sub(testNow))
		want(t, report(a, held.ID, yes), http.StatusConflict)
		e.clock.Advance(time.Minute)
		want(t, report(user{}, held.ID, yes), http.StatusUnauthorized)
		want(t, report(stranger, held.ID, yes), http.StatusNotFound)
		want(t, report(a, held.ID, map[string]any{}), http.StatusUnprocessableEntity)
		want(t, report(a, held.ID, map[string]any{"other_attended": "yes"}), http.StatusBadRequest)
		if got := e.session(a, held.ID); got.Attendance.MenteeSaysMentorCame != nil {
			t.Fatalf("refused reports recorded %+v", got.Attendance)
		}
		var got sessionOut
		want(t, report(a, held.ID, yes), http.StatusOK).decode(t, &got)
		if r := got.Attendance.MenteeSaysMentorCame; r == nil || !*r || got.Held {
			t.Fatalf("after the mentee's report %+v (held before the end?)", got)
		}
		want(t, report(a, held.ID, no), http.StatusConflict) // once per party
		want(t, report(m, held.ID, yes), http.StatusOK)
		want(t, report(a, pending.ID, yes), http.StatusConflict) // never confirmed

		// Late and timely cancellations of confirmed sessions.
		var c sessionOut
		want(t, e.call("POST", bookingPath(late.ID, "/cancel"), a.Token, map[string]any{"reason": "ill"}), http.StatusOK).decode(t, &c)
		if !c.LateCancellation {
			t.Errorf("cancelled 23h50m ahead, not late: %+v", c)
		}
		want(t, e.call("POST", bookingPath(early.ID, "/cancel"), m.Token, map[string]any{"reason": "ill"}), http.StatusOK)
		e.clock.Advance(3 * time.Hour)
		want(t, report(m, missed.ID, no), http.StatusOK)
		if got := e.session(m, held.ID); !got.Held {
			t.Errorf("session both attended is not held: %+v", got)
		}
		if got := e.session(m, missed.ID); got.Held {
			t.Errorf("a no-show is held: %+v", got)
		}
		// Only a held session can be reviewed.
		review := func(id int64) response {
			return e.call("POST", "/api/v1/reviews", a.Token, map[string]any{"booking_id": id, "rating": 5, "text": "Great"})
		}
		want(t, review(missed.ID), http.StatusConflict)
		want(t, review(held.ID), http.StatusCreated)
		var p struct {
			SessionsHeld int `json:"sessions_held"`
		}
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d", m.ID), "", nil), http.StatusOK).decode(t, &p)
		if p.SessionsHeld != 1 {
			t.Errorf("sessions_held %d, want 1", p.SessionsHeld)
		}
		// Administrators see each user's no-shows and late cancellations;
		// anyone else is refused.
		admin := e.admin()
		for _, c := range []struct {
			who             user
			noShows, lateCs int
		}{{a, 1, 1}, {m, 0, 0}} {
			var r struct {
				NoShows           int `json:"no_shows"`
				LateCancellations int `json:"late_cancellations"`
			}
			path := fmt.Sprintf("/api/v1/admin/users/%d/reliability", c.who.ID)
			want(t, e.call("GET", path, admin.Token, nil), http.StatusOK).decode(t, &r)
			if r.NoShows != c.noShows || r.LateCancellations != c.lateCs {
				t.Errorf("user %d: %+v; want %d no-shows and %d late", c.who.ID, r, c.noShows, c.lateCs)
			}
			want(t, e.call("GET", path, a.Token, nil), http.StatusForbidden)
			want(t, e.call("GET", path, m.Token, nil), http.StatusForbidden)
			want(t, e.call("GET", path, "", nil), http.StatusUnauthorized)
		}
		want(t, e.call("GET", "/api/v1/admin/users/999999/reliability", admin.Token, nil), http.StatusNotFound)
		// Until 7 days after the end.
		e.clock.Advance(mon10.Add(3*time.Hour + 7*24*time.Hour).Sub(e.clock.Now()))
		want(t, report(a, missed.ID, yes), http.StatusOK)
		e.clock.Advance(time.Second)
		want(t, report(m, held.ID, yes), http.StatusConflict)
	})
}

// calendarOf parses an iCalendar text with go-ical, a parser independent
// of the library that wrote it.
func calendarOf(t *testing.T, text string) (method string, ev ical.Event) {
	t.Helper()
	cal, err := ical.NewDecoder(strings.NewReader(text)).Decode()
	if err != nil {
		t.Fatalf("parse %q: %v", text, err)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events in %s", len(evs), text)
	}
	if p := cal.Props.Get(ical.PropMethod); p != nil {
		method = p.Value
	}
	return method, evs[0]
}

type eventFacts struct {
	uid, status, location, organizer, attendee, description string
	sequence                                                int
	start, end                                              time.Time
}

func factsOf(t *testing.T, ev ical.Event) eventFacts {
	t.Helper()
	f := eventFacts{}
	text := func(name string) string {
		if p := ev.Props.Get(name); p != nil {
			s, _ := p.Text()
			return s
		}
		return ""
	}
	f.uid, f.status, f.location, f.description = text(ical.PropUID), text(ical.PropStatus), text(ical.PropLocation), text(ical.PropDescription)
	if p := ev.Props.Get(ical.PropOrganizer); p != nil {
		f.organizer = p.Value
	}
	if p := ev.Props.Get(ical.PropAttendee); p != nil {
		f.attendee = p.Value
	}
	seq, err := ev.Props.Get(ical.PropSequence).Int()
	if err != nil {
		t.Fatal(err)
	}
	f.sequence = seq
	if f.start, err = ev.DateTimeStart(time.UTC); err != nil {
		t.Fatal(err)
	}
	if f.end, err = ev.DateTimeEnd(time.UTC); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCalendarInvitesAndFeed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newMailEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		want(t, e.call("PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "Go", "meeting_url": "https://meet.example/m"}), http.StatusOK)
		a, stranger := e.signup("America/New_York"), e.signup("UTC")
		mAddr, aAddr := e.emailOf(m), e.emailOf(a)
		b := e.mustBook(a, m.ID, mon10.Add(48*time.Hour))
		e.runJobs()

		// invite is the calendar of the last email to addr.
		invite := func(addr string) (string, eventFacts) {
			t.Helper()
			e.runJobs()
			msgs := e.smtp.To(addr)
			text := msgs[len(msgs)-1].Part("text/calendar")
			if text == "" {
				t.Fatalf("no invite in %q", msgs[len(msgs)-1].Subject())
			}
			method, ev := calendarOf(t, text)
			return method, factsOf(t, ev)
		}
		want(t, e.call("POST", bookingPath(b.ID, "/accept"), m.Token, nil), http.StatusOK)
		method, first := invite(aAddr)
		// The mentor, who accepted, gets the same event by email alone.
		if method, own := invite(mAddr); method != "REQUEST" || own.uid != first.uid || own.sequence != first.sequence {
			t.Fatalf("the mentor's own invite %s %+v, want %+v", method, own, first)
		}
		if method != "REQUEST" || first.status != "CONFIRMED" || !first.start.Equal(mon10.Add(48*time.Hour)) ||
			!first.end.Equal(mon10.Add(49*time.Hour)) || first.location != "https://meet.example/m" ||
			!strings.EqualFold(first.organizer, "mailto:"+mAddr) || !strings.EqualFold(first.attendee, "mailto:"+aAddr) ||
			!strings.Contains(first.description, fmt.Sprintf("%s/bookings#booking-%d", testBaseURL, b.ID)) {
			t.Fatalf("accepted invite %s %+v", method, first)
		}
		// Moved: the same UID, a higher SEQUENCE, the new time.
		to := mon10.Add(50 * time.Hour)
		want(t, e.call("POST", bookingPath(b.ID, "/reschedule"), a.Token, map[string]any{"start": to.Format(time.RFC3339)}), http.StatusOK)
		method, moved := invite(mAddr)
		if method != "REQUEST" || moved.uid != first.uid || moved.sequence <= first.sequence || !moved.start.Equal(to) {
			t.Fatalf("rescheduled invite %s %+v after %+v", method, moved, first)
		}
		if _, own := invite(aAddr); own.sequence != moved.sequence || !own.start.Equal(to) {
			t.Fatalf("the mentee's own invite after moving %+v", own)
		}
		want(t, e.call("PATCH", bookingPath(b.ID, ""), m.Token, map[string]any{"location": "https://meet.example/n"}), http.StatusOK)
		_, placed := invite(aAddr)
		if placed.uid != first.uid || placed.sequence <= moved.sequence || placed.location != "https://meet.example/n" {
			t.Fatalf("relocated invite %+v", placed)
		}

		// The download, for a party only.
		r := want(t, e.call("GET", bookingPath(b.ID, "/calendar.ics"), a.Token, nil), http.StatusOK)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
			t.Errorf("Content-Type %q", ct)
		}
		if _, ev := calendarOf(t, string(r.Body)); factsOf(t, ev).sequence != placed.sequence {
			t.Errorf("download %+v", factsOf(t, ev))
		}
		want(t, e.call("GET", bookingPath(b.ID, "/calendar.ics"), stranger.Token, nil), http.StatusNotFound)
		want(t, e.call("GET", bookingPath(b.ID, "/calendar.ics"), "", nil), http.StatusUnauthorized)

		// The feed: its address stays until regenerated; the old one then stops.
		var feed, again, renewed struct{ URL string }
		want(t, e.call("GET", "/api/v1/me/calendar-feed", a.Token, nil), http.StatusOK).decode(t, &feed)
		want(t, e.call("GET", "/api/v1/me/calendar-feed", a.Token, nil), http.StatusOK).decode(t, &again)
		want(t, e.call("GET", "/api/v1/me/calendar-feed", "", nil), http.StatusUnauthorized)
		want(t, e.call("POST", "/api/v1/me/calendar-feed", "", nil), http.StatusUnauthorized)
		want(t, e.call("POST", "/api/v1/me/calendar-feed", stranger.Token, nil), http.StatusOK) // their own feed only
		if !strings.HasPrefix(feed.URL, testBaseURL+"/calendar/") || feed.URL != again.URL {
			t.Fatalf("feed %q then %q", feed.URL, again.URL)
		}
		path := strings.TrimPrefix(feed.URL, testBaseURL)
		r = want(t, e.call("GET", path, "", nil), http.StatusOK)
		_, ev := calendarOf(t, string(r.Body))
		if f := factsOf(t, ev); f.uid != first.uid || f.status != "CONFIRMED" || !f.start.Equal(to) {
			t.Fatalf("feed event %+v", f)
		}
		want(t, e.call("POST", "/api/v1/me/calendar-feed", a.Token, nil), http.StatusOK).decode(t, &renewed)
		if renewed.URL == feed.URL {
			t.Fatal("regenerating kept the address")
		}
		want(t, e.call("GET", path, "", nil), http.StatusNotFound)
		path = strings.TrimPrefix(renewed.URL, testBaseURL)

		// Cancelled: METHOD:CANCEL, STATUS:CANCELLED, the sequence up again;
		// the feed lists it as cancelled.
		want(t, e.call("POST", bookingPath(b.ID, "/cancel"), m.Token, map[string]any{"reason": "ill"}), http.StatusOK)
		method, cancelled := invite(aAddr)
		if method != "CANCEL" || cancelled.status != "CANCELLED" || cancelled.uid != first.uid || cancelled.sequence <= placed.sequence {
			t.Fatalf("cancel %s %+v", method, cancelled)
		}
		if method, own := invite(mAddr); method != "CANCEL" || own.sequence != cancelled.sequence {
			t.Fatalf("the mentor's own cancel %s %+v", method, own)
		}
		_, ev = calendarOf(t, string(want(t, e.call("GET", path, "", nil), http.StatusOK).Body))
		if f := factsOf(t, ev); f.status != "CANCELLED" || f.sequence != cancelled.sequence {
			t.Fatalf("feed after cancel %+v", f)
		}
	})
}
