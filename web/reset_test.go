package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

func TestPasswordResetPages(t *testing.T) {
	e := newEnv(t)
	ada := e.signup("Ada", "ada@example.com", "Europe/London")
	b := e.anonymous()

	wantContains(t, wantStatus(t, b.get("/login"), http.StatusOK), `href="/password-reset"`)
	wantStatus(t, b.get("/password-reset"), http.StatusOK)
	p := b.refused(b.post("/password-reset", url.Values{"email": {"not an address"}}), "/password-reset")
	wantContains(t, p, "must be an email address", `value="not an address"`)
	// Known and unknown addresses look the same.
	wantRedirect(t, b.post("/password-reset", url.Values{"email": {"nobody@example.com"}}), "/password-reset?sent=1")
	wantRedirect(t, b.post("/password-reset", url.Values{"email": {"ada@example.com"}}), "/password-reset?sent=1")
	wantContains(t, wantStatus(t, b.get("/password-reset?sent=1"), http.StatusOK), "If an account has that address")

	// Without an SMTP server the email is written to the log.
	e.runJobs()
	m := regexp.MustCompile(`(/password-reset/confirm\?token=[A-Za-z0-9_-]+)`).FindStringSubmatch(e.logs.String())
	if m == nil {
		t.Fatalf("no reset link in the log:\n%s", e.logs.String())
	}
	p = wantStatus(t, b.get(m[1]), http.StatusOK)
	wantContains(t, p, "Choose a new password", `name="token"`)
	token, _ := url.ParseQuery(m[1][len("/password-reset/confirm?"):])

	p = b.refused(b.post("/password-reset/confirm", url.Values{"token": {"nonsense"}, "new_password": {"a fresh new secret"}}), "/password-reset/confirm?token=nonsense")
	wantContains(t, p, "used, expired or unknown", `href="/password-reset"`)
	p = b.refused(b.post("/password-reset/confirm", url.Values{"token": token["token"], "new_password": {"short"}}), m[1])
	wantContains(t, p, "at least 10 characters", `value="`+token.Get("token")+`"`)
	wantRedirect(t, b.post("/password-reset/confirm", url.Values{"token": token["token"], "new_password": {"a fresh new secret"}}), "/login?done=reset")

	// Ada's old session ended; the new password signs in.
	wantRedirect(t, ada.get("/bookings"), "/login?next=%2Fbookings")
	wantRedirect(t, b.post("/login", url.Values{"email": {"ada@example.com"}, "password": {"a fresh new secret"}}), "/")
}
