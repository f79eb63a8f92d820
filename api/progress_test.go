package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

type taskOut struct {
	ID      int64
	Title   string
	Done    bool
	AddedBy struct {
		ID   int64
		Name string
	} `json:"added_by"`
	DoneBy *int64     `json:"done_by"`
	DoneAt *time.Time `json:"done_at"`
}

type noteOut struct {
	ID        int64
	Body      string
	Shared    bool
	BookingID *int64 `json:"booking_id"`
	Author    struct{ ID int64 }
}

// activeMentorship is a free two-session program of a fresh mentee with m,
// accepted.
func (e *env) activeMentorship(m user) (mentorshipOut, user) {
	e.t.Helper()
	a := e.signup("UTC")
	sv := e.mustService(m, freeProgram())
	r := e.mustMentorship(a, sv.ID)
	want(e.t, e.act(m, r.ID, "accept", nil), http.StatusOK)
	return r, a
}

// sameAnswer fails unless GET path as u answers as it did before.
func (e *env) sameAnswer(u user, path, before string) {
	e.t.Helper()
	if after := string(want(e.t, e.call("GET", path, u.Token, nil), http.StatusOK).Body); after != before {
		e.t.Errorf("%s changed:\nbefore %s\nafter  %s", path, before, after)
	}
}

func TestTasksOfAMentorshipAsEachPartyStrangerAndAnonymous(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		stranger := e.signup("UTC")
		r, a := e.activeMentorship(m)
		tasks := fmt.Sprintf("/api/v1/mentorships/%d/tasks", r.ID)

		var t1, t2 taskOut
		want(t, e.call("POST", tasks, m.Token, map[string]string{"title": "  Read Effective Go  "}), http.StatusCreated).decode(t, &t1)
		want(t, e.call("POST", tasks, a.Token, map[string]string{"title": "Write a CLI"}), http.StatusCreated).decode(t, &t2)
		if t1.Title != "Read Effective Go" || t1.AddedBy.ID != m.ID || t1.AddedBy.Name == "" || t1.Done || t1.DoneAt != nil || t2.AddedBy.ID != a.ID {
			t.Fatalf("added %+v %+v", t1, t2)
		}
		// The mentee marks the mentor's task done: who and when are kept.
		e.clock.Advance(time.Hour)
		var done taskOut
		want(t, e.call("PATCH", fmt.Sprintf("%s/%d", tasks, t1.ID), a.Token, map[string]any{"done": true}), http.StatusOK).decode(t, &done)
		if !done.Done || done.DoneBy == nil || *done.DoneBy != a.ID || !done.DoneAt.Equal(testNow.Add(time.Hour)) || done.Title != t1.Title {
			t.Fatalf("done %+v", done)
		}
		want(t, e.call("PATCH", fmt.Sprintf("%s/%d", tasks, t2.ID), m.Token, map[string]any{"title": "Write a small CLI"}), http.StatusOK)
		var list struct{ Tasks []taskOut }
		want(t, e.call("GET", tasks, m.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Tasks) != 2 || list.Tasks[0].ID != t1.ID || !list.Tasks[0].Done || list.Tasks[1].Title != "Write a small CLI" || list.Tasks[1].Done {
			t.Fatalf("list %+v", list.Tasks)
		}
		want(t, e.call("PATCH", fmt.Sprintf("%s/%d", tasks, t1.ID), m.Token, map[string]any{"done": false}), http.StatusOK).decode(t, &done)
		if done.Done || done.DoneBy != nil || done.DoneAt != nil {
			t.Errorf("undone %+v", done)
		}

		// Refusals change nothing.
		before := string(want(t, e.call("GET", tasks, a.Token, nil), http.StatusOK).Body)
		task1 := fmt.Sprintf("%s/%d", tasks, t1.ID)
		for _, c := range []struct {
			method, path string
			u            user
			body         any
			status       int
		}{
			{"POST", tasks, a, map[string]string{"title": "  "}, http.StatusUnprocessableEntity},
			{"POST", tasks, a, map[string]string{"title": strings.Repeat("x", 201)}, http.StatusUnprocessableEntity},
			{"PATCH", task1, a, map[string]any{"title": ""}, http.StatusUnprocessableEntity},
			{"POST", tasks, stranger, map[string]string{"title": "Mine"}, http.StatusNotFound},
			{"PATCH", task1, stranger, map[string]any{"done": true}, http.StatusNotFound},
			{"DELETE", task1, stranger, nil, http.StatusNotFound},
			{"GET", tasks, stranger, nil, http.StatusNotFound},
			{"POST", tasks, user{}, map[string]string{"title": "Anon"}, http.StatusUnauthorized},
			{"GET", tasks, user{}, nil, http.StatusUnauthorized},
			{"DELETE", task1, user{}, nil, http.StatusUnauthorized},
			{"DELETE", fmt.Sprintf("%s/%d", tasks, t1.ID+100), a, nil, http.StatusNotFound},
		} {
			res := e.call(c.method, c.path, c.u.Token, c.body)
			if res.Status != c.status {
				t.Errorf("%s %s: %d, want %d (%s)", c.method, c.path, res.Status, c.status, res.Body)
			}
			res.problem(t)
		}
		e.sameAnswer(a, tasks, before)

		want(t, e.call("DELETE", task1, m.Token, nil), http.StatusNoContent)
		want(t, e.call("GET", tasks, a.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Tasks) != 1 || list.Tasks[0].ID != t2.ID {
			t.Errorf("after delete %+v", list.Tasks)
		}
		// A task of another mentorship is not found through this one.
		other, b := e.activeMentorship(m)
		want(t, e.call("PATCH", fmt.Sprintf("/api/v1/mentorships/%d/tasks/%d", other.ID, t2.ID), b.Token, map[string]any{"done": true}), http.StatusNotFound)

		// Not active: 409, and the list can still be read.
		want(t, e.act(a, r.ID, "complete", nil), http.StatusOK)
		before = string(want(t, e.call("GET", tasks, a.Token, nil), http.StatusOK).Body)
		want(t, e.call("POST", tasks, a.Token, map[string]string{"title": "Late"}), http.StatusConflict)
		want(t, e.call("PATCH", fmt.Sprintf("%s/%d", tasks, t2.ID), m.Token, map[string]any{"done": true}), http.StatusConflict)
		want(t, e.call("DELETE", fmt.Sprintf("%s/%d", tasks, t2.ID), m.Token, nil), http.StatusConflict)
		e.sameAnswer(a, tasks, before)
		pending := e.mustMentorship(e.signup("UTC"), e.mustService(m, asyncReview()).ID)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/mentorships/%d/tasks", pending.ID), m.Token, map[string]string{"title": "Early"}), http.StatusConflict)
	})
}

func TestNotesAreSharedOrPrivateAndAttachToTheMentorshipsSessions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		stranger := e.signup("UTC")
		r, a := e.activeMentorship(m)
		notes := fmt.Sprintf("/api/v1/mentorships/%d/notes", r.ID)
		var session bookingOut
		want(t, e.call("POST", "/api/v1/bookings", a.Token, map[string]any{"mentor_id": m.ID, "start": mon10.Format(time.RFC3339),
			"mentorship_id": r.ID}), http.StatusCreated).decode(t, &session)
		free := e.mustBook(stranger, m.ID, mon10.Add(2*time.Hour)) // not a session of r

		var shared, private noteOut
		want(t, e.call("POST", notes, m.Token, map[string]any{"body": "Agenda: tests", "shared": true, "booking_id": session.ID}),
			http.StatusCreated).decode(t, &shared)
		want(t, e.call("POST", notes, m.Token, map[string]any{"body": "Needs confidence", "shared": false}), http.StatusCreated).decode(t, &private)
		if shared.BookingID == nil || *shared.BookingID != session.ID || !shared.Shared || private.Shared || private.BookingID != nil || private.Author.ID != m.ID {
			t.Fatalf("notes %+v %+v", shared, private)
		}
		want(t, e.call("POST", notes, a.Token, map[string]any{"body": "My own thoughts", "shared": false}), http.StatusCreated)
		seen := func(u user) []string {
			var out struct{ Notes []noteOut }
			want(t, e.call("GET", notes, u.Token, nil), http.StatusOK).decode(t, &out)
			var bodies []string
			for _, n := range out.Notes {
				bodies = append(bodies, n.Body)
			}
			return bodies
		}
		if got := strings.Join(seen(m), "|"); got != "Agenda: tests|Needs confidence" {
			t.Errorf("the mentor sees %q", got)
		}
		if got := strings.Join(seen(a), "|"); got != "Agenda: tests|My own thoughts" {
			t.Errorf("the mentee sees %q", got)
		}
		before := string(want(t, e.call("GET", notes, m.Token, nil), http.StatusOK).Body)
		for _, c := range []struct {
			u      user
			body   map[string]any
			status int
		}{
			{a, map[string]any{"body": "", "shared": true}, http.StatusUnprocessableEntity},
			{a, map[string]any{"body": strings.Repeat("é", 10001), "shared": true}, http.StatusUnprocessableEntity},
			{a, map[string]any{"body": "No audience"}, http.StatusUnprocessableEntity},
			{a, map[string]any{"body": "Wrong session", "shared": true, "booking_id": free.ID}, http.StatusUnprocessableEntity},
			{a, map[string]any{"body": "No session", "shared": true, "booking_id": 999999}, http.StatusUnprocessableEntity},
			{stranger, map[string]any{"body": "Hi", "shared": true}, http.StatusNotFound},
			{user{}, map[string]any{"body": "Hi", "shared": true}, http.StatusUnauthorized},
		} {
			res := e.call("POST", notes, c.u.Token, c.body)
			if res.Status != c.status {
				t.Errorf("%v: %d, want %d (%s)", c.body, res.Status, c.status, res.Body)
			}
			res.problem(t)
		}
		want(t, e.call("GET", notes, stranger.Token, nil), http.StatusNotFound)
		e.sameAnswer(m, notes, before)
		// A 10000-character note is fine.
		want(t, e.call("POST", notes, a.Token, map[string]any{"body": strings.Repeat("é", 10000), "shared": true}), http.StatusCreated)
	})
}

func TestTimeIsLoggedByTheMentorAndSummedByMonth(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		stranger := e.signup("UTC")
		r, a := e.activeMentorship(m)
		path := fmt.Sprintf("/api/v1/mentorships/%d/time", r.ID)
		for _, entry := range []map[string]any{
			{"minutes": 30, "date": "2026-06-02", "note": "Reviewed a PR"},
			{"minutes": 1440, "date": "2026-05-31"},
			{"minutes": 1, "date": "2026-06-20"},
		} {
			want(t, e.call("POST", path, m.Token, entry), http.StatusCreated)
		}
		type timeOut struct {
			Entries []struct {
				Minutes int
				Date    string
				Note    string
			}
			TotalMinutes int `json:"total_minutes"`
			ByMonth      []struct {
				Month   string
				Minutes int
			} `json:"by_month"`
		}
		var got timeOut
		want(t, e.call("GET", path, a.Token, nil), http.StatusOK).decode(t, &got)
		if got.TotalMinutes != 1471 || len(got.Entries) != 3 || got.Entries[0].Date != "2026-05-31" || got.Entries[1].Note != "Reviewed a PR" ||
			fmt.Sprint(got.ByMonth) != "[{2026-05 1440} {2026-06 31}]" {
			t.Fatalf("time %+v", got)
		}
		before := string(want(t, e.call("GET", path, m.Token, nil), http.StatusOK).Body)
		for _, c := range []struct {
			u      user
			body   map[string]any
			status int
		}{
			{m, map[string]any{"minutes": 0, "date": "2026-06-02"}, http.StatusUnprocessableEntity},
			{m, map[string]any{"minutes": 1441, "date": "2026-06-02"}, http.StatusUnprocessableEntity},
			{m, map[string]any{"minutes": 30, "date": "2026-02-30"}, http.StatusUnprocessableEntity},
			{m, map[string]any{"minutes": 30, "date": "2026-06-02", "note": strings.Repeat("n", 1001)}, http.StatusUnprocessableEntity},
			{a, map[string]any{"minutes": 30, "date": "2026-06-02"}, http.StatusForbidden},
			{stranger, map[string]any{"minutes": 30, "date": "2026-06-02"}, http.StatusNotFound},
			{user{}, map[string]any{"minutes": 30, "date": "2026-06-02"}, http.StatusUnauthorized},
		} {
			res := e.call("POST", path, c.u.Token, c.body)
			if res.Status != c.status {
				t.Errorf("%v: %d, want %d (%s)", c.body, res.Status, c.status, res.Body)
			}
			res.problem(t)
		}
		want(t, e.call("GET", path, stranger.Token, nil), http.StatusNotFound)
		e.sameAnswer(a, path, before)
		want(t, e.act(m, r.ID, "cancel", map[string]string{"reason": "done"}), http.StatusOK)
		want(t, e.call("POST", path, m.Token, map[string]any{"minutes": 5, "date": "2026-06-02"}), http.StatusConflict)
		e.sameAnswer(a, path, before)
	})
}
