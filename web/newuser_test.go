package web_test

// Tests of what a new user tripped over in the first pages (issue 7,
// section 7).

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook/app"
)

func TestChoosingAZoneOnAMentorPageChangesThatPageOnly(t *testing.T) {
	e := newEnv(t)
	e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")

	p := wantStatus(t, mentee.get("/mentors/1?tz=Asia/Tokyo"), http.StatusOK)
	wantContains(t, p, "Times are shown in <strong>Asia/Tokyo</strong>", `name="tz" value="Asia/Tokyo"`,
		`id="own-zone">Back to your account’s timezone</a>`)
	// Other pages, and the same page without ?tz=, keep the account's zone.
	wantContains(t, mentee.get("/bookings"), "Times are shown in <strong>Asia/Kolkata</strong>")
	wantContains(t, mentee.get("/mentors/1"), "Times are shown in <strong>Asia/Kolkata</strong>")
	for _, c := range mentee.client.Jar.Cookies(mustURL(t, e.srv.URL)) {
		if c.Name == "tz" {
			t.Errorf("the preview set a tz cookie: %+v", c)
		}
	}

	// An anonymous visitor: the zone their browser reported (the tz cookie
	// static/app.js sets), which a preview does not replace either.
	anon := e.anonymous()
	anon.client.Jar.SetCookies(mustURL(t, e.srv.URL), []*http.Cookie{{Name: "tz", Value: "Europe/Berlin", Path: "/"}})
	wantContains(t, anon.get("/mentors/1?tz=Asia/Tokyo"), "Times are shown in <strong>Asia/Tokyo</strong>")
	p = anon.get("/mentors/1")
	wantContains(t, p, "Times are shown in <strong>Europe/Berlin</strong>")
	wantNotContains(t, p, "data-tz-unknown")
	// A signed-in user's account zone wins over a browser cookie.
	mentee.client.Jar.SetCookies(mustURL(t, e.srv.URL), []*http.Cookie{{Name: "tz", Value: "Europe/Berlin", Path: "/"}})
	wantContains(t, mentee.get("/bookings"), "Times are shown in <strong>Asia/Kolkata</strong>")
}

func TestAVisitorsChosenTimeAndMessageComeBackAfterLogin(t *testing.T) {
	e := newEnv(t)
	e.mentor("Maria", "maria@example.com", "America/New_York")
	e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	start := slotStart(t, 2026, 6, 2, 10, 0, "Asia/Tokyo").Format(time.RFC3339)
	page := "/mentors/1?day=2026-06-02&month=2026-06&tz=Asia%2FTokyo"

	for _, how := range []string{"login", "signup"} {
		t.Run(how, func(t *testing.T) {
			anon := e.anonymous()
			p := wantStatus(t, anon.get(page), http.StatusOK)
			wantContains(t, p, `<button type="submit" id="request">Log in to request this time</button>`)
			form := url.Values{"start": {start}, "message": {"Help with <generics>?"}, "month": {"2026-06"},
				"day": {"2026-06-02"}, "tz": {"Asia/Tokyo"}, "request_key": {"k1"}}
			p = anon.post("/mentors/1/request", form, "Referer", e.srv.URL+page)
			next := "/login?next=" + url.QueryEscape(page) + "&why=login"
			wantRedirect(t, p, next)
			p = wantStatus(t, anon.get(next), http.StatusOK)
			wantContains(t, p, "the time and message you chose are kept", `name="why" value="login"`)

			if how == "login" {
				p = anon.post("/login", url.Values{"email": {"arjun@example.com"}, "password": {"correct horse battery"},
					"next": {page}, "why": {"login"}})
				wantRedirect(t, p, page)
			} else {
				wantContains(t, anon.get("/signup?next="+url.QueryEscape(page)+"&why=login"), "the time and message you chose are kept")
				p = anon.post("/signup", url.Values{"name": {"Bea"}, "email": {"bea@example.com"}, "password": {"correct horse battery"},
					"timezone": {"Europe/Paris"}, "next": {page}, "why": {"login"}})
				done := "/mentors/1?day=2026-06-02&done=signup&month=2026-06&tz=Asia%2FTokyo"
				wantRedirect(t, p, done)
				wantRedirect(t, anon.get(done), page)
			}
			p = wantStatus(t, anon.get(page), http.StatusOK)
			wantContains(t, p, "Tuesday 2 June 2026", "Times are shown in <strong>Asia/Tokyo</strong>",
				`value="`+templateEscape(start)+`" checked`, "Help with &lt;generics&gt;?",
				"Your choice is below", `<button type="submit" id="request">Request this time</button>`)
			// Shown once: the draft is gone after that.
			wantNotContains(t, anon.get(page), "Help with", "checked")
		})
	}
}

func TestAFormSentAfterTheSessionEndedComesBackAfterLogin(t *testing.T) {
	e := newEnv(t)
	m := e.mentor("Maria", "maria@example.com", "America/New_York")
	token := ""
	for _, c := range m.client.Jar.Cookies(mustURL(t, e.srv.URL)) {
		if c.Name == "mentorbook_session" {
			token = c.Value
		}
	}
	wantStatus(t, m.get("/me/profile"), http.StatusOK)
	// The session ends (another tab logged out) while the form is open.
	if err := e.svc.Accounts.Logout(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	p := m.post("/me/profile", url.Values{"headline": {"Staff engineer, Go and careers"}, "bio": {"New bio"},
		"skills": {"go, careers"}, "active": {"on"}}, "Referer", e.srv.URL+"/me/profile")
	wantRedirect(t, p, "/login?next=%2Fme%2Fprofile&why=session")
	wantContains(t, m.get("/login?next=%2Fme%2Fprofile&why=session"), "Your session ended.")
	// Nothing was saved.
	if u, _ := e.svc.Accounts.Me(context.Background(), m.user); u.Mentor.Headline != "Maria helps with Go" {
		t.Fatalf("headline saved without a session: %q", u.Mentor.Headline)
	}
	wantRedirect(t, m.post("/login", url.Values{"email": {"maria@example.com"}, "password": {"correct horse battery"},
		"next": {"/me/profile"}, "why": {"session"}}), "/me/profile")
	p = wantStatus(t, m.get("/me/profile"), http.StatusOK)
	wantContains(t, p, "Your session ended before this form was sent", `value="Staff engineer, Go and careers"`,
		">New bio</textarea>", `value="go, careers"`)
}

func TestRefusedFormsRedirectAndFlashesShowOnce(t *testing.T) {
	e := newEnv(t)
	m := e.mentor("Maria", "maria@example.com", "America/New_York")

	// A refused form is a redirect: reloading its page shows the problem
	// once and sends nothing.
	p := m.post("/me/overrides", url.Values{"date": {"2026-06-10"}, "start": {"14:00"}, "end": {"13:00"}})
	wantRedirect(t, p, "/me/overrides")
	wantContains(t, m.get("/me/overrides"), "must be after the start")
	wantNotContains(t, m.get("/me/overrides"), "must be after the start", `value="14:00"`)

	// "Saved" shows on the page after the redirect, not on a reload.
	wantRedirect(t, m.post("/me/overrides", url.Values{"date": {"2026-06-10"}, "start": {"14:00"}, "end": {"16:00"}}),
		"/me/overrides?done=override")
	wantRedirect(t, m.get("/me/overrides?done=override"), "/me/overrides")
	wantContains(t, m.get("/me/overrides"), "The date&#39;s hours are saved.")
	wantNotContains(t, m.get("/me/overrides"), "hours are saved")
	// An unknown key shows nothing, and text in the URL is never shown.
	wantRedirect(t, m.get("/me/overrides?done=%3Cb%3Ehi"), "/me/overrides")
	wantNotContains(t, m.get("/me/overrides"), "class=\"flash\"")
}

func TestTheCalendarOpensOnTheFirstFreeMonthAndStopsAtTheHorizon(t *testing.T) {
	e := newEnv(t)
	m := e.mentor("Maria", "maria@example.com", "America/New_York")
	// 30 days' notice: from Monday 1 June, the first free time is in July.
	notice, horizon := 30*24*60, 60
	if _, err := e.svc.Availability.Put(context.Background(), m.user, app.AvailabilityInput{
		Timezone: "America/New_York", MinNoticeMinutes: &notice, HorizonDays: &horizon,
		Weekly: []app.WeeklyInput{{Weekday: 3, Start: "09:00", End: "12:00"}},
	}); err != nil {
		t.Fatal(err)
	}
	anon := e.anonymous()
	p := wantStatus(t, anon.get("/mentors/1?tz=America/New_York"), http.StatusOK)
	wantContains(t, p, `id="month-label">July 2026</h3>`, `aria-label="Wednesday 1 July 2026, 3 free times"`, `id="prev-month"`)
	// The horizon ends on 31 July: no arrow to August, and June has none back.
	wantNotContains(t, p, `id="next-month"`, "Try the next month")
	p = wantStatus(t, anon.get("/mentors/1?month=2026-06&tz=America/New_York"), http.StatusOK)
	wantContains(t, p, `id="next-month"`, "No free times in June 2026. Try the next month.")
	wantNotContains(t, p, `id="prev-month"`)
	// Without any free time, the current month.
	off := e.mentor("Omar", "omar@example.com", "Europe/Berlin")
	if _, err := e.svc.Mentors.PutProfile(context.Background(), off.user, app.ProfileInput{Headline: "Away", Active: false}); err != nil {
		t.Fatal(err)
	}
	wantContains(t, anon.get("/mentors/2?tz=Europe/Berlin"), `id="month-label">June 2026</h3>`)
}

func TestAMentorSeesTheirOwnPageAsMenteesDo(t *testing.T) {
	e := newEnv(t)
	m := e.mentor("Maria", "maria@example.com", "America/New_York")
	p := wantStatus(t, m.get("/mentors/1?month=2026-06&day=2026-06-02"), http.StatusOK)
	wantContains(t, p, "This is your page as mentees see it", `<span class="slot-time">09:00–10:00</span>`, `href="/me/availability"`)
	wantNotContains(t, p, `name="start"`, `id="request"`, "cannot book yourself")
	// Mentees get the form.
	wantContains(t, e.signup("Arjun", "arjun@example.com", "America/New_York").get("/mentors/1?month=2026-06&day=2026-06-02"),
		`name="start"`, `id="request">Request this time`)
}

func TestPendingRequestsShowTheirDeadlineAndDeclinedOnesOfferAnotherTime(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "America/New_York")
	b := e.request(mentee, mentor, slotStart(t, 2026, 6, 4, 9, 0, "America/New_York"), "hi")
	// Requested at 02:00 on 1 June New York time; 48 hours to answer.
	deadline := b.ExpiresAt.In(mustZone(t, "America/New_York"))
	when := deadline.Format("Monday 2 January 2006, 15:04")
	if when != "Wednesday 3 June 2026, 02:00" {
		t.Fatalf("deadline %s, want 48 hours after the request", when)
	}
	wantContains(t, mentee.get("/bookings"), "The mentor has until <time datetime=\""+deadline.Format(time.RFC3339)+"\">"+when+"</time>")
	wantContains(t, mentor.get("/bookings"), "Answer by <time")
	if _, err := e.svc.Bookings.Decline(context.Background(), mentor.user, b.ID, "Busy"); err != nil {
		t.Fatal(err)
	}
	p := mentee.get("/bookings")
	wantContains(t, p, `<a href="/mentors/1" id="rebook-1">Book another time</a> with Maria`)
	wantNotContains(t, p, "The mentor has until")
	wantNotContains(t, mentor.get("/bookings"), "Book another time")
}

func TestPagesHaveAFaviconAndTitlesNameTheSiteOnce(t *testing.T) {
	e := newEnv(t)
	e.mentor("Maria", "maria@example.com", "America/New_York")
	anon := e.anonymous()
	for path, title := range map[string]string{
		"/": "Mentorbook", "/mentors": "Mentors · Mentorbook", "/mentors/1": "Maria · Mentorbook",
		"/login": "Log in · Mentorbook", "/nowhere": "Page not found · Mentorbook",
	} {
		p := anon.get(path)
		wantContains(t, p, "<title>"+title+"</title>", `<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">`)
	}
	p := wantStatus(t, anon.get("/static/favicon.svg"), http.StatusOK)
	if ct := p.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") || !strings.Contains(p.Body, "<svg") {
		t.Errorf("favicon: %s %q", ct, p.Body)
	}
}

func TestZonePickersKnowTheCurrentNamesOfOldZones(t *testing.T) {
	e := newEnv(t)
	// static/app.js reads the aliases from the page.
	wantContains(t, e.anonymous().get("/signup"), `data-aliases="{&#34;America/Buenos_Aires&#34;`, `&#34;Asia/Calcutta&#34;:&#34;Asia/Kolkata&#34;`)
	// And the server stores the current name whatever the browser sent.
	anon := e.anonymous()
	wantRedirect(t, anon.post("/signup", url.Values{"name": {"Ravi"}, "email": {"ravi@example.com"},
		"password": {"correct horse battery"}, "timezone": {"Asia/Calcutta"}}), "/?done=signup")
	wantContains(t, anon.get("/bookings"), "Times are shown in <strong>Asia/Kolkata</strong>")
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
