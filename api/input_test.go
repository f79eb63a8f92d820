package api_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// Inputs one engine would store and another refuse get the same 422 on
// both, never a 500.
func TestOddInputIsRefusedTheSameOnBothEngines(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("UTC")
		farCursor := base64.RawURLEncoding.EncodeToString([]byte("-9000000000000000000:1"))
		for _, tc := range []struct {
			name, method, path, token string
			body                      any
			header                    []string
			field                     string
		}{
			{"NUL in a message", "POST", "/api/v1/bookings", a.Token,
				map[string]any{"mentor_id": m.ID, "start": mon10.Format("2006-01-02T15:04:05Z07:00"), "message": "hi\u0000"}, nil, "message"},
			{"NUL in a headline", "PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "Go\u0000"}, nil, "headline"},
			{"NUL in a skill", "PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "Go", "skills": []string{"a\u0000"}}, nil, "skills"},
			{"NUL in a name", "POST", "/api/v1/signup", "",
				map[string]string{"email": "nul@example.com", "password": "plum-cat-9", "name": "N\u0000", "timezone": "UTC"}, nil, "name"},
			{"a key that is not UTF-8", "POST", "/api/v1/bookings", a.Token,
				map[string]any{"mentor_id": m.ID, "start": mon10.Format("2006-01-02T15:04:05Z07:00")}, []string{"Idempotency-Key", "k\xff\xfe"}, "idempotency_key"},
			{"year 0 override", "PUT", "/api/v1/me/availability/overrides/0000-01-01", m.Token, map[string]any{"intervals": []any{}}, nil, "date"},
			{"year 0 overrides list", "GET", "/api/v1/me/availability/overrides?from=0000-01-01", m.Token, nil, nil, "from"},
			{"year 9999 slots", "GET", fmt.Sprintf("/api/v1/mentors/%d/busy?from=9999-12-01&to=9999-12-31", m.ID), "", nil, nil, "from"},
			{"year 0 start", "POST", "/api/v1/bookings", a.Token, map[string]any{"mentor_id": m.ID, "start": "0000-01-03T10:00:00Z"}, nil, "start"},
			{"a cursor far in the past", "GET", "/api/v1/bookings?cursor=" + farCursor, a.Token, nil, nil, "cursor"},
			{"NUL in the skill filter", "GET", "/api/v1/mentors?skill=a%00b", "", nil, nil, "skill"},
			{"a skill filter not UTF-8", "GET", "/api/v1/mentors?skill=go%ff", "", nil, nil, "skill"},
			{"NUL in a login email", "POST", "/api/v1/login", "", map[string]string{"email": "user1@example.com\u0000", "password": "correct horse battery"}, nil, "email"},
		} {
			r := e.call(tc.method, tc.path, tc.token, tc.body, tc.header...)
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422 (%s)", tc.name, r.Status, r.Body)
				continue
			}
			if p := r.problem(t); p.Fields[tc.field] == "" {
				t.Errorf("%s: problem %+v names no %s", tc.name, p, tc.field)
			}
		}
		want(t, e.call("DELETE", "/api/v1/me/availability/overrides/0000-01-01", m.Token, nil), http.StatusUnprocessableEntity)
		// Naming a status many times is naming it once.
		e.mustBook(a, m.ID, mon10)
		var list struct{ Bookings []bookingOut }
		many := strings.TrimSuffix(strings.Repeat("pending,", 2000), ",")
		want(t, e.call("GET", "/api/v1/bookings?status="+many, a.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Bookings) != 1 {
			t.Errorf("status=pending×2000 listed %d bookings, want 1", len(list.Bookings))
		}
	})
}

func TestOnlyPlainZoneNamesAreAccepted(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("UTC", nil)
		for _, tz := range []string{"America/./New_York", "America//New_York", "./UTC", "posix/Europe/Berlin",
			"right/UTC", "../../etc/passwd", "Europe/Berlin/", "Local"} {
			r := e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?tz=%s", m.ID, url.QueryEscape(tz)), "", nil)
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("tz=%q: status %d, want 422", tz, r.Status)
			}
		}
		for _, tz := range []string{"UTC", "Etc/GMT+12", "America/Argentina/Buenos_Aires", "America/Port-au-Prince", "Asia/Calcutta"} {
			want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?tz=%s", m.ID, url.QueryEscape(tz)), "", nil), http.StatusOK)
		}
	})
}

// A body is one JSON object of UTF-8 text. A null body used to pass as {}
// (wiping a mentor's weekly hours), and bytes that are not UTF-8 were kept
// as U+FFFD: both are refused, and nothing is written.
func TestBodiesMustBeUTF8JSONObjects(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("UTC")
		b := e.mustBook(a, m.ID, mon10)
		cancel := fmt.Sprintf("/api/v1/bookings/%d/cancel", b.ID)
		tue10 := mon10.Add(24 * time.Hour).Format(time.RFC3339)
		for _, tc := range []struct {
			name, method, path, token, body string
			status                          int
		}{
			{"null hours", "PUT", "/api/v1/me/availability", m.Token, "null", http.StatusBadRequest},
			{"null hours among spaces", "PUT", "/api/v1/me/availability", m.Token, " \n null \n", http.StatusBadRequest},
			{"an array of hours", "PUT", "/api/v1/me/availability", m.Token, "[]", http.StatusBadRequest},
			{"a number", "PUT", "/api/v1/me/availability", m.Token, "1", http.StatusBadRequest},
			{"a string", "PUT", "/api/v1/me/availability", m.Token, `"weekly"`, http.StatusBadRequest},
			{"a boolean", "PUT", "/api/v1/me/availability", m.Token, "true", http.StatusBadRequest},
			{"null profile", "PUT", "/api/v1/me/mentor", m.Token, "null", http.StatusBadRequest},
			{"null override", "PUT", "/api/v1/me/availability/overrides/2026-06-02", m.Token, "null", http.StatusBadRequest},
			{"null booking", "POST", "/api/v1/bookings", a.Token, "null", http.StatusBadRequest},
			{"null cancel, whose body is optional", "POST", cancel, a.Token, "null", http.StatusBadRequest},
			{"null signup", "POST", "/api/v1/signup", "", "null", http.StatusBadRequest},
			{"a headline not UTF-8", "PUT", "/api/v1/me/mentor", m.Token, "{\"headline\":\"Go\xff\"}", http.StatusUnprocessableEntity},
			{"a skill not UTF-8", "PUT", "/api/v1/me/mentor", m.Token, "{\"headline\":\"Go\",\"skills\":[\"a\xc3\"]}", http.StatusUnprocessableEntity},
			{"a lone high surrogate", "PUT", "/api/v1/me/mentor", m.Token, `{"headline":"Go\ud800"}`, http.StatusUnprocessableEntity},
			{"a lone low surrogate", "PUT", "/api/v1/me/mentor", m.Token, `{"headline":"Go\uDC00x"}`, http.StatusUnprocessableEntity},
			{"surrogates in the wrong order", "PUT", "/api/v1/me/mentor", m.Token, `{"headline":"\udc00\ud800"}`, http.StatusUnprocessableEntity},
			{"a key not UTF-8", "PUT", "/api/v1/me/mentor", m.Token, "{\"headline\":\"Go\",\"bio\xff\":\"\"}", http.StatusUnprocessableEntity},
			{"a message not UTF-8", "POST", "/api/v1/bookings", a.Token,
				fmt.Sprintf("{\"mentor_id\":%d,\"start\":%q,\"message\":\"hi\xfe\"}", m.ID, tue10), http.StatusUnprocessableEntity},
			{"a reason not UTF-8", "POST", cancel, a.Token, "{\"reason\":\"no\xff\"}", http.StatusUnprocessableEntity},
			{"a name not UTF-8", "POST", "/api/v1/signup", "",
				"{\"email\":\"new@example.com\",\"password\":\"correct horse battery\",\"name\":\"A\xffda\",\"timezone\":\"UTC\"}", http.StatusUnprocessableEntity},
		} {
			r := e.call(tc.method, tc.path, tc.token, tc.body)
			if r.Status != tc.status {
				t.Errorf("%s: status %d, want %d (%s)", tc.name, r.Status, tc.status, r.Body)
				continue
			}
			r.problem(t)
		}

		// Nothing was written.
		var hours availabilityOut
		want(t, e.call("GET", "/api/v1/me/availability", m.Token, nil), http.StatusOK).decode(t, &hours)
		if got, want := len(hours.Weekly), 5; got != want {
			t.Errorf("%d weekly intervals after refused bodies, want %d", got, want)
		}
		var me struct{ Mentor struct{ Headline string } }
		want(t, e.call("GET", "/api/v1/me", m.Token, nil), http.StatusOK).decode(t, &me)
		if got, want := me.Mentor.Headline, "Go mentor"; got != want {
			t.Errorf("headline %q after refused bodies, want %q", got, want)
		}
		var list struct{ Bookings []bookingOut }
		want(t, e.call("GET", "/api/v1/bookings", a.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Bookings) != 1 || list.Bookings[0].Status != "pending" {
			t.Errorf("bookings after refused bodies: %+v, want the one pending", list.Bookings)
		}
		want(t, e.call("POST", "/api/v1/signup", "", map[string]string{
			"email": "new@example.com", "password": "correct horse battery", "name": "Ada", "timezone": "UTC",
		}), http.StatusCreated)

		// A surrogate pair is a character like any other.
		want(t, e.call("PUT", "/api/v1/me/mentor", m.Token, `{"headline":"Go \ud83d\ude00"}`), http.StatusOK)
		want(t, e.call("GET", "/api/v1/me", m.Token, nil), http.StatusOK).decode(t, &me)
		if got, want := me.Mentor.Headline, "Go 😀"; got != want {
			t.Errorf("headline %q, want %q", got, want)
		}
	})
}
