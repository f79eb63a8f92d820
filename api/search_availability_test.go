package api_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// slotStarts lists the starts the slots endpoint offers for a mentor in
// [from, to), asking day by day in UTC.
func (e *env) slotStarts(mentorID int64, from, to time.Time) []time.Time {
	e.t.Helper()
	var out struct {
		Days []struct{ Slots []struct{ Start time.Time } }
	}
	path := fmt.Sprintf("/api/v1/mentors/%d/slots?tz=UTC&from=%s&to=%s", mentorID,
		from.UTC().Format("2006-01-02"), to.UTC().Add(-time.Nanosecond).Format("2006-01-02"))
	want(e.t, e.call("GET", path, "", nil), http.StatusOK).decode(e.t, &out)
	var starts []time.Time
	for _, d := range out.Days {
		for _, s := range d.Slots {
			if !s.Start.Before(from) && s.Start.Before(to) {
				starts = append(starts, s.Start)
			}
		}
	}
	return starts
}

// The availability filter keeps exactly the mentors whose slots endpoint
// offers a free-consultation slot starting in the window, and each
// result's next_available is the first slot that endpoint offers: checked
// over random windows for mentors with overrides, bookings, buffers, a
// 30-minute daylight saving shift and windows across daylight saving days.
func TestMentorSearchAvailabilityAgreesWithSlots(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		long := map[string]any{"horizon_days": 200}
		berlin := e.mentor("Europe/Berlin", long)
		ny := e.mentor("America/New_York", map[string]any{"horizon_days": 200, "slot_interval_minutes": 30,
			"buffer_after_minutes": 15, "min_notice_minutes": 120, "session_minutes": 45})
		lordHowe := e.mentor("Australia/Lord_Howe", map[string]any{"horizon_days": 200,
			"weekly": []map[string]any{{"weekday": 0, "start": "00:00", "end": "03:00"}, {"weekday": 6, "start": "22:00", "end": "24:00"}}})
		kathmandu := e.mentor("Asia/Kathmandu", long)
		closed := e.mentor("Europe/Berlin", long)
		e.closeFreeConsultation(closed)
		nightOwl := e.mentor("Pacific/Kiritimati", map[string]any{"horizon_days": 200,
			"weekly": []map[string]any{{"weekday": 3, "start": "20:00", "end": "24:00"}, {"weekday": 4, "start": "00:00", "end": "02:00"}}})
		mentors := []user{berlin, ny, lordHowe, kathmandu, closed, nightOwl}
		freeOpen := map[int64]bool{berlin.ID: true, ny.ID: true, lordHowe.ID: true, kathmandu.ID: true, nightOwl.ID: true}

		// Overrides: an evening on a Saturday, a day off, hours on the day
		// US clocks go back, and a day off for Kathmandu.
		for _, o := range []struct {
			m    user
			date string
			ivs  []map[string]string
		}{
			{berlin, "2026-06-06", []map[string]string{{"start": "18:00", "end": "21:00"}}},
			{berlin, "2026-06-03", nil},
			{ny, "2026-11-01", []map[string]string{{"start": "00:00", "end": "03:00"}}},
			{ny, "2026-03-08", []map[string]string{{"start": "01:00", "end": "04:00"}}},
			{kathmandu, "2026-06-02", nil},
			{berlin, "2026-10-25", []map[string]string{{"start": "01:00", "end": "04:00"}}},
		} {
			ivs := o.ivs
			if ivs == nil {
				ivs = []map[string]string{}
			}
			want(t, e.call("PUT", "/api/v1/me/availability/overrides/"+o.date, o.m.Token, map[string]any{"intervals": ivs}), http.StatusOK)
		}
		// Bookings: accepted and pending, some filling a whole morning.
		mentee := e.signup("UTC")
		for _, b := range []struct {
			m      user
			start  time.Time
			accept bool
		}{
			{berlin, time.Date(2026, 6, 2, 7, 0, 0, 0, time.UTC), true},
			{berlin, time.Date(2026, 6, 2, 8, 0, 0, 0, time.UTC), true},
			{berlin, time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), false},
			{ny, time.Date(2026, 6, 2, 14, 0, 0, 0, time.UTC), true},
			{kathmandu, time.Date(2026, 6, 3, 4, 15, 0, 0, time.UTC), true},
		} {
			r := want(t, e.book(mentee, b.m.ID, b.start, 0), http.StatusCreated)
			if b.accept {
				var bk bookingOut
				r.decode(t, &bk)
				want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", bk.ID), b.m.Token, nil), http.StatusOK)
			}
		}

		rng := rand.New(rand.NewPCG(1, 2))
		windows := []struct{ from, to time.Time }{
			{time.Date(2026, 6, 2, 7, 0, 0, 0, time.UTC), time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)},      // Berlin booked solid
			{time.Date(2026, 6, 6, 16, 0, 0, 0, time.UTC), time.Date(2026, 6, 6, 19, 0, 0, 0, time.UTC)},    // Berlin's Saturday override
			{time.Date(2026, 11, 1, 4, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)},    // New York falls back
			{time.Date(2026, 10, 24, 23, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 3, 0, 0, 0, time.UTC)}, // Berlin falls back
			{time.Date(2026, 10, 3, 12, 0, 0, 0, time.UTC), time.Date(2026, 10, 4, 18, 0, 0, 0, time.UTC)},  // Lord Howe springs forward 30 minutes
			{testNow.Add(-time.Hour), testNow.Add(3 * time.Hour)},                                           // around now and the notice
			{time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)},  // past most horizons
		}
		for range 20 {
			from := testNow.Add(time.Duration(rng.IntN(200*24*4)) * 15 * time.Minute)
			windows = append(windows, struct{ from, to time.Time }{from, from.Add(time.Duration(1+rng.IntN(72)) * 30 * time.Minute)})
		}
		// Each mentor's next available time, as the list without filters says.
		nextOf := map[int64]*time.Time{}
		for _, m := range e.search("limit=100").Mentors {
			nextOf[m.ID] = m.NextAvailable
		}
		for _, w := range windows {
			var wantIDs []int64
			for _, m := range mentors {
				if freeOpen[m.ID] && len(e.slotStarts(m.ID, w.from, w.to)) > 0 {
					wantIDs = append(wantIDs, m.ID)
				}
			}
			q := "limit=100&available_from=" + url.QueryEscape(w.from.Format(time.RFC3339)) + "&available_to=" + url.QueryEscape(w.to.Format(time.RFC3339))
			if got := e.searchIDs(q); !slices.Equal(got, wantIDs) && !(len(got) == 0 && len(wantIDs) == 0) {
				t.Errorf("window %v – %v: search %v, slots %v", w.from, w.to, got, wantIDs)
			}
			// A window search computes next_available its own way; it agrees.
			for _, m := range e.search(q).Mentors {
				if a, b := m.NextAvailable, nextOf[m.ID]; (a == nil) != (b == nil) || (a != nil && !a.Equal(*b)) {
					t.Errorf("window %v – %v: mentor %d next_available %v, without the window %v", w.from, w.to, m.ID, a, b)
				}
			}
			// Pages of one agree with the whole list.
			if got := e.allPages(q); !slices.Equal(got, e.searchIDs(q)) {
				t.Errorf("window %v – %v: paged %v", w.from, w.to, got)
			}
		}

		// next_available is the first slot the endpoint offers within 14 days.
		soon := testNow.AddDate(0, 0, 14)
		for _, m := range e.search("limit=100").Mentors {
			var want *time.Time
			if starts := e.slotStarts(m.ID, testNow, soon); freeOpen[m.ID] && len(starts) > 0 {
				want = &starts[0]
			}
			if (want == nil) != (m.NextAvailable == nil) || (want != nil && !want.Equal(*m.NextAvailable)) {
				t.Errorf("mentor %d next_available %v, want %v", m.ID, m.NextAvailable, want)
			}
		}
		// sort=next_available orders by it, mentors with none last.
		var prev time.Time
		seenNone := false
		for _, m := range e.search("sort=next_available&limit=100").Mentors {
			switch {
			case m.NextAvailable == nil:
				seenNone = true
			case seenNone || m.NextAvailable.Before(prev):
				t.Errorf("sort=next_available out of order at mentor %d (%v after %v)", m.ID, m.NextAvailable, prev)
			default:
				prev = *m.NextAvailable
			}
		}

		for _, q := range []string{
			"available_from=2026-06-02T10:00:00Z",
			"available_to=2026-06-02T10:00:00Z",
			"available_from=2026-06-02T10:00:00Z&available_to=2026-06-02T09:00:00Z",
			"available_from=2026-06-02&available_to=2026-06-03",
			"available_from=2026-06-02T10:00:00Z&available_to=2026-08-02T10:00:00Z",
			"available_from=2026-06-02T10:00:00%00Z&available_to=2026-06-02T11:00:00Z",
		} {
			want(t, e.call("GET", "/api/v1/mentors?"+q, "", nil), http.StatusUnprocessableEntity).problem(t)
		}
	})
}
