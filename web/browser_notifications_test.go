package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mentorbook/mentorbook/app"
)

// TestBrowserNotifications: a mentee's request shows on the mentor's bell
// with its count, the notifications page lists it in the mentor's zone,
// and marking all read clears the count.
func TestBrowserNotifications(t *testing.T) {
	browser := startBrowser(t)
	s := startSite(t)
	ctx := context.Background()
	ny, _ := time.LoadLocation("America/New_York")
	signup := func(name, email, zone string) app.SignupInput {
		return app.SignupInput{Email: email, Password: "correct horse battery", Name: name, Timezone: zone}
	}
	mentor, _, err := s.svc.Accounts.Signup(ctx, signup("Maria", "maria@example.com", "America/New_York"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Mentors.PutProfile(ctx, mentor, app.ProfileInput{Headline: "Go", Bio: "Hi", Skills: []string{"go"}, Active: true}); err != nil {
		t.Fatal(err)
	}
	if mentor, err = s.svc.Accounts.Me(ctx, mentor); err != nil {
		t.Fatal(err)
	}
	var weekly []app.WeeklyInput
	for d := 1; d <= 5; d++ {
		weekly = append(weekly, app.WeeklyInput{Weekday: d, Start: "09:00", End: "12:00"})
	}
	if _, err := s.svc.Availability.Put(ctx, mentor, app.AvailabilityInput{Timezone: "America/New_York", Weekly: weekly}); err != nil {
		t.Fatal(err)
	}
	mentee, _, err := s.svc.Accounts.Signup(ctx, signup("Arjun", "arjun@example.com", "Asia/Kolkata"))
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().In(ny).AddDate(0, 0, 3)
	for day.Weekday() != time.Monday {
		day = day.AddDate(0, 0, 1)
	}
	nine := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, ny)
	if _, err := s.svc.Bookings.Request(ctx, mentee, app.BookingInput{MentorID: mentor.ID, Start: nine.Format(time.RFC3339), Message: "Hello"}, ""); err != nil {
		t.Fatal(err)
	}

	tab := newTab(t, browser, s.url, "America/New_York")
	tab.open("/login")
	tab.do(chromedp.SendKeys(chromedp.ID("email"), "maria@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"))
	tab.submit(`main form button[type=submit]`)
	tab.wantText("#nav-notifications", "Notifications", "1 unread")

	tab.load(chromedp.Click(chromedp.CSS("#nav-notifications")))
	if got := tab.location(); got != "/notifications" {
		t.Fatalf("the bell led to %s", got)
	}
	tab.wantText("main", "Booking request from Arjun", nine.Format("Monday 2 January 2006, 15:04")+"–10:00 (America/New_York)", "Hello")
	tab.screenshot("notifications")

	tab.submit("#mark-all-read")
	tab.wantText("main", "All notifications are marked as read.", "Booking request from Arjun")
	if got := tab.text("#nav-notifications"); got != "Notifications" {
		t.Errorf("bell after marking all read: %q", got)
	}
	tab.wantLabels("/me/notifications")
	tab.screenshot("notification-settings")
}
