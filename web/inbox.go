package web

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

// bookingView is one of the viewer's bookings as the bookings page shows
// it: the other party's name, the times in the viewer's and the other
// party's zone, and what the viewer may do with it.
type bookingView struct {
	mentorbook.Booking
	Role                 string // the viewer's role: "mentor" or "mentee"
	OtherName            string
	OtherZone            string
	Start, End           time.Time // in the viewer's zone
	Expires              time.Time // a pending request's deadline, in the viewer's zone
	OtherStart, OtherEnd time.Time // in the other party's zone
	CanAnswer            bool      // accept or decline: the mentor of a pending request
	CanCancel            bool      // either party, before it starts
	CanReschedule        bool      // either party, before it starts, under the limit
	CanMove              bool      // the mentor may change the place
	CanReport            bool      // the viewer may say whether the other came
	Held                 bool
	// Moving: its reschedule form is open, offering MoveTo (the starts it
	// may move to, in the viewer's zone).
	Moving bool
	MoveTo []schedule.Interval
}

// inbox is what the bookings page shows a user.
type inbox struct {
	Location *time.Location // the viewer's
	// Pending are requests waiting for the viewer's answer as mentor.
	Pending []bookingView
	// Requested are the viewer's own requests still waiting for an answer.
	Requested []bookingView
	// Upcoming are confirmed sessions, in either role, that have not ended.
	Upcoming []bookingView
	// Closed are recent declined, cancelled, expired or past bookings.
	Closed []bookingView
}

// inboxHistory is how far back the inbox lists closed bookings.
const inboxHistory = 30 * 24 * time.Hour

// listPage is the most bookings app.ListBookings returns at once.
const listPage = 100

// inboxOf is the viewer's bookings for the bookings page, with times in loc.
// moving is the booking whose reschedule form is open (0: none).
func (s *server) inboxOf(ctx context.Context, me mentorbook.User, loc *time.Location, moving int64) (inbox, error) {
	now := s.app.Now()
	// One list per kind, so a long history cannot push pending requests
	// off the page. Pending requests expire by their start, so they lie
	// ahead.
	var bs []mentorbook.Booking
	for _, q := range []struct {
		statuses string
		from     time.Time
		max      int
	}{
		{"pending", now.Add(-24 * time.Hour), 200},
		{"confirmed", now.Add(-inboxHistory), 300},
		{"declined,cancelled,expired", now.Add(-inboxHistory), 100},
	} {
		list, err := s.bookingsFrom(ctx, me, q.statuses, q.from, q.max)
		if err != nil {
			return inbox{}, err
		}
		bs = append(bs, list...)
	}
	// The store reads each booking with both parties' zones.
	var err error
	zones := make(map[int64]string, len(bs))
	for _, b := range bs {
		zones[b.ID] = b.MentorZone
		if b.MentorID == me.ID {
			zones[b.ID] = b.MenteeZone
		}
	}
	in := sortInbox(me, bs, zones, loc, now)
	// The starts the booking being moved (?move=ID) may move to, for its
	// form: one calendar read, however many bookings the page lists.
	for _, list := range [][]bookingView{in.Pending, in.Upcoming, in.Requested} {
		for i := range list {
			if list[i].ID != moving || !list[i].CanReschedule {
				continue
			}
			list[i].Moving = true
			if list[i].MoveTo, err = s.app.Bookings.RescheduleSlots(ctx, me, list[i].ID, loc, rescheduleDays); err != nil {
				return inbox{}, err
			}
		}
	}
	return in, nil
}

// rescheduleDays is how far ahead the reschedule form offers times.
const rescheduleDays = 14

// bookingsFrom lists up to max of the viewer's bookings in statuses (a
// comma-separated list) starting at or after from, by start.
func (s *server) bookingsFrom(ctx context.Context, me mentorbook.User, statuses string, from time.Time, max int) ([]mentorbook.Booking, error) {
	q := app.BookingQuery{Status: statuses, From: from.Format(time.RFC3339Nano)}
	var bs []mentorbook.Booking
	for {
		q.Limit = strconv.Itoa(min(listPage, max-len(bs)))
		page, next, err := s.app.Bookings.List(ctx, me, q)
		if err != nil {
			return nil, err
		}
		bs = append(bs, page...)
		if next == "" || len(bs) >= max {
			return bs, nil
		}
		q.Cursor = next
	}
}

// sortInbox puts each booking in its section with its times in loc and in
// the other party's zone (zones, by booking ID), judging by now what the
// viewer may still do.
func sortInbox(me mentorbook.User, bs []mentorbook.Booking, zones map[int64]string, loc *time.Location, now time.Time) inbox {
	in := inbox{Location: loc}
	for _, b := range bs {
		bv := bookingView{Booking: b, Role: "mentee", OtherName: b.MentorName, OtherZone: zones[b.ID],
			Start: b.Start.In(loc), End: b.End.In(loc), Expires: b.ExpiresAt.In(loc)}
		if b.MentorID == me.ID {
			bv.Role, bv.OtherName = "mentor", b.MenteeName
		}
		if oloc, err := schedule.LoadZone(bv.OtherZone); err == nil {
			bv.OtherStart, bv.OtherEnd = b.Start.In(oloc), b.End.In(oloc)
		} else {
			bv.OtherZone, bv.OtherStart, bv.OtherEnd = "UTC", b.Start.UTC(), b.End.UTC()
		}
		bv.CanAnswer = bv.Role == "mentor" && b.Answerable()
		bv.CanCancel = b.Cancellable(now)
		bv.CanReschedule = b.Reschedulable(now)
		bv.CanMove = bv.Role == "mentor" && b.Cancellable(now)
		reported := b.MenteeSaysMentorCame
		if bv.Role == "mentor" {
			reported = b.MentorSaysMenteeCame
		}
		bv.CanReport = b.AttendanceOpen(now) && reported == nil
		bv.Held = b.Held(now)
		switch {
		case b.Status == mentorbook.StatusPending && bv.Role == "mentor":
			in.Pending = append(in.Pending, bv)
		case b.Status == mentorbook.StatusPending:
			in.Requested = append(in.Requested, bv)
		case b.Status == mentorbook.StatusConfirmed && b.End.After(now):
			in.Upcoming = append(in.Upcoming, bv)
		default:
			in.Closed = append(in.Closed, bv)
		}
	}
	// Most recent first reads better for history.
	slices.SortFunc(in.Closed, func(a, b bookingView) int { return b.Booking.Start.Compare(a.Booking.Start) })
	return in
}
