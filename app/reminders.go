package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/mentorbook/mentorbook"
)

// JobSessionReminder reminds one party of one confirmed session, at its
// moment. It is a transactional job: the reminder's notification (and so
// its email job) commits with the job's completion, once.
const JobSessionReminder = "session-reminder"

// reminders are the moments before a session its parties are reminded.
var reminders = []struct {
	before time.Duration
	kind   mentorbook.NotificationKind
}{
	{24 * time.Hour, mentorbook.NotifyReminder24h},
	{time.Hour, mentorbook.NotifyReminder1h},
}

// reminderJob is a reminder job's payload: which booking, at which version,
// which reminder, to whom.
type reminderJob struct {
	BookingID int64                       `json:"booking_id"`
	Version   int                         `json:"version"`
	Kind      mentorbook.NotificationKind `json:"kind"`
	UserID    int64                       `json:"user_id"`
}

// scheduleReminders enqueues, in tx, the reminders of a confirmed b whose
// moments are still ahead at now. They are keyed by (booking, version,
// reminder, recipient), so enqueueing again is a no-op; a reschedule makes
// a new version, whose reminders are new jobs, and the old ones find the
// version changed and do nothing.
func (c *core) scheduleReminders(ctx context.Context, tx mentorbook.Tx, b mentorbook.Booking, now time.Time) error {
	if b.Status != mentorbook.StatusConfirmed {
		return nil
	}
	for _, r := range reminders {
		at := b.Start.Add(-r.before)
		if at.Before(now) {
			continue // its moment passed: a late reminder is no reminder
		}
		for _, to := range []int64{b.MentorID, b.MenteeID} {
			p := reminderJob{BookingID: b.ID, Version: b.Version, Kind: r.kind, UserID: to}
			key := fmt.Sprintf("%d:%d:%s:%d", p.BookingID, p.Version, p.Kind, p.UserID)
			if err := c.jobs.Enqueue(ctx, tx, JobSessionReminder, key, p, at); err != nil {
				return err
			}
		}
	}
	return nil
}

// remind is the reminder job's handler: it re-reads the booking in the
// job's transaction and reminds only if it is still confirmed, at the
// version the reminder was made for, and has not started.
func (c *core) remind(ctx context.Context, tx mentorbook.Tx, j mentorbook.Job, now time.Time) error {
	var p reminderJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return err
	}
	b, err := tx.Bookings().Get(ctx, p.BookingID, now)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if b.Status != mentorbook.StatusConfirmed || b.Version != p.Version || !now.Before(b.Start) {
		return nil
	}
	return c.notifyBookingTo(ctx, tx, b, p.Kind, p.UserID)
}
