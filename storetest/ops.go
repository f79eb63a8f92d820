package storetest

import (
	"context"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// Ops runs each repository call as its own unit of work, so the suite's
// checks read as single steps: reads through Read, writes through Write.
// CreateBooking and AttemptLogin compose repository calls in the order the
// use cases in app do.
type Ops struct{ mentorbook.Store }

func (s Ops) CreateUser(ctx context.Context, u mentorbook.User, hash string) (mentorbook.User, error) {
	return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.User, error) { return tx.Users().Create(ctx, u, hash) })
}

func (s Ops) UserByID(ctx context.Context, id int64) (mentorbook.User, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.User, error) { return tx.Users().ByID(ctx, id) })
}

func (s Ops) UserCredentials(ctx context.Context, email string) (mentorbook.User, string, error) {
	var hash string
	u, err := mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) (u mentorbook.User, err error) {
		u, hash, err = tx.Users().Credentials(ctx, email)
		return u, err
	})
	return u, hash, err
}

func (s Ops) CreateSession(ctx context.Context, sess mentorbook.Session) error {
	return s.Write(ctx, func(tx mentorbook.Tx) error { return tx.Users().CreateSession(ctx, sess) })
}

func (s Ops) SessionUser(ctx context.Context, hash []byte, now time.Time) (u mentorbook.User, expires time.Time, err error) {
	err = s.Read(ctx, func(tx mentorbook.Tx) error {
		u, expires, err = tx.Users().SessionUser(ctx, hash, now)
		return err
	})
	return u, expires, err
}

func (s Ops) DeleteSession(ctx context.Context, hash []byte) error {
	return s.Write(ctx, func(tx mentorbook.Tx) error { return tx.Users().DeleteSession(ctx, hash) })
}

func (s Ops) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (int, error) { return tx.Users().DeleteExpiredSessions(ctx, now) })
}

// AttemptLogin is app.Login's atomic step: lock the user, count the
// failures since, and below max record one at at.
func (s Ops) AttemptLogin(ctx context.Context, userID int64, at, since time.Time, max int) (bool, time.Time, error) {
	var allowed bool
	var oldest time.Time
	err := s.Write(ctx, func(tx mentorbook.Tx) error {
		if err := tx.Users().Lock(ctx, userID); err != nil {
			return err
		}
		n, first, err := tx.Users().LoginFailures(ctx, userID, since)
		if err != nil {
			return err
		}
		if allowed, oldest = n < max, first; !allowed {
			return nil
		}
		oldest = time.Time{}
		return tx.Users().AddLoginFailure(ctx, userID, at)
	})
	return allowed, oldest, err
}

func (s Ops) LoginFailures(ctx context.Context, userID int64, since time.Time) (int, time.Time, error) {
	var oldest time.Time
	n, err := mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) (n int, err error) {
		n, oldest, err = tx.Users().LoginFailures(ctx, userID, since)
		return n, err
	})
	return n, oldest, err
}

func (s Ops) ClearLoginFailures(ctx context.Context, userID int64) error {
	return s.Write(ctx, func(tx mentorbook.Tx) error { return tx.Users().ClearLoginFailures(ctx, userID) })
}

func (s Ops) DeleteLoginFailures(ctx context.Context, before time.Time) (int, error) {
	return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (int, error) { return tx.Users().DeleteLoginFailures(ctx, before) })
}

func (s Ops) PutMentorProfile(ctx context.Context, p mentorbook.MentorProfile) (mentorbook.MentorProfile, error) {
	return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.MentorProfile, error) { return tx.Mentors().PutProfile(ctx, p) })
}

func (s Ops) MentorByID(ctx context.Context, id int64) (mentorbook.Mentor, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Mentor, error) { return tx.Mentors().ByID(ctx, id) })
}

func (s Ops) ListMentors(ctx context.Context, f mentorbook.MentorFilter) ([]mentorbook.Mentor, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.Mentor, error) { return tx.Mentors().List(ctx, f) })
}

func (s Ops) PutAvailability(ctx context.Context, a mentorbook.Availability) error {
	return s.Write(ctx, func(tx mentorbook.Tx) error { return tx.Availability().Put(ctx, a) })
}

func (s Ops) Availability(ctx context.Context, mentorID int64) (mentorbook.Availability, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Availability, error) { return tx.Availability().Get(ctx, mentorID) })
}

func (s Ops) PutOverride(ctx context.Context, o mentorbook.Override) error {
	return s.Write(ctx, func(tx mentorbook.Tx) error { return tx.Availability().PutOverride(ctx, o) })
}

func (s Ops) DeleteOverride(ctx context.Context, mentorID int64, d schedule.Date) error {
	return s.Write(ctx, func(tx mentorbook.Tx) error { return tx.Availability().DeleteOverride(ctx, mentorID, d) })
}

func (s Ops) Overrides(ctx context.Context, mentorID int64, from, to schedule.Date) ([]mentorbook.Override, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.Override, error) {
		return tx.Availability().Overrides(ctx, mentorID, from, to)
	})
}

// CreateBooking is app's booking step: with a key, claim it first (a
// retry gets the booking made under it, another request under the same key
// is EINVALID), then create the booking and bind the key to it.
func (s Ops) CreateBooking(ctx context.Context, b mentorbook.Booking, key *mentorbook.IdempotencyKey, now time.Time) (mentorbook.Booking, error) {
	return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Booking, error) {
		if key != nil {
			id, hash, claimed, err := tx.Bookings().ClaimKey(ctx, *key)
			if err != nil {
				return mentorbook.Booking{}, err
			}
			if !claimed {
				if hash != key.RequestHash {
					return mentorbook.Booking{}, mentorbook.Errorf(mentorbook.EINVALID, "This idempotency key was used for a different request.")
				}
				return tx.Bookings().Get(ctx, id, now)
			}
		}
		out, err := tx.Bookings().Create(ctx, b, now)
		if err == nil && key != nil {
			err = tx.Bookings().BindKey(ctx, *key, out.ID)
		}
		return out, err
	})
}

func (s Ops) IdempotentBooking(ctx context.Context, userID int64, key string, now time.Time) (mentorbook.Booking, string, error) {
	var hash string
	b, err := mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) (b mentorbook.Booking, err error) {
		b, hash, err = tx.Bookings().KeyedBooking(ctx, userID, key, now)
		return b, err
	})
	return b, hash, err
}

func (s Ops) BookingByID(ctx context.Context, id int64, now time.Time) (mentorbook.Booking, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Booking, error) { return tx.Bookings().Get(ctx, id, now) })
}

func (s Ops) ListBookings(ctx context.Context, f mentorbook.BookingFilter) ([]mentorbook.Booking, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.Booking, error) { return tx.Bookings().List(ctx, f) })
}

func (s Ops) Blocks(ctx context.Context, userID int64, from, to, now time.Time) ([]schedule.Interval, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]schedule.Interval, error) {
		return tx.Bookings().Blocks(ctx, userID, from, to, now)
	})
}

// ChangeBookingStatus keeps the expiry a refused change materialised, as
// app does.
func (s Ops) ChangeBookingStatus(ctx context.Context, c mentorbook.StatusChange) (mentorbook.Booking, error) {
	var refused error
	b, err := mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Booking, error) {
		b, err := tx.Bookings().ChangeStatus(ctx, c)
		if mentorbook.ErrorCode(err) == mentorbook.ECONFLICT && b.ID != 0 {
			refused = err
			return b, nil
		}
		return b, err
	})
	if refused != nil {
		return mentorbook.Booking{}, refused
	}
	return b, err
}

func (s Ops) ExpireBookings(ctx context.Context, now time.Time) ([]mentorbook.Booking, error) {
	return s.ExpireBookingsIn(ctx, now, mentorbook.StaleScope{})
}

func (s Ops) ExpireBookingsIn(ctx context.Context, now time.Time, scope mentorbook.StaleScope) ([]mentorbook.Booking, error) {
	return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.Booking, error) {
		return tx.Bookings().ExpireStale(ctx, now, scope)
	})
}

func (s Ops) DeleteIdempotencyKeys(ctx context.Context, before time.Time) (int, error) {
	return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (int, error) { return tx.Bookings().DeleteKeys(ctx, before) })
}
