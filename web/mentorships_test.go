package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook/app"
)

// addService creates a service through the use case.
func (e *env) addService(mentor *browser, title string, price int64, format string, n int) int64 {
	e.t.Helper()
	p := fmt.Sprint(price)
	in := app.ServiceInput{Title: &title, PriceMinor: &p, Format: &format}
	if format == "async" {
		in.Days = &n
	} else {
		minutes := 60
		in.Sessions, in.SessionMinutes = &n, &minutes
	}
	sv, err := e.svc.Services.Create(context.Background(), mentor.user, in)
	if err != nil {
		e.t.Fatal(err)
	}
	return sv.ID
}

func TestRequestingAndAnsweringAMentorship(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	stranger := e.signup("Cleo", "cleo@example.com", "Europe/Berlin")
	paid := e.addService(mentor, "Go in four weeks", 25000, "sessions", 4)

	// A refused request (a message too long) shows the mentor page again
	// with what was typed and why.
	long := strings.Repeat("x", 2001)
	p := mentee.refused(mentee.post(fmt.Sprintf("/services/%d/request", paid), url.Values{"message": {long}, "request_key": {"k0"}}), "/mentors/1")
	wantContains(t, p, "must be at most 2000 characters", long, `open`)

	p = mentee.post(fmt.Sprintf("/services/%d/request", paid), url.Values{"message": {"I want to learn Go"}, "request_key": {"k1"}})
	wantRedirect(t, p, "/mentorships/1?done=mentorship-requested")
	p = mentee.refused(mentee.get("/mentorships/1?done=mentorship-requested"), "/mentorships/1")
	// Sent at 11:30 in Kolkata on 1 June; the mentor has 48 hours.
	wantContains(t, p, "Your request was sent.", "Pending: waiting for the mentor’s answer", "$250.00", "4 sessions of 60 minutes, online",
		"The mentor has until Wednesday 3 June 2026, 11:30 (Asia/Kolkata)", `id="withdraw"`)
	wantNotContains(t, p, `id="accept"`)
	// A second request for the same service is refused with the reason.
	p = mentee.refused(mentee.post(fmt.Sprintf("/services/%d/request", paid), url.Values{"message": {"again"}, "request_key": {"k2"}}), "/mentors/1")
	wantContains(t, p, "You already have a request", "again")
	// A double submit of the same form answers like the first.
	wantRedirect(t, mentee.post(fmt.Sprintf("/services/%d/request", paid), url.Values{"message": {"I want to learn Go"}, "request_key": {"k1"}}),
		"/mentorships/1?done=mentorship-requested")

	// The mentor sees the request with the mentee's name and message.
	p = wantStatus(t, mentor.get("/mentorships"), http.StatusOK)
	wantContains(t, p, `id="incoming"`, "Requested by <strong>Arjun</strong>", "“I want to learn Go”", `id="accept-1"`,
		`Mentorships <span class="badge">1<span class="visually-hidden"> waiting for your answer`)
	p = wantStatus(t, mentee.get("/mentorships"), http.StatusOK)
	wantContains(t, p, `id="outgoing"`, "With <strong>Maria</strong>")
	wantNotContains(t, p, `id="accept-1"`)

	// Only the mentor accepts; a stranger learns nothing.
	wantStatus(t, mentee.post("/mentorships/1/accept", nil), http.StatusForbidden)
	wantStatus(t, stranger.get("/mentorships/1"), http.StatusNotFound)
	wantStatus(t, stranger.post("/mentorships/1/accept", nil), http.StatusNotFound)
	wantStatus(t, mentor.post("/mentorships/1/frobnicate", nil), http.StatusNotFound)

	wantRedirect(t, mentor.post("/mentorships/1/accept", nil), "/mentorships/1?done=mentorship-accept")
	p = wantStatus(t, mentee.get("/mentorships/1"), http.StatusOK)
	wantContains(t, p, "Accepted, awaiting payment", `Transfer <strong id="payment-amount">$250.00</strong> by Monday 8 June 2026, 11:30 (Asia/Kolkata)`, `id="cancel"`)
	wantNotContains(t, p, `id="book-session"`)
	wantContains(t, mentor.refused(mentor.post("/mentorships/1/accept", nil), "/mentorships/1"), "cannot be accepted")

	// Declining another request, with a reason the mentee sees.
	other := e.addService(mentor, "Code review", 0, "async", 7)
	wantRedirect(t, mentee.post(fmt.Sprintf("/services/%d/request", other), url.Values{"message": {"review?"}}), "/mentorships/2?done=mentorship-requested")
	wantRedirect(t, mentor.post("/mentorships/2/decline", url.Values{"reason": {"Too busy this month"}}), "/mentorships/2?done=mentorship-decline")
	p = wantStatus(t, mentee.get("/mentorships"), http.StatusOK)
	wantContains(t, p, `id="past"`, "Declined")
	wantContains(t, wantStatus(t, mentee.get("/mentorships/2"), http.StatusOK), "Reason: Too busy this month")
	// Cancelling needs a reason.
	wantContains(t, mentee.refused(mentee.post("/mentorships/1/cancel", url.Values{"reason": {""}}), "/mentorships/1"), "A reason is required.")
	wantContains(t, wantStatus(t, mentee.get("/mentorships/1"), http.StatusOK), "Accepted, awaiting payment")
}

func TestBookingTheSessionsOfAMentorshipFromTheCalendar(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	sv := e.addService(mentor, "Two calls", 0, "sessions", 2)
	wantRedirect(t, mentee.post(fmt.Sprintf("/services/%d/request", sv), url.Values{"message": {"hi"}}), "/mentorships/1?done=mentorship-requested")
	wantRedirect(t, mentor.post("/mentorships/1/accept", nil), "/mentorships/1?done=mentorship-accept")
	p := wantStatus(t, mentee.get("/mentorships/1"), http.StatusOK)
	wantContains(t, p, "Active", `id="sessions-used">0 of 2`, `href="/mentors/1?mentorship=1"`)

	// The calendar in mentorship mode: its title, and links that keep the mode.
	start := slotStart(t, 2026, 6, 2, 9, 0, "Asia/Kolkata")
	p = wantStatus(t, mentee.get("/mentors/1?mentorship=1&month=2026-06&day="+start.Format("2006-01-02")), http.StatusOK)
	wantContains(t, p, "Book a session of “Two calls”", `id="session-mode"`, `name="mentorship_id" value="1"`, "mentorship=1", "Book this time")
	for i := range 2 {
		at := start.Add(time.Duration(i) * time.Hour)
		wantRedirect(t, mentee.post("/mentors/1/request", url.Values{"start": {at.Format(time.RFC3339)}, "mentorship_id": {"1"},
			"month": {"2026-06"}, "day": {start.Format("2006-01-02")}}), "/mentorships/1?done=session")
	}
	p = mentee.refused(mentee.get("/mentorships/1?done=session"), "/mentorships/1")
	wantContains(t, p, "Your session is booked and confirmed.", `id="sessions-used">2 of 2`)
	wantNotContains(t, p, `id="book-session"`)
	// All used: the calendar falls back to free consultations, with a note.
	p = wantStatus(t, mentee.get("/mentors/1?mentorship=1"), http.StatusOK)
	wantContains(t, p, "That mentorship has no sessions to book with this mentor now")
	// The sessions are confirmed bookings at once.
	p = wantStatus(t, mentor.get("/bookings"), http.StatusOK)
	wantContains(t, p, "Arjun")
	// Another user's mentorship is no mode for them.
	wantContains(t, wantStatus(t, mentor.get("/mentors/1?mentorship=1"), http.StatusOK), "no sessions to book")
}

func TestTheProfileSetsTheMentorshipLimit(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	form := url.Values{"headline": {"Go"}, "bio": {""}, "skills": {"go"}, "active": {"on"}, "max_active_mentorships": {"3"}}
	wantRedirect(t, mentor.post("/me/profile", form), "/me/profile?done=profile")
	wantContains(t, wantStatus(t, mentor.get("/me/profile"), http.StatusOK), `id="max_active_mentorships"`, `value="3"`)
	form.Set("max_active_mentorships", "-2")
	p := mentor.refused(mentor.post("/me/profile", form), "/me/profile")
	wantContains(t, p, "must be from 0 (no limit) to 1000")
}
