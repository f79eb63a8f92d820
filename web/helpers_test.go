package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	// Expected times come from time.LoadLocation, not from the code under
	// test: the host's zoneinfo, or this copy on hosts without one.
	_ "time/tzdata"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/money"
	"github.com/mentorbook/mentorbook/storetest"
	"github.com/mentorbook/mentorbook/web"
)

// testNow is Monday 1 June 2026, 02:00 in New York (EDT, UTC-4).
var testNow = time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is the web handler on a fresh SQLite store with a fixed clock.
type env struct {
	t     *testing.T
	store mentorbook.Store
	svc   *app.App
	srv   *httptest.Server
	logs  *syncBuffer
	clock *clock
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvIn(t, money.Currency{})
}

// newEnvIn is newEnv with cur as the platform currency (zero: USD).
func newEnvIn(t *testing.T, cur money.Currency) *env {
	t.Helper()
	e := &env{t: t, store: storetest.OpenSQLite(t), logs: &syncBuffer{}}
	log := slog.New(slog.NewTextHandler(e.logs, nil))
	c := &clock{t: testNow}
	e.clock = c
	e.svc = app.New(e.store, app.Options{Now: c.Now, CheapPasswords: true, Logger: log, Currency: cur})
	e.srv = httptest.NewServer(web.New(e.svc, log, web.Options{}))
	t.Cleanup(e.srv.Close)
	return e
}

// browser is one visitor: a cookie jar, and no automatic redirects so the
// tests see them.
type browser struct {
	e      *env
	client *http.Client
	user   mentorbook.User
}

func (e *env) anonymous() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &browser{e: e, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// signup creates an account through the use case and signs the browser in.
func (e *env) signup(name, email, zone string) *browser {
	e.t.Helper()
	u, token, err := e.svc.Accounts.Signup(context.Background(), app.SignupInput{
		Email: email, Password: "correct horse battery", Name: name, Timezone: zone,
	})
	if err != nil {
		e.t.Fatalf("signup %s: %v", email, err)
	}
	b := e.anonymous()
	b.user = u
	base, _ := url.Parse(e.srv.URL)
	b.client.Jar.SetCookies(base, []*http.Cookie{{Name: "mentorbook_session", Value: token, Path: "/"}})
	return b
}

// mentor signs up a mentor in zone with Monday-to-Friday hours 09:00–12:00
// and the default settings (60-minute sessions, 4 hours' notice).
func (e *env) mentor(name, email, zone string) *browser {
	e.t.Helper()
	b := e.signup(name, email, zone)
	ctx := context.Background()
	if _, err := e.svc.Mentors.PutProfile(ctx, b.user, app.ProfileInput{
		Headline: name + " helps with Go", Bio: "Ask me anything.", Skills: []string{"go"}, Active: true,
	}); err != nil {
		e.t.Fatal(err)
	}
	u, err := e.svc.Accounts.Me(ctx, b.user)
	if err != nil {
		e.t.Fatal(err)
	}
	b.user = u
	var weekly []app.WeeklyInput
	for d := 1; d <= 5; d++ {
		weekly = append(weekly, app.WeeklyInput{Weekday: d, Start: "09:00", End: "12:00"})
	}
	if _, err := e.svc.Availability.Put(ctx, b.user, app.AvailabilityInput{Timezone: zone, Weekly: weekly}); err != nil {
		e.t.Fatal(err)
	}
	return b
}

type page struct {
	Status int
	Header http.Header
	Body   string
}

func (b *browser) do(req *http.Request) page {
	b.e.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return page{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

func (b *browser) get(path string) page {
	b.e.t.Helper()
	req, err := http.NewRequest("GET", b.e.srv.URL+path, nil)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form as a same-origin browser would; header pairs are added
// or override.
func (b *browser) post(path string, form url.Values, header ...string) page {
	b.e.t.Helper()
	req, err := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.e.srv.URL)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

func wantStatus(t *testing.T, p page, status int) page {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status %d, want %d; body:\n%s", p.Status, status, p.Body)
	}
	return p
}

func wantRedirect(t *testing.T, p page, location string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != location {
		t.Fatalf("got %d to %q, want 303 to %q", p.Status, p.Header.Get("Location"), location)
	}
}

func wantContains(t *testing.T, p page, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(p.Body, s) {
			t.Errorf("page lacks %q; body:\n%s", s, p.Body)
		}
	}
}

func wantNotContains(t *testing.T, p page, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(p.Body, s) {
			t.Errorf("page shows %q, which it must not", s)
		}
	}
}

// slotStart is a New York wall time on a date, as the instant RFC 3339
// text in zone: computed with time.Date, not with the code under test.
func slotStart(t *testing.T, y int, m time.Month, d, hour, min int, zone string) time.Time {
	t.Helper()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(y, m, d, hour, min, 0, 0, ny).In(loc)
}

// request books a slot through the use case, as another tab would.
func (e *env) request(mentee *browser, mentor *browser, start time.Time, message string) mentorbook.Booking {
	e.t.Helper()
	b, err := e.svc.Bookings.Request(context.Background(), mentee.user, app.BookingInput{
		MentorID: mentor.user.ID, Start: start.Format(time.RFC3339), Message: message,
	}, "")
	if err != nil {
		e.t.Fatalf("request booking: %v", err)
	}
	return b
}

func (e *env) booking(as *browser, id int64) mentorbook.Booking {
	e.t.Helper()
	b, err := e.svc.Bookings.Get(context.Background(), as.user, id)
	if err != nil {
		e.t.Fatalf("booking %d: %v", id, err)
	}
	return b
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

// refused checks that a refused form answered with a redirect to location
// (post/redirect/get) and returns the page it leads to.
func (b *browser) refused(p page, location string) page {
	b.e.t.Helper()
	wantRedirect(b.e.t, p, location)
	return wantStatus(b.e.t, b.get(location), http.StatusOK)
}
