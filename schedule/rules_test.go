package schedule

import (
	"slices"
	"testing"
	"time"
)

func TestLocalIntervals(t *testing.T) {
	r := Rules{
		Location: time.UTC,
		Weekly: []WeeklyInterval{
			{time.Monday, 780, 1050}, {time.Monday, 540, 720}, {time.Monday, 720, 780},
			{time.Tuesday, 540, 600},
		},
		Overrides: map[Date][]LocalInterval{
			mustDate(t, "2026-01-06"): {{900, 960}, {600, 700}}, // Tuesday: other hours
			mustDate(t, "2026-01-12"): {},                       // Monday: day off
			mustDate(t, "2026-01-11"): {{60, 120}},              // Sunday: extra day
		},
	}
	tests := []struct {
		date string
		want []LocalInterval
	}{
		{"2026-01-05", []LocalInterval{{540, 1050}}}, // weekly Monday, merged
		{"2026-01-06", []LocalInterval{{600, 700}, {900, 960}}},
		{"2026-01-13", []LocalInterval{{540, 600}}}, // weekly Tuesday
		{"2026-01-12", []LocalInterval{}},
		{"2026-01-11", []LocalInterval{{60, 120}}},
		{"2026-01-10", []LocalInterval{}}, // Saturday, nothing
	}
	for _, tt := range tests {
		if got := r.LocalIntervals(mustDate(t, tt.date)); !slices.Equal(got, tt.want) {
			t.Errorf("LocalIntervals(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestAvailability(t *testing.T) {
	tests := []struct {
		name        string
		zone        string
		weekly      []WeeklyInterval
		overrides   map[string][]LocalInterval
		first, last string
		want        []Interval // hand-computed from the zone's offsets
	}{
		{
			// Berlin in January is +01:00.
			name: "joins across midnight", zone: "Europe/Berlin",
			weekly: []WeeklyInterval{{time.Monday, 1320, 1440}, {time.Tuesday, 0, 120}},
			first:  "2026-01-05", last: "2026-01-06",
			want: []Interval{{ts(t, "2026-01-05T21:00:00Z"), ts(t, "2026-01-06T01:00:00Z")}},
		},
		{
			// NY 2026-03-08 (Sunday): 00:00 EST .. 04:00 EDT is 3 hours.
			name: "spring-forward day is short", zone: "America/New_York",
			weekly: []WeeklyInterval{{time.Sunday, 0, 240}},
			first:  "2026-03-08", last: "2026-03-08",
			want: []Interval{{ts(t, "2026-03-08T05:00:00Z"), ts(t, "2026-03-08T08:00:00Z")}},
		},
		{
			// NY 2026-11-01 (Sunday): 00:00 EDT .. 04:00 EST is 5 hours.
			name: "fall-back day is long", zone: "America/New_York",
			weekly: []WeeklyInterval{{time.Sunday, 0, 240}},
			first:  "2026-11-01", last: "2026-11-01",
			want: []Interval{{ts(t, "2026-11-01T04:00:00Z"), ts(t, "2026-11-01T09:00:00Z")}},
		},
		{
			// 02:00-03:00 does not exist on NY spring-forward day: both ends
			// resolve to 07:00Z, so the interval vanishes.
			name: "interval inside gap vanishes", zone: "America/New_York",
			weekly: []WeeklyInterval{{time.Sunday, 120, 180}, {time.Sunday, 600, 660}},
			first:  "2026-03-08", last: "2026-03-08",
			want: []Interval{{ts(t, "2026-03-08T14:00:00Z"), ts(t, "2026-03-08T15:00:00Z")}},
		},
		{
			// Santiago 2026-09-05 (Sat) 22:00 -04 = 02:00Z; 24:00 = 09-06
			// 01:00 -03 = 04:00Z; 09-06 00:00 -> 01:00 -03 = 04:00Z, 02:00 -03 = 05:00Z.
			name: "santiago day starting at 01:00", zone: "America/Santiago",
			weekly:    []WeeklyInterval{{time.Saturday, 1320, 1440}},
			overrides: map[string][]LocalInterval{"2026-09-06": {{0, 120}}},
			first:     "2026-09-05", last: "2026-09-06",
			want: []Interval{{ts(t, "2026-09-06T02:00:00Z"), ts(t, "2026-09-06T05:00:00Z")}},
		},
		{
			name: "override day off and range order", zone: "UTC",
			weekly:    []WeeklyInterval{{time.Monday, 540, 600}, {time.Tuesday, 540, 600}},
			overrides: map[string][]LocalInterval{"2026-01-06": {}},
			first:     "2026-01-05", last: "2026-01-13",
			want: []Interval{
				{ts(t, "2026-01-05T09:00:00Z"), ts(t, "2026-01-05T10:00:00Z")},
				{ts(t, "2026-01-12T09:00:00Z"), ts(t, "2026-01-12T10:00:00Z")},
				{ts(t, "2026-01-13T09:00:00Z"), ts(t, "2026-01-13T10:00:00Z")},
			},
		},
		{
			name: "last before first", zone: "UTC",
			weekly: []WeeklyInterval{{time.Monday, 540, 600}},
			first:  "2026-01-06", last: "2026-01-05",
			want: nil,
		},
	}
	for _, tt := range tests {
		r := Rules{Location: mustLoc(t, tt.zone), Weekly: tt.weekly, Overrides: map[Date][]LocalInterval{}}
		for d, ivs := range tt.overrides {
			r.Overrides[mustDate(t, d)] = ivs
		}
		got := r.Availability(mustDate(t, tt.first), mustDate(t, tt.last))
		if !equalIntervals(got, tt.want) {
			t.Errorf("%s: Availability = %s, want %s", tt.name, fmtIntervals(got), fmtIntervals(tt.want))
		}
	}
}
