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
	return c.notifyBookingTo(ctx, tx, b, kind, to)
}

// notifyBookingTo tells user to of an event of b. The email of an event
// that a calendar should apply carries an iCalendar invite.
func (c *core) notifyBookingTo(ctx context.Context, tx mentorbook.Tx, b mentorbook.Booking, kind mentorbook.NotificationKind, to int64) error {
	loc, err := zoneOf(ctx, tx, to)
	if err != nil {
		return err
	}
	when := whenIn(b.Start, b.End, loc)
	// Where it happens, for a recipient allowed to know.
	place := ""
	if b.LocationVisibleTo(to) && b.Location != "" {
		place = "Where: " + b.Location
		if b.Mode == mentorbook.ModeOnsite {
			place = "Where (in person): " + b.Location
		}
	}
	other := b.MentorName
	if to == b.MentorID {
		other = b.MenteeName
	}
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
	case mentorbook.NotifyBookingRescheduled:
		title = other + " moved your session"
		body = append(body, fmt.Sprintf("Your session with %s is now on %s.", other, when))
	case mentorbook.NotifyBookingLocationChanged:
		title = b.MentorName + " changed where your session happens"
		body = append(body, fmt.Sprintf("Your session with %s on %s has a new place.", b.MentorName, when))
		if place == "" {
			body = append(body, "You will see it once the session is confirmed.")
		}
	case mentorbook.NotifyReminder24h, mentorbook.NotifyReminder1h:
		ahead := "tomorrow"
		if kind == mentorbook.NotifyReminder1h {
			ahead = "in an hour"
		}
		title = fmt.Sprintf("Reminder: your session with %s %s", other, ahead)
		body = append(body, fmt.Sprintf("Your session with %s is on %s.", other, when))
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
	if place != "" && kind != mentorbook.NotifyBookingCancelled {
		body = append(body, place)
	}
	n := mentorbook.Notification{UserID: to, Kind: kind, Title: title,
		Body: strings.Join(body, "\n"), Link: bookingPath(b.ID)}
	method, invite := inviteMethod(b, kind)
	if !invite {
		return c.notify(ctx, tx, n)
	}
	ics, err := c.bookingInvite(ctx, tx, b, method, to)
	if err != nil {
		return err
	}
	if err := c.notify(ctx, tx, n, ics); err != nil {
		return err
	}
	// The other party, who acted, is not notified of their own act, but
	// their calendar must change too: they get the invite by email alone.
	actor := b.MentorID
	if to == b.MentorID {
		actor = b.MenteeID
	}
	return c.emailInvite(ctx, tx, b, method, actor)
}

// emailInvite emails user an invite to b alone, keyed by the booking's
// sequence so each change sends it once. A deleted account gets none.
func (c *core) emailInvite(ctx context.Context, tx mentorbook.Tx, b mentorbook.Booking, method string, userID int64) error {
	u, err := tx.Users().ByID(ctx, userID)
	if err != nil || u.DeletedAt != nil {
		return err
	}
	loc, err := zoneOf(ctx, tx, userID)
	if err != nil {
		return err
	}
	ics, err := c.bookingInvite(ctx, tx, b, method, userID)
	if err != nil {
		return err
	}
	other := b.MentorName
	if userID == b.MentorID {
		other = b.MenteeName
	}
	subject := "Calendar: your session with " + other
	if method == methodCancel {
		subject += " is cancelled"
	}
	text := fmt.Sprintf("Hello %s,\n\n%s, %s.\nThe attached invite updates your calendar.\n\nOpen it: %s\n\n-- \nMentorbook\n",
		u.Name, subject, whenIn(b.Start, b.End, loc), c.baseURL+bookingPath(b.ID))
	return c.email(ctx, tx, fmt.Sprintf("invite:%d:%d:%d", b.ID, b.Sequence, userID),
		mentorbook.Email{To: u.Email, Subject: subject, Text: text, Attachments: []mentorbook.Attachment{ics}})
}

// bookingPath is the site path of a booking's place on the bookings page.
func bookingPath(id int64) string { return fmt.Sprintf("/bookings#booking-%d", id) }

// inviteMethod says whether the email of kind about b carries an
// invite, and which: REQUEST for a confirmed session that is new, moved or
// elsewhere; CANCEL for a cancelled one that had been confirmed.
func inviteMethod(b mentorbook.Booking, kind mentorbook.NotificationKind) (string, bool) {
	switch kind {
	case mentorbook.NotifyBookingAccepted, mentorbook.NotifyBookingRequested,
		mentorbook.NotifyBookingRescheduled, mentorbook.NotifyBookingLocationChanged:
		return methodRequest, b.Status == mentorbook.StatusConfirmed
	case mentorbook.NotifyBookingCancelled:
		return methodCancel, !b.ConfirmedAt.IsZero()
	}
	return "", false
}
