package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

func serviceForm(changes map[string]string) url.Values {
	f := url.Values{"title": {"Go in four weeks"}, "description": {"Weekly calls and code review"}, "price": {"250"},
		"format": {"sessions"}, "sessions": {"4"}, "session_minutes": {"45"}, "mode": {"online"}, "location": {""},
		"days": {""}, "active": {"on"}}
	for k, v := range changes {
		f.Set(k, v)
	}
	return f
}

func TestAMentorAddsEditsAndArchivesServices(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")

	p := wantStatus(t, mentor.get("/me/services"), http.StatusOK)
	wantContains(t, p, "Free consultation", "1 session of 60 minutes, online", "Prices are in USD", `id="nav-services"`)

	// A refused form comes back with what was typed and the reason.
	p = wantStatus(t, mentor.post("/me/services", serviceForm(map[string]string{"price": "12.345", "title": "Too precise"})), http.StatusUnprocessableEntity)
	wantContains(t, p, `value="Too precise"`, `id="price-error"`, "must be an amount in USD like 25.00")
	p = wantStatus(t, mentor.post("/me/services", serviceForm(map[string]string{"session_minutes": "47"})), http.StatusUnprocessableEntity)
	wantContains(t, p, `id="session_minutes-error"`, `value="47"`)

	wantRedirect(t, mentor.post("/me/services", serviceForm(nil)), "/me/services?done=service")
	p = wantStatus(t, mentor.get("/me/services?done=service"), http.StatusOK)
	wantContains(t, p, "Your service is saved.", "Go in four weeks", "$250.00", "4 sessions of 45 minutes, online")
	wantRedirect(t, mentor.post("/me/services", serviceForm(map[string]string{"title": "Code review", "price": "0", "format": "async", "days": "14"})), "/me/services?done=service")

	// The mentor page shows the active services as cards with a Request button.
	p = wantStatus(t, mentee.get("/mentors/1"), http.StatusOK)
	wantContains(t, p, "Go in four weeks", "$250.00", "4 sessions of 45 minutes, online", "Code review", "14 days of written help (async)",
		`id="request-2"`, "waits for your payment of $250.00", "Book a time below")
	wantNotContains(t, p, `id="request-1"`, `id="programs-only"`)
	// The mentor sees no Request button on their own page; a visitor is asked to log in.
	wantNotContains(t, wantStatus(t, mentor.get("/mentors/1"), http.StatusOK), `id="request-2"`)
	wantContains(t, wantStatus(t, e.anonymous().get("/mentors/1"), http.StatusOK), "Log in to request")

	// Edit the program; archive it; make the free consultation inactive.
	p = wantStatus(t, mentor.get("/me/services?edit=2"), http.StatusOK)
	wantContains(t, p, `action="/me/services/2"`, `value="250.00"`)
	wantRedirect(t, mentor.post("/me/services/2", serviceForm(map[string]string{"price": "199.99"})), "/me/services?done=service")
	wantContains(t, wantStatus(t, mentee.get("/mentors/1"), http.StatusOK), "$199.99")
	wantRedirect(t, mentor.post("/me/services/2/archive", nil), "/me/services?done=archived")
	p = wantStatus(t, mentee.get("/mentors/1"), http.StatusOK)
	wantNotContains(t, p, "Go in four weeks")
	wantRedirect(t, mentor.post("/me/services/1", url.Values{"title": {"Intro call"}, "description": {""}, "mode": {"online"}, "location": {""}}), "/me/services?done=service")
	p = wantStatus(t, mentee.get("/mentors/1"), http.StatusOK)
	wantContains(t, p, `id="programs-only"`, "they take requests for their programs only")
	wantNotContains(t, p, `class="calendar"`)

	// Not a mentor: 403; another mentor's service: 404.
	wantStatus(t, mentee.get("/me/services"), http.StatusForbidden)
	other := e.mentor("Otto", "otto@example.com", "Europe/Berlin")
	wantStatus(t, other.get("/me/services?edit=3"), http.StatusNotFound)
	wantStatus(t, other.post("/me/services/3", serviceForm(nil)), http.StatusNotFound)
	wantStatus(t, other.post("/me/services/1/archive", nil), http.StatusNotFound)
}
