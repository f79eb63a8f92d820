package api_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook/api"
	"github.com/mentorbook/mentorbook/app"
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
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, bc := range []struct {
		name    string
		noCache bool
	}{{"cached", false}, {"uncached", true}} {
		b.Run(bc.name, func(b *testing.B) {
			svc := app.New(e.store, app.Options{Now: e.clock.Now, CheapPasswords: true, Logger: log, NoSlotCache: bc.noCache})
			h := api.New(svc, log)
			want := ""
			b.ReportAllocs()
			for b.Loop() {
				rec := &recorder{header: http.Header{}}
				h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
				if rec.code != http.StatusOK {
					b.Fatalf("status %d", rec.code)
				}
				if want == "" {
					want = rec.body.String()
				} else if rec.body.Len() != len(want) {
					b.Fatalf("answer changed: %d bytes, then %d", len(want), rec.body.Len())
				}
			}
		})
	}
}

// recorder is the least a handler needs, so the benchmark counts the
// handler's allocations rather than httptest.ResponseRecorder's.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.body.Write(p)
}
