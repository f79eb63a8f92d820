package schedule

import (
	"fmt"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2026-03-08", want: Date{2026, time.March, 8}},
		{in: "2024-02-29", want: Date{2024, time.February, 29}}, // leap year
		{in: "2000-02-29", want: Date{2000, time.February, 29}}, // divisible by 400
		{in: "0001-01-01", want: Date{1, time.January, 1}},
		{in: "9999-12-31", want: Date{9999, time.December, 31}},
		{in: "2026-02-30", wantErr: true},
		{in: "2025-02-29", wantErr: true},
		{in: "1900-02-29", wantErr: true}, // divisible by 100, not 400
		{in: "2026-04-31", wantErr: true},
		{in: "2026-13-01", wantErr: true},
		{in: "2026-00-10", wantErr: true},
		{in: "2026-01-00", wantErr: true},
		{in: "2026-1-01", wantErr: true},
		{in: "2026-01-1", wantErr: true},
		{in: "20260101", wantErr: true},
		{in: "+026-01-01", wantErr: true},
		{in: "2026-+1-01", wantErr: true},
		{in: " 2026-01-01", wantErr: true},
		{in: "2026-01-01T00:00", wantErr: true},
		{in: "2026/01/01", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseDate(%q) = %v, want error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("ParseDate(%q).String() = %q", tt.in, got.String())
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-01"},
		{"2026-02-28", 1, "2026-03-01"},
		{"2024-02-28", 1, "2024-02-29"},
		{"2026-12-31", 1, "2027-01-01"},
		{"2026-03-01", -1, "2026-02-28"},
		{"2026-03-08", 0, "2026-03-08"},
		{"2026-03-07", 2, "2026-03-09"}, // across NY spring-forward: calendar days, not 24h steps
		{"2026-01-01", 365, "2027-01-01"},
		{"2024-01-01", 366, "2025-01-01"},
		{"2026-03-08", -400, "2025-02-01"},
	}
	for _, tt := range tests {
		from, want := mustDate(t, tt.from), mustDate(t, tt.want)
		if got := from.AddDays(tt.n); got != want {
			t.Errorf("%s.AddDays(%d) = %s, want %s", tt.from, tt.n, got, want)
		}
		if got := DaysBetween(from, want); got != tt.n {
			t.Errorf("DaysBetween(%s, %s) = %d, want %d", tt.from, tt.want, got, tt.n)
		}
	}
	if got := DaysBetween(mustDate(t, "0001-01-01"), mustDate(t, "9999-12-31")); got != 3652058 {
		t.Errorf("DaysBetween over full range = %d, want 3652058", got)
	}
}

func TestDateWeekdayCompare(t *testing.T) {
	// Known weekdays: US DST starts on a Sunday; 2026-01-01 is a Thursday.
	weekdays := map[string]time.Weekday{
		"2026-01-01": time.Thursday,
		"2026-03-08": time.Sunday,
		"2026-11-01": time.Sunday,
		"2026-09-27": time.Sunday,
		"2000-02-29": time.Tuesday,
	}
	for s, want := range weekdays {
		if got := mustDate(t, s).Weekday(); got != want {
			t.Errorf("%s.Weekday() = %v, want %v", s, got, want)
		}
	}
	a, b := mustDate(t, "2026-03-08"), mustDate(t, "2026-03-09")
	c := mustDate(t, "2027-01-01")
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 || c.Compare(b) != 1 {
		t.Error("Compare is wrong")
	}
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Before(a) || a.After(a) {
		t.Error("Before/After is wrong")
	}
}

func TestDateOf(t *testing.T) {
	instant := ts(t, "2026-03-08T20:00:00Z")
	tests := []struct {
		zone string
		want string
	}{
		{"UTC", "2026-03-08"},
		{"America/New_York", "2026-03-08"},  // 16:00 EDT
		{"Asia/Kathmandu", "2026-03-09"},    // 01:45 +0545
		{"Pacific/Chatham", "2026-03-09"},   // 09:45 +1345
		{"Pacific/Pago_Pago", "2026-03-08"}, // 09:00 -11
	}
	for _, tt := range tests {
		if got := DateOf(instant, mustLoc(t, tt.zone)); got != mustDate(t, tt.want) {
			t.Errorf("DateOf(%v, %s) = %s, want %s", instant, tt.zone, got, tt.want)
		}
	}
	if got := DateOf(instant, nil); got != mustDate(t, "2026-03-08") {
		t.Errorf("DateOf(nil loc) = %s, want UTC date", got)
	}
}

func TestDateIsValid(t *testing.T) {
	if (Date{2026, time.February, 29}).IsValid() || (Date{}).IsValid() {
		t.Error("IsValid accepted an invalid date")
	}
	if !(Date{2028, time.February, 29}).IsValid() {
		t.Error("IsValid refused 2028-02-29")
	}
}

// String (and AppendFormat) write what fmt's "%04d-%02d-%02d" writes, for
// every date and for fields no date has.
func TestDateStringIsFmtsForm(t *testing.T) {
	for _, y := range []int{-12345, -1, 0, 7, 99, 999, 1970, 2026, 9999, 10000, 123456} {
		for m := -1; m <= 101; m++ {
			for _, day := range []int{-3, 0, 1, 9, 10, 28, 31, 99, 100} {
				d := Date{y, time.Month(m), day}
				want := fmt.Sprintf("%04d-%02d-%02d", y, m, day)
				if got := d.String(); got != want {
					t.Fatalf("%#v.String() = %q, want %q", d, got, want)
				}
				if got := string(d.AppendFormat([]byte("x"))); got != "x"+want {
					t.Fatalf("%#v.AppendFormat = %q, want %q", d, got, "x"+want)
				}
			}
		}
	}
}
