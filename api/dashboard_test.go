package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// dashboardParts reads a dashboard and checks that every part's count is
// the length of its items.
func (e *env) dashboardParts(u user) map[string][]json.RawMessage {
	e.t.Helper()
	var raw map[string]json.RawMessage
	want(e.t, e.call("GET", "/api/v1/me/dashboard", u.Token, nil), http.StatusOK).decode(e.t, &raw)
	parts := map[string][]json.RawMessage{}
	check := func(name string, data json.RawMessage) {
		var p struct {
			Count *int
			Items []json.RawMessage
		}
		if err := json.Unmarshal(data, &p); err != nil || p.Count == nil || p.Items == nil {
			e.t.Fatalf("part %s is %s", name, data)
		}
		if *p.Count != len(p.Items) {
			e.t.Errorf("part %s: count %d, %d items", name, *p.Count, len(p.Items))
		}
		parts[name] = p.Items
	}
	for name, data := range raw {
		if name == "mentor" {
			continue
		}
		check(name, data)
	}
	if len(parts) != 8 {
		e.t.Errorf("parts %v", raw)
	}
	if m := raw["mentor"]; string(m) != "null" {
		var mp struct {
			Active *bool
			Money  json.RawMessage
		}
		if err := json.Unmarshal(m, &mp); err != nil || mp.Active == nil {
			e.t.Fatalf("mentor part %s", m)
		}
		check("money", mp.Money)
	}
	return parts
}

// kinds lists the items' "kind" and "id" (or the booking's or
// mentorship's id), to compare parts with what was made.
func kinds(items []json.RawMessage) []string {
	var out []string
	for _, it := range items {
		var v struct {
			Kind       string
			ID         int64
			Booking    *struct{ ID int64 }
			Mentorship *struct{ ID int64 }
		}
		json.Unmarshal(it, &v)
		switch {
		case v.Booking != nil:
			v.ID = v.Booking.ID
		case v.Mentorship != nil:
			v.ID = v.Mentorship.ID
		}
		out = append(out, fmt.Sprintf("%s %d", v.Kind, v.ID))
	}
	return out
}

func TestTheDashboardShowsWhereEachPartyStandsAndEveryCountIsItsList(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("UTC")
		want(t, e.call("GET", "/api/v1/me/dashboard", "", nil), http.StatusUnauthorized)

		// An empty dashboard: every part is there, empty; a mentee has no mentor part.
		for _, items := range e.dashboardParts(a) {
			if len(items) != 0 {
				t.Fatalf("a new user's dashboard has %s", items)
			}
		}

		pending := e.mustBook(a, m.ID, mon10.Add(48*time.Hour))  // waits for the mentor
		held := e.mustBook(a, m.ID, mon10.Add(2*time.Hour))      // held once its hour passes
		upcoming := e.mustBook(a, m.ID, mon10.Add(24*time.Hour)) // confirmed, tomorrow
		for _, b := range []bookingOut{held, upcoming} {
			want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", b.ID), m.Token, nil), http.StatusOK)
		}
		requested := e.mustMentorship(a, e.mustService(m, asyncReview()).ID)
		active, b := e.activeMentorship(m)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/mentorships/%d/tasks", active.ID), b.Token, map[string]string{"title": "Plan"}), http.StatusCreated)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/mentorships/%d/time", active.ID), m.Token, map[string]any{"minutes": 45, "date": "2026-06-01"}), http.StatusCreated)
		e.clock.Advance(held.End.Sub(testNow))

		mine := e.dashboardParts(m)
		theirs := e.dashboardParts(a)
		eq := func(who, part string, got []json.RawMessage, want ...string) {
			t.Helper()
			if fmt.Sprint(kinds(got)) != fmt.Sprint(want) {
				t.Errorf("%s's %s: %v, want %v", who, part, kinds(got), want)
			}
		}
		eq("mentor", "waiting_for_me", mine["waiting_for_me"], "booking "+fmt.Sprint(pending.ID), "mentorship "+fmt.Sprint(requested.ID))
		eq("mentee", "waiting_for_others", theirs["waiting_for_others"], "booking "+fmt.Sprint(pending.ID), "mentorship "+fmt.Sprint(requested.ID))
		eq("mentee", "waiting_for_me", theirs["waiting_for_me"])
		eq("mentor", "upcoming", mine["upcoming"], fmt.Sprintf(" %d", upcoming.ID))
		eq("mentee", "history", theirs["history"], fmt.Sprintf("booking %d", held.ID))
		var past struct{ Reviewable bool }
		json.Unmarshal(theirs["history"][0], &past)
		if !past.Reviewable {
			t.Errorf("the mentee cannot review the held session: %s", theirs["history"][0])
		}
		json.Unmarshal(mine["history"][0], &past)
		if past.Reviewable {
			t.Errorf("the mentor may review their own session: %s", mine["history"][0])
		}
		var progress struct {
			ID       int64
			Progress struct {
				TasksDone    int `json:"tasks_done"`
				TasksTotal   int `json:"tasks_total"`
				TotalMinutes int `json:"total_minutes"`
				Included     int `json:"sessions_included"`
			}
		}
		if len(mine["active_mentorships"]) != 1 {
			t.Fatalf("active %s", mine["active_mentorships"])
		}
		json.Unmarshal(mine["active_mentorships"][0], &progress)
		if progress.ID != active.ID || progress.Progress.TasksTotal != 1 || progress.Progress.TasksDone != 0 ||
			progress.Progress.TotalMinutes != 45 || progress.Progress.Included != 2 {
			t.Errorf("progress %+v", progress)
		}
		var conns []struct {
			ID         int64
			MessageURL string `json:"message_url"`
		}
		for _, c := range mine["connections"] {
			var v struct {
				ID         int64
				MessageURL string `json:"message_url"`
			}
			json.Unmarshal(c, &v)
			conns = append(conns, v)
		}
		if len(conns) != 2 || conns[0].MessageURL != fmt.Sprintf("/messages?with=%d", conns[0].ID) {
			t.Errorf("the mentor's connections %+v (want %d and %d)", conns, a.ID, b.ID)
		}
		if len(theirs["connections"]) != 1 || len(theirs["unread_notifications"]) != 2 {
			t.Errorf("the mentee's connections %s, notifications %s", theirs["connections"], theirs["unread_notifications"])
		}

		// The availability switch, in one call; a non-mentor has none.
		var profile struct{ Active bool }
		want(t, e.call("PUT", "/api/v1/me/mentor/active", m.Token, map[string]bool{"active": false}), http.StatusOK).decode(t, &profile)
		if profile.Active {
			t.Error("still active")
		}
		var d struct{ Mentor struct{ Active bool } }
		want(t, e.call("GET", "/api/v1/me/dashboard", m.Token, nil), http.StatusOK).decode(t, &d)
		if d.Mentor.Active {
			t.Error("the dashboard says active")
		}
		want(t, e.call("PUT", "/api/v1/me/mentor/active", a.Token, map[string]bool{"active": true}), http.StatusConflict)
		want(t, e.call("PUT", "/api/v1/me/mentor/active", m.Token, map[string]any{}), http.StatusUnprocessableEntity)
		want(t, e.call("PUT", "/api/v1/me/mentor/active", "", map[string]bool{"active": true}), http.StatusUnauthorized)
		var mp struct{ Headline string }
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d", m.ID), "", nil), http.StatusOK).decode(t, &mp)
		if mp.Headline != "Go mentor" {
			t.Errorf("the switch changed the profile: %+v", mp)
		}
	})
}

// Once money moves, the mentor's money part shows the balance buckets,
// the latest ledger entries and requested cashouts; a message the caller
// has not read shows in the messages part.
func TestTheDashboardShowsMoneyAndUnreadMessages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.paidParties(9999)
		pay := e.accepted(p)
		want(t, e.confirm(p.admin, pay, 9999), http.StatusOK)
		var conv struct{ ID int64 }
		want(t, e.open(p.mentee, p.mentor.ID), http.StatusCreated).decode(t, &conv)
		e.mustSend(p.mentee, conv.ID, "Paid, see you Monday!")

		var d struct {
			Mentor struct {
				Money struct {
					Count int
					Items []struct {
						Kind        string
						Label       string
						AmountMinor int64 `json:"amount_minor"`
					}
				}
			}
			Messages struct {
				Count int
				Items []struct{ Text string }
			} `json:"unread_messages"`
		}
		want(t, e.call("GET", "/api/v1/me/dashboard", p.mentor.Token, nil), http.StatusOK).decode(t, &d)
		items := d.Mentor.Money.Items
		if d.Mentor.Money.Count != len(items) || len(items) < 4 {
			t.Fatalf("money part %+v", d.Mentor.Money)
		}
		if items[0].Label != "Pending" || items[0].AmountMinor != 9000 {
			t.Errorf("pending bucket %+v, want 9000 (90%% of 9999)", items[0])
		}
		if items[3].Kind != "entry" || items[3].AmountMinor != 9000 {
			t.Errorf("latest ledger entry %+v", items[3])
		}
		if d.Messages.Count != 1 || len(d.Messages.Items) != 1 || d.Messages.Items[0].Text != "Paid, see you Monday!" {
			t.Errorf("unread messages part %+v", d.Messages)
		}
	})
}
