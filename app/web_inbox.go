package app

import (
	"context"
	"slices"
	"time"

	"github.com/mentorbook/mentorbook"
)

// BookingView is one of the caller's bookings as the web pages show it: the
// other party's name, the times in the viewer's and the other party's zone,
// and what the caller may do with it.
type BookingView struct {
	mentorbook.Booking
	Role                 string // the caller's role: "mentor" or "mentee"
	OtherName            string
	OtherZone            string
	Start, End           time.Time // in the viewer's zone
	OtherStart, OtherEnd time.Time // in the other party's zone
	CanAnswer            bool      // accept or decline: the mentor of a pending request
	CanCancel            bool      // either party, before it starts
}

// Inbox is what the bookings page shows a user.
type Inbox struct {
	Location *time.Location // the viewer's
	// Pending are requests waiting for the caller's answer as mentor.
	Pending []BookingView
	// Requested are the caller's own requests still waiting for an answer.
	Requested []BookingView
	// Upcoming are confirmed sessions, in either role, that have not ended.
	Upcoming []BookingView
	// Closed are recent declined, cancelled, expired or past bookings.
	Closed []BookingView
}

// inboxHistory is how far back the inbox lists closed bookings.
const inboxHistory = 30 * 24 * time.Hour

// Inbox returns the caller's bookings for the bookings page, with times in
// tz (empty = the caller's account zone).
func (s *Service) Inbox(ctx context.Context, caller mentorbook.User, tz string) (Inbox, error) {
	if tz == "" {
		tz = caller.Timezone
	}
	loc, err := loadZone(tz)
	if err != nil {
		return Inbox{}, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{"tz": mentorbook.ErrorMessage(err)}}
	}
	now := s.clock()
	// One query per kind, so a long history cannot push pending requests
	// off the page. Pending requests expire by their start, so they lie
	// ahead.
	var bs []mentorbook.Booking
	for _, q := range []struct {
		statuses []mentorbook.BookingStatus
		from     time.Time
		limit    int
	}{
		{[]mentorbook.BookingStatus{mentorbook.StatusPending}, now.Add(-24 * time.Hour), 200},
		{[]mentorbook.BookingStatus{mentorbook.StatusConfirmed}, now.Add(-inboxHistory), 300},
		{[]mentorbook.BookingStatus{mentorbook.StatusDeclined, mentorbook.StatusCancelled, mentorbook.StatusExpired}, now.Add(-inboxHistory), 100},
	} {
		page, err := s.store.ListBookings(ctx, mentorbook.BookingFilter{
			UserID: caller.ID, Statuses: q.statuses, From: q.from, Limit: q.limit, Now: now,
		})
		if err != nil {
			return Inbox{}, err
		}
		bs = append(bs, page...)
	}
	in := Inbox{Location: loc}
	users := map[int64]mentorbook.User{}
	for _, b := range bs {
		bv := BookingView{Booking: b, Role: "mentee", Start: b.Start.In(loc), End: b.End.In(loc)}
		other := b.MentorID
		if b.MentorID == caller.ID {
			bv.Role, other = "mentor", b.MenteeID
		}
		u, ok := users[other]
		if !ok {
			if u, err = s.store.UserByID(ctx, other); err != nil {
				return Inbox{}, err
			}
			users[other] = u
		}
		bv.OtherName, bv.OtherZone = u.Name, u.Timezone
		if bv.Role == "mentee" && u.Mentor != nil {
			// A mentor's hours are in their availability's zone.
			if m, err := s.store.MentorByID(ctx, other); err == nil {
				bv.OtherZone = m.Timezone
			}
		}
		if oloc, err := loadZone(bv.OtherZone); err == nil {
			bv.OtherStart, bv.OtherEnd = b.Start.In(oloc), b.End.In(oloc)
		} else {
			bv.OtherZone, bv.OtherStart, bv.OtherEnd = "UTC", b.Start.UTC(), b.End.UTC()
		}
		bv.CanAnswer = bv.Role == "mentor" && b.Answerable()
		bv.CanCancel = b.Cancellable(now)
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
	slices.SortFunc(in.Closed, func(a, b BookingView) int { return b.Booking.Start.Compare(a.Booking.Start) })
	return in, nil
}
