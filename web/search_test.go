package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/mentorbook/mentorbook/app"
)

func TestMentorListSearchFilters(t *testing.T) {
	e := newEnv(t)
	maria := e.mentor("Maria", "maria@example.com", "America/New_York") // Mon–Fri 09:00–12:00 New York
	e.mentor("Kenji", "kenji@example.com", "Asia/Tokyo")                // Mon–Fri 09:00–12:00 Tokyo
	ptr := func(s string) *string { return &s }
	sessions, minutes := 4, 45
	if _, err := e.svc.Services.Create(context.Background(), maria.user, app.ServiceInput{
		Title: ptr("Go in four weeks"), PriceMinor: ptr("25000"), Format: ptr("sessions"), Sessions: &sessions, SessionMinutes: &minutes,
	}); err != nil {
		t.Fatal(err)
	}
	viewer := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")

	// Every card shows its price and next free time in the viewer's zone:
	// Maria's first slot after 4 hours' notice is Monday 1 June 09:00 New
	// York, 18:30 in Kolkata.
	first := slotStart(t, 2026, 6, 1, 9, 0, "Asia/Kolkata")
	p := wantStatus(t, viewer.get("/mentors"), http.StatusOK)
	wantContains(t, p, `id="mentor-1"`, `id="mentor-2"`, "From <strong class=\"price\">Free</strong>",
		"Next free: <strong class=\"next\">"+first.Format("Monday 2 January 2006")+", "+first.Format("15:04")+"</strong>",
		"Times are shown in <strong>Asia/Kolkata</strong>")

	// Words and skills.
	p = viewer.get("/mentors?q=maria+go&skill=go")
	wantContains(t, p, `id="mentor-1"`, `value="maria go"`)
	wantNotContains(t, p, `id="mentor-2"`)
	wantContains(t, viewer.get("/mentors?q=cobol"), "No mentors match this search yet.")

	// Free in a window given in the viewer's zone: Monday 1 June 18:00–19:00
	// in Kolkata is 08:30–09:30 in New York (Maria starts at 09:00) and
	// 21:30–22:30 in Tokyo (Kenji is done at noon).
	p = viewer.get("/mentors?date=2026-06-01&from=18:00&to=19:00")
	wantContains(t, p, `id="mentor-1"`, `value="2026-06-01"`, `value="18:00"`)
	wantNotContains(t, p, `id="mentor-2"`)
	// 06:00–07:00 Kolkata on Tuesday is 09:30–10:30 in Tokyo; New York is asleep.
	p = viewer.get("/mentors?date=2026-06-02&from=06:00&to=07:00")
	wantContains(t, p, `id="mentor-2"`)
	wantNotContains(t, p, `id="mentor-1"`)

	// Price, in the currency's major units, and sorting by it.
	wantContains(t, viewer.get("/mentors?max_price=0"), `id="mentor-1"`, `id="mentor-2"`)
	p = viewer.get("/mentors?sort=next_available")
	wantContains(t, p, `<option value="next_available" selected>`)

	// Refused filters say why next to the field and keep what was typed.
	p = wantStatus(t, viewer.get("/mentors?max_price=abc"), http.StatusUnprocessableEntity)
	wantContains(t, p, `id="max_price-error"`, `value="abc"`)
	p = wantStatus(t, viewer.get("/mentors?date=tomorrow&from=09:00"), http.StatusUnprocessableEntity)
	wantContains(t, p, `id="window-error"`, "choose a date")
	p = wantStatus(t, viewer.get("/mentors?q=a%00"), http.StatusUnprocessableEntity)
	wantContains(t, p, `id="q-error"`)
}
