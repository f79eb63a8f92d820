package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/storetest"
)

// race fires clients booking requests at once, at servers in turn, on the
// same and overlapping slots of mixed durations, and checks that the
// bookings that succeed never overlap for the mentor or for any mentee and
// that every other request got 409.
func race(t *testing.T, e *env, servers []*httptest.Server) {
	const clients = 64
	m := e.mentor("Europe/Berlin", map[string]any{"slot_interval_minutes": 15, "buffer_after_minutes": 10})
	mentees := make([]user, 16)
	for i := range mentees {
		mentees[i] = e.signup("UTC")
	}
	// Tuesday 2026-06-02, 09:00-17:00 Berlin = 07:00Z-15:00Z, a 15-minute grid.
	base := time.Date(2026, 6, 2, 7, 0, 0, 0, time.UTC)
	type result struct {
		status int
		b      bookingOut
	}
	results := make([]result, clients)
	var wg sync.WaitGroup
	startGun := make(chan struct{})
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := base.Add(time.Duration(i%5) * 15 * time.Minute) // 07:00 .. 08:00
			duration := []int{30, 60, 90}[i%3]
			<-startGun
			r := call(t, servers[i%len(servers)], "POST", "/api/v1/bookings", mentees[i%len(mentees)].Token, map[string]any{
				"mentor_id": m.ID, "start": start.Format(time.RFC3339), "duration_minutes": duration,
			})
			results[i].status = r.Status
			if r.Status == http.StatusCreated {
				r.decode(t, &results[i].b)
			}
		}()
	}
	close(startGun)
	wg.Wait()

	var won []bookingOut
	for i, r := range results {
		switch r.status {
		case http.StatusCreated:
			won = append(won, r.b)
		case http.StatusConflict:
		default:
			t.Errorf("client %d: status %d, want 201 or 409", i, r.status)
		}
	}
	if len(won) == 0 {
		t.Fatal("no request succeeded")
	}
	// The mentor's blocked ranges include the 10-minute buffer after.
	for i := range won {
		for j := i + 1; j < len(won); j++ {
			a, b := won[i], won[j]
			if a.Start.Before(b.End.Add(10*time.Minute)) && b.Start.Before(a.End.Add(10*time.Minute)) {
				t.Errorf("mentor double-booked: %+v and %+v", a, b)
			}
			if a.MenteeID == b.MenteeID && a.Start.Before(b.End) && b.Start.Before(a.End) {
				t.Errorf("mentee double-booked: %+v and %+v", a, b)
			}
		}
	}
	// What the clients were told matches what the database holds.
	var list struct{ Bookings []bookingOut }
	want(t, e.call("GET", "/api/v1/bookings?role=mentor&limit=100", m.Token, nil), http.StatusOK).decode(t, &list)
	if len(list.Bookings) != len(won) {
		t.Fatalf("%d requests succeeded but the mentor has %d bookings", len(won), len(list.Bookings))
	}
	t.Logf("%d of %d concurrent requests booked", len(won), clients)
}

func TestConcurrentRequestsNeverDoubleBook(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		race(t, e, []*httptest.Server{e.srv})
	})
}

// twoInstances starts two API servers, each with its own connection pool,
// on one fresh PostgreSQL schema; both migrate at start, at once. It skips
// without MENTORBOOK_TEST_POSTGRES.
func twoInstances(t *testing.T) (*env, []*httptest.Server) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	var stores [2]*postgres.DB
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range stores {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		stores[i] = db
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = db.Migrate(ctx) }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: migrate: %v", i, err)
		}
	}
	e := newEnv(t, stores[0])
	return e, []*httptest.Server{e.srv, e.newServer(stores[1])}
}

func TestTwoInstancesOnOnePostgreSQLNeverDoubleBook(t *testing.T) {
	e, servers := twoInstances(t)
	race(t, e, servers)
	// The second instance sees what the first wrote.
	r := call(t, servers[1], "GET", fmt.Sprintf("/api/v1/mentors/%d", 1), "", nil)
	want(t, r, http.StatusOK)
}

// Answers that race past the use case's check are settled by the store:
// one changes the request, every other is told what it became.
func TestConcurrentAnswersChangeARequestOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		b := e.mustBook(e.signup("UTC"), m.ID, mon10)
		actions := []string{"accept", "decline", "accept", "decline", "accept", "decline", "accept", "decline"}
		results := make([]response, len(actions))
		var wg sync.WaitGroup
		startGun := make(chan struct{})
		for i, action := range actions {
			wg.Go(func() {
				<-startGun
				results[i] = e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/%s", b.ID, action), m.Token,
					map[string]string{"reason": "busy"})
			})
		}
		close(startGun)
		wg.Wait()
		var won []string
		for i, r := range results {
			switch r.Status {
			case http.StatusOK:
				won = append(won, actions[i])
			case http.StatusConflict:
				if p := r.problem(t); !strings.HasPrefix(p.Detail, "The booking is confirmed;") && !strings.HasPrefix(p.Detail, "The booking is declined;") {
					t.Errorf("%s: detail %q", actions[i], p.Detail)
				}
			default:
				t.Errorf("%s: status %d, want 200 or 409", actions[i], r.Status)
			}
		}
		if len(won) != 1 {
			t.Fatalf("%d answers succeeded (%v), want 1", len(won), won)
		}
		var got bookingOut
		want(t, e.call("GET", fmt.Sprintf("/api/v1/bookings/%d", b.ID), m.Token, nil), http.StatusOK).decode(t, &got)
		if wantStatus := map[string]string{"accept": "confirmed", "decline": "declined"}[won[0]]; got.Status != wantStatus {
			t.Errorf("after %s the booking is %s, want %s", won[0], got.Status, wantStatus)
		}
	})
}
