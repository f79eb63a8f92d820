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

// countsMatchLists is JavaScript that checks, for every part of the
// dashboard, that the number in its heading is the number of items in its
// list, and returns the parts as "id=count" or the first mismatch.
const countsMatchLists = `(() => {
  const out = [];
  for (const c of document.querySelectorAll(".count")) {
    const id = c.id.replace(/-count$/, "");
    const items = document.querySelectorAll("#" + id + " > li").length;
    if (String(items) !== c.textContent.trim()) return "MISMATCH " + id + ": " + c.textContent + " vs " + items;
    out.push(id + "=" + items);
  }
  return out.join(" ");
})()`

// TestBrowserDashboardAndReview: the dashboard's numbers match its lists
// for a mentee and a mentor; the mentee tracks a task, completes the
// mentorship and reviews it; the review appears on the mentor page, where
// the mentor replies.
func TestBrowserDashboardAndReview(t *testing.T) {
	browser := startBrowser(t)
	s := startSite(t)
	ctx := context.Background()
	mentorUser, mentorID := s.mentorWithHours(t, "Maria Mentor", "maria@example.com", "America/New_York")
	menteeUser := s.signup(t, "Arjun Mentee", "arjun@example.com", "Asia/Kolkata")
	title, price, format, sessions, minutes := "Go in four weeks", "0", "sessions", 4, 45
	sv, err := s.svc.Services.Create(ctx, mentorUser, app.ServiceInput{Title: &title, PriceMinor: &price, Format: &format,
		Sessions: &sessions, SessionMinutes: &minutes})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.svc.Mentorships.Request(ctx, menteeUser, app.MentorshipInput{ServiceID: sv.ID, Message: "Teach me Go"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Mentorships.Act(ctx, mentorUser, m.ID, app.ActionAccept, ""); err != nil {
		t.Fatal(err)
	}
	// A free consultation waiting for the mentor's answer.
	slots, err := s.svc.Calendar.Slots(ctx, mentorID, app.SlotQuery{TZ: "UTC",
		From: time.Now().UTC().AddDate(0, 0, 2).Format("2006-01-02"), To: time.Now().UTC().AddDate(0, 0, 9).Format("2006-01-02")})
	if err != nil || len(slots.Days) == 0 {
		t.Fatalf("slots %v %v", slots, err)
	}
	if _, err := s.svc.Bookings.Request(ctx, menteeUser, app.BookingInput{MentorID: mentorID,
		Start: slots.Days[0].Slots[0].Start.Format(time.RFC3339), Message: "A quick question"}, ""); err != nil {
		t.Fatal(err)
	}

	mentee := newTab(t, browser, s.url, "Asia/Kolkata")
	mentee.login("arjun@example.com")
	mentee.open("/")
	mentee.wantText("h1", "Dashboard")
	got := mentee.eval(countsMatchLists)
	if strings.HasPrefix(got, "MISMATCH") || !strings.Contains(got, "waiting-for-others=1") || !strings.Contains(got, "active=1") ||
		!strings.Contains(got, "connections=1") {
		t.Fatalf("the mentee's dashboard: %s", got)
	}
	mentee.wantText("#waiting-for-others", "Free consultation", "Maria Mentor", "Pending")
	mentee.wantText("#active", "Go in four weeks", "tasks 0 of 0 done", "sessions 0 of 4")
	mentee.screenshot("dashboard")

	// A task on the mentorship page, then done.
	mentee.load(chromedp.Click(chromedp.CSS(`#active a`)))
	mentee.do(chromedp.SendKeys(chromedp.ID("task-title"), "Read Effective Go"))
	mentee.submit("#add-task")
	mentee.wantText(".flash", "The task is saved.")
	mentee.submit("#toggle-1")
	mentee.wantText("#progress-tasks", "1 of 1")
	mentee.do(chromedp.SendKeys(chromedp.ID("note-body"), "Next: interfaces."))
	mentee.submit("#add-note")
	mentee.wantText("#notes", "Next: interfaces.")
	mentee.screenshot("mentorship-progress")

	// Completing it opens the review; the review lands on the mentor page.
	mentee.submit("#complete")
	mentee.wantText("#status", "Completed")
	mentee.do(chromedp.Click(chromedp.ID(fmt.Sprintf("write-review-%d", m.ID))))
	mentee.do(chromedp.SendKeys(chromedp.ID(fmt.Sprintf("review-text-%d", m.ID)), "Clear explanations, patient answers."))
	mentee.submit(fmt.Sprintf("#send-review-%d", m.ID))
	if loc := mentee.location(); !strings.HasPrefix(loc, fmt.Sprintf("/mentors/%d", mentorID)) {
		t.Fatalf("after reviewing the mentee is at %s", loc)
	}
	mentee.wantText(".flash", "your review is published")
	mentee.wantText("#reviews", "Clear explanations, patient answers.", "5 out of 5", "Arjun Mentee")
	mentee.wantText("#rating", "Rated 5.0 out of 5 in 1 review")

	// The mentor's dashboard adds up too; they reply on their page.
	mentor := newTab(t, browser, s.url, "America/New_York")
	mentor.login("maria@example.com")
	mentor.open("/dashboard")
	got = mentor.eval(countsMatchLists)
	if strings.HasPrefix(got, "MISMATCH") || !strings.Contains(got, "waiting-for-me=1") || !strings.Contains(got, "history=1") ||
		!strings.Contains(got, "money=0") {
		t.Fatalf("the mentor's dashboard: %s", got)
	}
	mentor.wantText("#availability-state", "taking requests")
	mentor.screenshot("dashboard-mentor")
	mentor.open(fmt.Sprintf("/mentors/%d", mentorID))
	mentor.do(chromedp.SendKeys(chromedp.ID("reply-1"), "Thank you, Arjun!"))
	mentor.submit("#send-reply-1")
	mentor.wantText("#reviews", "Reply: Thank you, Arjun!")
	mentor.do(chromedp.ScrollIntoView(chromedp.ID("reviews")))
	mentor.screenshot("mentor-reviews")

	// The switch, in one click.
	mentor.open("/dashboard")
	mentor.submit("#availability-switch")
	mentor.wantText("#availability-state", "not taking requests")
}
