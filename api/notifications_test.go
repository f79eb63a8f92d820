package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

type notificationOut struct {
	ID        int64
	Kind      string
	Title     string
	Body      string
	Link      string
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

type notificationPage struct {
	Notifications []notificationOut
	NextCursor    string `json:"next_cursor"`
}

func (e *env) notifications(u user, query string) notificationPage {
	e.t.Helper()
	var p notificationPage
	want(e.t, e.call("GET", "/api/v1/notifications"+query, u.Token, nil), http.StatusOK).decode(e.t, &p)
	return p
}

func (e *env) unread(u user) int {
	e.t.Helper()
	var out struct{ Count int }
	want(e.t, e.call("GET", "/api/v1/notifications/unread-count", u.Token, nil), http.StatusOK).decode(e.t, &out)
	return out.Count
}

func (e *env) settings(u user) map[string]bool {
	e.t.Helper()
	var out struct{ Email map[string]bool }
	want(e.t, e.call("GET", "/api/v1/me/notification-settings", u.Token, nil), http.StatusOK).decode(e.t, &out)
	return out.Email
}

func TestNotificationsOfBookingEventsAndMarkingThemRead(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("America/New_York")
		other := e.signup("UTC")

		b := e.mustBook(a, m.ID, mon10)
		got := e.notifications(m, "")
		if len(got.Notifications) != 1 || got.NextCursor != "" {
			t.Fatalf("mentor's notifications %+v", got)
		}
		n := got.Notifications[0]
		// 10:00 UTC is 12:00 in Berlin; the request expires at its start.
		if n.Kind != "booking_requested" || !strings.Contains(n.Title, "Booking request from") ||
			!strings.Contains(n.Body, "Monday 1 June 2026, 12:00–13:00 (Europe/Berlin)") || !strings.Contains(n.Body, "hi") ||
			n.Link != fmt.Sprintf("/bookings#booking-%d", b.ID) || n.ReadAt != nil || !n.CreatedAt.Equal(testNow) {
			t.Errorf("notification %+v", n)
		}
		if len(e.notifications(a, "").Notifications) != 0 || e.unread(other) != 0 {
			t.Errorf("the requester or a stranger was notified")
		}

		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", b.ID), m.Token, nil), http.StatusOK)
		an := e.notifications(a, "").Notifications
		if len(an) != 1 || an[0].Kind != "booking_accepted" || !strings.Contains(an[0].Body, "Monday 1 June 2026, 06:00–07:00 (America/New_York)") {
			t.Fatalf("mentee's notifications %+v", an)
		}

		// Another user's IDs are ignored: nothing of theirs changes.
		var marked struct{ Marked int }
		want(t, e.call("POST", "/api/v1/notifications/read", other.Token, map[string]any{"ids": []int64{n.ID, an[0].ID}}), http.StatusOK).decode(t, &marked)
		if marked.Marked != 0 || e.unread(m) != 1 || e.unread(a) != 1 {
			t.Fatalf("a stranger marked %d; unread %d and %d", marked.Marked, e.unread(m), e.unread(a))
		}
		want(t, e.call("POST", "/api/v1/notifications/read", other.Token, map[string]any{"all": true}), http.StatusOK)
		if e.unread(m) != 1 || e.unread(a) != 1 {
			t.Fatal("a stranger's mark-all reached others")
		}

		// The owner marks by ID, also ignoring the other's.
		want(t, e.call("POST", "/api/v1/notifications/read", m.Token, map[string]any{"ids": []int64{n.ID, an[0].ID}}), http.StatusOK).decode(t, &marked)
		if marked.Marked != 1 || e.unread(m) != 0 || e.unread(a) != 1 {
			t.Fatalf("marked %d; unread %d and %d", marked.Marked, e.unread(m), e.unread(a))
		}
		if got := e.notifications(m, "?unread=true"); len(got.Notifications) != 0 {
			t.Errorf("unread list after marking %+v", got)
		}
		if got := e.notifications(m, "").Notifications; len(got) != 1 || got[0].ReadAt == nil || !got[0].ReadAt.Equal(testNow) {
			t.Errorf("read notification %+v", got)
		}
		want(t, e.call("POST", "/api/v1/notifications/read", a.Token, map[string]any{"all": true}), http.StatusOK).decode(t, &marked)
		if marked.Marked != 1 || e.unread(a) != 0 {
			t.Errorf("mark all marked %d, unread %d", marked.Marked, e.unread(a))
		}
	})
}

func TestEveryBookingEventNotifiesTheRightPerson(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", map[string]any{"pending_expiry_hours": 2})
		a := e.signup("Asia/Kolkata")
		kinds := func(u user) []string {
			var out []string
			for _, n := range e.notifications(u, "").Notifications {
				out = append(out, n.Kind)
			}
			slices.Reverse(out) // oldest first
			return out
		}
		day := 24 * time.Hour
		declined := e.mustBook(a, m.ID, mon10.Add(day))
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/decline", declined.ID), m.Token, map[string]string{"reason": "away"}), http.StatusOK)
		byMentee := e.mustBook(a, m.ID, mon10.Add(2*day))
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/cancel", byMentee.ID), a.Token, map[string]string{"reason": "ill"}), http.StatusOK)
		byMentor := e.mustBook(a, m.ID, mon10.Add(3*day))
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/cancel", byMentor.ID), m.Token, map[string]string{"reason": "clash"}), http.StatusOK)
		stale := e.mustBook(a, m.ID, mon10.Add(4*day))
		e.clock.Advance(2 * time.Hour)
		// Answering a request that expired materialises the expiry: the
		// mentee is told, the mentor refused.
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", stale.ID), m.Token, nil), http.StatusConflict)
		// A new request frees the stale ones of both parties: told too.
		stale2 := e.mustBook(a, m.ID, mon10.Add(7*day))
		e.clock.Advance(2 * time.Hour)
		e.mustBook(a, m.ID, mon10.Add(8*day))

		wantMentor := []string{"booking_requested", "booking_requested", "booking_cancelled", "booking_requested",
			"booking_requested", "booking_requested", "booking_requested"}
		wantMentee := []string{"booking_declined", "booking_cancelled", "booking_expired", "booking_expired"}
		if got := kinds(m); !slices.Equal(got, wantMentor) {
			t.Errorf("mentor's kinds %v, want %v", got, wantMentor)
		}
		if got := kinds(a); !slices.Equal(got, wantMentee) {
			t.Errorf("mentee's kinds %v, want %v", got, wantMentee)
		}
		an := e.notifications(a, "").Notifications // newest first
		if !strings.Contains(an[0].Link, fmt.Sprint(stale2.ID)) || !strings.Contains(an[1].Link, fmt.Sprint(stale.ID)) {
			t.Errorf("expiry links %q, %q", an[0].Link, an[1].Link)
		}
		// 10:00 UTC is 15:30 in Kolkata; the decline names its reason.
		if !strings.Contains(an[3].Body, "Tuesday 2 June 2026, 15:30–16:30 (Asia/Kolkata)") || !strings.Contains(an[3].Body, "away") {
			t.Errorf("decline body %q", an[3].Body)
		}
		if !strings.Contains(an[2].Title, "cancelled") || !strings.Contains(an[2].Body, "clash") {
			t.Errorf("cancel notice %+v", an[2])
		}
	})
}

func TestNotificationListPagesAndValidates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		for i := range 3 {
			e.mustBook(e.signup("UTC"), m.ID, mon10.Add(time.Duration(i)*time.Hour))
		}
		p1 := e.notifications(m, "?limit=2")
		if len(p1.Notifications) != 2 || p1.NextCursor == "" || p1.Notifications[0].ID <= p1.Notifications[1].ID {
			t.Fatalf("page 1 %+v", p1)
		}
		p2 := e.notifications(m, "?limit=2&cursor="+p1.NextCursor)
		if len(p2.Notifications) != 1 || p2.NextCursor != "" || p2.Notifications[0].ID >= p1.Notifications[1].ID {
			t.Fatalf("page 2 %+v", p2)
		}
		for _, q := range []string{"?limit=0", "?limit=101", "?unread=yes", "?cursor=abc", "?cursor=-3"} {
			want(t, e.call("GET", "/api/v1/notifications"+q, m.Token, nil), http.StatusUnprocessableEntity).problem(t)
		}
		for _, body := range []any{map[string]any{}, map[string]any{"ids": []int64{}}, map[string]any{"ids": []int64{1}, "all": true},
			map[string]any{"ids": []int64{0}}} {
			want(t, e.call("POST", "/api/v1/notifications/read", m.Token, body), http.StatusUnprocessableEntity).problem(t)
		}
		want(t, e.call("POST", "/api/v1/notifications/read", m.Token, `{"ids":"1"}`), http.StatusBadRequest)
		if e.unread(m) != 3 {
			t.Errorf("refused requests changed the unread count to %d", e.unread(m))
		}
	})
}

func TestNotificationEndpointsNeedASignedInCaller(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("UTC")
		e.mustBook(a, m.ID, mon10)
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/api/v1/notifications", nil},
			{"GET", "/api/v1/notifications/unread-count", nil},
			{"POST", "/api/v1/notifications/read", map[string]any{"all": true}},
			{"GET", "/api/v1/me/notification-settings", nil},
			{"PUT", "/api/v1/me/notification-settings", map[string]any{"email": map[string]bool{"booking_requested": false}}},
		} {
			r := want(t, e.call(c.method, c.path, "", c.body), http.StatusUnauthorized)
			r.problem(t)
			if r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s %s: Cache-Control %q", c.method, c.path, r.Header.Get("Cache-Control"))
			}
		}
		if e.unread(m) != 1 || !e.settings(m)["booking_requested"] {
			t.Error("an anonymous request changed something")
		}
	})
}

func TestNotificationSettings(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		a, b := e.signup("UTC"), e.signup("UTC")
		got := e.settings(a)
		if len(got) != len(mentorbook.NotificationKinds) {
			t.Fatalf("settings %v, want every kind", got)
		}
		for _, k := range mentorbook.NotificationKinds {
			if !got[string(k)] {
				t.Errorf("%s is off by default", k)
			}
		}
		var out struct{ Email map[string]bool }
		want(t, e.call("PUT", "/api/v1/me/notification-settings", a.Token,
			map[string]any{"email": map[string]bool{"booking_accepted": false, "broadcast_response": false}}), http.StatusOK).decode(t, &out)
		if out.Email["booking_accepted"] || out.Email["broadcast_response"] || !out.Email["booking_declined"] || len(out.Email) != len(got) {
			t.Errorf("after PUT %v", out.Email)
		}
		if s := e.settings(a); s["booking_accepted"] || !s["booking_requested"] {
			t.Errorf("GET after PUT %v", s)
		}
		// Kinds not named keep their setting; true turns one back on.
		want(t, e.call("PUT", "/api/v1/me/notification-settings", a.Token,
			map[string]any{"email": map[string]bool{"broadcast_response": true}}), http.StatusOK)
		if s := e.settings(a); s["booking_accepted"] || !s["broadcast_response"] {
			t.Errorf("after the second PUT %v", s)
		}
		// Another user's settings are their own.
		if s := e.settings(b); !s["booking_accepted"] {
			t.Errorf("another user's settings changed: %v", s)
		}
		// An unknown kind is 422 and changes nothing, even the known ones.
		before := e.settings(a)
		p := want(t, e.call("PUT", "/api/v1/me/notification-settings", a.Token,
			map[string]any{"email": map[string]bool{"booking_declined": false, "newsletter": false}}), http.StatusUnprocessableEntity).problem(t)
		if p.Fields["email.newsletter"] == "" {
			t.Errorf("fields %v", p.Fields)
		}
		want(t, e.call("PUT", "/api/v1/me/notification-settings", a.Token, map[string]any{}), http.StatusUnprocessableEntity)
		want(t, e.call("PUT", "/api/v1/me/notification-settings", a.Token, `{"email":{"booking_declined":"no"}}`), http.StatusBadRequest)
		if after := e.settings(a); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("refused PUTs changed %v to %v", before, after)
		}
	})
}
