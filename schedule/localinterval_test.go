package schedule

import (
	"slices"
	"testing"
	"time"
)

func TestNormalizeLocal(t *testing.T) {
	tests := []struct {
		name    string
		in, out []LocalInterval
	}{
		{"nil", nil, []LocalInterval{}},
		{"sort", []LocalInterval{{600, 700}, {0, 60}}, []LocalInterval{{0, 60}, {600, 700}}},
		{"merge touching", []LocalInterval{{540, 720}, {720, 1020}}, []LocalInterval{{540, 1020}}},
		{"merge overlap", []LocalInterval{{540, 800}, {720, 1020}, {1000, 1010}}, []LocalInterval{{540, 1020}}},
		{"to 24:00", []LocalInterval{{1320, 1440}, {0, 120}}, []LocalInterval{{0, 120}, {1320, 1440}}},
		{"drop invalid", []LocalInterval{{-10, 30}, {60, 60}, {90, 80}, {1400, 1441}, {100, 200}}, []LocalInterval{{100, 200}}},
	}
	for _, tt := range tests {
		if got := NormalizeLocal(tt.in); !slices.Equal(got, tt.out) {
			t.Errorf("%s: NormalizeLocal = %v, want %v", tt.name, got, tt.out)
		}
	}
}

func TestNormalizeWeekly(t *testing.T) {
	in := []WeeklyInterval{
		{time.Tuesday, 0, 120},
		{time.Monday, 780, 1050},
		{time.Monday, 1320, 1440},
		{time.Monday, 540, 720},
		{time.Monday, 700, 780}, // bridges 09:00-12:00 and 13:00-17:30
		{time.Sunday, 60, 120},
		{time.Weekday(7), 60, 120}, // invalid weekday
		{time.Friday, 600, 500},    // invalid range
	}
	want := []WeeklyInterval{
		{time.Sunday, 60, 120},
		{time.Monday, 540, 1050},
		{time.Monday, 1320, 1440},
		{time.Tuesday, 0, 120}, // not merged with Monday 24:00: different dates
	}
	if got := NormalizeWeekly(in); !slices.Equal(got, want) {
		t.Errorf("NormalizeWeekly = %v, want %v", got, want)
	}
}
