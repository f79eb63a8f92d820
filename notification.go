package mentorbook

import "time"

// NotificationKind names an event that notifies a person. The same names
// key the per-kind email settings.
type NotificationKind string

// The events that notify someone.
const (
	NotifyBookingRequested    NotificationKind = "booking_requested"
	NotifyBookingAccepted     NotificationKind = "booking_accepted"
	NotifyBookingDeclined     NotificationKind = "booking_declined"
	NotifyBookingCancelled    NotificationKind = "booking_cancelled"
	NotifyBookingExpired      NotificationKind = "booking_expired"
	NotifyMentorshipRequested NotificationKind = "mentorship_requested"
	NotifyMentorshipAccepted  NotificationKind = "mentorship_accepted"
	NotifyMentorshipDeclined  NotificationKind = "mentorship_declined"
	NotifyMentorshipWithdrawn NotificationKind = "mentorship_withdrawn"
	NotifyMentorshipCancelled NotificationKind = "mentorship_cancelled"
	NotifyMentorshipCompleted NotificationKind = "mentorship_completed"
	NotifyMentorshipExpired   NotificationKind = "mentorship_expired"
	NotifyBroadcastResponse   NotificationKind = "broadcast_response"
	// NotifyMessage is a new message; its email waits until the message
	// stayed unread for a while (app/conversations.go).
	NotifyMessage NotificationKind = "message"

	NotifyBookingRescheduled     NotificationKind = "booking_rescheduled"
	NotifyBookingLocationChanged NotificationKind = "booking_location_changed"
	NotifyReminder24h            NotificationKind = "session_reminder_24h"
	NotifyReminder1h             NotificationKind = "session_reminder_1h"
	NotifyPaymentConfirmed       NotificationKind = "payment_confirmed"
	NotifyPaymentRejected        NotificationKind = "payment_rejected"
	NotifyPaymentRefunded        NotificationKind = "payment_refunded"
	NotifyShareReleased          NotificationKind = "share_released"
	NotifyCashout                NotificationKind = "cashout"
	NotifyAdminMoney             NotificationKind = "admin_money"
)

// Notification tells one user of one event. Title and Body are written
// for that user (times in their zone); Link is a site-relative path to the
// page of the event.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      NotificationKind
	Title     string
	Body      string
	Link      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// NotificationKinds lists every kind, in the order settings show them.
var NotificationKinds = []NotificationKind{
	NotifyBookingRequested, NotifyBookingAccepted, NotifyBookingDeclined, NotifyBookingCancelled,
	NotifyBookingExpired, NotifyMentorshipRequested, NotifyMentorshipAccepted, NotifyMentorshipDeclined,
	NotifyMentorshipWithdrawn, NotifyMentorshipCancelled, NotifyMentorshipCompleted, NotifyMentorshipExpired,
	NotifyBroadcastResponse, NotifyMessage, NotifyBookingRescheduled, NotifyBookingLocationChanged, NotifyReminder24h, NotifyReminder1h,
	NotifyPaymentConfirmed, NotifyPaymentRejected, NotifyPaymentRefunded,
	NotifyShareReleased, NotifyCashout, NotifyAdminMoney,
}

// Valid reports whether k is a known kind.
func (k NotificationKind) Valid() bool {
	for _, known := range NotificationKinds {
		if k == known {
			return true
		}
	}
	return false
}

// Label names the kind for people: in settings and in emails' turn-off
// links.
func (k NotificationKind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

var kindLabels = map[NotificationKind]string{
	NotifyBookingRequested:    "Booking requested (to the mentor)",
	NotifyBookingAccepted:     "Booking accepted",
	NotifyBookingDeclined:     "Booking declined",
	NotifyBookingCancelled:    "Booking cancelled by the other person",
	NotifyBookingExpired:      "Booking request expired unanswered",
	NotifyMentorshipRequested: "Mentorship requested (to the mentor)",
	NotifyMentorshipAccepted:  "Mentorship accepted",
	NotifyMentorshipDeclined:  "Mentorship declined",
	NotifyMentorshipWithdrawn: "Mentorship request withdrawn",
	NotifyMentorshipCancelled: "Mentorship cancelled",
	NotifyMentorshipCompleted: "Mentorship completed",
	NotifyMentorshipExpired:   "Mentorship expired",
	NotifyBroadcastResponse:   "A response to your broadcast",
	NotifyMessage:             "A message unread for 10 minutes",

	NotifyBookingRescheduled:     "Session moved by the other person",
	NotifyBookingLocationChanged: "Session place changed",
	NotifyReminder24h:            "Reminder a day before a session",
	NotifyReminder1h:             "Reminder an hour before a session",
	NotifyPaymentConfirmed:       "Payment confirmed",
	NotifyPaymentRejected:        "Payment transfer did not match",
	NotifyPaymentRefunded:        "Payment refunded",
	NotifyShareReleased:          "Earnings available (to the mentor)",
	NotifyCashout:                "Cashout requested, paid, rejected or cancelled",
	NotifyAdminMoney:             "Payments sent and cashouts requested or cancelled (to administrators)",
}

// NotificationFilter selects one user's notifications, newest first.
type NotificationFilter struct {
	UserID     int64
	UnreadOnly bool
	BeforeID   int64 // keyset cursor: only IDs < BeforeID; 0 = from the newest
	Limit      int   // > 0
}
