package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

type meOut struct {
	ID       int64
	Email    string
	Name     string
	Timezone string
}

func (e *env) me(u user) meOut {
	e.t.Helper()
	var m meOut
	want(e.t, e.call("GET", "/api/v1/me", u.Token, nil), http.StatusOK).decode(e.t, &m)
	return m
}

func (e *env) login(email, password string) response {
	e.t.Helper()
	return e.call("POST", "/api/v1/login", "", map[string]string{"email": email, "password": password})
}

func TestUpdateNameAndZone(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		a, b := e.signup("UTC"), e.signup("UTC")
		before := e.me(a)

		for _, body := range []map[string]any{
			{"name": "   "}, {"timezone": "Mars/Olympus"}, {"name": 7}, {"nick": "x"},
		} {
			r := e.call("PATCH", "/api/v1/me", a.Token, body)
			if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
				t.Errorf("PATCH %v: %d, want 422 or 400", body, r.Status)
			}
		}
		if got := e.me(a); got != before {
			t.Fatalf("refused updates changed the account: %+v", got)
		}
		want(t, e.call("PATCH", "/api/v1/me", "", map[string]any{"name": "Anon"}), http.StatusUnauthorized)

		want(t, e.call("PATCH", "/api/v1/me", a.Token, map[string]any{"timezone": "Asia/Kolkata"}), http.StatusOK)
		got := e.me(a)
		if got.Timezone != "Asia/Kolkata" || got.Name != before.Name {
			t.Errorf("zone only: %+v", got)
		}
		want(t, e.call("PATCH", "/api/v1/me", a.Token, map[string]any{"name": "  Ada Lovelace "}), http.StatusOK)
		if got := e.me(a); got.Name != "Ada Lovelace" || got.Timezone != "Asia/Kolkata" {
			t.Errorf("name only: %+v", got)
		}
		// Each account changes only itself.
		if got := e.me(b); got.Name == "Ada Lovelace" || got.Timezone != "UTC" {
			t.Errorf("another account changed: %+v", got)
		}
	})
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		a := e.signup("UTC")
		email := e.me(a).Email
		var other struct{ Token string }
		want(t, e.login(email, "correct horse battery"), http.StatusOK).decode(t, &other)

		for _, body := range []map[string]string{
			{"current_password": "wrong password!", "new_password": "a brand new secret"},
			{"current_password": "correct horse battery", "new_password": "short"},
			{"current_password": "correct horse battery", "new_password": "          "},
			{"current_password": "correct horse battery", "new_password": "password123"},
			{"current_password": "", "new_password": "a brand new secret"},
		} {
			want(t, e.call("POST", "/api/v1/me/password", a.Token, body), http.StatusUnprocessableEntity).problem(t)
		}
		want(t, e.call("POST", "/api/v1/me/password", "", map[string]string{"current_password": "correct horse battery", "new_password": "a brand new secret"}), http.StatusUnauthorized)
		// Nothing changed: both sessions live, the old password works.
		want(t, e.call("GET", "/api/v1/me", other.Token, nil), http.StatusOK)
		want(t, e.login(email, "correct horse battery"), http.StatusOK)

		want(t, e.call("POST", "/api/v1/me/password", a.Token, map[string]string{
			"current_password": "correct horse battery", "new_password": "a brand new secret"}), http.StatusNoContent)
		want(t, e.call("GET", "/api/v1/me", a.Token, nil), http.StatusOK)
		want(t, e.call("GET", "/api/v1/me", other.Token, nil), http.StatusUnauthorized)
		want(t, e.login(email, "correct horse battery"), http.StatusUnauthorized)
		want(t, e.login(email, "a brand new secret"), http.StatusOK)
	})
}

func TestWrongCurrentPasswordsLockLikeLogins(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		a := e.signup("UTC")
		for range 10 {
			want(t, e.call("POST", "/api/v1/me/email", a.Token, map[string]string{"password": "guess guess guess", "email": "new@example.com"}), http.StatusUnprocessableEntity)
		}
		r := want(t, e.call("POST", "/api/v1/me/email", a.Token, map[string]string{"password": "correct horse battery", "email": "new@example.com"}), http.StatusTooManyRequests)
		if r.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After on a locked account")
		}
		if got := e.me(a).Email; got == "new@example.com" {
			t.Error("a locked account changed its email")
		}
	})
}

func TestChangeEmail(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		a, b := e.signup("UTC"), e.signup("UTC")
		bEmail := e.me(b).Email
		before := e.me(a)
		want(t, e.call("POST", "/api/v1/me/email", a.Token, map[string]string{"password": "wrong wrong wrong", "email": "ada@example.com"}), http.StatusUnprocessableEntity)
		want(t, e.call("POST", "/api/v1/me/email", a.Token, map[string]string{"password": "correct horse battery", "email": "not an email"}), http.StatusUnprocessableEntity)
		want(t, e.call("POST", "/api/v1/me/email", a.Token, map[string]string{"password": "correct horse battery", "email": bEmail}), http.StatusConflict)
		want(t, e.call("POST", "/api/v1/me/email", "", map[string]string{"password": "correct horse battery", "email": "ada@example.com"}), http.StatusUnauthorized)
		if got := e.me(a); got != before {
			t.Fatalf("refused changes changed the account: %+v", got)
		}
		want(t, e.call("POST", "/api/v1/me/email", a.Token, map[string]string{"password": "correct horse battery", "email": " Ada@Example.com "}), http.StatusOK)
		if got := e.me(a).Email; got != "ada@example.com" {
			t.Errorf("email %q", got)
		}
		want(t, e.login(before.Email, "correct horse battery"), http.StatusUnauthorized)
		want(t, e.login("ada@example.com", "correct horse battery"), http.StatusOK)
	})
}

func TestDeleteAccount(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		mentee := e.signup("UTC")
		mentorEmail := e.me(m).Email
		started := e.mustBook(mentee, m.ID, mon10)
		upcoming := e.mustBook(mentee, m.ID, mon10.Add(2*time.Hour))
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", started.ID), m.Token, nil), http.StatusOK)

		want(t, e.call("DELETE", "/api/v1/me", m.Token, map[string]string{"password": "not my password"}), http.StatusUnprocessableEntity)
		want(t, e.call("DELETE", "/api/v1/me", "", map[string]string{"password": "correct horse battery"}), http.StatusUnauthorized)
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d", m.ID), "", nil), http.StatusOK)
		want(t, e.call("GET", fmt.Sprintf("/api/v1/bookings/%d", upcoming.ID), mentee.Token, nil), http.StatusOK)

		// The first session has started by the time of deletion: it stays
		// confirmed in the history; the one not started is cancelled.
		e.clock.Advance(mon10.Add(30 * time.Minute).Sub(e.clock.Now()))
		want(t, e.call("DELETE", "/api/v1/me", m.Token, map[string]string{"password": "correct horse battery"}), http.StatusNoContent)

		want(t, e.call("GET", "/api/v1/me", m.Token, nil), http.StatusUnauthorized)
		want(t, e.login(mentorEmail, "correct horse battery"), http.StatusUnauthorized)
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d", m.ID), "", nil), http.StatusNotFound)
		var list struct{ Bookings []map[string]any }
		want(t, e.call("GET", "/api/v1/bookings", mentee.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Bookings) != 2 {
			t.Fatalf("the mentee's history has %d bookings, want 2", len(list.Bookings))
		}
		for _, b := range list.Bookings {
			if b["mentor_name"] != mentorbook.DeletedName {
				t.Errorf("booking %v: mentor name %v, want %q", b["id"], b["mentor_name"], mentorbook.DeletedName)
			}
			wantStatus := "confirmed"
			if int64(b["id"].(float64)) == upcoming.ID {
				wantStatus = "cancelled"
			}
			if b["status"] != wantStatus {
				t.Errorf("booking %v is %v, want %s", b["id"], b["status"], wantStatus)
			}
		}
		// The address is free for a new account.
		want(t, e.call("POST", "/api/v1/signup", "", map[string]string{
			"email": mentorEmail, "password": "another good secret", "name": "New", "timezone": "UTC"}), http.StatusCreated)
	})
}

// Deleting an account ends its open mentorships, in either role: a
// pending request of theirs is withdrawn, one to them declined, an active
// one cancelled; the other party keeps the history.
func TestDeleteAccountEndsOpenMentorships(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		other := e.mentor("Europe/Berlin", nil)
		leaver := e.signup("UTC")
		program := e.mustService(m, freeProgram()).ID
		active := e.mustMentorship(leaver, program)
		want(t, e.act(m, active.ID, "accept", nil), http.StatusOK)
		pendingOut := e.mustMentorship(leaver, e.mustService(other, freeProgram()).ID)
		// The leaver is a mentor too, with a request waiting for them.
		want(t, e.call("PUT", "/api/v1/me/mentor", leaver.Token, map[string]any{"headline": "x", "bio": "y", "skills": []string{"go"}}), http.StatusOK)
		pendingIn := e.mustMentorship(m, e.mustService(leaver, freeProgram()).ID)

		want(t, e.call("DELETE", "/api/v1/me", leaver.Token, map[string]string{"password": "correct horse battery"}), http.StatusNoContent)

		for _, c := range []struct {
			who    user
			id     int64
			status string
		}{{m, active.ID, "cancelled"}, {other, pendingOut.ID, "withdrawn"}, {m, pendingIn.ID, "declined"}} {
			got := e.mentorship(c.who, c.id)
			if got.Status != c.status {
				t.Errorf("mentorship %d is %s, want %s", c.id, got.Status, c.status)
			}
			if got.Mentee.Name != mentorbook.DeletedName && got.Mentor.Name != mentorbook.DeletedName {
				t.Errorf("mentorship %d still names the deleted user: %+v %+v", c.id, got.Mentor, got.Mentee)
			}
		}
	})
}

// A mentor who changes their name is found by the new one, not the old.
func TestRenamedMentorIsFoundByTheNewName(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		found := func(q string) int {
			var out struct{ Mentors []struct{ ID int64 } }
			want(t, e.call("GET", "/api/v1/mentors?q="+q, "", nil), http.StatusOK).decode(t, &out)
			return len(out.Mentors)
		}
		want(t, e.call("PATCH", "/api/v1/me", m.Token, map[string]any{"name": "Grace Hopper"}), http.StatusOK)
		if found("hopper") != 1 || found("user") != 0 {
			t.Errorf("after renaming: %d found by the new name, %d by the old", found("hopper"), found("user"))
		}
	})
}
