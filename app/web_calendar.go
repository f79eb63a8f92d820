package app

import (
	"context"
	"fmt"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// MonthQuery asks for a month of a mentor's slots in the viewer's zone, as
// typed: Month "YYYY-MM" (empty = the month of Day, or the viewer's current
// month), Day "YYYY-MM-DD" (optional: the day whose slots to list), TZ an
// IANA zone (empty = UTC).
type MonthQuery struct {
	Month, Day, TZ string
}

// CalendarSlot is one bookable slot in the viewer's zone and, for the same
// instants, in the mentor's zone.
type CalendarSlot struct {
	Start, End             time.Time // in the viewer's zone
	MentorStart, MentorEnd time.Time // in the mentor's zone
}

// CalendarDay is one cell of a month grid.
type CalendarDay struct {
	Date    schedule.Date
	InMonth bool // false for the padding days of the first and last week
	Slots   int  // how many slots start on this viewer-local date
	Today   bool
}

// MonthCalendar is a mentor's month as a viewer sees it. Weeks start on
// Monday and cover the month.
type MonthCalendar struct {
	Mentor          mentorbook.Mentor
	Location        *time.Location // the viewer's
	MentorLocation  *time.Location
	Month           schedule.Date // the first of the month
	Prev, Next      string        // "YYYY-MM" of the neighbouring months
	Weeks           [][7]CalendarDay
	Day             *schedule.Date // the chosen day, when it is in the month
	DaySlots        []CalendarSlot // the chosen day's slots
	DurationMinutes int
	// Bookable is whether any day of the month has a slot.
	Bookable bool
}

// MentorMonth returns a month calendar of a mentor's free slots for a viewer.
func (s *Service) MentorMonth(ctx context.Context, mentorID int64, q MonthQuery) (MonthCalendar, error) {
	v := mentorbook.Validation{}
	loc := time.UTC
	if q.TZ != "" {
		l, err := loadZone(q.TZ)
		if err != nil {
			v.Add("tz", mentorbook.ErrorMessage(err))
		} else {
			loc = l
		}
	}
	today := schedule.DateOf(s.clock(), loc)
	var day *schedule.Date
	if q.Day != "" {
		d, ok := parseDay(q.Day)
		if !ok {
			v.Add("day", "must be a date YYYY-MM-DD")
		} else {
			day = &d
		}
	}
	first := schedule.Date{Year: today.Year, Month: today.Month, Day: 1}
	switch {
	case q.Month != "":
		d, ok := parseDay(q.Month + "-01")
		if !ok || len(q.Month) != 7 {
			v.Add("month", "must be a month YYYY-MM")
		} else {
			first = d
		}
	case day != nil:
		first = schedule.Date{Year: day.Year, Month: day.Month, Day: 1}
	}
	if err := v.Err(); err != nil {
		return MonthCalendar{}, err
	}
	m, err := s.Mentor(ctx, mentorID)
	if err != nil {
		return MonthCalendar{}, err
	}
	mloc, err := loadZone(m.Timezone)
	if err != nil {
		return MonthCalendar{}, err
	}
	next := schedule.Date{Year: first.Year, Month: first.Month + 1, Day: 1}
	if first.Month == time.December {
		next = schedule.Date{Year: first.Year + 1, Month: time.January, Day: 1}
	}
	last := next.AddDays(-1)
	prev := first.AddDays(-1)
	slots, err := s.Slots(ctx, mentorID, SlotQuery{From: first.String(), To: last.String(), TZ: loc.String()})
	if err != nil {
		return MonthCalendar{}, err
	}
	cal := MonthCalendar{
		Mentor: m, Location: loc, MentorLocation: mloc, Month: first,
		Prev:            fmt.Sprintf("%04d-%02d", prev.Year, int(prev.Month)),
		Next:            fmt.Sprintf("%04d-%02d", next.Year, int(next.Month)),
		DurationMinutes: slots.DurationMinutes,
	}
	if day != nil && day.Year == first.Year && day.Month == first.Month {
		cal.Day = day
	}
	count := make(map[schedule.Date]int, len(slots.Days))
	for _, d := range slots.Days {
		count[d.Date] = len(d.Slots)
		if len(d.Slots) > 0 {
			cal.Bookable = true
		}
		if cal.Day != nil && d.Date == *cal.Day {
			for _, iv := range d.Slots {
				cal.DaySlots = append(cal.DaySlots, CalendarSlot{
					Start: iv.Start.In(loc), End: iv.End.In(loc),
					MentorStart: iv.Start.In(mloc), MentorEnd: iv.End.In(mloc),
				})
			}
		}
	}
	// Monday-first weeks: step back from the 1st to its Monday.
	start := first.AddDays(-((int(first.Weekday()) + 6) % 7))
	for d := start; !d.After(last); {
		var week [7]CalendarDay
		for i := range week {
			week[i] = CalendarDay{Date: d, InMonth: d.Month == first.Month && d.Year == first.Year,
				Slots: count[d], Today: d == today}
			d = d.AddDays(1)
		}
		cal.Weeks = append(cal.Weeks, week)
	}
	return cal, nil
}
