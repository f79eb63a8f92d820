package app

import (
	"context"
	"time"

	"github.com/mentorbook/mentorbook"
)

// Password resets: a token lives resetLifetime; one address may ask at most
// resetMaxRequests times within resetWindow.
const (
	resetLifetime    = time.Hour
	resetWindow      = time.Hour
	resetMaxRequests = 5
)

// ProfileUpdate changes a user's own account; nil fields stay as they are.
type ProfileUpdate struct {
	Name, Timezone *string
}

// Update changes the caller's name and time zone.
func (s *Accounts) Update(ctx context.Context, caller mentorbook.User, in ProfileUpdate) (mentorbook.User, error) {
	v := mentorbook.Validation{}
	name, zone := caller.Name, caller.Timezone
	if in.Name != nil {
		name = checkName(v, *in.Name)
	}
	if in.Timezone != nil {
		zone = *in.Timezone
		checkZone(v, zone)
	}
	if err := v.Err(); err != nil {
		return mentorbook.User{}, err
	}
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.User, error) {
		if err := tx.Users().Update(ctx, caller.ID, name, zone); err != nil {
			return mentorbook.User{}, err
		}
		return tx.Users().ByID(ctx, caller.ID)
	})
}

// verifyPassword checks the caller's password (slow: outside any
// transaction). A wrong one is a 422 on field, counted like a failed login
// so it cannot be guessed through this door either.
func (s *Accounts) verifyPassword(ctx context.Context, caller mentorbook.User, field, password string) error {
	wrong := &mentorbook.Error{Code: mentorbook.EINVALID, Message: "The password is wrong.", Fields: map[string]string{field: "is wrong"}}
	if password == "" {
		return &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Enter your password.", Fields: map[string]string{field: "is required"}}
	}
	if len(password) > 4*maxPasswordLength {
		return wrong
	}
	var hash string
	u, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (u mentorbook.User, err error) {
		u, hash, err = tx.Users().Credentials(ctx, caller.Email)
		return u, err
	})
	if err != nil {
		return err
	}
	if u.ID != caller.ID {
		return mentorbook.Errorf(mentorbook.EUNAUTHORIZED, "The session has ended; sign in again.")
	}
	if err := s.admitAttempt(ctx, u.ID); err != nil {
		return err
	}
	if !s.passwords.Verify(password, hash) {
		return wrong
	}
	return s.store.Write(ctx, func(tx mentorbook.Tx) error { return tx.Users().ClearLoginFailures(ctx, u.ID) })
}

// ChangePassword sets a new password after checking the current one, and
// ends every other session of the caller (keep is the hash of the session
// making the change, kept signed in).
func (s *Accounts) ChangePassword(ctx context.Context, caller mentorbook.User, currentToken, current, next string) error {
	v := mentorbook.Validation{}
	checkNewPassword(v, "new_password", next)
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.verifyPassword(ctx, caller, "current_password", current); err != nil {
		return err
	}
	hash, err := s.passwords.Hash(next)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx mentorbook.Tx) error {
		if err := tx.Users().SetPassword(ctx, caller.ID, hash); err != nil {
			return err
		}
		_, err := tx.Users().DeleteSessions(ctx, caller.ID, hashToken(currentToken))
		return err
	})
}

// ChangeEmail moves the caller's account to a new email after checking
// their password.
func (s *Accounts) ChangeEmail(ctx context.Context, caller mentorbook.User, password, email string) (mentorbook.User, error) {
	email = normalizeEmail(email)
	v := mentorbook.Validation{}
	if !validEmail(email) {
		v.Add("email", "must be an email address like name@example.com")
	}
	if err := v.Err(); err != nil {
		return mentorbook.User{}, err
	}
	if err := s.verifyPassword(ctx, caller, "password", password); err != nil {
		return mentorbook.User{}, err
	}
	u, err := mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.User, error) {
		if err := tx.Users().SetEmail(ctx, caller.ID, email); err != nil {
			return mentorbook.User{}, err
		}
		return tx.Users().ByID(ctx, caller.ID)
	})
	if mentorbook.ErrorCode(err) == mentorbook.ECONFLICT {
		return mentorbook.User{}, &mentorbook.Error{Code: mentorbook.ECONFLICT,
			Message: "An account with this email already exists.", Fields: map[string]string{"email": "is already registered"}}
	}
	return u, err
}

// Delete deletes the caller's account after checking their password. It
// can no longer sign in and reads "Deleted user" to others; its bookings
// that have not started and its open mentorships end, each other party
// notified, and everyone else's history is kept.
func (s *Accounts) Delete(ctx context.Context, caller mentorbook.User, password string) error {
	if err := s.verifyPassword(ctx, caller, "password", password); err != nil {
		return err
	}
	now := s.clock()
	return s.store.Write(ctx, func(tx mentorbook.Tx) error {
		if err := tx.Users().Lock(ctx, caller.ID); err != nil {
			return err
		}
		upcoming, err := tx.Bookings().List(ctx, mentorbook.BookingFilter{
			UserID: caller.ID, From: now, Now: now, Limit: 10000,
			Statuses: []mentorbook.BookingStatus{mentorbook.StatusPending, mentorbook.StatusConfirmed},
		})
		if err != nil {
			return err
		}
		for _, b := range upcoming {
			b, err := tx.Bookings().ChangeStatus(ctx, mentorbook.StatusChange{
				BookingID: b.ID, From: []mentorbook.BookingStatus{mentorbook.StatusPending, mentorbook.StatusConfirmed},
				To: mentorbook.StatusCancelled, Reason: caller.Name + " deleted their account.", By: caller.ID, At: now,
			})
			if err != nil {
				return err
			}
			if err := s.notifyBooking(ctx, tx, b, mentorbook.NotifyBookingCancelled); err != nil {
				return err
			}
		}
		if err := (&Mentorships{s.core}).endAll(ctx, tx, caller, now); err != nil {
			return err
		}
		return tx.Users().MarkDeleted(ctx, caller.ID, now)
	})
}
