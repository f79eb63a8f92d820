package app

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// maxAddress bounds an onsite location, as for services.
const maxAddress = 500

// newRoom is an unguessable meeting room name for one booking (80 random
// bits), drawn before the transaction so a retry keeps it.
func newRoom() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return "mentorbook-" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// placeOf decides where a new session happens: onsite at the service's
// address; online at the service's link, else the mentor's personal
// meeting link, else a room made from the operator's template, else
// nowhere yet (the mentor can set it).
func (c *core) placeOf(ctx context.Context, tx mentorbook.Tx, mentorID int64, mode, location, room string) (string, string, error) {
	if mode == mentorbook.ModeOnsite {
		return mode, location, nil
	}
	if location != "" {
		return mentorbook.ModeOnline, location, nil
	}
	u, err := tx.Users().ByID(ctx, mentorID)
	if err != nil {
		return "", "", err
	}
	if u.Mentor != nil && u.Mentor.MeetingURL != "" {
		return mentorbook.ModeOnline, u.Mentor.MeetingURL, nil
	}
	if c.meetingURLTemplate != "" {
		return mentorbook.ModeOnline, strings.ReplaceAll(c.meetingURLTemplate, "{room}", room), nil
	}
	return mentorbook.ModeOnline, "", nil
}

// shownTo is b as caller may see it: the location only once it is theirs
// to know (Booking.LocationVisibleTo).
func shownTo(caller mentorbook.User, b mentorbook.Booking) mentorbook.Booking {
	if !b.LocationVisibleTo(caller.ID) {
		b.Location = ""
	}
	return b
}

// validMeetingURL checks an online location: an absolute https URL.
func validMeetingURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && !strings.ContainsAny(s, " \t\r\n")
}

// checkLocation validates a location for mode into v under field.
func checkLocation(v mentorbook.Validation, field, mode, location string) {
	checkText(v, field, location)
	switch {
	case mode == mentorbook.ModeOnsite && location == "":
		v.Add(field, "must be the address of the meeting")
	case mode == mentorbook.ModeOnsite && utf8.RuneCountInString(location) > maxAddress:
		v.Add(field, "must be at most 500 characters")
	case mode != mentorbook.ModeOnsite && !validMeetingURL(location):
		v.Add(field, "must be an https:// meeting link")
	}
}

// SetLocation changes where a session happens; only its mentor may, until
// it starts. The mentee is told.
func (s *Bookings) SetLocation(ctx context.Context, caller mentorbook.User, id int64, location string) (mentorbook.Booking, error) {
	b, err := s.Get(ctx, caller, id)
	if err != nil {
		return b, err
	}
	if caller.ID != b.MentorID {
		return mentorbook.Booking{}, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only the mentor can change where a session happens.")
	}
	location = strings.TrimSpace(location)
	v := mentorbook.Validation{}
	checkLocation(v, "location", b.Mode, location)
	if err := v.Err(); err != nil {
		return mentorbook.Booking{}, err
	}
	now := s.clock()
	b, err = mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Booking, error) {
		cur, err := tx.Bookings().Lock(ctx, id, now)
		if err != nil {
			return cur, err
		}
		if !cur.Cancellable(now) {
			return cur, errNotChangeable(cur, now)
		}
		b, err := tx.Bookings().SetLocation(ctx, id, location, now)
		if err != nil {
			return b, err
		}
		return b, s.notifyBookingTo(ctx, tx, b, mentorbook.NotifyBookingLocationChanged, b.MenteeID)
	})
	return shownTo(caller, b), err
}

// errNotChangeable says why a booking can no longer change.
func errNotChangeable(b mentorbook.Booking, now time.Time) error {
	if b.Status.Active() && !b.Start.After(now) {
		return mentorbook.Errorf(mentorbook.ECONFLICT, "The session has already started; it can no longer change.")
	}
	return mentorbook.Errorf(mentorbook.ECONFLICT, "The booking is %s; it can no longer change.", b.Status)
}

// errRescheduleLimit refuses a fourth reschedule.
var errRescheduleLimit = mentorbook.Errorf(mentorbook.ECONFLICT,
	"This session was already moved %d times; cancel it and book another time instead.", mentorbook.MaxReschedules)

// checkReschedulable says why b cannot move at now, or nil.
func checkReschedulable(b mentorbook.Booking, now time.Time) error {
	switch {
	case !b.Cancellable(now):
		return errNotChangeable(b, now)
	case b.Reschedules >= mentorbook.MaxReschedules:
		return errRescheduleLimit
	}
	return nil
}

// Reschedule moves a pending or confirmed booking that has not started to
// another start the mentor's calendar offers for its length, counting its
// own current time as free. Either party may; the other is told. It keeps
// its ID and status; its version rises by one, and reminders follow the
// new time.
func (s *Bookings) Reschedule(ctx context.Context, caller mentorbook.User, id int64, startText string) (mentorbook.Booking, error) {
	start, ok := parseInstant(startText)
	if !ok {
		return mentorbook.Booking{}, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{"start": "must be an RFC 3339 time like 2026-05-04T09:00:00+02:00"}}
	}
	start = start.UTC()
	b, err := s.Get(ctx, caller, id)
	if err != nil {
		return b, err
	}
	now := s.clock()
	if err := checkReschedulable(b, now); err != nil {
		return mentorbook.Booking{}, err
	}
	minutes := int(b.End.Sub(b.Start) / time.Minute)
	o, err := s.readOfferExcept(ctx, b, schedule.Interval{Start: start, End: start.Add(time.Microsecond)}, minutes, now)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	slots := o.rules.Slots(o.query)
	if len(slots) == 0 || !slots[0].Start.Equal(start) {
		return mentorbook.Booking{}, errSlotTaken
	}
	end := slots[0].End.UTC()
	moved, err := mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Booking, error) {
		cur, err := tx.Bookings().Lock(ctx, id, now)
		if err != nil {
			return cur, err
		}
		if err := checkReschedulable(cur, now); err != nil {
			return cur, fmt.Errorf("%w: %w", err, errRefused)
		}
		if cur.Version != b.Version {
			// It moved since the check above: the offer counted its
			// old time as free.
			return cur, fmt.Errorf("%w: %w", mentorbook.Errorf(mentorbook.ECONFLICT,
				"The booking changed meanwhile; look at it again and retry."), errRefused)
		}
		moved, err := tx.Bookings().Move(ctx, cur, start, end, o.query.BufferBefore, o.query.BufferAfter, now)
		if err != nil {
			return moved, err
		}
		other := moved.MentorID
		if caller.ID == moved.MentorID {
			other = moved.MenteeID
		}
		if err := s.notifyBookingTo(ctx, tx, moved, mentorbook.NotifyBookingRescheduled, other); err != nil {
			return moved, err
		}
		return moved, s.scheduleReminders(ctx, tx, moved, now)
	})
	if mentorbook.ErrorCode(err) == mentorbook.ECONFLICT && !errors.Is(err, errRefused) {
		return mentorbook.Booking{}, errSlotTaken
	}
	if err != nil {
		return mentorbook.Booking{}, err
	}
	return shownTo(caller, moved), nil
}

// RescheduleSlots lists the starts a booking may move to in the viewer's
// window (the same check Reschedule makes), for the booking's page.
func (s *Bookings) RescheduleSlots(ctx context.Context, caller mentorbook.User, id int64, loc *time.Location, days int) ([]schedule.Interval, error) {
	b, err := s.Get(ctx, caller, id)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	if checkReschedulable(b, now) != nil {
		return []schedule.Interval{}, nil
	}
	today := schedule.DateOf(now, loc)
	window := schedule.Interval{Start: schedule.Resolve(loc, today, 0), End: schedule.Resolve(loc, today.AddDays(days), 0)}
	o, err := s.readOfferExcept(ctx, b, window, int(b.End.Sub(b.Start)/time.Minute), now)
	if err != nil {
		return nil, err
	}
	out := []schedule.Interval{}
	for _, iv := range o.rules.Slots(o.query) {
		if !iv.Start.Equal(b.Start) {
			out = append(out, schedule.Interval{Start: iv.Start.In(loc), End: iv.End.In(loc)})
		}
	}
	return out, nil
}

// ReportAttendance records whether the other party came: each party once,
// from AttendanceOpensAfter the start until AttendanceClosesAfter the end
// of a confirmed session.
func (s *Bookings) ReportAttendance(ctx context.Context, caller mentorbook.User, id int64, otherAttended *bool) (mentorbook.Booking, error) {
	if otherAttended == nil {
		return mentorbook.Booking{}, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{"other_attended": "is required: true or false"}}
	}
	b, err := s.Get(ctx, caller, id)
	if err != nil {
		return b, err
	}
	now := s.clock()
	if !b.AttendanceOpen(now) {
		return mentorbook.Booking{}, errAttendanceClosed(b, now)
	}
	b, err = mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Booking, error) {
		return tx.Bookings().ReportAttendance(ctx, id, caller.ID == b.MentorID, *otherAttended, now)
	})
	return shownTo(caller, b), err
}

func errAttendanceClosed(b mentorbook.Booking, now time.Time) error {
	switch {
	case b.Status != mentorbook.StatusConfirmed:
		return mentorbook.Errorf(mentorbook.ECONFLICT, "The booking is %s; only a confirmed session has attendance.", b.Status)
	case now.Before(b.Start.Add(mentorbook.AttendanceOpensAfter)):
		return mentorbook.Errorf(mentorbook.ECONFLICT, "Attendance can be reported from 10 minutes after the start.")
	}
	return mentorbook.Errorf(mentorbook.ECONFLICT, "Attendance can be reported until 7 days after the session.")
}

// Reliability is what administrators see of one user's sessions.
type Reliability struct {
	NoShows           int // sessions the other party reported they missed
	LateCancellations int // confirmed sessions they cancelled < 24 h ahead
}

// ReliabilityOf counts a user's no-shows and late cancellations, for
// administrators only.
func (s *Bookings) ReliabilityOf(ctx context.Context, caller mentorbook.User, userID int64) (Reliability, error) {
	if err := requireAdmin(caller); err != nil {
		return Reliability{}, err
	}
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (Reliability, error) {
		if _, err := tx.Users().ByID(ctx, userID); err != nil {
			return Reliability{}, err
		}
		n, late, err := tx.Bookings().Reliability(ctx, userID)
		return Reliability{NoShows: n, LateCancellations: late}, err
	})
}
