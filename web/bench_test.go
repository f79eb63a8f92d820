package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/internal/httpbench"
	"github.com/mentorbook/mentorbook/storetest"
	"github.com/mentorbook/mentorbook/web"
)

// BenchmarkMentorPage measures a mentor's month page (/mentors/{id}?month=…
// &tz=…) for an anonymous visitor through the whole stack (HTTP, app,
// SQLite): the mentor of BenchmarkSlotsEndpoint in api/, Berlin,
// weekdays 09:00–17:00, 30-minute steps, a 10-minute buffer, 40 bookings in
// June 2026, seen from New York. "kept" is the page kept for visitors
// (app/pagecache.go), "live" the same page built on every request (the
// slot cache off), as a signed-in viewer's is.
func BenchmarkMentorPage(b *testing.B) {
	for _, live := range []bool{false, true} {
		b.Run(map[bool]string{false: "kept", true: "live"}[live], func(b *testing.B) {
			h, mentor := mentorPageBench(b, live)
			path := fmt.Sprintf("/mentors/%d?month=2026-06&tz=America/New_York", mentor)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Bench mentor@example.com") {
				b.Fatalf("status %d; body:\n%s", rec.Code, rec.Body)
			}
			httpbench.Get(b, h, path)
		})
	}
}

// mentorPageBench is the web handler over a fresh SQLite store with
// BenchmarkMentorPage's mentor, whose ID it returns; noCache turns the
// slot cache (and so the kept pages) off.
func mentorPageBench(b testing.TB, noCache bool) (http.Handler, int64) {
	ctx := context.Background()
	store := storetest.OpenSQLite(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(store, app.Options{Now: func() time.Time { return testNow }, CheapPasswords: true, Logger: log, NoSlotCache: noCache})
	h := web.New(svc, log, web.Options{})

	signup := func(email, zone string) app.SignupInput {
		return app.SignupInput{Email: email, Password: "correct horse battery", Name: "Bench " + email, Timezone: zone}
	}
	mentor, _, err := svc.Accounts.Signup(ctx, signup("mentor@example.com", "Europe/Berlin"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Mentors.PutProfile(ctx, mentor, app.ProfileInput{
		Headline: "Go mentor", Bio: "I help.", Skills: []string{"Go", "SQL"}, Active: true,
	}); err != nil {
		b.Fatal(err)
	}
	if mentor, err = svc.Accounts.Me(ctx, mentor); err != nil {
		b.Fatal(err)
	}
	var weekly []app.WeeklyInput
	for d := 1; d <= 5; d++ {
		weekly = append(weekly, app.WeeklyInput{Weekday: d, Start: "09:00", End: "17:00"})
	}
	step, buffer, notice := 30, 10, 0
	if _, err := svc.Availability.Put(ctx, mentor, app.AvailabilityInput{Timezone: "Europe/Berlin", Weekly: weekly,
		SlotIntervalMinutes: &step, BufferAfterMinutes: &buffer, MinNoticeMinutes: &notice}); err != nil {
		b.Fatal(err)
	}
	mentee, _, err := svc.Accounts.Signup(ctx, signup("mentee@example.com", "UTC"))
	if err != nil {
		b.Fatal(err)
	}
	booked := 0
	for d := 0; booked < 40; d++ {
		start := time.Date(2026, 6, 2+d, 8, 0, 0, 0, time.UTC)
		for h := 0; h < 2 && booked < 40; h++ {
			bk, err := svc.Bookings.Request(ctx, mentee, app.BookingInput{MentorID: mentor.ID,
				Start: start.Add(time.Duration(h) * 3 * time.Hour).Format(time.RFC3339)}, "")
			if err != nil {
				continue // not offered (a weekend, or taken)
			}
			// Accepted at once: a mentee may hold only 3 pending requests
			// with one mentor.
			if _, err := svc.Bookings.Accept(ctx, mentor, bk.ID); err != nil {
				b.Fatal(err)
			}
			booked++
		}
	}
	return h, mentor.ID
}
