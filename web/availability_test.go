package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/mentorbook/mentorbook/schedule"
)

func TestBecomingAMentorLeadsToTheAvailabilityEditor(t *testing.T) {
	e := newEnv(t)
	b := e.signup("Ada", "ada@example.com", "Europe/London")
	// Before a profile, availability pages lead to the profile form.
	wantRedirect(t, b.get("/me/availability"), "/me/profile")
	wantRedirect(t, b.get("/me/overrides"), "/me/profile")
	p := wantStatus(t, b.get("/me/profile"), http.StatusOK)
	wantContains(t, p, "Become a mentor", `id="active" name="active" type="checkbox" checked`)

	p = b.refused(b.post("/me/profile", url.Values{"headline": {" "}, "bio": {"I know <b>things</b>"}, "skills": {"go, sql"}}),
		"/me/profile")
	wantContains(t, p, `id="headline-error">is required`, "I know &lt;b&gt;things&lt;/b&gt;", `value="go, sql"`)

	wantRedirect(t, b.post("/me/profile", url.Values{"headline": {"Go mentor"}, "skills": {"Go, SQL, go"}, "active": {"on"}}),
		"/me/availability?done=newmentor")
	p = b.refused(b.get("/me/availability?done=newmentor"), "/me/availability")
	wantContains(t, p, "Now set the hours", `value="Europe/London"`, `href="/mentors/1"`)
	wantContains(t, b.get("/mentors/1"), "Go mentor", "<li>go</li>", "<li>sql</li>")
	// Its nav now offers the mentor pages.
	wantContains(t, b.get("/"), `href="/me/availability"`)
}

func TestAvailabilityEditorSavesRowsAndKeepsTypedValuesOnErrors(t *testing.T) {
	e := newEnv(t)
	m := e.mentor("Maria", "maria@example.com", "America/New_York")
	form := url.Values{
		"timezone":        {"America/Chicago"},
		"weekday":         {"1", "1", "3", "5"},
		"start":           {"09:00", "13:00", "", "10:00"},
		"end":             {"12:00", "00:00", "", "09:30"},
		"session_minutes": {"45"}, "min_notice_minutes": {"60"}, "horizon_days": {"30"},
		"buffer_before_minutes": {"0"}, "buffer_after_minutes": {"15"}, "slot_interval_minutes": {"0"},
		"pending_expiry_hours": {"24"},
	}
	// Friday's end is before its start: the row says so, and every typed
	// value stays. The blank row is skipped without shifting the error.
	p := m.refused(m.post("/me/availability", form), "/me/availability")
	wantContains(t, p, `id="end-3-error">must be after the start`, `value="America/Chicago"`,
		`id="start-3" name="start" type="time" value="10:00">`, `id="end-3" name="end" type="time" value="09:30" aria-invalid="true"`, `value="45"`,
		`<option value="5" selected>Friday</option>`)
	wantNotContains(t, p, `id="end-0-error"`, `id="end-1-error"`)

	form["end"][3] = "11:30"
	form.Set("session_minutes", "abc")
	p = m.refused(m.post("/me/availability", form), "/me/availability")
	wantContains(t, p, `id="session_minutes-error">must be a whole number`, `value="abc"`)

	form.Set("session_minutes", "47")
	p = m.refused(m.post("/me/availability", form), "/me/availability")
	wantContains(t, p, `id="session_minutes-error">must be a multiple of 5`)

	form.Set("session_minutes", "45")
	wantRedirect(t, m.post("/me/availability", form), "/me/availability?done=hours")
	a, err := e.svc.Availability.Get(context.Background(), m.user)
	if err != nil {
		t.Fatal(err)
	}
	want := []schedule.WeeklyInterval{{Weekday: 1, Start: 9 * 60, End: 12 * 60}, {Weekday: 1, Start: 13 * 60, End: 24 * 60},
		{Weekday: 5, Start: 10 * 60, End: 11*60 + 30}}
	if a.Timezone != "America/Chicago" || a.SessionMinutes != 45 || a.BufferAfterMinutes != 15 || len(a.Weekly) != len(want) {
		t.Fatalf("saved %+v", a)
	}
	for i := range want {
		if a.Weekly[i] != want[i] {
			t.Errorf("weekly[%d] = %+v, want %+v", i, a.Weekly[i], want[i])
		}
	}
	// The editor shows what was saved; midnight as 00:00 for the time input.
	p = m.refused(m.get("/me/availability?done=hours"), "/me/availability")
	wantContains(t, p, "Your availability is saved.", `id="start-1" name="start" type="time" value="13:00"`,
		`id="end-1" name="end" type="time" value="00:00"`, `id="session_minutes" name="session_minutes" type="number"`)
	// A non-mentor's post is refused; it could only ever touch their own
	// settings anyway, so Maria's stay as they are.
	other := e.signup("Cleo", "cleo@example.com", "Europe/Berlin")
	wantContains(t, wantStatus(t, other.post("/me/availability", form), http.StatusForbidden), "create a mentor profile first")
	if again, _ := e.svc.Availability.Get(context.Background(), m.user); again.SessionMinutes != 45 {
		t.Errorf("Maria's settings changed: %+v", again)
	}
}

func TestOverridesAddListAndDelete(t *testing.T) {
	e := newEnv(t)
	m := e.mentor("Maria", "maria@example.com", "America/New_York")
	p := wantStatus(t, m.get("/me/overrides"), http.StatusOK)
	wantContains(t, p, "None: your weekly hours apply every day.", "America/New_York")

	p = m.refused(m.post("/me/overrides", url.Values{"date": {"2026-06-10"}, "start": {"", ""}, "end": {"", ""}}), "/me/overrides")
	wantContains(t, p, "give at least one start and end", `value="2026-06-10"`)
	p = m.refused(m.post("/me/overrides", url.Values{"date": {"2026-06-10"}, "start": {"14:00"}, "end": {"13:00"}}), "/me/overrides")
	wantContains(t, p, `id="ov-end-0-error">must be after the start`, `value="14:00"`)

	wantRedirect(t, m.post("/me/overrides", url.Values{"date": {"2026-06-10"}, "start": {"14:00", ""}, "end": {"16:00", ""}}), "/me/overrides?done=override")
	wantRedirect(t, m.post("/me/overrides", url.Values{"date": {"2026-06-11"}, "day_off": {"on"}, "start": {"09:00"}, "end": {"10:00"}}), "/me/overrides?done=override")
	p = wantStatus(t, m.get("/me/overrides"), http.StatusOK)
	wantContains(t, p, "<strong>Wednesday 10 June 2026</strong>: 14:00–16:00", "<strong>Thursday 11 June 2026</strong>: day off")

	// The day off shows on the public calendar: no link for 11 June.
	wantContains(t, e.anonymous().get("/mentors/1?month=2026-06&tz=America/New_York"),
		`<span aria-label="Thursday 11 June 2026, no free times">11</span>`,
		`aria-label="Wednesday 10 June 2026, 2 free times"`)

	// Someone else cannot delete Maria's override.
	other := e.mentor("Omar", "omar@example.com", "Europe/Berlin")
	other.refused(other.post("/me/overrides/2026-06-11/delete", nil), "/me/overrides")
	wantRedirect(t, m.post("/me/overrides/2026-06-11/delete", nil), "/me/overrides?done=unoverride")
	p = wantStatus(t, m.get("/me/overrides"), http.StatusOK)
	wantNotContains(t, p, "Thursday 11 June 2026")
}
