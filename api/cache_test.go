package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mentorbook/mentorbook"
)

// Answers about a signed-in user, and every answer to a request that
// carries credentials, say no-store: no browser or proxy may keep them.
// Public reads may stay cacheable.
func TestPrivateAnswersSayNoStore(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("UTC")
		leaving := e.signup("UTC")
		b := e.mustBook(a, m.ID, mon10)
		mentor := fmt.Sprintf("/api/v1/mentors/%d", m.ID)
		login := map[string]string{"email": "user2@example.com", "password": "correct horse battery"}
		signup := map[string]string{"email": "new@example.com", "password": "correct horse battery", "name": "N", "timezone": "UTC"}
		for _, tc := range []struct {
			class, method, path, token string
			body                       any
			header                     []string
			noStore                    bool
		}{
			{"public", "GET", "/api/v1/mentors", "", nil, nil, false},
			{"public", "GET", mentor, "", nil, nil, false},
			{"public", "GET", mentor + "/slots", "", nil, nil, false},
			{"public", "GET", mentor + "/busy", "", nil, nil, false},
			{"public, not found", "GET", "/api/v1/mentors/999", "", nil, nil, false},
			{"public with a token", "GET", "/api/v1/mentors", a.Token, nil, nil, true},
			{"public with a token", "GET", mentor + "/slots", a.Token, nil, nil, true},
			{"public with a wrong token", "GET", mentor, "not-a-token", nil, nil, true},
			{"public with a cookie", "GET", mentor + "/busy", "", nil, []string{"Cookie", "mentorbook_session=x"}, true},
			{"private", "GET", "/api/v1/me", a.Token, nil, nil, true},
			{"private", "GET", "/api/v1/me/availability", m.Token, nil, nil, true},
			{"private", "GET", "/api/v1/me/availability/overrides", m.Token, nil, nil, true},
			{"private", "PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "Go mentor"}, nil, true},
			{"private", "GET", "/api/v1/bookings", a.Token, nil, nil, true},
			{"private", "GET", fmt.Sprintf("/api/v1/bookings/%d", b.ID), a.Token, nil, nil, true},
			{"private, not found", "GET", "/api/v1/bookings/999", a.Token, nil, nil, true},
			{"private, forbidden", "GET", "/api/v1/me/availability", a.Token, nil, nil, true},
			{"private, signed out", "GET", "/api/v1/me", "", nil, nil, true},
			{"private", "POST", "/api/v1/logout", leaving.Token, nil, nil, true},
			{"a password in the body", "POST", "/api/v1/login", "", login, nil, true},
			{"a password in the body", "POST", "/api/v1/signup", "", signup, nil, true},
		} {
			r := e.call(tc.method, tc.path, tc.token, tc.body, tc.header...)
			if r.Status >= 500 {
				t.Fatalf("%s %s: status %d", tc.method, tc.path, r.Status)
			}
			got := r.Header.Get("Cache-Control")
			if tc.noStore && got != "no-store" {
				t.Errorf("%s: %s %s: Cache-Control %q, want no-store", tc.class, tc.method, tc.path, got)
			}
			if !tc.noStore && strings.Contains(got, "no-store") {
				t.Errorf("%s: %s %s: Cache-Control %q, want it cacheable", tc.class, tc.method, tc.path, got)
			}
		}
	})
}
