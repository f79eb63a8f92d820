package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

type slotsOut struct {
	Timezone        string
	DurationMinutes int `json:"duration_minutes"`
	Days            []struct {
		Date  string
		Slots []struct{ Start, End string }
	}
}

func TestSlotsAreShownInTheViewersZone(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		// Berlin is UTC+2 in June, New York UTC-4 (hand-computed): the
		// mentor's Monday 09:00-17:00 is 07:00Z-15:00Z, 03:00-11:00 in New York.
		m := e.mentor("Europe/Berlin", nil)
		var s slotsOut
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?from=2026-06-01&to=2026-06-03&tz=America/New_York", m.ID), "", nil), http.StatusOK).decode(t, &s)
		if s.Timezone != "America/New_York" || s.DurationMinutes != 60 || len(s.Days) != 3 {
			t.Fatalf("slots %+v", s)
		}
		for i, date := range []string{"2026-06-01", "2026-06-02", "2026-06-03"} {
			d := s.Days[i]
			if d.Date != date || len(d.Slots) != 8 {
				t.Fatalf("day %d = %+v, want %s with 8 slots", i, d, date)
			}
			for k, sl := range d.Slots {
				wantStart := fmt.Sprintf("%sT%02d:00:00-04:00", date, 3+k)
				wantEnd := fmt.Sprintf("%sT%02d:00:00-04:00", date, 4+k)
				if sl.Start != wantStart || sl.End != wantEnd {
					t.Fatalf("%s slot %d = %+v, want %s–%s", date, k, sl, wantStart, wantEnd)
				}
			}
		}
		// Kathmandu is UTC+05:45: 07:00Z is 12:45 there.
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?from=2026-06-02&to=2026-06-02&tz=Asia/Kathmandu&duration=30", m.ID), "", nil), http.StatusOK).decode(t, &s)
		if len(s.Days) != 1 || s.DurationMinutes != 30 || len(s.Days[0].Slots) != 16 || s.Days[0].Slots[0].Start != "2026-06-02T12:45:00+05:45" {
			t.Fatalf("Kathmandu slots %+v", s)
		}
		// Defaults: UTC, today (2026-06-01) and six more days.
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/slots", m.ID), "", nil), http.StatusOK).decode(t, &s)
		if s.Timezone != "UTC" || len(s.Days) != 7 || s.Days[0].Date != "2026-06-01" || s.Days[0].Slots[0].Start != "2026-06-01T07:00:00Z" ||
			len(s.Days[5].Slots) != 0 || len(s.Days[6].Slots) != 0 {
			t.Fatalf("default slots %+v", s)
		}
	})
}

// A window that starts or ends at the turn of a leap year answers (it
// used to spin forever: golang/go#81583, see schedule.Resolve).
func TestSlotsAtTheTurnOfALeapYearAnswer(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		for _, q := range []string{"from=2024-12-30&to=2025-01-02", "from=2028-12-29&to=2028-12-31", "from=2029-01-01&to=2029-01-04"} {
			var s slotsOut
			want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?%s&tz=Europe/Berlin", m.ID, q), "", nil), http.StatusOK).decode(t, &s)
			if len(s.Days) != 4 && len(s.Days) != 3 {
				t.Fatalf("%s: %+v", q, s)
			}
		}
	})
}

func TestSlotsHideBookedTimeAndBusyShowsIt(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", map[string]any{"buffer_after_minutes": 30, "min_notice_minutes": 120})
		mentee := e.signup("UTC")
		// now 06:00Z + 120 min notice: the first slot is 08:00Z.
		e.mustBook(mentee, m.ID, time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC))
		var s slotsOut
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?from=2026-06-01&to=2026-06-01", m.ID), "", nil), http.StatusOK).decode(t, &s)
		// The booking blocks 10:00-11:30 (30 min buffer after). A candidate
		// blocks its own buffer too: 09:00 would hold 09:00-10:30 and 11:00
		// 11:00-12:30, both overlapping. The grid stays on the hour.
		var got []string
		for _, sl := range s.Days[0].Slots {
			got = append(got, sl.Start[11:16])
		}
		if fmt.Sprint(got) != "[08:00 12:00 13:00 14:00]" {
			t.Fatalf("slots %v", got)
		}
		var b struct {
			Timezone string
			Busy     []struct{ Start, End string }
		}
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/busy?from=2026-06-01&to=2026-06-01&tz=America/New_York", m.ID), "", nil), http.StatusOK).decode(t, &b)
		wantBusy := []struct{ Start, End string }{
			{"2026-06-01T00:00:00-04:00", "2026-06-01T04:00:00-04:00"}, // before now+notice (08:00Z)
			{"2026-06-01T06:00:00-04:00", "2026-06-01T07:30:00-04:00"}, // the booking with its buffer
			{"2026-06-01T11:00:00-04:00", "2026-06-02T00:00:00-04:00"}, // after the mentor's day
		}
		if b.Timezone != "America/New_York" || fmt.Sprint(b.Busy) != fmt.Sprint(wantBusy) {
			t.Fatalf("busy %+v, want %+v", b.Busy, wantBusy)
		}
	})
}

func TestSlotsOfAnInactiveMentorAreEmptyAndBadQueriesAreRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("UTC", nil)
		want(t, e.call("PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "Away", "active": false}), http.StatusOK)
		var s slotsOut
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?from=2026-06-01&to=2026-06-05", m.ID), "", nil), http.StatusOK).decode(t, &s)
		if len(s.Days) != 5 {
			t.Fatalf("days %+v", s.Days)
		}
		for _, d := range s.Days {
			if len(d.Slots) != 0 {
				t.Fatalf("inactive mentor offers %+v", d)
			}
		}
		for query, field := range map[string]string{
			"from=2026-06-05&to=2026-06-01":         "to",
			"from=2026-06-01&to=2026-07-14":         "to", // 43 days apart
			"from=2026-02-30&to=2026-03-01":         "from",
			"from=2026-06-01&to=2026-06-02&tz=Moon": "tz",
			"duration=17":                           "duration",
			"duration=10":                           "duration",
			"duration=485":                          "duration",
			"duration=sixty":                        "duration",
		} {
			p := want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?%s", m.ID, query), "", nil), http.StatusUnprocessableEntity).problem(t)
			if p.Fields[field] == "" {
				t.Errorf("%s: problem %+v names no %s", query, p, field)
			}
		}
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?from=2026-06-01&to=2026-07-13", m.ID), "", nil), http.StatusOK)
		mentee := e.signup("UTC")
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/slots", mentee.ID), "", nil), http.StatusNotFound)
		want(t, e.call("GET", "/api/v1/mentors/999999/busy", "", nil), http.StatusNotFound)
	})
}

// A mentor open around the clock with sessions that do not divide a day:
// a slot seen today can still be booked tomorrow (the grid does not move
// with the clock).
func TestSlotsOfEndlessAvailabilityStayBookable(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		var allWeek []map[string]any
		for d := 0; d < 7; d++ {
			allWeek = append(allWeek, map[string]any{"weekday": d, "start": "00:00", "end": "24:00"})
		}
		m := e.mentor("UTC", map[string]any{"weekly": allWeek, "session_minutes": 35})
		a := e.signup("UTC")
		var s slotsOut
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?from=2026-06-10&to=2026-06-10", m.ID), "", nil), http.StatusOK).decode(t, &s)
		if len(s.Days) != 1 || len(s.Days[0].Slots) < 40 {
			t.Fatalf("slots %+v", s)
		}
		first, err := time.Parse(time.RFC3339, s.Days[0].Slots[0].Start)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(20 * time.Hour)
		e.mustBook(a, m.ID, first)
	})
}

// A month of slots carries an entity tag: a browser's re-check with it
// costs a 304 without a body until the slots change, and a change made on
// another instance is seen there too (once its version check or
// notification says so).
func TestSlotsETagAnswers304UntilTheSlotsChange(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		mentee := e.signup("UTC")
		path := fmt.Sprintf("/api/v1/mentors/%d/slots?from=2026-06-01&to=2026-06-30&tz=America/New_York", m.ID)
		first := want(t, e.call("GET", path, "", nil), http.StatusOK)
		tag := first.Header.Get("ETag")
		if tag == "" || first.Header.Get("Content-Length") != fmt.Sprint(len(first.Body)) {
			t.Fatalf("ETag %q, Content-Length %q for %d bytes", tag, first.Header.Get("Content-Length"), len(first.Body))
		}
		again := want(t, e.call("GET", path, "", nil, "If-None-Match", tag), http.StatusNotModified)
		if len(again.Body) != 0 || again.Header.Get("ETag") != tag {
			t.Fatalf("304 with %d bytes, ETag %q", len(again.Body), again.Header.Get("ETag"))
		}
		want(t, e.call("GET", path, "", nil, "If-None-Match", `"other", W/`+tag), http.StatusNotModified)
		want(t, e.call("GET", path, "", nil, "If-None-Match", `"other"`), http.StatusOK)

		// A booking takes an hour: the same re-check now gets the new month.
		e.mustBook(mentee, m.ID, mon10)
		changed := want(t, e.call("GET", path, "", nil, "If-None-Match", tag), http.StatusOK)
		if changed.Header.Get("ETag") == tag || string(changed.Body) == string(first.Body) {
			t.Fatal("the month did not change after a booking")
		}
		var s slotsOut
		changed.decode(t, &s)
		for _, sl := range s.Days[0].Slots {
			if sl.Start == "2026-06-01T06:00:00-04:00" {
				t.Fatalf("the booked 10:00Z is still offered: %+v", s.Days[0])
			}
		}
	})
}
