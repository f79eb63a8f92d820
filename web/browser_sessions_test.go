package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mentorbook/mentorbook/app"
)

// TestBrowserRescheduleAndPlace: a mentee in Kolkata sees a session's
// place only once a mentor in New York confirms it, then moves it from
// the bookings page; both see the new time in their own zones.
func TestBrowserRescheduleAndPlace(t *testing.T) {
	browser := startBrowser(t)
	s := startSite(t)
	ctx := context.Background()
	mentor, mentorID := s.mentorWithHours(t, "Maria Mentor", "maria@example.com", "America/New_York")
	link := "https://meet.example.org/maria"
	if _, err := s.svc.Mentors.PutProfile(ctx, mentor, app.ProfileInput{Headline: "Go and careers", Active: true, MeetingURL: &link}); err != nil {
		t.Fatal(err)
	}
	mentee := s.signup(t, "Arjun Mentee", "arjun@example.com", "Asia/Kolkata")
	kolkata, ny := mustZone(t, "Asia/Kolkata"), mustZone(t, "America/New_York")
	// Two free times a few days ahead: the booking's and the one it moves to.
	from := time.Now().In(kolkata).AddDate(0, 0, 3)
	slots, err := s.svc.Calendar.Slots(ctx, mentorID, app.SlotQuery{TZ: "Asia/Kolkata",
		From: from.Format("2006-01-02"), To: from.Format("2006-01-02")})
	if err != nil || len(slots.Days) != 1 || len(slots.Days[0].Slots) < 3 {
		t.Fatalf("slots %+v, %v", slots, err)
	}
	first, moved := slots.Days[0].Slots[0].Start, slots.Days[0].Slots[2].Start
	b, err := s.svc.Bookings.Request(ctx, mentee, app.BookingInput{MentorID: mentorID, Start: first.Format(time.RFC3339), Message: "Go plans"}, "")
	if err != nil {
		t.Fatal(err)
	}
	card := fmt.Sprintf("#booking-%d", b.ID)

	// --- Pending: the mentee is told the place comes with the confirmation. ---
	me := newTab(t, browser, s.url, "Asia/Kolkata")
	me.login("arjun@example.com")
	me.open("/bookings")
	me.wantText(card, "the place is shown once the session is confirmed")
	if strings.Contains(me.text(card), link) {
		t.Fatalf("the pending card shows the place: %q", me.text(card))
	}

	// --- The mentor accepts; the mentee now sees where. ---
	mt := newTab(t, browser, s.url, "America/New_York")
	mt.login("maria@example.com")
	mt.open("/bookings")
	mt.wantText(card, link)
	mt.submit(fmt.Sprintf("#accept-%d", b.ID))
	mt.wantText(".flash", "the session is confirmed")
	me.open("/bookings")
	me.wantText(card, link, "Add to calendar")
	me.screenshot("booking-place")

	// --- The mentee moves it from the bookings page. ---
	me.load(chromedp.Click(chromedp.ID(fmt.Sprintf("move-%d", b.ID))))
	me.do(chromedp.SetValue(chromedp.ID(fmt.Sprintf("reschedule-%d-start", b.ID)), moved.In(kolkata).Format(time.RFC3339)))
	me.screenshot("booking-reschedule")
	me.submit(fmt.Sprintf("#reschedule-%d", b.ID))
	me.wantText(".flash", "The session is moved")
	mk := moved.In(kolkata)
	me.wantText(card, longDateOf(mk)+", "+mk.Format("15:04")+"–"+mk.Add(time.Hour).Format("15:04"), "Moved 1 time", link)

	// --- The mentor sees the new time in New York, and was told. ---
	mt.open("/bookings")
	mn := moved.In(ny)
	mt.wantText(card, longDateOf(mn)+", "+mn.Format("15:04")+"–"+mn.Add(time.Hour).Format("15:04"), "Moved 1 time")
	mt.screenshot("bookings-moved")
	mt.open("/notifications")
	mt.wantText("main", "Arjun Mentee moved your session", "(America/New_York)")
}

func longDateOf(t time.Time) string { return t.Format("Monday 2 January 2006") }
