package api_test

import (
	"net/http"
	"testing"

	"github.com/mentorbook/mentorbook"
)

type availabilityOut struct {
	Timezone string
	Weekly   []struct {
		Weekday    int
		Start, End string
	}
	SessionMinutes      int `json:"session_minutes"`
	SlotIntervalMinutes int `json:"slot_interval_minutes"`
	MinNoticeMinutes    int `json:"min_notice_minutes"`
	HorizonDays         int `json:"horizon_days"`
	BufferBeforeMinutes int `json:"buffer_before_minutes"`
	BufferAfterMinutes  int `json:"buffer_after_minutes"`
	PendingExpiryHours  int `json:"pending_expiry_hours"`
}

func TestAvailabilityIsForMentorsOnly(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		mentee := e.signup("UTC")
		body := map[string]any{"weekly": weekdays("09:00", "10:00")}
		want(t, e.call("GET", "/api/v1/me/availability", mentee.Token, nil), http.StatusForbidden).problem(t)
		want(t, e.call("PUT", "/api/v1/me/availability", mentee.Token, body), http.StatusForbidden)
		want(t, e.call("PUT", "/api/v1/me/availability/overrides/2026-06-02", mentee.Token, map[string]any{"intervals": []any{}}), http.StatusForbidden)
		want(t, e.call("GET", "/api/v1/me/availability/overrides", mentee.Token, nil), http.StatusForbidden)
		want(t, e.call("DELETE", "/api/v1/me/availability/overrides/2026-06-02", mentee.Token, nil), http.StatusForbidden)
		want(t, e.call("GET", "/api/v1/me/availability", "", nil), http.StatusUnauthorized)
		want(t, e.call("PUT", "/api/v1/me/availability", "", body), http.StatusUnauthorized)
		want(t, e.call("GET", "/api/v1/me/availability/overrides", "", nil), http.StatusUnauthorized)
	})
}

func TestAvailabilityDefaultsNormalisesAndValidates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.signup("America/Sao_Paulo")
		want(t, e.call("PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "Hi"}), http.StatusOK)

		var a availabilityOut
		want(t, e.call("GET", "/api/v1/me/availability", m.Token, nil), http.StatusOK).decode(t, &a)
		if a.Timezone != "America/Sao_Paulo" || len(a.Weekly) != 0 || a.SessionMinutes != 60 || a.SlotIntervalMinutes != 0 ||
			a.MinNoticeMinutes != 240 || a.HorizonDays != 60 || a.BufferBeforeMinutes != 0 || a.BufferAfterMinutes != 0 || a.PendingExpiryHours != 48 {
			t.Fatalf("defaults: %+v", a)
		}

		put := map[string]any{
			"timezone": "Asia/Kathmandu",
			"weekly": []map[string]any{
				{"weekday": 2, "start": "13:00", "end": "15:00"},
				{"weekday": 1, "start": "09:00", "end": "11:00"},
				{"weekday": 1, "start": "10:30", "end": "12:00"}, // overlaps: merges
				{"weekday": 1, "start": "12:00", "end": "13:00"}, // touches: merges
				{"weekday": 0, "start": "22:00", "end": "24:00"},
			},
			"session_minutes": 45, "buffer_after_minutes": 15,
		}
		want(t, e.call("PUT", "/api/v1/me/availability", m.Token, put), http.StatusOK).decode(t, &a)
		type wk = struct {
			Weekday    int
			Start, End string
		}
		wantWeekly := []wk{{0, "22:00", "24:00"}, {1, "09:00", "13:00"}, {2, "13:00", "15:00"}}
		if len(a.Weekly) != len(wantWeekly) {
			t.Fatalf("weekly %+v, want %+v", a.Weekly, wantWeekly)
		}
		for i := range wantWeekly {
			if a.Weekly[i] != wantWeekly[i] {
				t.Fatalf("weekly %+v, want %+v", a.Weekly, wantWeekly)
			}
		}
		if a.Timezone != "Asia/Kathmandu" || a.SessionMinutes != 45 || a.BufferAfterMinutes != 15 || a.MinNoticeMinutes != 240 {
			t.Fatalf("stored %+v", a)
		}
		var again availabilityOut
		want(t, e.call("GET", "/api/v1/me/availability", m.Token, nil), http.StatusOK).decode(t, &again)
		if again.Timezone != a.Timezone || len(again.Weekly) != 3 || again.SessionMinutes != 45 {
			t.Fatalf("GET after PUT: %+v", again)
		}

		for _, tc := range []struct {
			name, field string
			body        map[string]any
		}{
			{"weekday 7", "weekly[0].weekday", map[string]any{"weekly": []map[string]any{{"weekday": 7, "start": "09:00", "end": "10:00"}}}},
			{"start after end", "weekly[0].end", map[string]any{"weekly": []map[string]any{{"weekday": 1, "start": "11:00", "end": "10:00"}}}},
			{"bad clock", "weekly[0].start", map[string]any{"weekly": []map[string]any{{"weekday": 1, "start": "9am", "end": "10:00"}}}},
			{"past 24:00", "weekly[0].end", map[string]any{"weekly": []map[string]any{{"weekday": 1, "start": "23:00", "end": "24:30"}}}},
			{"unknown zone", "timezone", map[string]any{"timezone": "Europe/Atlantis"}},
			{"session too short", "session_minutes", map[string]any{"session_minutes": 10}},
			{"session off grid", "session_minutes", map[string]any{"session_minutes": 62}},
			{"horizon 0", "horizon_days", map[string]any{"horizon_days": 0}},
			{"horizon 3651", "horizon_days", map[string]any{"horizon_days": 3651}},
			{"negative buffer", "buffer_before_minutes", map[string]any{"buffer_before_minutes": -5}},
			{"negative notice", "min_notice_minutes", map[string]any{"min_notice_minutes": -1}},
		} {
			p := want(t, e.call("PUT", "/api/v1/me/availability", m.Token, tc.body), http.StatusUnprocessableEntity).problem(t)
			if p.Fields[tc.field] == "" {
				t.Errorf("%s: problem %+v names no %s", tc.name, p, tc.field)
			}
		}
		// The rejected PUTs changed nothing.
		want(t, e.call("GET", "/api/v1/me/availability", m.Token, nil), http.StatusOK).decode(t, &again)
		if again.Timezone != "Asia/Kathmandu" || len(again.Weekly) != 3 || again.SessionMinutes != 45 || again.HorizonDays != 60 {
			t.Fatalf("after rejected PUTs: %+v", again)
		}
	})
}

func TestOverridesReplaceListAndDelete(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		want(t, e.call("PUT", "/api/v1/me/availability/overrides/2026-06-03", m.Token, map[string]any{"intervals": []map[string]string{
			{"start": "14:00", "end": "16:00"}, {"start": "08:00", "end": "09:00"}, {"start": "15:00", "end": "18:00"},
		}}), http.StatusOK)
		want(t, e.call("PUT", "/api/v1/me/availability/overrides/2026-06-04", m.Token, map[string]any{"intervals": []any{}}), http.StatusOK)
		want(t, e.call("PUT", "/api/v1/me/availability/overrides/2026-06-31", m.Token, map[string]any{"intervals": []any{}}), http.StatusUnprocessableEntity)
		want(t, e.call("PUT", "/api/v1/me/availability/overrides/2026-06-05", m.Token, map[string]any{"intervals": []map[string]string{{"start": "10:00", "end": "09:00"}}}), http.StatusUnprocessableEntity)

		var list struct {
			Overrides []struct {
				Date      string
				Intervals []struct{ Start, End string }
			}
		}
		want(t, e.call("GET", "/api/v1/me/availability/overrides?from=2026-06-01&to=2026-06-30", m.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Overrides) != 2 || list.Overrides[0].Date != "2026-06-03" || list.Overrides[1].Date != "2026-06-04" {
			t.Fatalf("overrides %+v", list)
		}
		ivs := list.Overrides[0].Intervals
		if len(ivs) != 2 || ivs[0].Start != "08:00" || ivs[0].End != "09:00" || ivs[1].Start != "14:00" || ivs[1].End != "18:00" {
			t.Fatalf("normalised intervals %+v", ivs)
		}
		if len(list.Overrides[1].Intervals) != 0 {
			t.Fatalf("day off has intervals %+v", list.Overrides[1])
		}
		want(t, e.call("GET", "/api/v1/me/availability/overrides?from=2026-06-04&to=2026-06-04", m.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Overrides) != 1 || list.Overrides[0].Date != "2026-06-04" {
			t.Fatalf("one-day range %+v", list)
		}
		want(t, e.call("GET", "/api/v1/me/availability/overrides?from=2026-06-05&to=2026-06-04", m.Token, nil), http.StatusUnprocessableEntity)
		want(t, e.call("DELETE", "/api/v1/me/availability/overrides/2026-06-04", m.Token, nil), http.StatusNoContent)
		want(t, e.call("DELETE", "/api/v1/me/availability/overrides/2026-06-04", m.Token, nil), http.StatusNotFound)
		// Another mentor's overrides are their own.
		other := e.mentor("Europe/Berlin", nil)
		want(t, e.call("DELETE", "/api/v1/me/availability/overrides/2026-06-03", other.Token, nil), http.StatusNotFound)
		want(t, e.call("GET", "/api/v1/me/availability/overrides?from=2026-06-01&to=2026-06-30", m.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Overrides) != 1 || list.Overrides[0].Date != "2026-06-03" {
			t.Fatalf("after delete %+v", list)
		}
	})
}
