package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestBookingPagePlaceMoveCalendarAndAttendance(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	other := e.signup("Omar", "omar@example.com", "Europe/Berlin")

	// The meeting link, from the profile form; shown to the mentor only so far.
	wantRedirect(t, mentor.post("/me/profile", url.Values{"headline": {"Go"}, "active": {"on"}, "max_active_mentorships": {"0"},
		"meeting_url": {"http://insecure.example"}}), "/me/profile")
	wantContains(t, mentor.get("/me/profile"), "must be an https:// meeting link")
	wantRedirect(t, mentor.post("/me/profile", url.Values{"headline": {"Go"}, "active": {"on"}, "max_active_mentorships": {"0"},
		"meeting_url": {"https://meet.example/maria"}}), "/me/profile?done=profile")
	mentorPage := "/mentors/" + itoa(mentor.user.ID)
	wantContains(t, mentor.get(mentorPage), `id="meeting-url"`, "0 sessions held")
	wantNotContains(t, mentee.get(mentorPage), "meet.example/maria")

	start := slotStart(t, 2026, 6, 2, 9, 0, "America/New_York")
	b := e.request(mentee, mentor, start, "Hello")
	path := func(action string) string { return "/bookings/" + itoa(b.ID) + "/" + action }
	// Pending: the mentee is told the place comes with the confirmation.
	p := wantStatus(t, mentee.get("/bookings"), http.StatusOK)
	wantContains(t, p, "the place is shown once the session is confirmed", `id="ics-`+itoa(b.ID)+`"`)
	wantNotContains(t, p, "meet.example/maria")
	wantContains(t, mentor.get("/bookings"), `href="https://meet.example/maria"`)
	wantRedirect(t, mentor.post(path("accept"), nil), "/bookings?done=accepted")
	wantContains(t, mentee.get("/bookings"), `href="https://meet.example/maria"`)
	wantContains(t, mentee.get(mentorPage), `id="meeting-url"`)
	wantNotContains(t, other.get(mentorPage), "meet.example/maria")

	// Add to calendar: for the parties only.
	ics := wantStatus(t, mentee.get(path("calendar.ics")), http.StatusOK)
	if !strings.Contains(ics.Body, "BEGIN:VCALENDAR") || !strings.Contains(ics.Body, "LOCATION:https://meet.example/maria") {
		t.Fatalf("calendar file:\n%s", ics.Body)
	}
	wantStatus(t, other.get(path("calendar.ics")), http.StatusNotFound)

	// Moving: the form offers the free times in the viewer's zone; a
	// stranger cannot; a bad time comes back with the reason.
	p = wantStatus(t, mentee.get("/bookings"), http.StatusOK)
	wantContains(t, p, `href="/bookings?move=`+itoa(b.ID)+`#booking-`+itoa(b.ID)+`"`)
	wantNotContains(t, p, "<option value=\"2026")
	p = wantStatus(t, mentee.get("/bookings?move="+itoa(b.ID)), http.StatusOK)
	opt := regexp.MustCompile(`<option value="([^"]+)">`).FindAllStringSubmatch(p.Body, -1)
	if len(opt) == 0 {
		t.Fatalf("no times to move to:\n%s", p.Body)
	}
	next := slotStart(t, 2026, 6, 2, 10, 0, "America/New_York")
	// (html/template writes the offset's + as &#43; in attributes.)
	wantContains(t, p, `<option value="`+strings.ReplaceAll(next.In(mustZone(t, "Asia/Kolkata")).Format(time.RFC3339), "+", "&#43;")+`">Tuesday 2 June 2026, 19:30–20:30`)
	wantStatus(t, other.post(path("reschedule"), url.Values{"start": {next.Format(time.RFC3339)}}), http.StatusNotFound)
	p = mentee.refused(mentee.post(path("reschedule"), url.Values{"start": {"soon"}}), "/bookings")
	wantContains(t, p, "start must be an RFC 3339 time")
	wantRedirect(t, mentee.post(path("reschedule"), url.Values{"start": {next.Format(time.RFC3339)}}), "/bookings?done=rescheduled")
	if got := e.booking(mentor, b.ID); !got.Start.Equal(next) || got.Version != 2 {
		t.Fatalf("after moving: %+v", got)
	}

	// The place: the mentor only, an https link.
	wantStatus(t, mentee.post(path("location"), url.Values{"location": {"https://x.example"}}), http.StatusForbidden)
	wantStatus(t, other.post(path("location"), url.Values{"location": {"https://x.example"}}), http.StatusNotFound)
	wantStatus(t, other.post(path("attendance"), url.Values{"other_attended": {"no"}}), http.StatusNotFound)
	p = mentor.refused(mentor.post(path("location"), url.Values{"location": {"http://x.example"}}), "/bookings")
	wantContains(t, p, "location must be an https:// meeting link.")
	wantRedirect(t, mentor.post(path("location"), url.Values{"location": {"https://x.example/room"}}), "/bookings?done=location")
	wantContains(t, mentee.get("/bookings"), `href="https://x.example/room"`)

	// Attendance: the form appears 10 minutes after the start, once.
	wantNotContains(t, mentee.get("/bookings"), `id="attendance-`)
	e.clock.Advance(next.Add(15 * time.Minute).Sub(e.clock.Now()))
	wantContains(t, mentee.get("/bookings"), `id="attendance-`+itoa(b.ID)+`"`)
	wantRedirect(t, mentee.post(path("attendance"), url.Values{"other_attended": {"yes"}}), "/bookings?done=attendance")
	wantNotContains(t, mentee.get("/bookings"), `id="attendance-`)
	p = mentee.refused(mentee.post(path("attendance"), url.Values{"other_attended": {"no"}}), "/bookings")
	wantContains(t, p, "already reported")
	e.clock.Advance(next.Add(2 * time.Hour).Sub(e.clock.Now()))
	wantContains(t, other.get(mentorPage), "1 session held")
}

func TestAccountPageShowsAndRenewsTheCalendarFeed(t *testing.T) {
	e := newEnv(t)
	u := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	feed := regexp.MustCompile(`id="feed-url" value="[^"]*(/calendar/[A-Za-z0-9_-]+\.ics)"`)
	first := feed.FindStringSubmatch(wantStatus(t, u.get("/me/account"), http.StatusOK).Body)
	if first == nil {
		t.Fatal("no feed address on the account page")
	}
	anon := e.anonymous()
	wantContains(t, wantStatus(t, anon.get(first[1]), http.StatusOK), "BEGIN:VCALENDAR", "X-WR-CALNAME:Mentorbook")
	wantRedirect(t, u.post("/me/calendar-feed", nil), "/me/account?done=feed#calendar-heading")
	second := feed.FindStringSubmatch(wantStatus(t, u.get("/me/account"), http.StatusOK).Body)
	if second == nil || second[1] == first[1] {
		t.Fatalf("feed address after renewing: %v", second)
	}
	wantStatus(t, anon.get(first[1]), http.StatusNotFound)
	wantStatus(t, anon.get(second[1]), http.StatusOK)
	wantStatus(t, anon.get("/calendar/nonsense.ics"), http.StatusNotFound)
}
