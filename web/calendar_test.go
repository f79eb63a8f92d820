package web

import (
	"testing"
	"time"

	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

func TestMonthOf(t *testing.T) {
	today := schedule.Date{Year: 2026, Month: time.June, Day: 17}
	tests := []struct {
		month, day string
		first      string
		chosen     string // "" for none
		ok         bool
	}{
		{"", "", "2026-06-01", "", true},
		{"2026-09", "", "2026-09-01", "", true},
		{"", "2027-02-14", "2027-02-01", "2027-02-14", true},
		{"2026-09", "2026-10-03", "2026-09-01", "2026-10-03", true}, // the day is not shown: another month
		{"2026-13", "", "", "", false},
		{"2026-9", "", "", "", false},
		{"2026-09-01", "", "", "", false},
		{"", "2026-02-30", "", "", false},
		{"2026-09", "tomorrow", "", "", false},
	}
	for _, tt := range tests {
		first, chosen, ok := monthOf(tt.month, tt.day, today)
		if ok != tt.ok {
			t.Errorf("monthOf(%q, %q) ok = %v, want %v", tt.month, tt.day, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		got := ""
		if chosen != nil {
			got = chosen.String()
		}
		if first.String() != tt.first || got != tt.chosen {
			t.Errorf("monthOf(%q, %q) = %s, %q; want %s, %q", tt.month, tt.day, first, got, tt.first, tt.chosen)
		}
	}
}

func TestLayoutMonth(t *testing.T) {
	kolkata, err := schedule.LoadZone("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := schedule.LoadZone("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	d := func(s string) schedule.Date {
		d, err := schedule.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name               string
		first, chosen      string
		weeks              int
		gridStart, gridEnd string
		prev, next         string
		dayShown, bookable bool
		wantDaySlots       int // on the chosen day
	}{
		// June 2026 starts on a Monday and ends on a Tuesday.
		{"starts on Monday", "2026-06-01", "2026-06-01", 5, "2026-06-01", "2026-07-05", "2026-05", "2026-07", true, true, 2},
		// March 2026 starts on a Sunday: six rows.
		{"starts on Sunday", "2026-03-01", "", 6, "2026-02-23", "2026-04-05", "2026-02", "2026-04", false, true, 0},
		// February 2027 is exactly four weeks from a Monday.
		{"four weeks", "2027-02-01", "", 4, "2027-02-01", "2027-02-28", "2027-01", "2027-03", false, true, 0},
		{"year end", "2026-12-01", "2027-01-04", 5, "2026-11-30", "2027-01-03", "2026-11", "2027-01", false, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := d(tt.first)
			// Two slots on the 1st, 09:00 and 10:00 New York.
			nine := time.Date(first.Year, first.Month, 1, 9, 0, 0, 0, ny)
			slots := app.Slots{Location: kolkata, DurationMinutes: 60}
			for day := first; day.Month == first.Month; day = day.AddDays(1) {
				ds := app.DaySlots{Date: day}
				if day == first {
					ds.Slots = []schedule.Interval{{Start: nine.In(kolkata), End: nine.Add(time.Hour).In(kolkata)},
						{Start: nine.Add(time.Hour).In(kolkata), End: nine.Add(2 * time.Hour).In(kolkata)}}
				}
				slots.Days = append(slots.Days, ds)
			}
			var chosen *schedule.Date
			if tt.chosen != "" {
				c := d(tt.chosen)
				chosen = &c
			}
			today := first.AddDays(3)
			cal := layoutMonth(first, today, chosen, slots, ny)
			if len(cal.Weeks) != tt.weeks || cal.Weeks[0][0].Date.String() != tt.gridStart ||
				cal.Weeks[len(cal.Weeks)-1][6].Date.String() != tt.gridEnd {
				t.Fatalf("%d weeks from %s to %s, want %d from %s to %s", len(cal.Weeks), cal.Weeks[0][0].Date,
					cal.Weeks[len(cal.Weeks)-1][6].Date, tt.weeks, tt.gridStart, tt.gridEnd)
			}
			if cal.Prev != tt.prev || cal.Next != tt.next || cal.Month != first || cal.DurationMinutes != 60 {
				t.Errorf("month %s, prev %s, next %s, %d min", cal.Month, cal.Prev, cal.Next, cal.DurationMinutes)
			}
			if (cal.Day != nil) != tt.dayShown || len(cal.DaySlots) != tt.wantDaySlots || cal.Bookable != tt.bookable {
				t.Errorf("day %v with %d slots, bookable %v", cal.Day, len(cal.DaySlots), cal.Bookable)
			}
			for _, week := range cal.Weeks {
				if week[0].Date.Weekday() != time.Monday {
					t.Errorf("a week starts on %s", week[0].Date.Weekday())
				}
				for _, c := range week {
					inMonth := c.Date.Year == first.Year && c.Date.Month == first.Month
					wantSlots := 0
					if c.Date == first {
						wantSlots = 2
					}
					if c.InMonth != inMonth || c.Slots != wantSlots || c.Today != (c.Date == today) {
						t.Errorf("cell %+v", c)
					}
				}
			}
			if tt.wantDaySlots > 0 {
				s := cal.DaySlots[0]
				if !s.Start.Equal(nine) || s.Start.Location() != kolkata || s.MentorStart.Location() != ny ||
					s.MentorStart.Format("15:04") != "09:00" || !s.End.Equal(nine.Add(time.Hour)) {
					t.Errorf("first slot %+v", s)
				}
			}
		})
	}
}
