package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/api"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/storetest"
)

// testNow is a Monday; mentors in these tests work Monday to Friday.
var testNow = time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC)

// clock is a settable clock shared by every instance of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one or more API servers on one store, with a shared clock.
type env struct {
	t     testing.TB
	store mentorbook.Store
	clock *clock
	srv   *httptest.Server
	n     atomic.Int64
	// svc is the first server's use cases, to run jobs.
	svc *app.App
}

func newEnv(t testing.TB, store mentorbook.Store) *env {
	e := &env{t: t, store: store, clock: &clock{t: testNow}}
	e.srv = e.newServer(store)
	return e
}

// newServer starts an API server on store with the env's clock: a second
// call on another connection to the same database is a second instance.
func (e *env) newServer(store mentorbook.Store) *httptest.Server {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(store, app.Options{Now: e.clock.Now, CheapPasswords: true, Logger: log})
	if e.svc == nil {
		e.svc = svc
	}
	srv := httptest.NewServer(api.New(svc, log))
	e.t.Cleanup(srv.Close)
	return srv
}

// forEachEngine runs f on a fresh store of every engine.
func forEachEngine(t *testing.T, f func(t *testing.T, store mentorbook.Store)) {
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			t.Parallel()
			f(t, eng.Open(t))
		})
	}
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// decode unmarshals the body into v, failing the test on error.
func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// problem is the error body.
func (r response) problem(t testing.TB) (p struct {
	Type, Title, Detail string
	Status              int
	Fields              map[string]string
}) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json (body %s)", ct, r.Body)
	}
	r.decode(t, &p)
	if p.Status != r.Status || p.Type == "" || p.Title == "" || p.Detail == "" {
		t.Fatalf("incomplete problem %s for status %d", r.Body, r.Status)
	}
	return p
}

// call sends a request to srv. body is sent raw when it is a string or
// []byte, as JSON otherwise, and not at all when nil.
func call(t testing.TB, srv *httptest.Server, method, path, token string, body any, header ...string) response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewReader([]byte(b))
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: data}
}

func (e *env) call(method, path, token string, body any, header ...string) response {
	e.t.Helper()
	return call(e.t, e.srv, method, path, token, body, header...)
}

// want fails unless r has the status.
func want(t testing.TB, r response, status int) response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
	return r
}

type user struct {
	ID    int64
	Token string
}

// signup creates a user with a unique email in zone tz.
func (e *env) signup(tz string) user {
	e.t.Helper()
	n := e.n.Add(1)
	r := want(e.t, e.call("POST", "/api/v1/signup", "", map[string]string{
		"email": fmt.Sprintf("user%d@example.com", n), "password": "correct horse battery",
		"name": fmt.Sprintf("User %d", n), "timezone": tz,
	}), http.StatusCreated)
	var out struct {
		User  struct{ ID int64 }
		Token string
	}
	r.decode(e.t, &out)
	return user{out.User.ID, out.Token}
}

// mentor creates a mentor in tz with availability settings (merged over
// weekdays 09:00–17:00 and no notice unless given).
func (e *env) mentor(tz string, settings map[string]any) user {
	e.t.Helper()
	u := e.signup(tz)
	want(e.t, e.call("PUT", "/api/v1/me/mentor", u.Token, map[string]any{
		"headline": "Go mentor", "bio": "I help.", "skills": []string{"Go", "SQL"}, "active": true,
	}), http.StatusOK)
	body := map[string]any{"timezone": tz, "weekly": weekdays("09:00", "17:00"), "min_notice_minutes": 0}
	for k, v := range settings {
		body[k] = v
	}
	want(e.t, e.call("PUT", "/api/v1/me/availability", u.Token, body), http.StatusOK)
	return u
}

func weekdays(start, end string) []map[string]any {
	var out []map[string]any
	for d := 1; d <= 5; d++ {
		out = append(out, map[string]any{"weekday": d, "start": start, "end": end})
	}
	return out
}

type bookingOut struct {
	ID         int64
	Status     string
	MentorID   int64 `json:"mentor_id"`
	MenteeID   int64 `json:"mentee_id"`
	Start, End time.Time
	Message    string
	ExpiresAt  time.Time `json:"expires_at"`
	CreatedAt  time.Time `json:"created_at"`
}

// book requests a slot and returns the response.
func (e *env) book(u user, mentorID int64, start time.Time, duration int, header ...string) response {
	e.t.Helper()
	body := map[string]any{"mentor_id": mentorID, "start": start.Format(time.RFC3339), "message": "hi"}
	if duration > 0 {
		body["duration_minutes"] = duration
	}
	return e.call("POST", "/api/v1/bookings", u.Token, body, header...)
}

func (e *env) mustBook(u user, mentorID int64, start time.Time) bookingOut {
	e.t.Helper()
	var b bookingOut
	want(e.t, e.book(u, mentorID, start, 0), http.StatusCreated).decode(e.t, &b)
	return b
}
