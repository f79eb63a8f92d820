package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAccountSettingsPage(t *testing.T) {
	e := newEnv(t)
	ada := e.signup("Ada", "ada@example.com", "Europe/London")
	bob := e.signup("Bob", "bob@example.com", "UTC")

	wantRedirect(t, e.anonymous().get("/me/account"), "/login?next=%2Fme%2Faccount")
	if p := e.anonymous().post("/me/account", url.Values{"name": {"X"}, "timezone": {"UTC"}}); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
		t.Errorf("anonymous POST: %d to %q, want 303 to the login page", p.Status, p.Header.Get("Location"))
	}

	p := wantStatus(t, ada.get("/me/account"), http.StatusOK)
	wantContains(t, p, `value="Ada"`, `value="ada@example.com"`, "Europe/London")
	wantNotContains(t, p, "bob@example.com")

	// A refused change shows the form's error and keeps what was typed.
	p = ada.refused(ada.post("/me/account", url.Values{"name": {"  "}, "timezone": {"Europe/Paris"}}), "/me/account")
	wantContains(t, p, "is required", "Europe/Paris")
	wantRedirect(t, ada.post("/me/account", url.Values{"name": {"Ada L."}, "timezone": {"Asia/Calcutta"}}), "/me/account?done=account")
	p = ada.refused(ada.get("/me/account?done=account"), "/me/account")
	wantContains(t, p, `value="Ada L."`, "Asia/Kolkata", "Your name and time zone are saved.")

	p = ada.refused(ada.post("/me/email", url.Values{"email": {"bob@example.com"}, "password": {"correct horse battery"}}), "/me/account")
	wantContains(t, p, "is already registered", `value="bob@example.com"`)
	wantNotContains(t, p, "correct horse battery")
	p = ada.refused(ada.post("/me/email", url.Values{"email": {"ada2@example.com"}, "password": {"wrong one here"}}), "/me/account")
	wantContains(t, p, "is wrong")
	wantRedirect(t, ada.post("/me/email", url.Values{"email": {"ada2@example.com"}, "password": {"correct horse battery"}}), "/me/account?done=email")

	// The password change keeps this session and ends the other.
	other := e.anonymous()
	wantRedirect(t, other.post("/login", url.Values{"email": {"ada2@example.com"}, "password": {"correct horse battery"}}), "/")
	wantStatus(t, other.get("/bookings"), http.StatusOK)
	p = ada.refused(ada.post("/me/password", url.Values{"current_password": {"correct horse battery"}, "new_password": {"short"}}), "/me/account")
	wantContains(t, p, "at least 10 characters")
	wantRedirect(t, ada.post("/me/password", url.Values{"current_password": {"correct horse battery"}, "new_password": {"a new long secret"}}), "/me/account?done=password")
	wantStatus(t, ada.get("/bookings"), http.StatusOK)
	wantRedirect(t, other.get("/bookings"), "/login?next=%2Fbookings")

	// Bob is untouched by all of it.
	wantContains(t, wantStatus(t, bob.get("/me/account"), http.StatusOK), `value="Bob"`, `value="bob@example.com"`)

	// Deleting needs the password, then signs out for good.
	p = ada.refused(ada.post("/me/delete", url.Values{"password": {"correct horse battery"}}), "/me/account")
	wantContains(t, p, "is wrong")
	wantRedirect(t, ada.post("/me/delete", url.Values{"password": {"a new long secret"}}), "/?done=deleted")
	wantRedirect(t, ada.get("/bookings"), "/login?next=%2Fbookings")
	anon := e.anonymous()
	p = anon.refused(anon.post("/login", url.Values{"email": {"ada2@example.com"}, "password": {"a new long secret"}}), "/login")
	wantContains(t, p, "Wrong email or password.")
}

func TestLoginLockoutSaysWhenToTryAgain(t *testing.T) {
	e := newEnv(t)
	e.signup("Ada", "ada@example.com", "Europe/London")
	b := e.anonymous()
	for range 10 {
		wantRedirect(t, b.post("/login", url.Values{"email": {"ada@example.com"}, "password": {"wrong password!"}}), "/login")
	}
	p := b.refused(b.post("/login", url.Values{"email": {"ada@example.com"}, "password": {"correct horse battery"}}), "/login")
	// The clock stands still in these tests: the first failure was at
	// testNow (06:00 UTC), so the account opens again 15 minutes later; a
	// visitor whose browser has not reported a zone sees UTC.
	wantContains(t, p, "Try again after 06:15 (UTC).")
}
