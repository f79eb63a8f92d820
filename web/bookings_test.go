package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

func TestInboxAcceptDeclineAndCancelAsMentorMenteeAndOthers(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	other := e.mentor("Omar", "omar@example.com", "Europe/Berlin")
	start := slotStart(t, 2026, 6, 1, 9, 0, "UTC")
	b := e.request(mentee, mentor, start, "Secret plans for my career")
	path := func(action string) string { return "/bookings/" + itoa(b.ID) + "/" + action }

	// The mentor sees the request in the inbox with both local times and a
	// count in the navigation; the mentee sees it as theirs.
	p := wantStatus(t, mentor.get("/bookings"), http.StatusOK)
	nyStart := slotStart(t, 2026, 6, 1, 9, 0, "America/New_York")
	inStart := slotStart(t, 2026, 6, 1, 9, 0, "Asia/Kolkata")
	wantContains(t, p, `<span class="badge">1<span class="visually-hidden"> pending</span></span>`,
		"Requests waiting for your answer", "Mentee: <strong>Arjun</strong>", "Secret plans for my career",
		"Monday 1 June 2026, "+nyStart.Format("15:04")+"–"+nyStart.Add(time.Hour).Format("15:04"),
		inStart.Format("15:04")+"–"+inStart.Add(time.Hour).Format("15:04")+" IST for them (Asia/Kolkata)",
		`id="accept-`+itoa(b.ID)+`"`)
	p = wantStatus(t, mentee.get("/bookings"), http.StatusOK)
	wantContains(t, p, "Your requests", "Mentor: <strong>Maria</strong>", "Secret plans for my career",
		"Monday 1 June 2026, "+inStart.Format("15:04"), "EDT for them (America/New_York)")
	wantNotContains(t, p, `id="accept-`, `class="badge"`)

	// Someone else sees none of it and can change none of it.
	p = wantStatus(t, other.get("/bookings"), http.StatusOK)
	wantNotContains(t, p, "Secret plans", "Arjun", `class="badge"`)
	for _, action := range []string{"accept", "decline", "cancel"} {
		wantStatus(t, other.post(path(action), url.Values{"reason": {"because"}}), http.StatusNotFound)
	}
	// The mentee cannot answer their own request.
	wantStatus(t, mentee.post(path("accept"), nil), http.StatusForbidden)
	wantStatus(t, mentee.post(path("decline"), url.Values{"reason": {"x"}}), http.StatusForbidden)
	if got := e.booking(mentor, b.ID).Status; got != mentorbook.StatusPending {
		t.Fatalf("after refused attempts the booking is %s, want pending", got)
	}

	// The mentor accepts; both see the confirmed session at their times.
	wantRedirect(t, mentor.post(path("accept"), nil), "/bookings?done=accepted")
	if got := e.booking(mentor, b.ID).Status; got != mentorbook.StatusConfirmed {
		t.Fatalf("booking is %s, want confirmed", got)
	}
	p = mentor.refused(mentor.get("/bookings?done=accepted"), "/bookings")
	wantContains(t, p, "the session is confirmed", "No requests are waiting.", "Upcoming sessions",
		"Monday 1 June 2026, "+nyStart.Format("15:04"), "confirmed")
	wantNotContains(t, p, `class="badge"`)
	p = wantStatus(t, mentee.get("/bookings"), http.StatusOK)
	wantContains(t, p, "Monday 1 June 2026, "+inStart.Format("15:04"), "status-confirmed")

	// Accepting again is a clear conflict, not an error page.
	p = mentor.refused(mentor.post(path("accept"), nil), "/bookings")
	wantContains(t, p, "The booking is confirmed; it cannot be accepted.")

	// Cancelling needs a reason; the form keeps what was typed.
	p = mentee.refused(mentee.post(path("cancel"), url.Values{"reason": {"  "}}), "/bookings")
	wantContains(t, p, `id="cancel-reason-`+itoa(b.ID)+`-error">Reason is required.`, "<details class=\"cancel\" open>")
	wantRedirect(t, mentee.post(path("cancel"), url.Values{"reason": {"Exam moved"}}), "/bookings?done=cancelled")
	got := e.booking(mentor, b.ID)
	if got.Status != mentorbook.StatusCancelled || got.Reason != "Exam moved" || got.CancelledBy != mentee.user.ID {
		t.Fatalf("after cancel: %+v", got)
	}
	wantContains(t, mentor.get("/bookings"), "Past and closed", "Reason: Exam moved")

	// Declining with a reason.
	b2 := e.request(mentee, mentor, start.Add(time.Hour), "Another try")
	wantRedirect(t, mentor.post("/bookings/"+itoa(b2.ID)+"/decline", url.Values{"reason": {"Fully booked"}}), "/bookings?done=declined")
	if got := e.booking(mentee, b2.ID); got.Status != mentorbook.StatusDeclined || got.Reason != "Fully booked" {
		t.Fatalf("after decline: %+v", got)
	}
	wantStatus(t, mentor.post("/bookings/999/accept", nil), http.StatusNotFound)
	wantStatus(t, mentor.post("/bookings/abc/accept", nil), http.StatusNotFound)
}

func itoa(n int64) string { return formatInt(n) }
