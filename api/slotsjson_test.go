package api

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

// slotsJSONReference is how the slots handler encoded its answer before
// appendSlotsJSON: intermediate structs through writeJSON.
func slotsJSONReference(t *testing.T, res app.Slots) []byte {
	type dayJSON struct {
		Date  string         `json:"date"`
		Slots []intervalJSON `json:"slots"`
	}
	out := struct {
		Timezone        string    `json:"timezone"`
		DurationMinutes int       `json:"duration_minutes"`
		Days            []dayJSON `json:"days"`
	}{Timezone: res.Location.String(), DurationMinutes: res.DurationMinutes, Days: []dayJSON{}}
	for _, d := range res.Days {
		out.Days = append(out.Days, dayJSON{Date: d.Date.String(), Slots: toInstants(d.Slots)})
	}
	rec := httptest.NewRecorder()
	writeJSON(rec, 200, out)
	return rec.Body.Bytes()
}

// randomMonth is a month of slots as Calendar.Slots gives them: every date
// from first to last, each with slots starting on that viewer-local date,
// in the viewer's zone. Starts are whole minutes of the day's own length
// (23, 23.5, 24.5 or 25 hours on transition days), so transition days get
// slots on both sides of the change.
func randomMonth(r *rand.Rand, loc *time.Location, first schedule.Date, days int) app.Slots {
	res := app.Slots{Location: loc, DurationMinutes: 15 + 5*r.IntN(94), Days: []app.DaySlots{}}
	step := []int{5, 15, 30, 45, 60}[r.IntN(5)]
	length := time.Duration(res.DurationMinutes) * time.Minute
	for d := first; !d.After(first.AddDays(days - 1)); d = d.AddDays(1) {
		day := app.DaySlots{Date: d, Slots: []schedule.Interval{}}
		start, next := schedule.Resolve(loc, d, 0), schedule.Resolve(loc, d.AddDays(1), 0)
		if r.IntN(5) > 0 { // some days have no slots
			for t := start; t.Before(next); t = t.Add(time.Duration(step) * time.Minute) {
				if r.IntN(3) == 0 {
					day.Slots = append(day.Slots, schedule.Interval{Start: t.In(loc), End: t.Add(length).In(loc)})
				}
			}
		}
		res.Days = append(res.Days, day)
	}
	return res
}

// appendSlotsJSON writes exactly the bytes the encoding/json path wrote,
// for random months around the year in zones with daylight saving (north
// and south), half-hour DST (Lord Howe), quarter-hour offsets (Kathmandu,
// Chatham), negative offsets (St John's, Marquesas), UTC ("Z"), and years
// past the zone data's last listed transition.
func TestAppendSlotsJSONEqualsEncodingJSON(t *testing.T) {
	zones := []string{"UTC", "Europe/Berlin", "America/New_York", "America/St_Johns", "America/Los_Angeles",
		"Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "Pacific/Marquesas", "America/Sao_Paulo",
		"Europe/London", "Africa/Casablanca", "Asia/Tehran", "Pacific/Kiritimati", "Etc/GMT+5", "Europe/Dublin"}
	r := rand.New(rand.NewPCG(11, 2026))
	for _, name := range zones {
		loc, err := schedule.LoadZone(name)
		if err != nil {
			t.Fatal(err)
		}
		for range 24 {
			first := schedule.Date{Year: 2000 + r.IntN(60), Month: time.Month(1 + r.IntN(12)), Day: 1}
			res := randomMonth(r, loc, first, 28+r.IntN(15))
			want := slotsJSONReference(t, res)
			if got := appendSlotsJSON(nil, res); len(got) > slotsJSONSize(res) && len(res.Location.String()) <= 32 {
				t.Errorf("%s from %s: %d bytes, more than slotsJSONSize's %d", name, first, len(got), slotsJSONSize(res))
			}
			for _, got := range [][]byte{appendSlotsJSON(nil, res), appendSlotsJSON([]byte("x"), res)[1:]} {
				if !bytes.Equal(got, want) {
					t.Fatalf("%s from %s:\n got %s\nwant %s", name, first, got, want)
				}
			}
		}
	}
}

// The transition days themselves, and answers without days or slots.
func TestAppendSlotsJSONOnTransitionsAndEmptyAnswers(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		zone string
		day  schedule.Date
	}{
		{"America/New_York", schedule.Date{Year: 2026, Month: time.March, Day: 8}},
		{"America/New_York", schedule.Date{Year: 2026, Month: time.November, Day: 1}},
		{"Australia/Lord_Howe", schedule.Date{Year: 2026, Month: time.April, Day: 5}},
		{"Australia/Lord_Howe", schedule.Date{Year: 2026, Month: time.October, Day: 4}},
		{"Europe/Berlin", schedule.Date{Year: 2026, Month: time.March, Day: 29}},
		{"Europe/Berlin", schedule.Date{Year: 2026, Month: time.October, Day: 25}},
		{"America/St_Johns", schedule.Date{Year: 2026, Month: time.March, Day: 8}},
	} {
		loc, err := schedule.LoadZone(c.zone)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			res := randomMonth(r, loc, c.day.AddDays(-1), 3)
			if want, got := slotsJSONReference(t, res), appendSlotsJSON(nil, res); !bytes.Equal(got, want) {
				t.Fatalf("%s around %s:\n got %s\nwant %s", c.zone, c.day, got, want)
			}
		}
	}
	for _, res := range []app.Slots{
		{Location: time.UTC},
		{Location: time.UTC, DurationMinutes: 60, Days: []app.DaySlots{{Date: schedule.Date{Year: 2026, Month: 6, Day: 1}}}},
		// Not a zone a query can name, but the encoding stays exact.
		{Location: time.FixedZone(`odd "<zone>" & \ name`, 5*3600+1800), DurationMinutes: 30},
	} {
		if want, got := slotsJSONReference(t, res), appendSlotsJSON(nil, res); !bytes.Equal(got, want) {
			t.Fatalf("got %s\nwant %s", got, want)
		}
		if !json.Valid(appendSlotsJSON(nil, res)) {
			t.Fatalf("not JSON: %s", appendSlotsJSON(nil, res))
		}
	}
}
