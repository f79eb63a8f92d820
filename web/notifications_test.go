package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

func (e *env) runJobs() {
	e.t.Helper()
	for {
		ran, err := e.svc.Jobs.RunOnce(e.t.Context())
		if err != nil {
			e.t.Fatal(err)
		}
		if !ran {
			return
		}
	}
}

func (e *env) unread(b *browser) int {
	e.t.Helper()
	n, err := e.svc.Notifications.UnreadCount(e.t.Context(), b.user)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestTheBellCountsUnreadNotificationsAndThePageMarksThemRead(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	other := e.signup("Omar", "omar@example.com", "UTC")
	b1 := e.request(mentee, mentor, slotStart(t, 2026, 6, 2, 9, 0, "America/New_York"), "First")
	b2 := e.request(mentee, mentor, slotStart(t, 2026, 6, 3, 9, 0, "America/New_York"), "Second")

	// The bell shows the count on every page, only to its owner.
	p := wantStatus(t, mentor.get("/mentors"), http.StatusOK)
	wantContains(t, p, `id="nav-notifications"`, `<span class="badge badge-bell">2<span class="visually-hidden"> unread</span></span>`)
	p = wantStatus(t, other.get("/mentors"), http.StatusOK)
	wantContains(t, p, `id="nav-notifications"`)
	wantNotContains(t, p, "badge-bell")
	wantNotContains(t, wantStatus(t, e.anonymous().get("/mentors"), http.StatusOK), "nav-notifications")

	// The page lists them newest first, times in the mentor's zone.
	p = wantStatus(t, mentor.get("/notifications"), http.StatusOK)
	wantContains(t, p, "Times are shown in <strong>America/New_York</strong>",
		"Booking request from Arjun", "Wednesday 3 June 2026, 09:00–10:00 (America/New_York)",
		`href="/bookings#booking-`+itoa(b1.ID)+`"`, `id="mark-all-read"`)
	if i, j := strings.Index(p.Body, "booking-"+itoa(b2.ID)), strings.Index(p.Body, "booking-"+itoa(b1.ID)); i < 0 || j < i {
		t.Errorf("not newest first")
	}
	wantNotContains(t, wantStatus(t, other.get("/notifications"), http.StatusOK), "Arjun")

	// Another user cannot mark them; the owner marks one, then all.
	ns, _, err := e.svc.Notifications.List(t.Context(), mentor.user, app.NotificationQuery{})
	if err != nil || len(ns) != 2 {
		t.Fatalf("notifications %v, %v", ns, err)
	}
	wantRedirect(t, other.post("/notifications/read", url.Values{"id": {itoa(ns[0].ID)}}), "/notifications?done=read")
	wantRedirect(t, other.post("/notifications/read", url.Values{"all": {"true"}}), "/notifications?done=allread")
	if n := e.unread(mentor); n != 2 {
		t.Fatalf("another user's marks changed the count to %d", n)
	}
	wantRedirect(t, mentor.post("/notifications/read", url.Values{"id": {itoa(ns[0].ID)}}), "/notifications?done=read")
	p = mentor.refused(mentor.get("/notifications?done=read"), "/notifications")
	wantContains(t, p, "Marked as read.", `<span class="badge badge-bell">1<span`)
	p = wantStatus(t, mentor.get("/notifications?unread=true"), http.StatusOK)
	wantContains(t, p, "booking-"+itoa(b1.ID))
	wantNotContains(t, p, "booking-"+itoa(b2.ID))
	wantRedirect(t, mentor.post("/notifications/read", url.Values{"all": {"true"}}), "/notifications?done=allread")
	p = wantStatus(t, mentor.get("/notifications"), http.StatusOK)
	wantNotContains(t, p, "badge-bell", `id="mark-all-read"`)
	wantContains(t, p, "Booking request from Arjun")

	// Anonymous visitors are sent to log in; a malformed ID is not found.
	wantRedirect(t, e.anonymous().get("/notifications"), "/login?next=%2Fnotifications")
	wantStatus(t, mentor.post("/notifications/read", url.Values{"id": {"x"}}), http.StatusNotFound)
}

func TestNotificationSettingsPageAndTheEmailLink(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")

	p := wantStatus(t, mentor.get("/me/notifications"), http.StatusOK)
	wantContains(t, p, `name="booking_requested" checked`, `name="broadcast_response" checked`, "Booking accepted")
	// Unchecked boxes turn email off; the others stay on.
	form := url.Values{}
	for _, k := range mentorbook.NotificationKinds {
		if k != mentorbook.NotifyBookingCancelled {
			form.Set(string(k), "on")
		}
	}
	wantRedirect(t, mentor.post("/me/notifications", form), "/me/notifications?done=settings")
	p = mentor.refused(mentor.get("/me/notifications?done=settings"), "/me/notifications")
	wantContains(t, p, "settings are saved", `name="booking_requested" checked`)
	wantNotContains(t, p, `name="booking_cancelled" checked`)
	s, _ := e.svc.Notifications.EmailSettings(t.Context(), mentee.user)
	if !s[mentorbook.NotifyBookingCancelled] {
		t.Error("another user's setting changed")
	}

	// Without an SMTP server the email goes to the log, turn-off link and all.
	e.request(mentee, mentor, slotStart(t, 2026, 6, 2, 9, 0, "America/New_York"), "Hi")
	e.runJobs()
	m := regexp.MustCompile(`http://localhost:8080(/email-off/[A-Za-z0-9_.-]+)`).FindStringSubmatch(e.logs.String())
	if m == nil || !strings.Contains(e.logs.String(), "maria@example.com") {
		t.Fatalf("no email in the log:\n%s", e.logs.String())
	}
	anon := e.anonymous()
	p = wantStatus(t, anon.get(m[1]), http.StatusOK)
	wantContains(t, p, "Stop emails about", "Booking requested", `id="confirm-email-off"`)
	if s, _ := e.svc.Notifications.EmailSettings(t.Context(), mentor.user); !s[mentorbook.NotifyBookingRequested] {
		t.Fatal("opening the link changed the setting")
	}
	wantRedirect(t, anon.post(m[1], nil), m[1])
	p = wantStatus(t, anon.get(m[1]), http.StatusOK)
	wantContains(t, p, "are off")
	wantNotContains(t, p, `id="confirm-email-off"`)
	if s, _ := e.svc.Notifications.EmailSettings(t.Context(), mentor.user); s[mentorbook.NotifyBookingRequested] {
		t.Fatal("the link did not turn the email off")
	}
	wantStatus(t, anon.get("/email-off/not-a-token"), http.StatusNotFound)
	wantStatus(t, anon.post("/email-off/not-a-token", nil), http.StatusNotFound)
}
