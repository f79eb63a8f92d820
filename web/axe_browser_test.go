package web_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

// axeSource is axe-core 4.10.3 (npm pack axe-core@4.10.3; MPL-2.0, see
// testdata/axe/LICENSE), the accessibility checker the browser test runs
// on every page.
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// axePages are the pages axe checks and who views them: "anonymous",
// "mentee" or "mentor". A new page is one more line. In paths, {mentor} is
// the mentor's id, {day} a date with free times and {month} its month,
// {service} a paid program of the mentor and {paid} the mentee's accepted
// request for it (awaiting payment); {confirmed} a confirmed booking's id.
var axePages = []struct{ path, as string }{
	{"/", "anonymous"},
	{"/", "mentee"},
	{"/signup", "anonymous"},
	{"/login", "anonymous"},
	{"/login?next=%2Fbookings&why=session", "anonymous"},
	{"/mentors", "anonymous"},
	{"/mentors", "mentee"},
	{"/mentors/{mentor}", "anonymous"},
	{"/mentors/{mentor}?month={month}&day={day}", "anonymous"},
	{"/mentors/{mentor}?month={month}&day={day}", "mentee"},
	{"/mentors/{mentor}?month={month}&day={day}&tz=Asia/Tokyo", "mentee"},
	{"/mentors/{mentor}?month={month}&day={day}", "mentor"},
	{"/me/profile", "mentee"}, // becoming a mentor
	{"/me/profile", "mentor"},
	{"/me/availability", "mentor"},
	{"/me/overrides", "mentor"},
	{"/bookings", "mentor"},
	{"/bookings", "mentee"},
	{"/bookings?move={confirmed}", "mentee"}, // the reschedule form open
	{"/me/account", "mentee"},
	{"/password-reset", "anonymous"},
	{"/password-reset?sent=1", "anonymous"},
	{"/password-reset/confirm?token=x", "anonymous"},
	{"/notifications", "mentor"},
	{"/me/services", "mentor"},
	{"/broadcasts", "anonymous"},
	{"/broadcasts/new", "mentee"},
	{"/broadcasts/{broadcast}", "mentee"}, // the author, with the answer
	{"/broadcasts/{broadcast}", "anonymous"},
	{"/mentors?q=go&skill=go&max_price=0", "anonymous"},
	{"/me/services?edit={service}", "mentor"},
	{"/mentorships", "mentor"},
	{"/mentorships", "mentee"},
	{"/mentorships/{paid}", "mentee"},
	{"/mentorships/{paid}", "mentor"},
	{"/mentors/{mentor}?mentorship={mentorship}", "mentee"},
	{"/me/notifications", "mentee"},
	{"/messages", "mentee"},
	{"/messages/{conversation}", "mentor"},
	{"/messages/{conversation}", "mentee"},
	{"/no-such-page", "anonymous"},
	{"/mentors/999", "mentee"},
	// Issue 10: the dashboard, a mentorship's progress, reviews.
	{"/dashboard", "mentor"},
	{"/dashboard", "mentee"},
	{"/mentorships/{mentorship}", "mentor"},
	{"/mentorships/{mentorship}", "mentee"},
	{"/mentorships/{completed}", "mentee"}, // with the review form
	{"/mentors/{mentor}#reviews", "mentor"},
	{"/me/payments", "mentee"},
	{"/me/balance", "mentor"},
	{"/admin", "admin"},
}

// axeResult is what the page reports: each violated rule with the elements
// that break it.
type axeResult struct {
	ID, Impact, Help string
	Nodes            []string
}

const runAxe = `axe.run(document).then(r => JSON.stringify(r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)}))))`

// axeViolations runs axe-core on the tab's page.
func (b *tab) axeViolations() []axeResult {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](axeSource)); err != nil {
		b.t.Fatalf("load axe-core: %v", err)
	}
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](runAxe, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("run axe-core on %s: %v", b.location(), err)
	}
	var res []axeResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		b.t.Fatalf("axe-core result %q: %v", out, err)
	}
	return res
}

// login signs the tab in through the login form.
func (b *tab) login(email string) {
	b.t.Helper()
	b.open("/login")
	b.do(
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
	)
	b.submit(`form[action="/login"] button[type=submit]`)
	if loc := b.location(); loc == "/login" || b.eval(`document.querySelector("#logout") ? "in" : "out"`) != "in" {
		b.t.Fatalf("login as %s failed: at %s", email, loc)
	}
}

func TestBrowserAxeFindsNoViolationOnAnyPage(t *testing.T) {
	browser := startBrowser(t)
	s := startSite(t)
	ctx := context.Background()

	mentor, mentorID := s.mentorWithHours(t, "Maria Mentor", "maria@example.com", "America/New_York")
	mentee := s.signup(t, "Arjun Mentee", "arjun@example.com", "Asia/Kolkata")
	if _, err := s.svc.Availability.PutOverride(ctx, mentor, schedule.DateOf(time.Now(), time.UTC).AddDays(20).String(), nil); err != nil {
		t.Fatal(err)
	}
	// The bookings pages with every kind of card: waiting, confirmed, declined.
	slots, err := s.svc.Calendar.Slots(ctx, mentorID, app.SlotQuery{TZ: "Asia/Kolkata",
		From: time.Now().UTC().Format("2006-01-02"), To: time.Now().UTC().AddDate(0, 0, 14).Format("2006-01-02")})
	if err != nil {
		t.Fatal(err)
	}
	var free []time.Time
	var day schedule.Date
	for _, d := range slots.Days {
		for _, sl := range d.Slots {
			if len(free) == 0 {
				day = d.Date
			}
			free = append(free, sl.Start)
		}
	}
	if len(free) < 6 {
		t.Fatalf("only %d free slots in two weeks", len(free))
	}
	var ids []int64
	for i, start := range []time.Time{free[3], free[4], free[5]} {
		b, err := s.svc.Bookings.Request(ctx, mentee, app.BookingInput{MentorID: mentorID,
			Start: start.Format(time.RFC3339), Message: fmt.Sprintf("Request %d", i)}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, b.ID)
	}
	if _, err := s.svc.Bookings.Accept(ctx, mentor, ids[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Bookings.Decline(ctx, mentor, ids[2], "Away that week"); err != nil {
		t.Fatal(err)
	}

	// Money: a paid mentorship waiting for its transfer, another confirmed
	// and a cashout requested, so every money page has each kind of item.
	admin := s.signup(t, "Ada Admin", "ada@example.com", "Europe/Berlin")
	if admin, err = s.svc.Platform.SetAdmin(ctx, admin.Email, true); err != nil {
		t.Fatal(err)
	}
	if mentor, err = s.svc.Accounts.Me(ctx, mentor); err != nil {
		t.Fatal(err)
	}
	price, title, format, sessions, minutes := "9999", "Go in four weeks", "sessions", 4, 60
	paidService, err := s.svc.Services.Create(ctx, mentor, app.ServiceInput{Title: &title, PriceMinor: &price, Format: &format,
		Sessions: &sessions, SessionMinutes: &minutes})
	if err != nil {
		t.Fatal(err)
	}
	other := s.signup(t, "Cleo Mentee", "cleo@example.com", "Europe/Paris")
	var paid []int64
	for _, u := range []mentorbook.User{mentee, other} {
		m, err := s.svc.Mentorships.Request(ctx, u, app.MentorshipInput{ServiceID: paidService.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.Mentorships.Act(ctx, mentor, m.ID, app.ActionAccept, ""); err != nil {
			t.Fatal(err)
		}
		paid = append(paid, m.ID)
	}
	pay, err := s.svc.Payments.ForMentorship(ctx, other, paid[1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Payments.Confirm(ctx, admin, pay.ID, app.Confirmation{AmountMinor: 9999}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Payments.Release(ctx, admin, pay.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Cashouts.PutPayoutAccount(ctx, mentor, mentorbook.PayoutAccount{BankName: "GLS", AccountHolder: "Maria",
		AccountNumber: "DE02 4306"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Cashouts.Request(ctx, mentor, 5000); err != nil {
		t.Fatal(err)
	}
	active, completed := axeMentorships(t, s, mentor, mentee)
	c, _, err := s.svc.Conversations.Open(ctx, mentee, mentorID)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.svc.Conversations.Send(ctx, mentee, c.ID, "Can we start with goroutines?", ""); err != nil {
		t.Fatal(err)
	}

	// A broadcast of the mentee's, answered by the mentor.
	bTitle, bBody, bSkills := "PHP to Go", "Help me move a monolith.", []string{"go", "php"}
	bc, err := s.svc.Broadcasts.Create(ctx, mentee, app.BroadcastInput{Title: &bTitle, Body: &bBody, Skills: &bSkills})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Broadcasts.Respond(ctx, mentor, bc.ID, app.ResponseInput{Message: "I did that twice.", ServiceID: &paidService.ID}); err != nil {
		t.Fatal(err)
	}

	tabs := map[string]*tab{
		"admin":     newTab(t, browser, s.url, "Europe/Berlin"),
		"anonymous": newTab(t, browser, s.url, "Europe/Berlin"),
		"mentee":    newTab(t, browser, s.url, "Asia/Kolkata"),
		"mentor":    newTab(t, browser, s.url, "America/New_York"),
	}
	tabs["mentee"].login("arjun@example.com")
	tabs["mentor"].login("maria@example.com")
	tabs["admin"].login("ada@example.com")
	// The anonymous visitor's browser has reported its zone.
	tabs["anonymous"].open("/mentors")

	replacer := strings.NewReplacer("{mentor}", fmt.Sprint(mentorID), "{day}", day.String(),
		"{month}", fmt.Sprintf("%04d-%02d", day.Year, int(day.Month)),
		"{service}", fmt.Sprint(paidService.ID), "{paid}", fmt.Sprint(paid[0]), "{broadcast}", fmt.Sprint(bc.ID),
		"{mentorship}", fmt.Sprint(active), "{completed}", fmt.Sprint(completed), "{conversation}", fmt.Sprint(c.ID),
		"{confirmed}", fmt.Sprint(ids[1]))
	for _, p := range axePages {
		path := replacer.Replace(p.path)
		b := tabs[p.as]
		b.open(path)
		for _, v := range b.axeViolations() {
			t.Errorf("%s as %s: %s (%s): %s\n\t%s", path, p.as, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
		}
	}
	// A refused form shows its problems accessibly too.
	b := tabs["anonymous"]
	b.open("/signup")
	b.do(chromedp.SendKeys(chromedp.ID("name"), "Ada"), chromedp.SendKeys(chromedp.ID("email"), "ada@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "short-pw"))
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("form[action='/signup']").noValidate = true`))
	b.submit(`form[action="/signup"] button[type=submit]`)
	b.wantText("#password-error", "at least 10")
	for _, v := range b.axeViolations() {
		t.Errorf("refused signup: %s (%s): %s\n\t%s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
	}
}

// axeMentorships makes an active mentorship with a task, a note and
// logged time, and a completed one (unreviewed, so its page offers the
// review form), and a review with a reply of a third, so every progress
// and review element is on the pages axe checks.
func axeMentorships(t *testing.T, s site, mentor, mentee mentorbook.User) (active, completed int64) {
	t.Helper()
	ctx := context.Background()
	program := func(title string) int64 {
		price, format, n, minutes := "0", "sessions", 2, 60
		sv, err := s.svc.Services.Create(ctx, mentor, app.ServiceInput{Title: &title, PriceMinor: &price, Format: &format, Sessions: &n, SessionMinutes: &minutes})
		if err != nil {
			t.Fatal(err)
		}
		m, err := s.svc.Mentorships.Request(ctx, mentee, app.MentorshipInput{ServiceID: sv.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.Mentorships.Act(ctx, mentor, m.ID, app.ActionAccept, ""); err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	active, completed, reviewed := program("Go basics"), program("Go testing"), program("Go tooling")
	task, err := s.svc.Progress.AddTask(ctx, mentee, active, "Read the spec")
	if err != nil {
		t.Fatal(err)
	}
	done := true
	if _, err := s.svc.Progress.UpdateTask(ctx, mentor, active, task.ID, app.TaskChange{Done: &done}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Progress.AddTask(ctx, mentor, active, "Write a CLI"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Progress.AddNote(ctx, mentor, active, app.NoteInput{Body: "Good start.", Shared: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Progress.LogTime(ctx, mentor, active, app.TimeInput{Minutes: 90, Date: time.Now().UTC().Format("2006-01-02"), Note: "Prepared"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{completed, reviewed} {
		if _, err := s.svc.Mentorships.Act(ctx, mentee, id, app.ActionComplete, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.svc.Reviews.Create(ctx, mentee, app.ReviewInput{MentorshipID: reviewed, Rating: 4, Text: "Helpful."}); err != nil {
		t.Fatal(err)
	}
	return active, completed
}

// signup creates an account through the use case.
func (s site) signup(t *testing.T, name, email, zone string) mentorbook.User {
	t.Helper()
	u, _, err := s.svc.Accounts.Signup(context.Background(), app.SignupInput{
		Email: email, Password: "correct horse battery", Name: name, Timezone: zone,
	})
	if err != nil {
		t.Fatalf("signup %s: %v", email, err)
	}
	return u
}

// mentorWithHours creates a mentor free every day 08:00–18:00 in zone.
func (s site) mentorWithHours(t *testing.T, name, email, zone string) (mentorbook.User, int64) {
	t.Helper()
	ctx := context.Background()
	u := s.signup(t, name, email, zone)
	if _, err := s.svc.Mentors.PutProfile(ctx, u, app.ProfileInput{
		Headline: "Go and careers", Bio: "Happy to help.", Skills: []string{"go", "careers"}, Active: true,
	}); err != nil {
		t.Fatal(err)
	}
	u, err := s.svc.Accounts.Me(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	var weekly []app.WeeklyInput
	for d := 0; d <= 6; d++ {
		weekly = append(weekly, app.WeeklyInput{Weekday: d, Start: "08:00", End: "18:00"})
	}
	if _, err := s.svc.Availability.Put(ctx, u, app.AvailabilityInput{Timezone: zone, Weekly: weekly}); err != nil {
		t.Fatal(err)
	}
	return u, u.ID
}

func TestBrowserAVisitorsRequestComesBackAfterLogin(t *testing.T) {
	browser := startBrowser(t)
	s := startSite(t)
	_, mentorID := s.mentorWithHours(t, "Maria Mentor", "maria@example.com", "America/New_York")
	s.signup(t, "Arjun Mentee", "arjun@example.com", "Asia/Kolkata")

	visitor := newTab(t, browser, s.url, "Asia/Tokyo")
	visitor.open(fmt.Sprintf("/mentors/%d", mentorID))
	// The page reloads once static/app.js has reported the browser's zone.
	visitor.waitFor("the browser's zone", `(document.querySelector("#tz-note") || {}).textContent.includes("Asia/Tokyo")`)
	day := visitor.eval(`document.querySelectorAll("td.free a")[1].dataset.date`)
	visitor.do(chromedp.Click(chromedp.ID("day-" + day)))
	visitor.waitFor("the day's times", `!!document.querySelector("#slot-1")`)
	const message = "Could we look at my Go service's tests?"
	visitor.do(
		chromedp.Click(chromedp.ID("slot-1")),
		chromedp.SendKeys(chromedp.ID("message"), message),
	)
	chosen := visitor.value("#slot-1")
	visitor.wantText("#request", "Log in to request this time")
	visitor.submit("#request")
	if loc := visitor.location(); !strings.HasPrefix(loc, "/login?next=") {
		t.Fatalf("the visitor was sent to %s, want the login page", loc)
	}
	visitor.wantText(".alert", "the time and message you chose are kept")

	visitor.do(
		chromedp.SendKeys(chromedp.ID("email"), "arjun@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
	)
	visitor.submit(`form[action="/login"] button[type=submit]`)
	if loc := visitor.location(); !strings.HasPrefix(loc, fmt.Sprintf("/mentors/%d?", mentorID)) || !strings.Contains(loc, "day="+day) {
		t.Fatalf("after login the visitor is at %s, want the mentor page on %s", loc, day)
	}
	visitor.wantText("#day-heading", dayName(t, day))
	if got := visitor.eval(`document.querySelector("input[name=start]:checked")?.value ?? "none"`); got != chosen {
		t.Errorf("after login the chosen time is %s, want %s", got, chosen)
	}
	if got := visitor.value("#message"); got != message {
		t.Errorf("after login the message is %q, want %q", got, message)
	}
	// Times stay in the zone the visitor saw, though the account says
	// Kolkata: the same day and time come back.
	visitor.wantText("#tz-note", "Times are shown in Asia/Tokyo")
	visitor.submit("#request")
	if loc := visitor.location(); loc != "/bookings" {
		t.Fatalf("after requesting the visitor is at %s", loc)
	}
	visitor.wantText(".flash", "Your request was sent")
	visitor.wantText("#requested", "Maria Mentor", message)
	// A reload does not say it again.
	visitor.open("/bookings")
	if n := visitor.eval(`String(document.querySelectorAll(".flash").length)`); n != "0" {
		t.Errorf("after a reload the page shows %s flashes", n)
	}
}

// dayName is "Thursday 3 December 2026" for "2026-12-03".
func dayName(t *testing.T, date string) string {
	t.Helper()
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		t.Fatal(err)
	}
	return d.Format("Monday 2 January 2006")
}
