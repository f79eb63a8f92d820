package app

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

const (
	maxMessage      = 2000
	maxReason       = 1000
	maxKeyLength    = 255
	idempotencyKeep = 48 * time.Hour // promised: at least 24 hours
)

// BookingInput is a mentee's request, as typed. Start is RFC 3339.
type BookingInput struct {
	MentorID        int64
	Start           string
	DurationMinutes *int
	Message         string
}

// RequestBooking asks a mentor for a slot. The slot must be one that Slots
// offers right now; the database refuses overlaps that race past this check.
// A non-empty idempotencyKey makes retries return the first booking.
func (s *Bookings) Request(ctx context.Context, caller mentorbook.User, in BookingInput, idempotencyKey string) (mentorbook.Booking, error) {
	v := mentorbook.Validation{}
	if in.MentorID <= 0 {
		v.Add("mentor_id", "is required")
	} else if in.MentorID == caller.ID {
		v.Add("mentor_id", "you cannot book yourself")
	}
	start, ok := parseInstant(in.Start)
	if !ok {
		v.Add("start", "must be an RFC 3339 time like 2026-05-04T09:00:00+02:00")
	}
	duration := 0
	if in.DurationMinutes != nil {
		var err error
		if duration, err = validDuration(strconv.Itoa(*in.DurationMinutes)); err != nil {
			v.Add("duration_minutes", err.Error())
		}
	}
	message := strings.TrimSpace(in.Message)
	checkText(v, "message", message)
	checkText(v, "idempotency_key", idempotencyKey)
	if utf8.RuneCountInString(message) > maxMessage {
		v.Add("message", "must be at most 2000 characters")
	}
	if len(idempotencyKey) > maxKeyLength {
		v.Add("idempotency_key", "must be at most 255 characters")
	}
	if err := v.Err(); err != nil {
		return mentorbook.Booking{}, err
	}
	start = start.UTC()
	now := s.clock()
	if idempotencyKey == "" {
		return s.createBooking(ctx, caller, in.MentorID, start, duration, message, nil, now)
	}
	key := &mentorbook.IdempotencyKey{UserID: caller.ID, Key: idempotencyKey, CreatedAt: now,
		RequestHash: requestHash(in.MentorID, start, in.DurationMinutes, message)}
	// A retry of a request that already succeeded answers as the first
	// time did, even though its slot is now taken (by itself).
	if b, found, err := s.replay(ctx, key, now); found || err != nil {
		return b, err
	}
	b, err := s.createBooking(ctx, caller, in.MentorID, start, duration, message, key, now)
	if err == errSlotTaken {
		// A racing retry with this key may have won the slot since the
		// replay check above: then its booking is this request's answer.
		if b, found, err := s.replay(ctx, key, now); found || err != nil {
			return b, err
		}
	}
	return b, err
}

// replay returns the booking made earlier under key, if any; a key used
// for a different request is EINVALID.
func (s *Bookings) replay(ctx context.Context, key *mentorbook.IdempotencyKey, now time.Time) (mentorbook.Booking, bool, error) {
	var hash string
	b, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (b mentorbook.Booking, err error) {
		b, hash, err = tx.Bookings().KeyedBooking(ctx, key.UserID, key.Key, now)
		return b, err
	})
	switch {
	case mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND:
		return mentorbook.Booking{}, false, nil
	case err != nil:
		return mentorbook.Booking{}, false, err
	case hash != key.RequestHash:
		return mentorbook.Booking{}, false, errKeyReused
	}
	return b, true, nil
}

// createBooking checks that start is offered right now and stores the
// request; the database refuses any overlap that races past the check.
func (s *Bookings) createBooking(ctx context.Context, caller mentorbook.User, mentorID int64, start time.Time,
	duration int, message string, key *mentorbook.IdempotencyKey, now time.Time) (mentorbook.Booking, error) {
	o, err := s.readOffer(ctx, mentorID, schedule.Interval{Start: start, End: start.Add(time.Microsecond)}, duration, now)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return mentorbook.Booking{}, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{"mentor_id": "is not a mentor"}}
	}
	if err != nil {
		return mentorbook.Booking{}, err
	}
	slots := o.rules.Slots(o.query)
	if len(slots) == 0 || !slots[0].Start.Equal(start) {
		return mentorbook.Booking{}, errSlotTaken
	}
	expires := now.Add(time.Duration(o.avail.PendingExpiryHours) * time.Hour)
	if start.Before(expires) {
		expires = start
	}
	request := mentorbook.Booking{
		MentorID:     mentorID,
		MenteeID:     caller.ID,
		Status:       mentorbook.StatusPending,
		Start:        start,
		End:          slots[0].End.UTC(),
		BufferBefore: o.query.BufferBefore,
		BufferAfter:  o.query.BufferAfter,
		Message:      message,
		ExpiresAt:    expires,
		CreatedAt:    now,
		UpdatedAt:    now,
	}
	b, err := mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Booking, error) {
		// The key is claimed first: a retry finds the claim and answers
		// with the booking made under it instead of making a second one.
		if key != nil {
			id, hash, claimed, err := tx.Bookings().ClaimKey(ctx, *key)
			switch {
			case err != nil:
				return mentorbook.Booking{}, err
			case !claimed && hash != key.RequestHash:
				return mentorbook.Booking{}, errKeyReused
			case !claimed:
				return tx.Bookings().Get(ctx, id, now)
			}
		}
		// One mentee's requests take turns, so the limits hold however many
		// arrive at once, on any instance.
		if err := tx.Users().Lock(ctx, caller.ID); err != nil {
			return mentorbook.Booking{}, err
		}
		if err := checkPendingLimits(ctx, tx, caller.ID, mentorID, now); err != nil {
			return mentorbook.Booking{}, err
		}
		if free, err := tx.Services().Default(ctx, mentorID); err != nil {
			return mentorbook.Booking{}, err
		} else if !free.Active {
			return mentorbook.Booking{}, errProgramsOnly
		}
		b, err := tx.Bookings().Create(ctx, request, now)
		if err == nil && key != nil {
			err = tx.Bookings().BindKey(ctx, *key, b.ID)
		}
		return b, err
	})
	if mentorbook.ErrorCode(err) == mentorbook.ECONFLICT && !errors.Is(err, errTooManyPending) && !errors.Is(err, errProgramsOnly) {
		return mentorbook.Booking{}, errSlotTaken
	}
	return b, err
}

// Pending requests one mentee may hold: with one mentor, and in all. Past
// them a mentee could hold a mentor's whole calendar hostage.
const (
	maxPendingWithMentor = 3
	maxPendingInAll      = 10
)

var errTooManyPending = errors.New("too many pending requests")

// checkPendingLimits refuses a request past the pending limits.
func checkPendingLimits(ctx context.Context, tx mentorbook.Tx, menteeID, mentorID int64, now time.Time) error {
	pending := mentorbook.BookingFilter{UserID: menteeID, Role: "mentee",
		Statuses: []mentorbook.BookingStatus{mentorbook.StatusPending}, Now: now}
	all, err := tx.Bookings().Count(ctx, pending)
	if err != nil {
		return err
	}
	pending.With = mentorID
	withMentor, err := tx.Bookings().Count(ctx, pending)
	if err != nil {
		return err
	}
	switch {
	case withMentor >= maxPendingWithMentor:
		return fmt.Errorf("%w: %w", mentorbook.Errorf(mentorbook.ECONFLICT,
			"You already have %d requests waiting for this mentor's answer; wait for one, or cancel one, before asking again.",
			maxPendingWithMentor), errTooManyPending)
	case all >= maxPendingInAll:
		return fmt.Errorf("%w: %w", mentorbook.Errorf(mentorbook.ECONFLICT,
			"You already have %d requests waiting for an answer; wait for one, or cancel one, before asking again.",
			maxPendingInAll), errTooManyPending)
	}
	return nil
}

var (
	// errProgramsOnly refuses a direct booking while the mentor's free
	// consultation is inactive.
	errProgramsOnly = mentorbook.Errorf(mentorbook.ECONFLICT,
		"This mentor is not taking free consultations right now; they take requests for their programs only.")
	errSlotTaken = mentorbook.Errorf(mentorbook.ECONFLICT,
		"This time is not available: someone may have just booked it, or it overlaps another of your bookings.")
	errKeyReused = &mentorbook.Error{Code: mentorbook.EINVALID,
		Message: "This Idempotency-Key was already used for a different request.",
		Fields:  map[string]string{"idempotency_key": "was used for a different request"}}
)

// requestHash identifies a booking request's meaning, so a retry with the
// same key is recognised whatever its JSON formatting.
func requestHash(mentorID int64, start time.Time, duration *int, message string) string {
	d := "default"
	if duration != nil {
		d = strconv.Itoa(*duration)
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s\x00%s\x00%s", mentorID, start.UTC().Format(time.RFC3339Nano), d, message))
	return hex.EncodeToString(sum[:])
}

// Booking returns one of the caller's bookings; other people's are not found.
func (s *Bookings) Get(ctx context.Context, caller mentorbook.User, id int64) (mentorbook.Booking, error) {
	b, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Booking, error) { return tx.Bookings().Get(ctx, id, s.clock()) })
	notParty := err == nil && b.MentorID != caller.ID && b.MenteeID != caller.ID
	if notParty || mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		// Strangers learn nothing, not even that the booking exists.
		return mentorbook.Booking{}, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such booking.")
	}
	return b, err
}

// Accept confirms a pending request; only its mentor may.
func (s *Bookings) Accept(ctx context.Context, caller mentorbook.User, id int64) (mentorbook.Booking, error) {
	return s.transition(ctx, caller, id, "accept", mentorbook.StatusConfirmed, "")
}

// Decline refuses a pending request; only its mentor may.
func (s *Bookings) Decline(ctx context.Context, caller mentorbook.User, id int64, reason string) (mentorbook.Booking, error) {
	return s.transition(ctx, caller, id, "decline", mentorbook.StatusDeclined, reason)
}

// Cancel calls off a pending or confirmed booking that has not started;
// either party may, with a reason.
func (s *Bookings) Cancel(ctx context.Context, caller mentorbook.User, id int64, reason string) (mentorbook.Booking, error) {
	return s.transition(ctx, caller, id, "cancel", mentorbook.StatusCancelled, reason)
}

func (s *Bookings) transition(ctx context.Context, caller mentorbook.User, id int64, verb string, to mentorbook.BookingStatus, reason string) (mentorbook.Booking, error) {
	reason = strings.TrimSpace(reason)
	v := mentorbook.Validation{}
	checkText(v, "reason", reason)
	if utf8.RuneCountInString(reason) > maxReason {
		v.Add("reason", "must be at most 1000 characters")
	}
	if to == mentorbook.StatusCancelled && reason == "" {
		v.Add("reason", "is required")
	}
	if err := v.Err(); err != nil {
		return mentorbook.Booking{}, err
	}
	b, err := s.Get(ctx, caller, id)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	from := []mentorbook.BookingStatus{mentorbook.StatusPending}
	if to == mentorbook.StatusCancelled {
		from = append(from, mentorbook.StatusConfirmed)
	} else if caller.ID != b.MentorID {
		return mentorbook.Booking{}, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only the mentor can %s a request.", verb)
	}
	now := s.clock()
	// The rules the pages decide their buttons by; the store's atomic
	// check below still settles a race with another change.
	allowed := b.Answerable()
	if to == mentorbook.StatusCancelled {
		allowed = b.Cancellable(now)
	}
	switch {
	case allowed:
	case b.Status.Active() && to == mentorbook.StatusCancelled:
		return mentorbook.Booking{}, mentorbook.Errorf(mentorbook.ECONFLICT, "The session has already started; it can no longer be cancelled.")
	default:
		return mentorbook.Booking{}, mentorbook.Errorf(mentorbook.ECONFLICT, "The booking is %s; it cannot be %s.", b.Status, pastTense(verb))
	}
	var refused error
	b, err = mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Booking, error) {
		b, err := tx.Bookings().ChangeStatus(ctx, mentorbook.StatusChange{
			BookingID: id, From: from, To: to, Reason: reason, By: caller.ID, At: now,
		})
		if mentorbook.ErrorCode(err) == mentorbook.ECONFLICT && b.ID != 0 {
			// Refused for its state: keep the expiry the store may have
			// materialised, and say what the state is.
			refused = mentorbook.Errorf(mentorbook.ECONFLICT, "The booking is %s; it cannot be %s.", b.Status, pastTense(verb))
			return b, nil
		}
		return b, err
	})
	if refused != nil {
		return mentorbook.Booking{}, refused
	}
	return b, err
}

func pastTense(verb string) string {
	switch verb {
	case "accept":
		return "accepted"
	case "decline":
		return "declined"
	}
	return "cancelled"
}

// BookingQuery filters the caller's bookings, as typed: Role "mentor",
// "mentee" or ""; Status a comma-separated list; From and To RFC 3339.
type BookingQuery struct {
	Role, Status, From, To, Cursor, Limit string
}

// ListBookings returns a page of the caller's bookings by start time and
// the cursor of the next page ("" when this is the last).
func (s *Bookings) List(ctx context.Context, caller mentorbook.User, q BookingQuery) ([]mentorbook.Booking, string, error) {
	v := mentorbook.Validation{}
	f := mentorbook.BookingFilter{UserID: caller.ID, Now: s.clock()}
	switch q.Role {
	case "", "mentor", "mentee":
		f.Role = q.Role
	default:
		v.Add("role", "must be mentor or mentee")
	}
	if q.Status != "" {
		for _, st := range strings.Split(q.Status, ",") {
			if st := mentorbook.BookingStatus(strings.TrimSpace(st)); st.Valid() {
				// At most the five statuses, however often they are named.
				if !slices.Contains(f.Statuses, st) {
					f.Statuses = append(f.Statuses, st)
				}
			} else {
				v.Add("status", "must be pending, confirmed, declined, cancelled or expired (comma-separated)")
			}
		}
	}
	var ok bool
	if q.From != "" {
		if f.From, ok = parseInstant(q.From); !ok {
			v.Add("from", "must be an RFC 3339 time")
		}
	}
	if q.To != "" {
		if f.To, ok = parseInstant(q.To); !ok {
			v.Add("to", "must be an RFC 3339 time")
		}
	}
	var err error
	if q.Cursor != "" {
		if f.After, err = decodeBookingCursor(q.Cursor); err != nil {
			v.Add("cursor", "is not a cursor this server gave out")
		}
	}
	limit := pageSize(q.Limit, v)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	f.Limit = limit + 1
	bs, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Booking, error) { return tx.Bookings().List(ctx, f) })
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(bs) > limit {
		bs = bs[:limit]
		last := bs[limit-1]
		next = base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d:%d", last.Start.UnixMicro(), last.ID))
	}
	return bs, next, nil
}

func decodeBookingCursor(s string) (*mentorbook.BookingCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	var micros, id int64
	if _, err := fmt.Sscanf(string(b), "%d:%d", &micros, &id); err != nil {
		return nil, err
	}
	start := time.UnixMicro(micros).UTC()
	if !inYears(start) || id < 0 {
		return nil, fmt.Errorf("cursor out of range")
	}
	return &mentorbook.BookingCursor{Start: start, ID: id}, nil
}

// PendingCount is how many requests wait for the caller's answer as mentor.
func (s *Bookings) PendingCount(ctx context.Context, caller mentorbook.User) (int, error) {
	now := s.clock()
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (int, error) {
		return tx.Bookings().Count(ctx, mentorbook.BookingFilter{
			UserID: caller.ID, Role: "mentor", Statuses: []mentorbook.BookingStatus{mentorbook.StatusPending},
			From: now, Now: now,
		})
	})
}
