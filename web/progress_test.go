package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorbook/mentorbook/app"
)

// activeMentorship is an accepted free program of mentee with mentor.
func (e *env) activeMentorship(mentor, mentee *browser) int64 {
	e.t.Helper()
	sv := e.addService(mentor, "Two calls", 0, "sessions", 2)
	ctx := context.Background()
	m, err := e.svc.Mentorships.Request(ctx, mentee.user, app.MentorshipInput{ServiceID: sv}, "")
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.Mentorships.Act(ctx, mentor.user, m.ID, app.ActionAccept, ""); err != nil {
		e.t.Fatal(err)
	}
	return m.ID
}

// done follows a post/redirect/get to its page and checks the flash.
func (b *browser) done(p page, location, flash string) page {
	b.e.t.Helper()
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), location) {
		b.e.t.Fatalf("got %d to %q, want 303 to %s…; body %s", p.Status, p.Header.Get("Location"), location, p.Body)
	}
	next := b.get(p.Header.Get("Location"))
	if next.Status == http.StatusSeeOther {
		next = b.get(next.Header.Get("Location"))
	}
	wantStatus(b.e.t, next, http.StatusOK)
	wantContains(b.e.t, next, flash)
	return next
}

func TestAMentorshipsProgressOnItsPage(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	stranger := e.signup("Cleo", "cleo@example.com", "Europe/Berlin")
	id := e.activeMentorship(mentor, mentee)
	page := fmt.Sprintf("/mentorships/%d", id)

	p := mentee.done(mentee.post(page+"/tasks", url.Values{"title": {"Read the Go spec"}}), page, "The task is saved.")
	wantContains(t, p, "Read the Go spec", "added by Arjun", `id="progress-tasks">0 of 1`, `id="progress-sessions">0 of 2`)
	wantNotContains(t, p, `id="log-time"`) // only the mentor logs time
	p = mentor.done(mentor.post(page+"/tasks/1", url.Values{"done": {"1"}}), page, "The task is saved.")
	wantContains(t, p, `id="progress-tasks">1 of 1`, "Mark not done", "done Monday 1 June 2026")
	p = mentor.done(mentor.post(page+"/time", url.Values{"minutes": {"150"}, "date": {"2026-05-30"}, "note": {"Prepared"}}), page, "Your time is logged.")
	wantContains(t, p, `id="progress-time">2 h 30 min`, "2026-05", "Prepared")
	mentor.done(mentor.post(page+"/notes", url.Values{"body": {"Only for me"}}), page, "Your note is saved.")
	mentor.done(mentor.post(page+"/notes", url.Values{"body": {"For both of us"}, "shared": {"on"}}), page, "Your note is saved.")
	p = mentee.get(page)
	wantContains(t, p, "For both of us", `id="progress-time">2 h 30 min`)
	wantNotContains(t, p, "Only for me")

	// Refused: the mentee logging time, bad minutes, an empty task; a stranger sees nothing.
	p = mentee.refused(mentee.post(page+"/time", url.Values{"minutes": {"30"}, "date": {"2026-06-01"}}), page)
	wantContains(t, p, "Only the mentor logs time.")
	p = mentor.refused(mentor.post(page+"/time", url.Values{"minutes": {"1441"}, "date": {"2026-06-01"}}), page)
	wantContains(t, p, "Not saved: the minutes must be a whole number from 1 to 1440.", `id="progress-time">2 h 30 min`)
	p = mentee.refused(mentee.post(page+"/tasks", url.Values{"title": {" "}}), page)
	wantContains(t, p, "Not saved: the title is required.", `id="progress-tasks">1 of 1`)
	wantStatus(t, stranger.get(page), http.StatusNotFound)
	wantStatus(t, stranger.post(page+"/tasks", url.Values{"title": {"Mine"}}), http.StatusNotFound)

	mentee.done(mentee.post(page+"/tasks/1", url.Values{"delete": {"1"}}), page, "The task is deleted.")
	// Completed, it can no longer change, and the mentee may review it.
	if _, err := e.svc.Mentorships.Act(context.Background(), mentee.user, id, app.ActionComplete, ""); err != nil {
		t.Fatal(err)
	}
	p = mentee.get(page)
	wantContains(t, p, `id="write-review-`+strconv.FormatInt(id, 10)+`"`)
	wantNotContains(t, p, `id="add-task"`, `id="add-note"`)
	wantNotContains(t, mentor.get(page), `id="write-review-`, `id="log-time"`)
}

func TestAReviewAppearsOnTheMentorPageWithTheMentorsReply(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	id := e.activeMentorship(mentor, mentee)
	form := url.Values{"mentorship_id": {strconv.FormatInt(id, 10)}, "rating": {"4"}, "text": {"Patient and precise."}}
	p := mentee.refused(mentee.post("/reviews", form), fmt.Sprintf("/mentorships/%d", id))
	wantContains(t, p, "once it is completed")
	if _, err := e.svc.Mentorships.Act(context.Background(), mentee.user, id, app.ActionComplete, ""); err != nil {
		t.Fatal(err)
	}
	bad := url.Values{"mentorship_id": form["mentorship_id"], "rating": {"6"}}
	p = mentee.refused(mentee.post("/reviews", bad), fmt.Sprintf("/mentorships/%d", id))
	wantContains(t, p, "The review was not published: its rating must be a whole number from 1 to 5.")

	p = mentee.done(mentee.post("/reviews", form), fmt.Sprintf("/mentors/%d", mentor.user.ID), "your review is published")
	wantContains(t, p, "Patient and precise.", "4 out of 5", "Rated 4.0 out of 5 in 1 review")
	wantNotContains(t, p, `id="reply-1"`) // only the mentor replies
	wantNotContains(t, mentee.get(fmt.Sprintf("/mentorships/%d", id)), `id="write-review-`)

	p = mentor.done(mentor.post("/reviews/1/reply", url.Values{"text": {"Thank you, Arjun!"}}), fmt.Sprintf("/mentors/%d", mentor.user.ID), "Your reply is published.")
	wantContains(t, p, "Reply: Thank you, Arjun!")
	wantNotContains(t, p, `id="reply-1"`)
	p = mentor.refused(mentor.post("/reviews/1/reply", url.Values{"text": {"Again"}}), fmt.Sprintf("/mentors/%d", mentor.user.ID))
	wantContains(t, p, "already has a reply")
	wantContains(t, e.anonymous().get(fmt.Sprintf("/mentors/%d", mentor.user.ID)), "Patient and precise.", "Reply: Thank you, Arjun!")
}

func TestTheProfileFormSavesCredibilityFieldsShownOnTheMentorPage(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	form := url.Values{"headline": {"Go mentor"}, "active": {"on"}, "links": {"http://maria.dev\nhttps://github.com/maria"},
		"languages": {"English, Español"}, "years_experience": {"12"}}
	p := mentor.refused(mentor.post("/me/profile", form), "/me/profile")
	wantContains(t, p, `id="links-error"`, "https:// address", "http://maria.dev", `value="English, Español"`)
	form.Set("links", "https://maria.dev\nhttps://github.com/maria")
	wantRedirect(t, mentor.post("/me/profile", form), "/me/profile?done=profile")
	wantContains(t, e.anonymous().get(fmt.Sprintf("/mentors/%d", mentor.user.ID)), "12 years of experience", "Speaks English, Español",
		`href="https://github.com/maria"`)
	wantContains(t, mentor.get("/me/profile"), "https://maria.dev\nhttps://github.com/maria", `value="12"`)
}

var countRe = regexp.MustCompile(`id="([a-z-]+)-count">(\d+)<`)

// dashboardCounts reads each part's count and the items of its list.
func dashboardCounts(t *testing.T, p page) map[string][2]int {
	t.Helper()
	out := map[string][2]int{}
	for _, m := range countRe.FindAllStringSubmatch(p.Body, -1) {
		n, _ := strconv.Atoi(m[2])
		items := 0
		if i := strings.Index(p.Body, `<ul class="items" id="`+m[1]+`">`); i >= 0 {
			list := p.Body[i:]
			list = list[:strings.Index(list, "</ul>")]
			items = strings.Count(list, "<li>")
		}
		out[m[1]] = [2]int{n, items}
	}
	return out
}

func TestTheDashboardCountsEachListAndSwitchesAvailability(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	e.request(mentee, mentor, slotStart(t, 2026, 6, 2, 10, 0, "Asia/Kolkata"), "hello")
	e.activeMentorship(mentor, mentee)
	if _, err := e.svc.Mentorships.Request(context.Background(), mentee.user, app.MentorshipInput{
		ServiceID: e.addService(mentor, "Review", 0, "async", 5)}, ""); err != nil {
		t.Fatal(err)
	}
	for who, b := range map[string]*browser{"mentor": mentor, "mentee": mentee} {
		for _, path := range []string{"/", "/dashboard"} {
			counts := dashboardCounts(t, wantStatus(t, b.get(path), http.StatusOK))
			if len(counts) < 8 {
				t.Fatalf("%s's %s shows parts %v", who, path, counts)
			}
			for part, c := range counts {
				if c[0] != c[1] {
					t.Errorf("%s's %s: %s says %d, lists %d", who, path, part, c[0], c[1])
				}
			}
			want := map[string]int{"waiting-for-me": 2, "waiting-for-others": 0, "active": 1, "connections": 1}
			if who == "mentee" {
				want = map[string]int{"waiting-for-me": 0, "waiting-for-others": 2, "active": 1, "connections": 1}
			}
			for part, n := range want {
				if counts[part][0] != n {
					t.Errorf("%s's %s: %s = %d, want %d", who, path, part, counts[part][0], n)
				}
			}
		}
	}
	p := mentor.get("/dashboard")
	wantContains(t, p, "taking requests", `href="/messages?with=`+strconv.FormatInt(mentee.user.ID, 10)+`"`, "Your money")
	wantNotContains(t, mentee.get("/dashboard"), "Your money", `id="availability-switch"`)

	p = mentor.done(mentor.post("/dashboard/availability", url.Values{"active": {"0"}}), "/dashboard", "You are not taking requests now")
	wantContains(t, p, "Take requests again")
	if m, err := e.svc.Mentors.Get(context.Background(), mentor.user.ID); err != nil || m.Active || m.Headline != "Maria helps with Go" {
		t.Errorf("after the switch %+v %v", m, err)
	}
	mentor.done(mentor.post("/dashboard/availability", url.Values{"active": {"1"}}), "/dashboard", "You are taking requests again.")
	wantStatus(t, mentee.post("/dashboard/availability", url.Values{"active": {"1"}}), http.StatusConflict)
	wantRedirect(t, e.anonymous().get("/dashboard"), "/login?next=%2Fdashboard")
}

func TestAHeldConsultationIsReviewedFromTheDashboardHistory(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	b := e.request(mentee, mentor, slotStart(t, 2026, 6, 1, 10, 0, "Asia/Kolkata"), "hello")
	if _, err := e.svc.Bookings.Accept(context.Background(), mentor.user, b.ID); err != nil {
		t.Fatal(err)
	}
	wantNotContains(t, mentee.get("/dashboard"), `id="write-review-`)
	e.clock.Advance(b.End.Sub(testNow))
	p := mentee.get("/dashboard")
	wantContains(t, p, `id="history-count">1<`, `id="write-review-`+formatInt(b.ID)+`"`, `name="booking_id" value="`+formatInt(b.ID)+`"`,
		`id="connections-count">1<`)
	wantNotContains(t, mentor.get("/dashboard"), `id="write-review-`)
	form := url.Values{"booking_id": {formatInt(b.ID)}, "rating": {"3"}, "text": {"Good first call."}}
	p = mentee.done(mentee.post("/reviews", form), fmt.Sprintf("/mentors/%d", mentor.user.ID), "your review is published")
	wantContains(t, p, "Good first call.", "3 out of 5")
	wantNotContains(t, mentee.get("/dashboard"), `id="write-review-`)
	p = mentee.refused(mentee.post("/reviews", form), "/dashboard")
	wantContains(t, p, "one review each")
}
