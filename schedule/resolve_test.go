package schedule

import (
	"testing"
	"time"
)

type resolveCase struct {
	date, clock string
	want        string // RFC 3339, hand-computed from the tz rules in the table comment
}

func runResolveTable(t *testing.T, zone string, cases []resolveCase) {
	t.Helper()
	loc := mustLoc(t, zone)
	for _, c := range cases {
		got := Resolve(loc, mustDate(t, c.date), mustClock(t, c.clock))
		want := ts(t, c.want)
		if !got.Equal(want) {
			t.Errorf("%s: Resolve(%s %s) = %s, want %s", zone, c.date, c.clock,
				got.Format(time.RFC3339), want.Format(time.RFC3339))
		}
		if got.Location() != loc {
			t.Errorf("%s: Resolve(%s %s) location = %v, want %v", zone, c.date, c.clock, got.Location(), loc)
		}
	}
}

func TestResolveNewYork(t *testing.T) {
	// Hand-computed: NY is EST (-05:00) / EDT (-04:00). It springs forward on
	// 2026-03-08 at 02:00 EST -> 03:00 EDT (07:00Z), so 02:00-02:59 does not
	// exist, and falls back on 2026-11-01 at 02:00 EDT -> 01:00 EST (06:00Z),
	// so 01:00-01:59 happens twice (EDT first).
	runResolveTable(t, "America/New_York", []resolveCase{
		{"2026-07-01", "12:00", "2026-07-01T16:00:00Z"},
		{"2026-03-08", "00:00", "2026-03-08T05:00:00Z"},
		{"2026-03-08", "01:59", "2026-03-08T06:59:00Z"},
		{"2026-03-08", "02:00", "2026-03-08T07:00:00Z"}, // gap -> 03:00 EDT
		{"2026-03-08", "02:30", "2026-03-08T07:30:00Z"}, // gap -> 03:30 EDT
		{"2026-03-08", "02:59", "2026-03-08T07:59:00Z"}, // gap -> 03:59 EDT
		{"2026-03-08", "03:00", "2026-03-08T07:00:00Z"},
		{"2026-03-08", "24:00", "2026-03-09T04:00:00Z"}, // 03-09 00:00 EDT
		{"2026-11-01", "00:30", "2026-11-01T04:30:00Z"},
		{"2026-11-01", "01:00", "2026-11-01T05:00:00Z"}, // ambiguous -> EDT
		{"2026-11-01", "01:30", "2026-11-01T05:30:00Z"}, // ambiguous -> EDT
		{"2026-11-01", "01:59", "2026-11-01T05:59:00Z"}, // ambiguous -> EDT
		{"2026-11-01", "02:00", "2026-11-01T07:00:00Z"}, // EST only
		{"2026-10-31", "24:00", "2026-11-01T04:00:00Z"},
	})
}

func TestResolveBerlin(t *testing.T) {
	// Hand-computed: CET (+01:00) / CEST (+02:00); 2026-03-29 02:00 CET ->
	// 03:00 CEST (01:00Z); 2026-10-25 03:00 CEST -> 02:00 CET (01:00Z).
	runResolveTable(t, "Europe/Berlin", []resolveCase{
		{"2026-03-29", "02:30", "2026-03-29T01:30:00Z"}, // gap -> 03:30 CEST
		{"2026-03-29", "03:00", "2026-03-29T01:00:00Z"},
		{"2026-10-25", "02:30", "2026-10-25T00:30:00Z"}, // ambiguous -> CEST
		{"2026-10-25", "03:00", "2026-10-25T02:00:00Z"},
	})
}

func TestResolveLordHowe(t *testing.T) {
	// Hand-computed: Lord Howe shifts by only 30 minutes, +10:30 / +11:00.
	// 2026-04-05 02:00 +11 -> 01:30 +10:30 (2026-04-04T15:00Z): 01:30-01:59
	// happens twice. 2026-10-04 02:00 +10:30 -> 02:30 +11 (2026-10-03T15:30Z):
	// 02:00-02:29 does not exist and moves forward 30 minutes.
	runResolveTable(t, "Australia/Lord_Howe", []resolveCase{
		{"2026-04-05", "01:29", "2026-04-04T14:29:00Z"},
		{"2026-04-05", "01:30", "2026-04-04T14:30:00Z"}, // ambiguous -> +11
		{"2026-04-05", "01:45", "2026-04-04T14:45:00Z"}, // ambiguous -> +11
		{"2026-04-05", "02:00", "2026-04-04T15:30:00Z"}, // +10:30 only
		{"2026-10-04", "01:59", "2026-10-03T15:29:00Z"},
		{"2026-10-04", "02:00", "2026-10-03T15:30:00Z"}, // gap -> 02:30 +11
		{"2026-10-04", "02:15", "2026-10-03T15:45:00Z"}, // gap -> 02:45 +11
		{"2026-10-04", "02:30", "2026-10-03T15:30:00Z"},
	})
}

func TestResolveKathmandu(t *testing.T) {
	// Hand-computed: Kathmandu is +05:45 all year (no DST).
	runResolveTable(t, "Asia/Kathmandu", []resolveCase{
		{"2026-03-08", "00:00", "2026-03-07T18:15:00Z"},
		{"2026-03-08", "05:45", "2026-03-08T00:00:00Z"},
		{"2026-03-08", "24:00", "2026-03-08T18:15:00Z"},
		{"2026-11-01", "01:30", "2026-10-31T19:45:00Z"},
	})
}

func TestResolveSantiago(t *testing.T) {
	// Hand-computed: Santiago is -04 / -03 and changes at midnight.
	// 2026-04-05 00:00 -03 -> 2026-04-04 23:00 -04 (03:00Z): 23:00-23:59 on
	// 04-04 happens twice. 2026-09-06 00:00 -04 -> 01:00 -03 (04:00Z): the
	// day starts at 01:00 and 00:00-00:59 moves forward one hour.
	runResolveTable(t, "America/Santiago", []resolveCase{
		{"2026-04-04", "22:59", "2026-04-05T01:59:00Z"},
		{"2026-04-04", "23:00", "2026-04-05T02:00:00Z"}, // ambiguous -> -03
		{"2026-04-04", "23:30", "2026-04-05T02:30:00Z"}, // ambiguous -> -03
		{"2026-04-04", "24:00", "2026-04-05T04:00:00Z"}, // 04-05 00:00 -04
		{"2026-04-05", "00:00", "2026-04-05T04:00:00Z"},
		{"2026-09-05", "23:59", "2026-09-06T03:59:00Z"},
		{"2026-09-05", "24:00", "2026-09-06T04:00:00Z"}, // gap -> 01:00 -03
		{"2026-09-06", "00:00", "2026-09-06T04:00:00Z"}, // gap -> 01:00 -03
		{"2026-09-06", "00:30", "2026-09-06T04:30:00Z"}, // gap -> 01:30 -03
		{"2026-09-06", "01:00", "2026-09-06T04:00:00Z"},
	})
}

func TestResolveChatham(t *testing.T) {
	// Hand-computed: Chatham is +12:45 / +13:45 and changes at 02:45 standard
	// time. 2026-04-05 03:45 +13:45 -> 02:45 +12:45 (2026-04-04T14:00Z):
	// 02:45-03:44 happens twice. 2026-09-27 02:45 +12:45 -> 03:45 +13:45
	// (2026-09-26T14:00Z): 02:45-03:44 does not exist.
	runResolveTable(t, "Pacific/Chatham", []resolveCase{
		{"2026-04-05", "02:44", "2026-04-04T12:59:00Z"},
		{"2026-04-05", "02:45", "2026-04-04T13:00:00Z"}, // ambiguous -> +13:45
		{"2026-04-05", "03:00", "2026-04-04T13:15:00Z"}, // ambiguous -> +13:45
		{"2026-04-05", "03:45", "2026-04-04T15:00:00Z"}, // +12:45 only
		{"2026-09-27", "02:44", "2026-09-26T13:59:00Z"},
		{"2026-09-27", "02:45", "2026-09-26T14:00:00Z"}, // gap -> 03:45 +13:45
		{"2026-09-27", "03:00", "2026-09-26T14:15:00Z"}, // gap -> 04:00 +13:45
		{"2026-09-27", "03:45", "2026-09-26T14:00:00Z"},
	})
}

func TestResolveNoDST(t *testing.T) {
	// Hand-computed: UTC is +00:00, Tokyo +09:00, neither has DST; the dates
	// are other zones' transition days to show nothing happens here.
	runResolveTable(t, "UTC", []resolveCase{
		{"2026-03-08", "02:30", "2026-03-08T02:30:00Z"},
		{"2026-03-29", "02:30", "2026-03-29T02:30:00Z"},
		{"2026-12-31", "24:00", "2027-01-01T00:00:00Z"},
	})
	runResolveTable(t, "Asia/Tokyo", []resolveCase{
		{"2026-03-08", "02:30", "2026-03-07T17:30:00Z"},
		{"2026-11-01", "01:30", "2026-10-31T16:30:00Z"},
		{"2026-11-01", "24:00", "2026-11-01T15:00:00Z"},
	})
	if got, want := Resolve(nil, mustDate(t, "2026-03-08"), 150), ts(t, "2026-03-08T02:30:00Z"); !got.Equal(want) {
		t.Errorf("Resolve(nil loc) = %v, want %v", got, want)
	}
}

func TestDayLength(t *testing.T) {
	// Hand-computed from the transitions described in the Resolve tables.
	tests := []struct {
		zone, date string
		want       time.Duration
		wantStart  string // wall clock of the day's first instant
	}{
		{"America/New_York", "2026-03-08", 23 * time.Hour, "00:00"},
		{"America/New_York", "2026-11-01", 25 * time.Hour, "00:00"},
		{"America/New_York", "2026-07-01", 24 * time.Hour, "00:00"},
		{"Australia/Lord_Howe", "2026-10-04", 23*time.Hour + 30*time.Minute, "00:00"},
		{"Australia/Lord_Howe", "2026-04-05", 24*time.Hour + 30*time.Minute, "00:00"},
		{"America/Santiago", "2026-09-06", 23 * time.Hour, "01:00"}, // starts at 01:00
		{"America/Santiago", "2026-04-04", 25 * time.Hour, "00:00"},
		{"Pacific/Chatham", "2026-09-27", 23 * time.Hour, "00:00"},
		{"Pacific/Chatham", "2026-04-05", 25 * time.Hour, "00:00"},
		{"Asia/Kathmandu", "2026-03-08", 24 * time.Hour, "00:00"},
	}
	for _, tt := range tests {
		loc := mustLoc(t, tt.zone)
		d := mustDate(t, tt.date)
		start, end := Resolve(loc, d, 0), Resolve(loc, d, MinutesPerDay)
		if got := end.Sub(start); got != tt.want {
			t.Errorf("%s %s lasts %v, want %v", tt.zone, tt.date, got, tt.want)
		}
		if !end.Equal(Resolve(loc, d.AddDays(1), 0)) {
			t.Errorf("%s %s: 24:00 != next day's 00:00", tt.zone, tt.date)
		}
		if got := start.Format("15:04"); got != tt.wantStart {
			t.Errorf("%s %s starts at %s, want %s", tt.zone, tt.date, got, tt.wantStart)
		}
		if DateOf(start, loc) != d || DateOf(end.Add(-time.Nanosecond), loc) != d {
			t.Errorf("%s %s: day bounds fall on other dates", tt.zone, tt.date)
		}
	}
}

// Wall times around the turn of a leap year, in years Go computes from a
// zone's rule, resolve (Go's ZoneBounds ends such a year's last period a
// day early, golang/go#81583, and Resolve used to loop forever there: a
// slots query from 2025-01-01 in Berlin never answered). Each wall time is
// more than a day from any offset change, so the instant is the wall time
// minus the zone's standard (southern: summer) offset, computed by hand.
func TestResolveAcrossTheTurnOfLeapYears(t *testing.T) {
	for _, c := range []struct {
		zone   string
		offset time.Duration // in force from December to early January
	}{
		{"Europe/Berlin", time.Hour},
		{"America/New_York", -5 * time.Hour},
		{"America/St_Johns", -(3*time.Hour + 30*time.Minute)},
		{"Australia/Lord_Howe", 11 * time.Hour},
		{"Australia/Sydney", 11 * time.Hour},
		{"Pacific/Auckland", 13 * time.Hour},
	} {
		loc, err := LoadZone(c.zone) // the embedded, slim data production uses
		if err != nil {
			t.Fatal(err)
		}
		for _, y := range []int{2000, 2024, 2028, 2040, 2096} {
			for _, d := range []Date{{y, time.December, 30}, {y, time.December, 31}, {y + 1, time.January, 1}, {y + 1, time.January, 2}} {
				for _, minute := range []int{0, 90, 12 * 60, 23*60 + 59} {
					got := Resolve(loc, d, minute)
					want := d.utc().Add(time.Duration(minute)*time.Minute - c.offset)
					if !got.Equal(want) {
						t.Errorf("%s: Resolve(%s, minute %d) = %s, want %s", c.zone, d, minute,
							got.UTC().Format(time.RFC3339), want.Format(time.RFC3339))
					}
				}
			}
		}
	}
}
