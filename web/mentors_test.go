package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestMentorListFiltersBySkill(t *testing.T) {
	e := newEnv(t)
	e.mentor("Maria", "maria@example.com", "America/New_York")
	e.signup("Arjun", "arjun@example.com", "Asia/Kolkata") // not a mentor
	for _, b := range []*browser{e.anonymous(), e.signup("Cleo", "cleo@example.com", "Europe/Berlin")} {
		p := wantStatus(t, b.get("/mentors"), http.StatusOK)
		wantContains(t, p, `<a href="/mentors/1">Maria</a>`, "Maria helps with Go", "<li>go</li>")
		wantNotContains(t, p, "Arjun")
		p = wantStatus(t, b.get("/mentors?skill=cooking"), http.StatusOK)
		wantContains(t, p, "No mentors match this search yet.", `value="cooking"`)
	}
}

func TestMentorCalendarShowsSlotsInTheViewersZone(t *testing.T) {
	e := newEnv(t)
	e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")

	// Maria works 09:00–12:00 New York time; in June New York is UTC-4 and
	// Kolkata UTC+5:30, so her Monday 1 June 09:00 is 18:30 in Kolkata.
	cases := []struct {
		name   string
		b      *browser
		query  string
		zone   string
		first  time.Time
		mentor string
	}{
		{"signed-in mentee, account zone", mentee, "", "Asia/Kolkata", slotStart(t, 2026, 6, 1, 9, 0, "Asia/Kolkata"), "09:00–10:00 EDT"},
		{"anonymous, zone chosen", e.anonymous(), "&tz=Asia/Tokyo", "Asia/Tokyo", slotStart(t, 2026, 6, 1, 9, 0, "Asia/Tokyo"), "09:00–10:00 EDT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			day := c.first.Format("2006-01-02")
			p := wantStatus(t, c.b.get("/mentors/1?month=2026-06&day="+day+c.query), http.StatusOK)
			slot := fmt.Sprintf("%s–%s", c.first.Format("15:04"), c.first.Add(time.Hour).Format("15:04"))
			wantContains(t, p,
				"Times are shown in <strong>"+c.zone+"</strong>",
				"June 2026",
				`<th scope="col" abbr="Monday">Mon</th>`,
				`<span class="slot-time">`+slot+`</span>`,
				c.mentor+" for Maria",
				`value="`+templateEscape(c.first.Format(time.RFC3339))+`"`,
				`aria-current="date"`,
			)
		})
	}

	// An unknown zone is said so, and times are in UTC.
	p := wantStatus(t, e.anonymous().get("/mentors/1?tz=Mars/Olympus"), http.StatusOK)
	wantContains(t, p, "&#34;Mars/Olympus&#34; is not a time zone we know", "Times are shown in <strong>UTC</strong>", "data-tz-unknown")

	// Months move; a hand-made bad month falls back to this one.
	wantContains(t, mentee.get("/mentors/1?month=2026-07"), "July 2026", `href="?month=2026-06"`)
	// The arrows stop at this month and at Maria's horizon (60 days, to 31 July).
	wantNotContains(t, mentee.get("/mentors/1?month=2026-07"), `id="next-month"`)
	wantNotContains(t, mentee.get("/mentors/1?month=2026-06"), `id="prev-month"`)
	wantContains(t, mentee.get("/mentors/1?month=2026-07&tz=Asia/Tokyo"), `href="?month=2026-06&amp;tz=Asia%2FTokyo"`)
	wantContains(t, mentee.get("/mentors/1?month=2026-13"), "June 2026")
	wantStatus(t, mentee.get("/mentors/99"), http.StatusNotFound)
}

func TestRequestingASlotConfirmsOrExplainsTheRace(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	rival := e.signup("Rita", "rita@example.com", "Europe/Berlin")
	first := slotStart(t, 2026, 6, 1, 9, 0, "Asia/Kolkata")
	second := first.Add(time.Hour)

	// Rita takes 09:00 New York after Arjun's page was shown.
	wantContains(t, mentee.get("/mentors/1?day=2026-06-01"), first.Format("15:04")+"–")
	e.request(rival, mentor, first, "mine")
	form := url.Values{"start": {first.Format(time.RFC3339)}, "message": {"Can we talk about Go?"},
		"month": {"2026-06"}, "day": {"2026-06-01"}}
	p := mentee.refused(mentee.post("/mentors/1/request", form), "/mentors/1?day=2026-06-01&month=2026-06")
	wantContains(t, p, "Someone just took that time", "Can we talk about Go?",
		`<span class="slot-time">`+second.Format("15:04")+"–")
	wantNotContains(t, p, `<span class="slot-time">`+first.Format("15:04")+"–")

	form.Set("start", second.Format(time.RFC3339))
	form.Set("request_key", "form-1")
	wantRedirect(t, mentee.post("/mentors/1/request", form), "/bookings?done=requested")
	// A double-submitted form answers like the first, not with "taken".
	wantRedirect(t, mentee.post("/mentors/1/request", form), "/bookings?done=requested")
	p = mentee.refused(mentee.get("/bookings?done=requested"), "/bookings")
	wantContains(t, p, "Your request was sent", "Maria", "Monday 1 June 2026, "+second.Format("15:04"), "pending")
	if n := strings.Count(p.Body, `<span class="slot-time">Monday 1 June 2026, `+second.Format("15:04")); n != 1 {
		t.Errorf("the double submit shows %d requests, want 1", n)
	}
	form.Del("request_key")

	// No time chosen, or a message too long: the form says so and keeps the text.
	form.Del("start")
	p = mentee.refused(mentee.post("/mentors/1/request", form), "/mentors/1?day=2026-06-01&month=2026-06")
	wantContains(t, p, "choose a time first", "Can we talk about Go?")
	// A mentor cannot book themself: a hand-made post says so.
	form.Set("start", slotStart(t, 2026, 6, 2, 9, 0, "America/New_York").Format(time.RFC3339))
	p = mentor.refused(mentor.post("/mentors/1/request", form), "/mentors/1?day=2026-06-01&month=2026-06")
	wantContains(t, p, "you cannot book yourself")
}

// templateEscape is how html/template writes a '+' in an attribute.
func templateEscape(s string) string {
	out := ""
	for _, r := range s {
		if r == '+' {
			out += "&#43;"
			continue
		}
		out += string(r)
	}
	return out
}
