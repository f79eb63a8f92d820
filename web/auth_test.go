package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/mentorbook/mentorbook/web"
)

func TestSignupSignsInAndKeepsTypedValuesOnErrors(t *testing.T) {
	e := newEnv(t)
	b := e.anonymous()
	p := b.refused(b.post("/signup", url.Values{
		"name": {"Ada <Lovelace>"}, "email": {"not-an-email"}, "password": {"short"}, "timezone": {"Mars/Olympus"},
	}), "/signup")
	wantContains(t, p,
		`value="Ada &lt;Lovelace&gt;"`, `value="not-an-email"`, `value="Mars/Olympus"`,
		`<p class="field-error" id="email-error">must be an email address`,
		`<p class="field-error" id="password-error">must be at least 10 characters`,
		`<p class="field-error" id="timezone-error">must be an IANA time zone`)
	wantNotContains(t, p, "short") // the password is never echoed
	// Shown once: a reload shows the empty form.
	wantNotContains(t, b.get("/signup"), "field-error", "not-an-email")

	p = b.post("/signup", url.Values{
		"name": {"Ada"}, "email": {"ada@example.com"}, "password": {"correct horse battery"},
		"timezone": {"Europe/London"}, "next": {"/mentors"},
	})
	wantRedirect(t, p, "/mentors?done=signup")
	cookie := sessionCookie(t, p)
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" || cookie.Secure {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP", cookie)
	}
	wantContains(t, wantStatus(t, b.get("/bookings"), http.StatusOK), "Signed in as Ada (ada@example.com)")
}

func TestLoginIssuesANewSessionAndLogoutEndsIt(t *testing.T) {
	e := newEnv(t)
	first := e.signup("Ada", "ada@example.com", "Europe/London")
	b := e.anonymous()

	p := b.refused(b.post("/login", url.Values{"email": {"ada@example.com"}, "password": {"wrong password!"}}), "/login")
	wantContains(t, p, "Wrong email or password.", `value="ada@example.com"`)

	p = b.post("/login", url.Values{"email": {"ADA@example.com"}, "password": {"correct horse battery"}, "next": {"/bookings"}})
	wantRedirect(t, p, "/bookings")
	c := sessionCookie(t, p)
	base, _ := url.Parse(e.srv.URL)
	if old := first.client.Jar.Cookies(base)[0].Value; c.Value == old {
		t.Fatalf("login reused the session id of the signup")
	}
	wantStatus(t, b.get("/bookings"), http.StatusOK)

	p = b.post("/logout", nil)
	wantRedirect(t, p, "/login?done=logout")
	if c := sessionCookie(t, p); c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("logout cookie %+v: want it deleted", c)
	}
	// The old token no longer works even if a browser kept it.
	replay := e.anonymous()
	replay.client.Jar.SetCookies(base, []*http.Cookie{{Name: "mentorbook_session", Value: c.Value, Path: "/"}})
	wantRedirect(t, replay.get("/bookings"), "/login?next=%2Fbookings")
	wantRedirect(t, b.get("/bookings"), "/login?next=%2Fbookings")
	// The other session of the same user is untouched.
	wantStatus(t, first.get("/bookings"), http.StatusOK)
}

func TestLoginOnlyRedirectsToThisSite(t *testing.T) {
	e := newEnv(t)
	e.signup("Ada", "ada@example.com", "Europe/London")
	for next, want := range map[string]string{
		"/mentors?skill=go":      "/mentors?skill=go",
		"https://evil.example/x": "/x",
		"//evil.example":         "/",
		"/\\evil.example":        "/",
		"javascript:alert(1)":    "/",
		"":                       "/",
	} {
		b := e.anonymous()
		p := b.post("/login", url.Values{"email": {"ada@example.com"}, "password": {"correct horse battery"}, "next": {next}})
		if got := p.Header.Get("Location"); got != want {
			t.Errorf("next %q: redirected to %q, want %q", next, got, want)
		}
	}
}

func TestPrivatePagesSendAnonymousVisitorsToLogin(t *testing.T) {
	e := newEnv(t)
	anon := e.anonymous()
	for _, path := range []string{"/bookings", "/me/profile", "/me/availability", "/me/overrides"} {
		wantRedirect(t, anon.get(path), "/login?next="+url.QueryEscape(path))
	}
	for _, path := range []string{"/bookings/1/accept", "/bookings/1/decline", "/bookings/1/cancel", "/me/profile",
		"/me/availability", "/me/overrides", "/mentors/1/request"} {
		p := anon.post(path, url.Values{"reason": {"x"}})
		if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login?next=") {
			t.Errorf("POST %s anonymously: %d to %q, want 303 to the login page", path, p.Status, p.Header.Get("Location"))
		}
	}
	// A stale session cookie is dropped and the visitor treated as anonymous.
	base, _ := url.Parse(e.srv.URL)
	anon.client.Jar.SetCookies(base, []*http.Cookie{{Name: "mentorbook_session", Value: "forged", Path: "/"}})
	p := wantStatus(t, anon.get("/"), http.StatusOK)
	wantContains(t, p, `href="/login"`)
}

func sessionCookie(t *testing.T, p page) *http.Cookie {
	t.Helper()
	res := http.Response{Header: p.Header}
	for _, c := range res.Cookies() {
		if c.Name == "mentorbook_session" {
			return c
		}
	}
	t.Fatalf("no session cookie set; headers %v", p.Header)
	return nil
}

func TestSecureCookiesBehindATLSProxy(t *testing.T) {
	e := newEnv(t)
	e.signup("Ada", "ada@example.com", "Europe/London")
	for _, secure := range []bool{false, true} {
		srv := httptest.NewServer(web.New(e.svc, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Options{SecureCookies: secure}))
		b := e.anonymous()
		res, err := b.client.PostForm(srv.URL+"/login", url.Values{"email": {"ada@example.com"}, "password": {"correct horse battery"}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		srv.Close()
		var found bool
		for _, c := range res.Cookies() {
			if c.Name == "mentorbook_session" {
				found = true
				if c.Secure != secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
					t.Errorf("SecureCookies=%v: cookie %+v", secure, c)
				}
			}
		}
		if !found {
			t.Errorf("SecureCookies=%v: login set no session cookie (status %d)", secure, res.StatusCode)
		}
	}
}
