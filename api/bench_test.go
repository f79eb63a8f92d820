package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook/api"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/internal/httpbench"
	"github.com/mentorbook/mentorbook/storetest"
)

// slotsBench is a mentor with 40 accepted bookings in June 2026 on SQLite,
// and the path of that month's slots in another zone.
func slotsBench(b *testing.B) (*env, string) {
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
	return e, path
}

// slotsHandler is a fresh instance on e's database, with or without the
// slot cache.
func slotsHandler(e *env, noCache bool) http.Handler {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return api.New(app.New(e.store, app.Options{Now: e.clock.Now, CheapPasswords: true, Logger: log, NoSlotCache: noCache}), log)
}

// BenchmarkSlotsEndpoint measures a month of slots through the whole stack
// (HTTP, app, SQLite) for a mentor with 40 bookings that month: answered
// from the slot cache, and computed afresh from the database.
func BenchmarkSlotsEndpoint(b *testing.B) {
	e, path := slotsBench(b)
	for _, bc := range []struct {
		name    string
		noCache bool
	}{{"cached", false}, {"uncached", true}} {
		b.Run(bc.name, func(b *testing.B) { httpbench.Get(b, slotsHandler(e, bc.noCache), path) })
	}
}

// BenchmarkSlotsEndpointParallel is BenchmarkSlotsEndpoint uncached with
// 16 requests in flight per P (32 with -cpu 2), like the load command's
// clients: it shows what the pools do under contention.
func BenchmarkSlotsEndpointParallel(b *testing.B) {
	e, path := slotsBench(b)
	h := slotsHandler(e, true)
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	cpu := httpbench.CPUTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			if rec.Code != http.StatusOK {
				b.Errorf("status %d", rec.Code)
				return
			}
		}
	})
	httpbench.ReportCPU(b, cpu)
}
