package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

type mentorshipOut struct {
	ID      int64
	Status  string
	Service struct {
		ID             int64
		Title          string
		Format         string
		Sessions       *int
		SessionMinutes *int `json:"session_minutes"`
		Days           *int
	}
	Mentor, Mentee struct {
		ID   int64
		Name string
	}
	PriceMinor       int64 `json:"price_minor"`
	Currency         string
	Message          string
	Reason           string
	ExpiresAt        *time.Time `json:"expires_at"`
	AcceptedAt       *time.Time `json:"accepted_at"`
	StartedAt        *time.Time `json:"started_at"`
	EndsAt           *time.Time `json:"ends_at"`
	SessionsIncluded *int       `json:"sessions_included"`
	SessionsUsed     *int       `json:"sessions_used"`
}

// freeProgram is a body for a free two-session program.
func freeProgram() map[string]any {
	return map[string]any{"title": "Two calls", "price_minor": 0, "format": "sessions", "sessions": 2, "session_minutes": 30}
}

func asyncReview() map[string]any {
	return map[string]any{"title": "Code review", "price_minor": 0, "format": "async", "days": 10}
}

func (e *env) requestMentorship(u user, serviceID int64, header ...string) response {
	e.t.Helper()
	return e.call("POST", "/api/v1/mentorships", u.Token, map[string]any{"service_id": serviceID, "message": "Please!"}, header...)
}

func (e *env) mustMentorship(u user, serviceID int64) mentorshipOut {
	e.t.Helper()
	var m mentorshipOut
	want(e.t, e.requestMentorship(u, serviceID), http.StatusCreated).decode(e.t, &m)
	return m
}

func (e *env) act(u user, id int64, action string, body any) response {
	e.t.Helper()
	return e.call("POST", fmt.Sprintf("/api/v1/mentorships/%d/%s", id, action), u.Token, body)
}

func (e *env) mentorship(u user, id int64) mentorshipOut {
	e.t.Helper()
	var m mentorshipOut
	want(e.t, e.call("GET", fmt.Sprintf("/api/v1/mentorships/%d", id), u.Token, nil), http.StatusOK).decode(e.t, &m)
	return m
}

func TestAMentorshipCopiesTheServiceAndMovesThroughItsStates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", map[string]any{"pending_expiry_hours": 24})
		a := e.signup("UTC")
		paid := e.mustService(m, paidProgram())
		got := e.mustMentorship(a, paid.ID)
		if got.Status != "pending" || got.Service.ID != paid.ID || got.Service.Title != "Go in four weeks" || *got.Service.Sessions != 4 ||
			*got.Service.SessionMinutes != 45 || got.Service.Days != nil || got.Mentor.ID != m.ID || got.Mentee.ID != a.ID ||
			got.Mentee.Name == "" || got.PriceMinor != 25000 || got.Currency != "USD" || got.Message != "Please!" ||
			!got.ExpiresAt.Equal(testNow.Add(24*time.Hour)) || got.AcceptedAt != nil || *got.SessionsIncluded != 4 || *got.SessionsUsed != 0 {
			t.Fatalf("requested %+v", got)
		}
		// Editing the service later never changes the mentorship.
		want(t, e.call("PATCH", fmt.Sprintf("/api/v1/me/services/%d", paid.ID), m.Token, map[string]any{"price_minor": 1, "title": "New"}), http.StatusOK)
		if again := e.mentorship(a, got.ID); again.PriceMinor != 25000 || again.Service.Title != "Go in four weeks" {
			t.Errorf("after editing the service %+v", again)
		}
		// Accepting a paid one waits for payment for 7 days, then expires.
		e.clock.Advance(time.Hour)
		var acc mentorshipOut
		want(t, e.act(m, got.ID, "accept", nil), http.StatusOK).decode(t, &acc)
		accepted := testNow.Add(time.Hour)
		if acc.Status != "awaiting_payment" || !acc.AcceptedAt.Equal(accepted) || !acc.ExpiresAt.Equal(accepted.Add(7*24*time.Hour)) || acc.StartedAt != nil {
			t.Fatalf("accepted %+v", acc)
		}
		e.clock.Advance(7 * 24 * time.Hour)
		if exp := e.mentorship(a, got.ID); exp.Status != "expired" {
			t.Errorf("after the payment window: %s", exp.Status)
		}
		want(t, e.act(a, got.ID, "cancel", map[string]string{"reason": "late"}), http.StatusConflict)

		// A free async one starts at once and completes by itself after its days.
		async := e.mustService(m, asyncReview())
		r := e.mustMentorship(a, async.ID)
		if r.SessionsIncluded != nil || *r.Service.Days != 10 {
			t.Errorf("async %+v", r)
		}
		now := testNow.Add(time.Hour + 7*24*time.Hour)
		want(t, e.act(m, r.ID, "accept", nil), http.StatusOK).decode(t, &acc)
		if acc.Status != "active" || !acc.StartedAt.Equal(now) || !acc.EndsAt.Equal(now.Add(10*24*time.Hour)) || acc.ExpiresAt != nil {
			t.Fatalf("async accepted %+v", acc)
		}
		e.clock.Advance(10 * 24 * time.Hour)
		if done := e.mentorship(m, r.ID); done.Status != "completed" {
			t.Errorf("after its days: %s", done.Status)
		}

		// A pending request expires after the mentor's pending_expiry_hours.
		free := e.mustService(m, freeProgram())
		p := e.mustMentorship(a, free.ID)
		e.clock.Advance(24 * time.Hour)
		if exp := e.mentorship(a, p.ID); exp.Status != "expired" {
			t.Errorf("after 24 hours: %s", exp.Status)
		}
		want(t, e.act(m, p.ID, "accept", nil), http.StatusConflict)
		// Expired is not open: the mentee may ask again.
		e.mustMentorship(a, free.ID)
	})
}

// setUp brings a fresh mentorship of a fresh mentee into a state.
func (e *env) setUp(state string, m user, free, paid, quick int64, quickMentor user) (mentorshipOut, user) {
	e.t.Helper()
	a := e.signup("UTC")
	switch state {
	case "pending":
		return e.mustMentorship(a, free), a
	case "awaiting_payment":
		r := e.mustMentorship(a, paid)
		want(e.t, e.act(m, r.ID, "accept", nil), http.StatusOK)
		return r, a
	case "expired":
		r := e.mustMentorship(a, quick)
		e.clock.Advance(time.Hour)
		return r, a
	}
	r := e.mustMentorship(a, free)
	follow := map[string][]struct{ who, action string }{
		"active":    {{"mentor", "accept"}},
		"declined":  {{"mentor", "decline"}},
		"withdrawn": {{"mentee", "withdraw"}},
		"completed": {{"mentor", "accept"}, {"mentee", "complete"}},
		"cancelled": {{"mentor", "accept"}, {"mentor", "cancel"}},
	}[state]
	for _, f := range follow {
		u := a
		if f.who == "mentor" {
			u = m
		}
		want(e.t, e.act(u, r.ID, f.action, map[string]string{"reason": "because"}), http.StatusOK)
	}
	return r, a
}

// Every action from every state by every role: the allowed ones move the
// mentorship, the others are 403, 404 or 409 and change nothing.
func TestEveryTransitionFromEveryStateByEveryRole(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		quickMentor := e.mentor("Europe/Berlin", map[string]any{"pending_expiry_hours": 1})
		stranger := e.signup("UTC")
		free := e.mustService(m, freeProgram()).ID
		paid := e.mustService(m, paidProgram()).ID
		quick := e.mustService(quickMentor, freeProgram()).ID
		states := []string{"pending", "awaiting_payment", "active", "declined", "withdrawn", "expired", "completed", "cancelled"}
		// to is the state an allowed action leads to.
		to := map[string]map[string]string{
			"accept":   {"pending": "active"},
			"decline":  {"pending": "declined"},
			"withdraw": {"pending": "withdrawn"},
			"cancel":   {"awaiting_payment": "cancelled", "active": "cancelled"},
			"complete": {"active": "completed"},
		}
		onlyBy := map[string]string{"accept": "mentor", "decline": "mentor", "withdraw": "mentee"}
		for _, state := range states {
			for _, action := range []string{"accept", "decline", "withdraw", "cancel", "complete"} {
				for _, role := range []string{"mentor", "mentee", "stranger"} {
					r, mentee := e.setUp(state, m, free, paid, quick, quickMentor)
					mentor := m
					if state == "expired" {
						mentor = quickMentor
					}
					caller := map[string]user{"mentor": mentor, "mentee": mentee, "stranger": stranger}[role]
					path := fmt.Sprintf("/api/v1/mentorships/%d", r.ID)
					before := string(want(t, e.call("GET", path, mentee.Token, nil), http.StatusOK).Body)
					wantStatus := http.StatusOK
					next, allowed := to[action][state]
					switch {
					case role == "stranger":
						wantStatus = http.StatusNotFound
					case onlyBy[action] != "" && onlyBy[action] != role:
						wantStatus = http.StatusForbidden
					case !allowed:
						wantStatus = http.StatusConflict
					}
					res := e.act(caller, r.ID, action, map[string]string{"reason": "a reason"})
					if res.Status != wantStatus {
						t.Errorf("%s by %s from %s: %d, want %d (%s)", action, role, state, res.Status, wantStatus, res.Body)
						continue
					}
					after := e.mentorship(mentee, r.ID)
					if wantStatus != http.StatusOK {
						res.problem(t)
						if got := string(want(t, e.call("GET", path, mentee.Token, nil), http.StatusOK).Body); got != before {
							t.Errorf("refused %s by %s from %s changed it:\n%s\n%s", action, role, state, before, got)
						}
						continue
					}
					if action == "accept" && r.PriceMinor > 0 {
						next = "awaiting_payment"
					}
					if after.Status != next {
						t.Errorf("%s by %s from %s: now %s, want %s", action, role, state, after.Status, next)
					}
				}
			}
		}
	})
}

func TestMentorshipEndpointsAsPartiesStrangersAndAnonymous(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a, stranger := e.signup("UTC"), e.signup("UTC")
		sv := e.mustService(m, freeProgram())
		r := e.mustMentorship(a, sv.ID)
		path := fmt.Sprintf("/api/v1/mentorships/%d", r.ID)
		for _, u := range []user{m, a} {
			if got := e.mentorship(u, r.ID); got.ID != r.ID {
				t.Errorf("party %d reads %+v", u.ID, got)
			}
		}
		want(t, e.call("GET", path, stranger.Token, nil), http.StatusNotFound).problem(t)
		want(t, e.call("GET", "/api/v1/mentorships/999999", a.Token, nil), http.StatusNotFound)
		want(t, e.call("GET", "/api/v1/mentorships/x", a.Token, nil), http.StatusNotFound)
		for _, c := range []struct{ method, path string }{
			{"GET", path}, {"GET", "/api/v1/mentorships"}, {"POST", "/api/v1/mentorships"}, {"POST", path + "/accept"},
			{"POST", path + "/decline"}, {"POST", path + "/withdraw"}, {"POST", path + "/cancel"}, {"POST", path + "/complete"},
		} {
			want(t, e.call(c.method, c.path, "", nil), http.StatusUnauthorized)
		}
		// Lists: each party sees it in their role; the stranger sees nothing.
		var list struct {
			Mentorships []mentorshipOut
			NextCursor  string `json:"next_cursor"`
		}
		want(t, e.call("GET", "/api/v1/mentorships?role=mentor", m.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Mentorships) != 1 || list.Mentorships[0].ID != r.ID {
			t.Errorf("mentor's list %+v", list)
		}
		want(t, e.call("GET", "/api/v1/mentorships?role=mentee", m.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Mentorships) != 0 {
			t.Errorf("mentor as mentee %+v", list)
		}
		want(t, e.call("GET", "/api/v1/mentorships", stranger.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Mentorships) != 0 {
			t.Errorf("stranger's list %+v", list)
		}
		for _, q := range []string{"role=boss", "status=open", "limit=0", "limit=101", "cursor=@@"} {
			want(t, e.call("GET", "/api/v1/mentorships?"+q, a.Token, nil), http.StatusUnprocessableEntity)
		}
	})
}

func TestMentorshipListsNewestFirstByStatusWithCursors(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("UTC")
		var ids []int64
		for i := range 5 {
			sv := e.mustService(m, map[string]any{"title": fmt.Sprintf("P%d", i), "format": "async", "days": 3})
			ids = append(ids, e.mustMentorship(a, sv.ID).ID)
			e.clock.Advance(time.Minute)
		}
		want(t, e.act(m, ids[1], "decline", nil), http.StatusOK)
		want(t, e.act(m, ids[3], "accept", nil), http.StatusOK)
		var got []int64
		cursor := ""
		for page := 0; ; page++ {
			var list struct {
				Mentorships []mentorshipOut
				NextCursor  string `json:"next_cursor"`
			}
			want(t, e.call("GET", "/api/v1/mentorships?role=mentee&limit=2&cursor="+cursor, a.Token, nil), http.StatusOK).decode(t, &list)
			for _, x := range list.Mentorships {
				got = append(got, x.ID)
			}
			if cursor = list.NextCursor; cursor == "" || page > 5 {
				break
			}
		}
		if fmt.Sprint(got) != fmt.Sprint([]int64{ids[4], ids[3], ids[2], ids[1], ids[0]}) {
			t.Errorf("pages %v, want newest first of %v", got, ids)
		}
		var list struct{ Mentorships []mentorshipOut }
		want(t, e.call("GET", "/api/v1/mentorships?status=active,declined", m.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Mentorships) != 2 || list.Mentorships[0].ID != ids[3] || list.Mentorships[1].ID != ids[1] {
			t.Errorf("active and declined %+v", list.Mentorships)
		}
	})
}

func TestMentorshipRequestRules(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		other := e.mentor("UTC", nil)
		a := e.signup("UTC")
		sv := e.mustService(m, paidProgram())
		archived := e.mustService(m, freeProgram())
		want(t, e.call("DELETE", fmt.Sprintf("/api/v1/me/services/%d", archived.ID), m.Token, nil), http.StatusNoContent)
		inactive := e.mustService(m, map[string]any{"title": "Later", "format": "async", "days": 3, "active": false})
		def := e.services("/api/v1/me/services", m.Token)[0]
		otherSv := e.mustService(other, freeProgram())
		want(t, e.call("PUT", "/api/v1/me/mentor", other.Token, map[string]any{"headline": "Away", "active": false}), http.StatusOK)

		for _, c := range []struct {
			name   string
			u      user
			body   any
			status int
			field  string
		}{
			{"own service", m, map[string]any{"service_id": sv.ID}, 422, "service_id"},
			{"unknown service", a, map[string]any{"service_id": 999999}, 422, "service_id"},
			{"no service", a, map[string]any{"message": "hi"}, 422, "service_id"},
			{"archived service", a, map[string]any{"service_id": archived.ID}, 422, "service_id"},
			{"default service", a, map[string]any{"service_id": def.ID}, 422, "service_id"},
			{"long message", a, map[string]any{"service_id": sv.ID, "message": fmt.Sprintf("%02001d", 0)}, 422, "message"},
			{"inactive service", a, map[string]any{"service_id": inactive.ID}, 409, ""},
			{"inactive mentor", a, map[string]any{"service_id": otherSv.ID}, 409, ""},
			{"service id as text", a, `{"service_id":"1"}`, 400, ""},
		} {
			r := e.call("POST", "/api/v1/mentorships", c.u.Token, c.body)
			if r.Status != c.status {
				t.Errorf("%s: %d, want %d (%s)", c.name, r.Status, c.status, r.Body)
				continue
			}
			if p := r.problem(t); c.field != "" && p.Fields[c.field] == "" {
				t.Errorf("%s: fields %v, want %s", c.name, p.Fields, c.field)
			}
		}
		var list struct{ Mentorships []mentorshipOut }
		want(t, e.call("GET", "/api/v1/mentorships", a.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Mentorships) != 0 {
			t.Fatalf("refused requests stored %+v", list)
		}
		// One open request per service: pending, awaiting payment or active.
		first := e.mustMentorship(a, sv.ID)
		want(t, e.requestMentorship(a, sv.ID), http.StatusConflict).problem(t)
		want(t, e.act(m, first.ID, "accept", nil), http.StatusOK)
		want(t, e.requestMentorship(a, sv.ID), http.StatusConflict)
		want(t, e.act(a, first.ID, "cancel", map[string]string{"reason": "changed my mind"}), http.StatusOK)
		e.mustMentorship(a, sv.ID)
		// Cancel needs a reason.
		second := e.mustMentorship(e.signup("UTC"), sv.ID)
		want(t, e.act(m, second.ID, "accept", nil), http.StatusOK)
		want(t, e.act(m, second.ID, "cancel", map[string]string{"reason": " "}), http.StatusUnprocessableEntity)
		if got := e.mentorship(m, second.ID); got.Status != "awaiting_payment" {
			t.Errorf("after a cancel without reason: %s", got.Status)
		}
	})
}

func TestMentorshipIdempotencyKey(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a := e.signup("UTC")
		sv := e.mustService(m, freeProgram())
		var first, again mentorshipOut
		want(t, e.requestMentorship(a, sv.ID, "Idempotency-Key", "k1"), http.StatusCreated).decode(t, &first)
		want(t, e.requestMentorship(a, sv.ID, "Idempotency-Key", "k1"), http.StatusCreated).decode(t, &again)
		if again.ID != first.ID {
			t.Errorf("retry made %d, first %d", again.ID, first.ID)
		}
		// The same key for another request: 422, for a mentorship or a booking.
		other := e.mustService(m, asyncReview())
		want(t, e.requestMentorship(a, other.ID, "Idempotency-Key", "k1"), http.StatusUnprocessableEntity)
		want(t, e.book(a, m.ID, mon10, 0, "Idempotency-Key", "k1"), http.StatusUnprocessableEntity)
		// A booking's key is not a mentorship's.
		want(t, e.book(a, m.ID, mon10, 0, "Idempotency-Key", "k2"), http.StatusCreated)
		want(t, e.requestMentorship(a, other.ID, "Idempotency-Key", "k2"), http.StatusUnprocessableEntity)
	})
}

// raceRetries sends 32 requests with one key at once, to servers in turn:
// every one answers with the same mentorship, and only one exists.
func raceRetries(t *testing.T, e *env, servers []*httptest.Server) {
	m := e.mentor("Europe/Berlin", nil)
	a := e.signup("UTC")
	sv := e.mustService(m, freeProgram())
	const n = 32
	results := make([]response, n)
	var wg sync.WaitGroup
	startGun := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-startGun
			results[i] = call(t, servers[i%len(servers)], "POST", "/api/v1/mentorships", a.Token,
				map[string]any{"service_id": sv.ID, "message": "Please!"}, "Idempotency-Key", "same")
		})
	}
	close(startGun)
	wg.Wait()
	ids := map[int64]bool{}
	for i, r := range results {
		if r.Status != http.StatusCreated {
			t.Errorf("retry %d: %d %s", i, r.Status, r.Body)
			continue
		}
		var got mentorshipOut
		r.decode(t, &got)
		ids[got.ID] = true
	}
	var list struct{ Mentorships []mentorshipOut }
	want(t, e.call("GET", "/api/v1/mentorships", a.Token, nil), http.StatusOK).decode(t, &list)
	if len(ids) != 1 || len(list.Mentorships) != 1 {
		t.Errorf("answers named %v; %d mentorships stored, want one", ids, len(list.Mentorships))
	}
}

// raceAccepts makes a mentor with a limit of 3 and 2 places taken, then
// fires 32 accepts of 32 pending requests at once: exactly one wins.
func raceAccepts(t *testing.T, e *env, servers []*httptest.Server) {
	m := e.mentor("Europe/Berlin", nil)
	want(t, e.call("PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "Busy", "max_active_mentorships": 3}), http.StatusOK)
	free, paid := e.mustService(m, freeProgram()), e.mustService(m, paidProgram())
	for _, sv := range []serviceOut{free, paid} { // one active, one awaiting payment
		want(t, e.act(m, e.mustMentorship(e.signup("UTC"), sv.ID).ID, "accept", nil), http.StatusOK)
	}
	const n = 32
	pending := make([]int64, n)
	for i := range pending {
		pending[i] = e.mustMentorship(e.signup("UTC"), []int64{free.ID, paid.ID}[i%2]).ID
	}
	results := make([]response, n)
	var wg sync.WaitGroup
	startGun := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-startGun
			results[i] = call(t, servers[i%len(servers)], "POST", fmt.Sprintf("/api/v1/mentorships/%d/accept", pending[i]), m.Token, nil)
		})
	}
	close(startGun)
	wg.Wait()
	won := 0
	for i, r := range results {
		switch r.Status {
		case http.StatusOK:
			won++
		case http.StatusConflict:
		default:
			t.Errorf("accept %d: %d %s", i, r.Status, r.Body)
		}
	}
	var list struct{ Mentorships []mentorshipOut }
	want(t, e.call("GET", "/api/v1/mentorships?role=mentor&status=active,awaiting_payment&limit=100", m.Token, nil), http.StatusOK).decode(t, &list)
	if won != 1 || len(list.Mentorships) != 3 {
		t.Errorf("%d accepts won and %d places are taken; want 1 and 3", won, len(list.Mentorships))
	}
	// With the limit reached, one more accept is refused; a place that
	// ends frees it.
	var rest []int64
	for i, r := range results {
		if r.Status == http.StatusConflict {
			rest = append(rest, pending[i])
		}
	}
	want(t, e.act(m, rest[0], "accept", nil), http.StatusConflict)
	want(t, e.act(m, list.Mentorships[0].ID, "cancel", map[string]string{"reason": "full"}), http.StatusOK)
	want(t, e.act(m, rest[0], "accept", nil), http.StatusOK)
}

func TestConcurrentAcceptsNeverExceedTheMentorsLimit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		raceAccepts(t, e, []*httptest.Server{e.srv})
	})
}

func TestConcurrentRetriesMakeOneMentorship(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		raceRetries(t, e, []*httptest.Server{e.srv})
	})
}

func TestTwoInstancesOnOnePostgreSQLKeepMentorshipLimitsAndKeys(t *testing.T) {
	e, servers := twoInstances(t)
	raceAccepts(t, e, servers)
	raceRetries(t, e, servers)
}

func TestSessionsOfAMentorship(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a, stranger := e.signup("UTC"), e.signup("UTC")
		sv := e.mustService(m, freeProgram()) // 2 sessions of 30 minutes
		r := e.mustMentorship(a, sv.ID)
		session := func(u user, start time.Time, extra map[string]any) response {
			body := map[string]any{"mentor_id": m.ID, "start": start.Format(time.RFC3339), "mentorship_id": r.ID}
			for k, v := range extra {
				body[k] = v
			}
			return e.call("POST", "/api/v1/bookings", u.Token, body)
		}
		// Not active yet.
		want(t, session(a, mon10, nil), http.StatusConflict)
		want(t, e.act(m, r.ID, "accept", nil), http.StatusOK)

		want(t, session(m, mon10, nil), http.StatusForbidden)
		want(t, session(stranger, mon10, nil), http.StatusNotFound)
		want(t, session(a, mon10, map[string]any{"duration_minutes": 60}), http.StatusUnprocessableEntity)
		want(t, session(a, mon10.Add(10*time.Minute), nil), http.StatusConflict) // not on the 30-minute grid

		var b bookingOut
		var raw struct {
			MentorshipID *int64 `json:"mentorship_id"`
			MentorName   string `json:"mentor_name"`
			MenteeName   string `json:"mentee_name"`
		}
		res := want(t, session(a, mon10, nil), http.StatusCreated)
		res.decode(t, &b)
		res.decode(t, &raw)
		if b.Status != "confirmed" || !b.End.Equal(mon10.Add(30*time.Minute)) || raw.MentorshipID == nil || *raw.MentorshipID != r.ID ||
			raw.MentorName == "" || raw.MenteeName == "" {
			t.Fatalf("session %+v %+v", b, raw)
		}
		second := want(t, session(a, mon10.Add(30*time.Minute), nil), http.StatusCreated)
		var b2 bookingOut
		second.decode(t, &b2)
		if got := e.mentorship(a, r.ID); *got.SessionsUsed != 2 {
			t.Errorf("sessions used %d", *got.SessionsUsed)
		}
		p := want(t, session(a, mon10.Add(2*time.Hour), nil), http.StatusConflict).problem(t)
		if p.Detail == "" || p.Detail[:3] != "All" {
			t.Errorf("detail %q", p.Detail)
		}
		// A cancelled session gives its place back.
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/cancel", b2.ID), a.Token, map[string]string{"reason": "ill"}), http.StatusOK)
		want(t, session(a, mon10.Add(2*time.Hour), nil), http.StatusCreated)
		// Cancelling the mentorship calls off its sessions to come.
		want(t, e.act(a, r.ID, "cancel", map[string]string{"reason": "moving"}), http.StatusOK)
		var list struct{ Bookings []bookingOut }
		want(t, e.call("GET", "/api/v1/bookings?status=confirmed", a.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Bookings) != 0 {
			t.Errorf("sessions left after cancelling %+v", list.Bookings)
		}

		// An async mentorship has no sessions: 422.
		async := e.mustService(m, asyncReview())
		ar := e.mustMentorship(a, async.ID)
		want(t, e.act(m, ar.ID, "accept", nil), http.StatusOK)
		want(t, e.call("POST", "/api/v1/bookings", a.Token, map[string]any{"mentor_id": m.ID, "start": mon10.Format(time.RFC3339),
			"mentorship_id": ar.ID}), http.StatusUnprocessableEntity)
	})
}

func TestMaxActiveMentorshipsIsKeptWhenOmitted(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		var p struct {
			Max int `json:"max_active_mentorships"`
		}
		want(t, e.call("PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "x", "max_active_mentorships": 5}), http.StatusOK).decode(t, &p)
		if p.Max != 5 {
			t.Errorf("max %d", p.Max)
		}
		want(t, e.call("PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "y"}), http.StatusOK).decode(t, &p)
		if p.Max != 5 {
			t.Errorf("max after a PUT without it: %d", p.Max)
		}
		want(t, e.call("PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "y", "max_active_mentorships": -1}), http.StatusUnprocessableEntity)
	})
}
