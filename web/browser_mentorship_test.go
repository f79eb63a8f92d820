package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mentorbook/mentorbook/app"
)

// TestBrowserMentorshipFlow: a mentor in New York adds a paid program on
// /me/services, a mentee in Kolkata finds the mentor by searching and
// requests it from the mentor page, the
// mentor accepts it on /mentorships, and the mentee sees it awaiting payment.
func TestBrowserMentorshipFlow(t *testing.T) {
	browser := startBrowser(t)
	s := startSite(t)
	ctx := context.Background()
	for _, a := range []app.SignupInput{
		{Email: "maria@example.com", Name: "Maria Mentor", Timezone: "America/New_York"},
		{Email: "arjun@example.com", Name: "Arjun Mentee", Timezone: "Asia/Kolkata"},
	} {
		a.Password = "correct horse battery"
		u, _, err := s.svc.Accounts.Signup(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if a.Name == "Maria Mentor" {
			if _, err := s.svc.Mentors.PutProfile(ctx, u, app.ProfileInput{Headline: "Staff engineer: Go", Skills: []string{"go"}, Active: true}); err != nil {
				t.Fatal(err)
			}
		}
	}

	// --- The mentor adds a paid program. ---
	mentor := newTab(t, browser, s.url, "America/New_York")
	mentor.login("maria@example.com")
	mentor.load(chromedp.Click(chromedp.CSS(`nav a[href="/me/services"]`)))
	mentor.wantText("#services", "Free consultation", "Free")
	mentor.do(
		chromedp.SendKeys(chromedp.ID("title"), "Go in four weeks"),
		chromedp.SendKeys(chromedp.ID("description"), "Four calls: a plan, two code reviews and a retrospective."),
		chromedp.SetValue(chromedp.ID("price"), "250"),
		chromedp.SetValue(chromedp.ID("sessions"), "4"),
		chromedp.SetValue(chromedp.ID("session_minutes"), "45"),
	)
	mentor.submit("#save-service")
	mentor.wantText(".flash", "Your service is saved.")
	mentor.wantText("#services", "Go in four weeks", "$250.00", "4 sessions of 45 minutes, online")
	mentor.screenshot("services")

	// --- A mentee in Kolkata finds it by words, skill and price, and
	// requests it from the mentor page. ---
	mentee := newTab(t, browser, s.url, "Asia/Kolkata")
	mentee.login("arjun@example.com")
	mentee.open("/mentors")
	mentee.do(
		chromedp.SendKeys(chromedp.ID("q"), "staff engineer"),
		chromedp.SendKeys(chromedp.ID("skill"), "go"),
		chromedp.SendKeys(chromedp.ID("max_price"), "300"),
	)
	mentee.submit(`form[action="/mentors"] button[type=submit]`)
	mentee.wantText("#mentor-1", "Maria Mentor", "From Free")
	mentee.load(chromedp.Click(chromedp.CSS(`#mentor-1 h2 a`)))
	if loc := mentee.location(); loc != "/mentors/1" {
		t.Fatalf("the search result led to %s", loc)
	}
	mentee.wantText("#service-2", "Go in four weeks", "$250.00", "4 sessions of 45 minutes")
	mentee.do(chromedp.Click(chromedp.ID("request-2")))
	mentee.wantText("#service-2", "waits for your payment of $250.00")
	mentee.do(chromedp.SendKeys(chromedp.ID("message-2"), "I know PHP and want to move to Go."))
	mentee.screenshot("mentor-services")
	mentee.submit("#send-2")
	if loc := mentee.location(); loc != "/mentorships/1" {
		t.Fatalf("after requesting the mentee is at %s", loc)
	}
	mentee.wantText("#status", "Pending")
	mentee.wantText("main", "(Asia/Kolkata)")

	// --- The mentor accepts it on the mentorships page. ---
	mentor.load(chromedp.Click(chromedp.CSS(`nav a[href="/mentorships"]`)))
	mentor.wantText("#incoming", "Arjun Mentee", "I know PHP and want to move to Go.", "$250.00")
	mentor.screenshot("mentorships")
	mentor.submit("#accept-1")
	if loc := mentor.location(); loc != "/mentorships/1" {
		t.Fatalf("after accepting the mentor is at %s", loc)
	}
	mentor.wantText("#status", "awaiting payment")

	// --- The mentee sees it awaiting payment, with the deadline in their zone. ---
	mentee.load(chromedp.Click(chromedp.CSS(`nav a[href="/mentorships"]`)))
	mentee.wantText("#current", "Go in four weeks", "awaiting payment")
	mentee.open("/mentorships/1")
	mentee.wantText("#status", "Accepted, awaiting payment")
	if got := mentee.text("main"); !strings.Contains(got, "Transfer $250.00 by") || !strings.Contains(got, "(Asia/Kolkata)") {
		t.Errorf("the mentee's page says %q", got)
	}
	mentee.screenshot("mentorship")
}
