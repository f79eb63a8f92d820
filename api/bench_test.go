package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook/storetest"
)

// BenchmarkSlotsEndpoint measures a month of slots through the whole stack
// (HTTP, app, SQLite) for a mentor with 40 bookings that month.
func BenchmarkSlotsEndpoint(b *testing.B) {
	e := newEnv(b, storetest.OpenSQLite(b))
	m := e.mentor("Europe/Berlin", map[string]any{"slot_interval_minutes": 30, "buffer_after_minutes": 10})
	mentee := e.signup("UTC")
	booked := 0
	for d := 0; booked < 40; d++ {
		start := time.Date(2026, 6, 2+d, 8, 0, 0, 0, time.UTC)
		for h := 0; h < 2 && booked < 40; h++ {
			r := e.book(mentee, m.ID, start.Add(time.Duration(h)*3*time.Hour), 0)
			if r.Status != http.StatusCreated {
				continue
			}
			// Accepted at once: a mentee may hold only 3 pending requests
			// with one mentor.
			var bk bookingOut
			r.decode(b, &bk)
			want(b, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", bk.ID), m.Token, nil), http.StatusOK)
			booked++
		}
	}
	path := fmt.Sprintf("/api/v1/mentors/%d/slots?from=2026-06-01&to=2026-06-30&tz=America/New_York", m.ID)
	h := e.srv.Config.Handler
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
