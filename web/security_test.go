package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestEveryResponseCarriesSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
			"frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"X-Frame-Options":        "DENY",
	}
	anon := e.anonymous()
	for _, path := range []string{"/", "/mentors", "/login", "/signup", "/no/such/page", "/static/style.css",
		"/static/app.js", "/mentors/999", "/bookings"} {
		p := anon.get(path)
		for k, v := range want {
			if got := p.Header.Get(k); got != v {
				t.Errorf("GET %s: %s = %q, want %q", path, k, got, v)
			}
		}
	}
	p := mentor.post("/me/profile", url.Values{"headline": {""}})
	if p.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("POST with a validation error has no Content-Security-Policy")
	}
}

func TestPagesHaveNoInlineScriptsOrStyles(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	paths := []string{"/", "/mentors", "/mentors/1?month=2026-06&day=2026-06-01", "/me/profile", "/me/availability",
		"/me/overrides", "/bookings", "/signup", "/login", "/nope"}
	for _, path := range paths {
		p := mentor.get(path)
		body := strings.ToLower(p.Body)
		for _, bad := range []string{"<script>", "style=", "<style", " onclick=", " onload=", "javascript:"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q, which the Content-Security-Policy blocks", path, bad)
			}
		}
		if !strings.Contains(p.Body, `<script src="/static/app.js" defer></script>`) {
			t.Errorf("%s does not load /static/app.js", path)
		}
	}
}

func TestCrossSitePostsAreRefusedAndChangeNothing(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	start := slotStart(t, 2026, 6, 1, 9, 0, "Asia/Kolkata")
	form := url.Values{"start": {start.Format("2006-01-02T15:04:05Z07:00")}, "message": {"hi"}}

	for name, header := range map[string][]string{
		"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site", "cross-site"},
		"foreign Origin":            {"Sec-Fetch-Site", "", "Origin", "https://evil.example"},
	} {
		t.Run(name, func(t *testing.T) {
			p := wantStatus(t, mentee.post("/mentors/1/request", form, header...), http.StatusForbidden)
			wantContains(t, p, "sent from another site")
			// Logging out cross-site is refused too: the session still works.
			wantStatus(t, mentee.post("/logout", nil, header...), http.StatusForbidden)
			wantStatus(t, mentee.get("/bookings"), http.StatusOK)
		})
	}
	inbox := wantStatus(t, mentor.get("/bookings"), http.StatusOK)
	wantContains(t, inbox, "No requests are waiting.")
	// The same request from the site itself goes through.
	wantRedirect(t, mentee.post("/mentors/1/request", form), "/bookings?done=requested")
}

func TestNotFoundAndErrorPagesShowNoInternals(t *testing.T) {
	e := newEnv(t)
	anon := e.anonymous()
	for _, path := range []string{"/no/such/page", "/mentors/999", "/mentors/abc", "/static/nope.js"} {
		p := anon.get(path)
		if p.Status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, p.Status)
		}
	}
	p := anon.get("/no/such/page")
	wantContains(t, p, "Page not found", `href="/"`)

	// Break the database: the page says something went wrong, the log
	// says what.
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	p = wantStatus(t, anon.get("/mentors"), http.StatusInternalServerError)
	wantContains(t, p, "Something went wrong")
	wantNotContains(t, p, "sql", "closed", "database", "goroutine", ".go:")
	if !strings.Contains(e.logs.String(), "closed") {
		t.Errorf("the log does not record the error: %s", e.logs.String())
	}
}

// Static files need no database: a signed-in visitor still gets the
// stylesheet and scripts while the database is down.
func TestStaticFilesAreServedWhileTheDatabaseIsDown(t *testing.T) {
	e := newEnv(t)
	ada := e.signup("Ada", "ada@example.com", "Europe/London")
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/static/style.css", "/static/app.js", "/static/htmx.min.js"} {
		p := wantStatus(t, ada.get(path), http.StatusOK)
		if p.Body == "" {
			t.Errorf("GET %s: empty body", path)
		}
		if got, want := p.Header.Get("Cache-Control"), "public, max-age=3600"; got != want {
			t.Errorf("GET %s: Cache-Control %q, want %q", path, got, want)
		}
		if got, want := p.Header.Get("X-Content-Type-Options"), "nosniff"; got != want {
			t.Errorf("GET %s: X-Content-Type-Options %q, want %q", path, got, want)
		}
	}
	// Pages do need it.
	wantStatus(t, ada.get("/bookings"), http.StatusInternalServerError)
}
