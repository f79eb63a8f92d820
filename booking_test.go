package mentorbook

import (
	"testing"
	"time"
)

func TestBookingAnswerableAndCancellable(t *testing.T) {
	start := time.Date(2026, 6, 1, 13, 0, 0, 0, time.UTC)
	tests := []struct {
		status     BookingStatus
		now        time.Time
		answerable bool
		cancelable bool
	}{
		{StatusPending, start.Add(-time.Hour), true, true},
		{StatusPending, start.Add(-time.Microsecond), true, true},
		{StatusConfirmed, start.Add(-time.Hour), false, true},
		// From its start on, a session can no longer be called off.
		{StatusConfirmed, start, false, false},
		{StatusConfirmed, start.Add(30 * time.Minute), false, false},
		{StatusConfirmed, start.Add(2 * time.Hour), false, false},
		{StatusDeclined, start.Add(-time.Hour), false, false},
		{StatusCancelled, start.Add(-time.Hour), false, false},
		{StatusExpired, start.Add(-time.Hour), false, false},
	}
	for _, tt := range tests {
		b := Booking{Status: tt.status, Start: start, End: start.Add(time.Hour)}
		if got := b.Answerable(); got != tt.answerable {
			t.Errorf("%s booking: Answerable() = %v, want %v", tt.status, got, tt.answerable)
		}
		if got := b.Cancellable(tt.now); got != tt.cancelable {
			t.Errorf("%s booking at start%+v: Cancellable = %v, want %v", tt.status, tt.now.Sub(start), got, tt.cancelable)
		}
	}
}
