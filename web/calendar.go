package web

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

// calendarSlot is one bookable slot in the viewer's zone and, for the same
// instants, in the mentor's zone.
type calendarSlot struct {
	Start, End             time.Time // in the viewer's zone
	MentorStart, MentorEnd time.Time // in the mentor's zone
}

// calendarDay is one cell of a month grid.
type calendarDay struct {
	Date    schedule.Date
	InMonth bool // false for the padding days of the first and last week
	Slots   int  // how many slots start on this viewer-local date
	Today   bool
}

// monthCalendar is a mentor's month as a viewer sees it. Weeks start on
// Monday and cover the month.
type monthCalendar struct {
	Mentor          mentorbook.Mentor
	Location        *time.Location // the viewer's
	MentorLocation  *time.Location
	Month           schedule.Date // the first of the month
	Prev, Next      string        // "YYYY-MM" of the neighbouring months; "" where the arrows stop
	Weeks           [][7]calendarDay
	Day             *schedule.Date // the chosen day, when it is in the month
	DaySlots        []calendarSlot // the chosen day's slots
	DurationMinutes int
	// Bookable is whether any day of the month has a slot.
	Bookable bool
}

var errBadMonth = mentorbook.Errorf(mentorbook.EINVALID, "The month or day is not a date.")

// mentorMonth is mentor m's month of free slots for a viewer in loc, as
// typed: month "YYYY-MM" (empty = the month of day, or the first month
// with a free time), day "YYYY-MM-DD" (optional: the day whose slots to
// list). A month or day that is not a date, or out of the years the use
// cases accept, is EINVALID. The arrows lead only to months between the
// viewer's current month and the mentor's booking horizon.
//
// duration > 0 asks for slots of that many minutes (a mentorship's
// sessions); 0 is the mentor's session length. Everything is read through
// rd, at its instant, and rd is told when the clock changes the month.
func mentorMonth(ctx context.Context, rd *app.PageReads, m mentorbook.Mentor, month, day string, loc *time.Location, duration int) (monthCalendar, error) {
	today := schedule.DateOf(rd.Now(), loc)
	rd.Until(schedule.Resolve(loc, today.AddDays(1), 0)) // today moves, and the arrow back with it
	first, chosen, ok := monthOf(month, day, today)
	if !ok {
		return monthCalendar{}, errBadMonth
	}
	mloc, err := schedule.LoadZone(m.Timezone)
	if err != nil {
		return monthCalendar{}, fmt.Errorf("mentor %d: %w", m.ID, err)
	}
	slots, err := monthSlots(ctx, rd, first, loc, duration)
	if err != nil {
		return monthCalendar{}, err
	}
	if month == "" && day == "" {
		// Open on the first month with a free time, up to the horizon and
		// at most a year ahead, so a mentor without hours costs a few reads.
		for f, i := first, 0; !hasSlots(slots) && i < 12; i++ {
			f = nextMonth(f)
			if !beforeHorizon(rd, schedule.Resolve(loc, f, 0), slots) {
				break
			}
			next, err := monthSlots(ctx, rd, f, loc, duration)
			if err != nil {
				return monthCalendar{}, err
			}
			if hasSlots(next) {
				first, slots = f, next
			}
		}
	}
	cal := layoutMonth(first, today, chosen, slots, mloc)
	cal.Mentor = m
	if !first.After(schedule.Date{Year: today.Year, Month: today.Month, Day: 1}) {
		cal.Prev = ""
	}
	if !beforeHorizon(rd, schedule.Resolve(loc, nextMonth(first), 0), slots) {
		cal.Next = ""
	}
	return cal, nil
}

// beforeHorizon reports whether t is before the booking horizon of slots.
// The horizon moves on with the clock: a "no" lasts until it reaches t.
func beforeHorizon(rd *app.PageReads, t time.Time, slots app.Slots) bool {
	if t.Before(slots.Horizon) {
		return true
	}
	rd.Until(t.Add(-slots.Horizon.Sub(rd.Now())))
	return false
}

// monthSlots are a mentor's slots in the month starting on first.
func monthSlots(ctx context.Context, rd *app.PageReads, first schedule.Date, loc *time.Location, duration int) (app.Slots, error) {
	last := nextMonth(first).AddDays(-1)
	q := app.SlotQuery{From: first.String(), To: last.String(), TZ: loc.String()}
	if duration > 0 {
		q.Duration = strconv.Itoa(duration)
	}
	return rd.Slots(ctx, q)
}

func hasSlots(slots app.Slots) bool {
	for _, d := range slots.Days {
		if len(d.Slots) > 0 {
			return true
		}
	}
	return false
}

// monthOf picks the month to show and the chosen day from the typed month
// and day; ok is false when either is not a date.
func monthOf(month, day string, today schedule.Date) (first schedule.Date, chosen *schedule.Date, ok bool) {
	if day != "" {
		d, err := schedule.ParseDate(day)
		if err != nil {
			return schedule.Date{}, nil, false
		}
		chosen = &d
	}
	switch {
	case month != "":
		d, err := schedule.ParseDate(month + "-01")
		if err != nil || len(month) != 7 {
			return schedule.Date{}, nil, false
		}
		first = d
	case chosen != nil:
		first = schedule.Date{Year: chosen.Year, Month: chosen.Month, Day: 1}
	default:
		first = schedule.Date{Year: today.Year, Month: today.Month, Day: 1}
	}
	return first, chosen, true
}

// nextMonth is the first of the month after first's.
func nextMonth(first schedule.Date) schedule.Date {
	if first.Month == time.December {
		return schedule.Date{Year: first.Year + 1, Month: time.January, Day: 1}
	}
	return schedule.Date{Year: first.Year, Month: first.Month + 1, Day: 1}
}

// layoutMonth lays out the month starting on first as Monday-first weeks,
// with each date's count of slots and the chosen day's slots, in the
// viewer's zone (slots.Location) and in the mentor's (mloc).
func layoutMonth(first, today schedule.Date, chosen *schedule.Date, slots app.Slots, mloc *time.Location) monthCalendar {
	loc := slots.Location
	next := nextMonth(first)
	last, prev := next.AddDays(-1), first.AddDays(-1)
	cal := monthCalendar{
		Location: loc, MentorLocation: mloc, Month: first,
		Prev:            fmt.Sprintf("%04d-%02d", prev.Year, int(prev.Month)),
		Next:            fmt.Sprintf("%04d-%02d", next.Year, int(next.Month)),
		DurationMinutes: slots.DurationMinutes,
	}
	if chosen != nil && chosen.Year == first.Year && chosen.Month == first.Month {
		cal.Day = chosen
	}
	count := make(map[schedule.Date]int, len(slots.Days))
	for _, d := range slots.Days {
		count[d.Date] = len(d.Slots)
		if len(d.Slots) > 0 {
			cal.Bookable = true
		}
		if cal.Day != nil && d.Date == *cal.Day {
			for _, iv := range d.Slots {
				cal.DaySlots = append(cal.DaySlots, calendarSlot{
					Start: iv.Start.In(loc), End: iv.End.In(loc),
					MentorStart: iv.Start.In(mloc), MentorEnd: iv.End.In(mloc),
				})
			}
		}
	}
	// Monday-first weeks: step back from the 1st to its Monday.
	start := first.AddDays(-((int(first.Weekday()) + 6) % 7))
	for d := start; !d.After(last); {
		var week [7]calendarDay
		for i := range week {
			week[i] = calendarDay{Date: d, InMonth: d.Month == first.Month && d.Year == first.Year,
				Slots: count[d], Today: d == today}
			d = d.AddDays(1)
		}
		cal.Weeks = append(cal.Weeks, week)
	}
	return cal
}
