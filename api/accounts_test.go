package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

func TestSignupValidatesAndRejectsDuplicates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		ok := map[string]string{"email": "Ada@Example.com", "password": "plum-cat-9", "name": "Ada", "timezone": "Europe/London"}
		r := want(t, e.call("POST", "/api/v1/signup", "", ok), http.StatusCreated)
		var out struct {
			User struct {
				ID                    int64
				Email, Name, Timezone string
				Mentor                *struct{}
			}
			Token string
		}
		r.decode(t, &out)
		if out.User.Email != "ada@example.com" || out.User.Name != "Ada" || out.User.Timezone != "Europe/London" || out.User.Mentor != nil || out.Token == "" {
			t.Fatalf("signup answered %s", r.Body)
		}
		p := want(t, e.call("POST", "/api/v1/signup", "", ok), http.StatusConflict).problem(t)
		if p.Fields["email"] == "" {
			t.Errorf("duplicate email problem names no field: %+v", p)
		}
		for _, tc := range []struct{ field, value string }{
			{"email", "not-an-email"},
			{"email", "ada@localhost"},
			{"password", "short9char"[:9]},
			{"password", "          "},
			{"password", "1234567890"},
			{"password", "Qwertyuiop"},
			{"timezone", "Mars/Olympus"},
			{"timezone", "Local"},
			{"name", "  "},
		} {
			body := map[string]string{"email": "new@example.com", "password": "plum-cat-9", "name": "N", "timezone": "UTC"}
			body[tc.field] = tc.value
			p := want(t, e.call("POST", "/api/v1/signup", "", body), http.StatusUnprocessableEntity).problem(t)
			if p.Fields[tc.field] == "" {
				t.Errorf("%s=%q: problem %+v names no %s", tc.field, tc.value, p, tc.field)
			}
		}
		// Nothing of the rejected signups was stored: the email is still free.
		want(t, e.call("POST", "/api/v1/signup", "", map[string]string{"email": "new@example.com", "password": "plum-cat-9", "name": "N", "timezone": "UTC"}), http.StatusCreated)
	})
}

func TestLoginLogoutAndMe(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		e.signup("UTC") // user1@example.com
		want(t, e.call("POST", "/api/v1/login", "", map[string]string{"email": "user1@example.com", "password": "wrong password"}), http.StatusUnauthorized).problem(t)
		want(t, e.call("POST", "/api/v1/login", "", map[string]string{"email": "nobody@example.com", "password": "correct horse battery"}), http.StatusUnauthorized)
		var out struct {
			User  struct{ Email string }
			Token string
		}
		want(t, e.call("POST", "/api/v1/login", "", map[string]string{"email": "USER1@example.com", "password": "correct horse battery"}), http.StatusOK).decode(t, &out)
		if out.User.Email != "user1@example.com" {
			t.Fatalf("login user %q", out.User.Email)
		}
		want(t, e.call("GET", "/api/v1/me", out.Token, nil), http.StatusOK)
		want(t, e.call("GET", "/api/v1/me", "", nil), http.StatusUnauthorized).problem(t)
		want(t, e.call("GET", "/api/v1/me", "not-a-token", nil), http.StatusUnauthorized)
		want(t, e.call("POST", "/api/v1/logout", out.Token, nil), http.StatusNoContent)
		want(t, e.call("GET", "/api/v1/me", out.Token, nil), http.StatusUnauthorized)
		want(t, e.call("POST", "/api/v1/logout", out.Token, nil), http.StatusUnauthorized)
	})
}

func TestLoginLocksAccountAfterTenFailuresForFifteenMinutes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		victim := e.signup("UTC") // user1
		e.signup("UTC")           // user2, unaffected
		right := map[string]string{"email": "user1@example.com", "password": "correct horse battery"}
		wrong := map[string]string{"email": "user1@example.com", "password": "guess guess guess"}
		for i := 0; i < 10; i++ {
			want(t, e.call("POST", "/api/v1/login", "", wrong), http.StatusUnauthorized)
			e.clock.Advance(time.Minute)
		}
		// 10 failures at minutes 0..9; now is minute 10. The window ends
		// when the first failure is 15 minutes old: 5 minutes from now.
		r := want(t, e.call("POST", "/api/v1/login", "", right), http.StatusTooManyRequests)
		if got := r.Header.Get("Retry-After"); got != "300" {
			t.Errorf("Retry-After = %q, want 300", got)
		}
		r.problem(t)
		want(t, e.call("POST", "/api/v1/login", "", map[string]string{"email": "user2@example.com", "password": "correct horse battery"}), http.StatusOK)
		// An existing session keeps working.
		want(t, e.call("GET", "/api/v1/me", victim.Token, nil), http.StatusOK)
		e.clock.Advance(4*time.Minute + 59*time.Second)
		r = want(t, e.call("POST", "/api/v1/login", "", right), http.StatusTooManyRequests)
		if got, _ := strconv.Atoi(r.Header.Get("Retry-After")); got != 1 {
			t.Errorf("Retry-After = %d, want 1", got)
		}
		e.clock.Advance(time.Second)
		want(t, e.call("POST", "/api/v1/login", "", right), http.StatusOK)
	})
}

func TestMentorProfilesArePublicAndPaginated(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		var ids []int64
		for i := 0; i < 5; i++ {
			ids = append(ids, e.mentor("Europe/Berlin", nil).ID)
		}
		mentee := e.signup("UTC")
		// Deactivate the third: it leaves the list but keeps its page.
		inactive := e.signup("Asia/Tokyo")
		want(t, e.call("PUT", "/api/v1/me/mentor", inactive.Token, map[string]any{"headline": "Away", "skills": []string{}, "active": false}), http.StatusOK)

		var page struct {
			Mentors []struct {
				ID                       int64
				Name, Headline, Timezone string
				Skills                   []string
				Active                   bool
			}
			NextCursor string `json:"next_cursor"`
		}
		var seen []int64
		cursor := ""
		for range 10 {
			page.NextCursor = ""
			want(t, e.call("GET", "/api/v1/mentors?limit=2&cursor="+cursor, "", nil), http.StatusOK).decode(t, &page)
			for _, m := range page.Mentors {
				seen = append(seen, m.ID)
				if m.Timezone != "Europe/Berlin" || !m.Active || strings.Join(m.Skills, ",") != "go,sql" {
					t.Errorf("mentor %+v", m)
				}
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if len(seen) != len(ids) {
			t.Fatalf("paged through %v, want %v", seen, ids)
		}
		for i := range ids {
			if seen[i] != ids[i] {
				t.Fatalf("paged through %v, want %v", seen, ids)
			}
		}
		want(t, e.call("GET", "/api/v1/mentors?skill=rust", "", nil), http.StatusOK).decode(t, &page)
		if len(page.Mentors) != 0 {
			t.Errorf("skill=rust found %d mentors", len(page.Mentors))
		}
		var m struct {
			ID     int64
			Active bool
		}
		want(t, e.call("GET", "/api/v1/mentors/"+strconv.FormatInt(inactive.ID, 10), "", nil), http.StatusOK).decode(t, &m)
		if m.ID != inactive.ID || m.Active {
			t.Errorf("inactive mentor page %+v", m)
		}
		want(t, e.call("GET", "/api/v1/mentors/"+strconv.FormatInt(mentee.ID, 10), "", nil), http.StatusNotFound).problem(t)
		want(t, e.call("GET", "/api/v1/mentors/abc", "", nil), http.StatusNotFound)
		want(t, e.call("GET", "/api/v1/mentors?limit=0", "", nil), http.StatusUnprocessableEntity)
		want(t, e.call("GET", "/api/v1/mentors?cursor=bm90LWEtbnVtYmVy", "", nil), http.StatusUnprocessableEntity)
		want(t, e.call("PUT", "/api/v1/me/mentor", "", map[string]any{"headline": "x"}), http.StatusUnauthorized)

		var me struct {
			Mentor *struct {
				ID       int64
				Headline string
			}
		}
		want(t, e.call("GET", "/api/v1/me", inactive.Token, nil), http.StatusOK).decode(t, &me)
		if me.Mentor == nil || me.Mentor.ID != inactive.ID || me.Mentor.Headline != "Away" {
			t.Errorf("me.mentor = %+v", me.Mentor)
		}
	})
}
