package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
)

// expireStale materialises the expiry of stale requests within scope and
// tells each mentee, in tx.
func (s *Bookings) expireStale(ctx context.Context, tx mentorbook.Tx, now time.Time, scope mentorbook.StaleScope) (int, error) {
	expired, err := tx.Bookings().ExpireStale(ctx, now, scope)
	if err != nil {
		return 0, err
	}
	for _, b := range expired {
		if err := s.notifyBooking(ctx, tx, b, mentorbook.NotifyBookingExpired); err != nil {
			return 0, err
		}
	}
	return len(expired), nil
}

// notifyBooking tells the party an event of b concerns: the mentor of a
// request; the mentee of an answer or an expiry; the other party of a
// cancellation. Times are in the recipient's zone, named.
func (c *core) notifyBooking(ctx context.Context, tx mentorbook.Tx, b mentorbook.Booking, kind mentorbook.NotificationKind) error {
	to := b.MenteeID
	switch kind {
	case mentorbook.NotifyBookingRequested:
		to = b.MentorID
	case mentorbook.NotifyBookingCancelled:
		if b.CancelledBy == b.MenteeID {
			to = b.MentorID
		}
	}
	loc, err := zoneOf(ctx, tx, to)
	if err != nil {
		return err
	}
	when := whenIn(b.Start, b.End, loc)
	var title string
	var body []string
	switch kind {
	case mentorbook.NotifyBookingRequested:
		title = "Booking request from " + b.MenteeName
		body = append(body, fmt.Sprintf("%s asks for a session on %s.", b.MenteeName, when),
			fmt.Sprintf("Please answer by %s (%s); after that the request expires.",
				b.ExpiresAt.In(loc).Format("Monday 2 January 2006, 15:04"), loc))
		if b.Message != "" {
			body = append(body, "Their message: “"+b.Message+"”")
		}
	case mentorbook.NotifyBookingAccepted:
		title = b.MentorName + " accepted your booking"
		body = append(body, fmt.Sprintf("Your session with %s on %s is confirmed.", b.MentorName, when))
	case mentorbook.NotifyBookingDeclined:
		title = b.MentorName + " declined your booking request"
		body = append(body, fmt.Sprintf("%s declined your request for %s. You can book another time.", b.MentorName, when))
	case mentorbook.NotifyBookingCancelled:
		by := b.MenteeName
		if b.CancelledBy == b.MentorID {
			by = b.MentorName
		}
		title = by + " cancelled your session"
		body = append(body, fmt.Sprintf("%s cancelled the session on %s.", by, when))
	case mentorbook.NotifyBookingExpired:
		title = "Your booking request expired"
		body = append(body, fmt.Sprintf("%s did not answer your request for %s in time, so the time is free again. You can book another time.",
			b.MentorName, when))
	default:
		return fmt.Errorf("app: %q is not a booking notification", kind)
	}
	if b.Reason != "" && (kind == mentorbook.NotifyBookingDeclined || kind == mentorbook.NotifyBookingCancelled) {
		body = append(body, "Reason: “"+b.Reason+"”")
	}
	return c.notify(ctx, tx, mentorbook.Notification{UserID: to, Kind: kind, Title: title,
		Body: strings.Join(body, "\n"), Link: fmt.Sprintf("/bookings#booking-%d", b.ID)})
}
