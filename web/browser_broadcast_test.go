package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mentorbook/mentorbook/app"
)

// TestBrowserBroadcastPostedAndAnswered: a mentee posts a broadcast from
// the board, a mentor finds it by skill and answers, and the mentee sees
// the answer with a link to the mentor's page.
func TestBrowserBroadcastPostedAndAnswered(t *testing.T) {
	browser := startBrowser(t)
	s := startSite(t)
	ctx := context.Background()
	for _, u := range []app.SignupInput{
		{Email: "ada@example.com", Name: "Ada Mentee", Timezone: "Asia/Kolkata"},
		{Email: "maria@example.com", Name: "Maria Mentor", Timezone: "America/New_York"},
	} {
		u.Password = "correct horse battery"
		if _, _, err := s.svc.Accounts.Signup(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	maria, _, err := s.svc.Accounts.Login(ctx, "maria@example.com", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Mentors.PutProfile(ctx, maria, app.ProfileInput{Headline: "Go mentor", Skills: []string{"go"}, Active: true}); err != nil {
		t.Fatal(err)
	}

	mentee := newTab(t, browser, s.url, "Asia/Kolkata")
	mentee.login("ada@example.com")
	mentee.load(chromedp.Click(chromedp.CSS(`nav a[href="/broadcasts"]`)))
	mentee.load(chromedp.Click(chromedp.CSS("#post-broadcast")))
	// A title of spaces passes the browser's required check; the server
	// refuses it and keeps what was typed.
	mentee.do(
		chromedp.SendKeys(chromedp.ID("title"), "   "),
		chromedp.SendKeys(chromedp.ID("body"), "I maintain a PHP monolith and want to move parts of it to Go."),
	)
	mentee.submit("#post")
	if loc := mentee.location(); loc != "/broadcasts/new" {
		t.Fatalf("a refused post led to %s, want back to the form", loc)
	}
	mentee.wantText("#title-error", "is required")
	if got := mentee.value("#body"); got != "I maintain a PHP monolith and want to move parts of it to Go." {
		t.Errorf("typed body after the error = %q", got)
	}
	mentee.eval(`document.getElementById("title").value = ""`)
	mentee.do(
		chromedp.SendKeys(chromedp.ID("title"), "Looking for help moving from PHP to Go"),
		chromedp.SendKeys(chromedp.ID("skills"), "Go, PHP"),
	)
	mentee.submit("#post")
	mentee.wantText(".flash", "Your broadcast is posted.")
	mentee.wantText("#responses", "No answers yet.")
	page := mentee.location()

	mentor := newTab(t, browser, s.url, "America/New_York")
	mentor.login("maria@example.com")
	mentor.open("/broadcasts")
	mentor.do(chromedp.SendKeys(chromedp.ID("skill"), "php"))
	mentor.load(chromedp.Click(chromedp.CSS(`form[role=search] button[type=submit]`)))
	mentor.load(chromedp.Click(chromedp.CSS(`.broadcast h3 a`)))
	mentor.do(chromedp.SendKeys(chromedp.ID("message"), "I moved three teams from PHP to Go. Happy to help."))
	mentor.submit("#respond")
	mentor.wantText(".flash", "Your answer is sent")
	mentor.wantText("#responses", "I moved three teams")
	mentor.screenshot("broadcast-answered-mentor")

	mentee.open(page)
	mentee.wantText("#responses", "Maria Mentor", "I moved three teams")
	mentee.screenshot("broadcast-responses")
	mentee.load(chromedp.Click(chromedp.CSS(`#responses .response a`)))
	if loc := mentee.location(); loc != "/mentors/2" {
		t.Errorf("the mentor link leads to %s, want /mentors/2", loc)
	}
	mentee.open("/broadcasts")
	mentee.screenshot("broadcasts")

	// The directory with its filters: Maria has no hours, so a window finds nobody.
	mentee.open("/mentors?skill=go")
	mentee.wantText("#mentor-2", "Maria Mentor", "No free time in the next two weeks")
	mentee.screenshot("mentor-search")
}
