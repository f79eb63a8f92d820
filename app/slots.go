package app

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// maxSlotRangeDays is how far apart from and to may be in a slots query.
const maxSlotRangeDays = 42

// SlotQuery asks for a mentor's free time between two dates in the
// viewer's zone, as typed: empty From is today, empty To is From + 6 days,
// empty TZ is UTC, empty Duration is the mentor's session length.
type SlotQuery struct {
	From, To, TZ, Duration string
}

// DaySlots are the slots starting on one viewer-local date.
type DaySlots struct {
	Date  schedule.Date
	Slots []schedule.Interval // in the viewer's zone
}

// Slots is a mentor's free time in the viewer's zone.
type Slots struct {
	Location        *time.Location
	DurationMinutes int
	Days            []DaySlots // every date of the range, in order
	// Horizon is the end of the mentor's booking horizon: no slot starts
	// at or after it, so a calendar need not offer later months.
	Horizon time.Time
}

// Busy is the viewer's window minus bookable time.
type Busy struct {
	Location *time.Location
	Busy     []schedule.Interval // in the viewer's zone
}

// viewerWindow is a validated slot query.
type viewerWindow struct {
	loc      *time.Location
	from, to schedule.Date
	window   schedule.Interval
	duration int // minutes; 0 = the mentor's session length
}

func (s *Calendar) parseSlotQuery(q SlotQuery) (viewerWindow, error) {
	v := mentorbook.Validation{}
	w := viewerWindow{loc: time.UTC}
	if q.TZ != "" {
		loc, err := loadZone(q.TZ)
		if err != nil {
			v.Add("tz", mentorbook.ErrorMessage(err))
		} else {
			w.loc = loc
		}
	}
	var ok bool
	w.from = schedule.DateOf(s.clock(), w.loc)
	if q.From != "" {
		if w.from, ok = parseDay(q.From); !ok {
			v.Add("from", "must be a date YYYY-MM-DD")
		}
	}
	w.to = w.from.AddDays(6)
	if q.To != "" {
		if w.to, ok = parseDay(q.To); !ok {
			v.Add("to", "must be a date YYYY-MM-DD")
		}
	}
	if _, bad := v["from"]; !bad {
		if _, bad := v["to"]; !bad {
			switch n := schedule.DaysBetween(w.from, w.to); {
			case n < 0:
				v.Add("to", "must not be before from")
			case n > maxSlotRangeDays:
				v.Add("to", "must be at most 42 days after from")
			}
		}
	}
	if q.Duration != "" {
		var err error
		if w.duration, err = validDuration(q.Duration); err != nil {
			v.Add("duration", err.Error())
		}
	}
	if err := v.Err(); err != nil {
		return w, err
	}
	w.window = schedule.Interval{
		Start: schedule.Resolve(w.loc, w.from, 0),
		End:   schedule.Resolve(w.loc, w.to.AddDays(1), 0),
	}
	return w, nil
}

type durationError string

func (e durationError) Error() string { return string(e) }

// validDuration parses a slot length in minutes: 15 to 480, a multiple of 5.
func validDuration(s string) (int, error) {
	n, err := strconv.Atoi(s)
	l := SessionLimit // a slot is as long as a session may be
	if err != nil || n < l.Min || n > l.Max || n%l.Multiple != 0 {
		return 0, durationError("must be 15 to 480 minutes, a multiple of 5")
	}
	return n, nil
}

// Slots lists a mentor's free slots for a viewer.
func (s *Calendar) Slots(ctx context.Context, mentorID int64, q SlotQuery) (Slots, error) {
	w, err := s.parseSlotQuery(q)
	if err != nil {
		return Slots{}, err
	}
	now := s.clock()
	o, _, err := s.cachedOffer(ctx, mentorID, w.window, w.duration, now)
	if err != nil {
		return Slots{}, err
	}
	return slotsOf(o, w, o.rules.Slots(o.query)), nil
}

// slotsIn is Slots read afresh from the database, never from the cache.
func (s *core) slotsIn(ctx context.Context, mentorID int64, w viewerWindow, now time.Time) (Slots, error) {
	o, err := s.readOffer(ctx, mentorID, w.window, w.duration, now)
	if err != nil {
		return Slots{}, err
	}
	return slotsOf(o, w, o.rules.Slots(o.query)), nil
}

// slotsOf groups slots by the viewer's dates.
func slotsOf(o offering, w viewerWindow, slots []schedule.Interval) Slots {
	res := Slots{Location: w.loc, DurationMinutes: o.durationMinutes, Horizon: o.query.Latest,
		Days: make([]DaySlots, 0, schedule.DaysBetween(w.from, w.to)+1)}
	// One array holds every day's slots; each day is a capped piece of it,
	// so an append to one day cannot run into the next.
	all := make([]schedule.Interval, len(slots))
	i := 0
	for d := w.from; !d.After(w.to); d = d.AddDays(1) {
		first := i
		for ; i < len(slots) && schedule.DateOf(slots[i].Start, w.loc) == d; i++ {
			all[i] = schedule.Interval{Start: slots[i].Start.In(w.loc), End: slots[i].End.In(w.loc)}
		}
		res.Days = append(res.Days, DaySlots{Date: d, Slots: all[first:i:i]})
	}
	return res
}

// BusyTimes lists the parts of the viewer's window a mentor cannot be booked in.
func (s *Calendar) Busy(ctx context.Context, mentorID int64, q SlotQuery) (Busy, error) {
	w, err := s.parseSlotQuery(q)
	if err != nil {
		return Busy{}, err
	}
	o, _, err := s.cachedOffer(ctx, mentorID, w.window, w.duration, s.clock())
	if err != nil {
		return Busy{}, err
	}
	res := Busy{Location: w.loc, Busy: []schedule.Interval{}}
	for _, iv := range o.rules.BusyTimes(o.query) {
		res.Busy = append(res.Busy, schedule.Interval{Start: iv.Start.In(w.loc), End: iv.End.In(w.loc)})
	}
	return res, nil
}

// offering is what a mentor offers in a window: the rules and the query
// whose Slots are exactly the bookable slots.
type offering struct {
	mentor          mentorbook.Mentor
	avail           mentorbook.Availability
	rules           schedule.Rules
	query           schedule.SlotQuery
	durationMinutes int
}

// newOffering is what a mentor with settings a in loc offers in window at
// now, before overrides and held time are filled in.
func newOffering(m mentorbook.Mentor, a mentorbook.Availability, loc *time.Location, window schedule.Interval, duration int, now time.Time) offering {
	if duration == 0 {
		duration = a.SessionMinutes
	}
	o := offering{mentor: m, avail: a, durationMinutes: duration}
	o.rules = schedule.Rules{Location: loc}
	o.query = schedule.SlotQuery{
		Window:       window,
		Earliest:     now.Add(time.Duration(a.MinNoticeMinutes) * time.Minute),
		Latest:       now.Add(time.Duration(a.HorizonDays) * 24 * time.Hour),
		Duration:     time.Duration(duration) * time.Minute,
		Step:         time.Duration(a.SlotIntervalMinutes) * time.Minute,
		BufferBefore: time.Duration(a.BufferBeforeMinutes) * time.Minute,
		BufferAfter:  time.Duration(a.BufferAfterMinutes) * time.Minute,
	}
	return o
}

// needsInputs reports whether window can hold a slot at all: an inactive
// mentor, or a window outside [Earliest, Latest), offers nothing, with
// no need to load hours or held time.
func (o offering) needsInputs(window schedule.Interval) bool {
	return o.mentor.Active && window.Start.Before(o.query.Latest) && window.End.After(o.query.Earliest)
}

// blocksRange is where held time can touch a candidate starting in
// window: [window.Start - before, window.End + duration + after).
func blocksRange(q *schedule.SlotQuery, window schedule.Interval) (from, to time.Time) {
	return window.Start.Add(-q.BufferBefore), window.End.Add(q.Duration + q.BufferAfter)
}

// offer loads what decides a mentor's slots in window. The same function
// serves the slots page and the check of a booking request, so a request
// succeeds exactly for a slot that is offered; the cache (slotcache.go)
// builds the same offering from memory.
func offer(ctx context.Context, tx mentorbook.Tx, mentorID int64, window schedule.Interval, duration int, now time.Time) (offering, error) {
	m, err := mentorByID(ctx, tx, mentorID)
	if err != nil {
		return offering{}, err
	}
	a, err := availabilityOf(ctx, tx, mentorID, m.Timezone)
	if err != nil {
		return offering{}, err
	}
	loc, err := loadZone(a.Timezone)
	if err != nil {
		return offering{}, err
	}
	o := newOffering(m, a, loc, window, duration, now)
	if !o.needsInputs(window) {
		return o, nil
	}
	o.rules.Weekly = a.Weekly
	// Load the overrides of exactly the dates the slot grid may read.
	first, last := o.query.LocalDates(loc)
	overrides, err := tx.Availability().Overrides(ctx, mentorID, first, last)
	if err != nil {
		return offering{}, err
	}
	o.rules.Overrides = make(map[schedule.Date][]schedule.LocalInterval, len(overrides))
	for _, ov := range overrides {
		o.rules.Overrides[ov.Date] = ov.Intervals
	}
	from, to := blocksRange(&o.query, window)
	o.query.Busy, err = tx.Bookings().Blocks(ctx, mentorID, from, to, now)
	if err != nil {
		return offering{}, err
	}
	return o, nil
}

// readOffer is offer outside a transaction.
func (s *core) readOffer(ctx context.Context, mentorID int64, window schedule.Interval, duration int, now time.Time) (offering, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (offering, error) {
		return offer(ctx, tx, mentorID, window, duration, now)
	})
}

// readOfferExcept is readOffer counting the time a booking being moved
// holds (its Blocked()) as free. Blocks lists each booking's row as
// stored, so the booking's own is the one equal to it.
func (s *core) readOfferExcept(ctx context.Context, b mentorbook.Booking, window schedule.Interval, duration int, now time.Time) (offering, error) {
	o, err := s.readOffer(ctx, b.MentorID, window, duration, now)
	own := b.Blocked()
	o.query.Busy = slices.DeleteFunc(o.query.Busy, func(iv schedule.Interval) bool {
		return iv.Start.Equal(own.Start) && iv.End.Equal(own.End)
	})
	return o, err
}
