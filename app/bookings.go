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
	// MentorshipID books a session of the caller's active mentorship: for
	// its session length, confirmed at once.
	MentorshipID int64
}

// bookingRequest is a validated request.
type bookingRequest struct {
	mentorID     int64
	start        time.Time
	duration     int // minutes; 0 = the mentor's session length
	message      string
	mentorshipID int64
}

// RequestBooking asks a mentor for a slot. The slot must be one that Slots
// offers right now; the database refuses overlaps that race past this check.
// A non-empty idempotencyKey makes retries return the first booking.
func (s *Bookings) Request(ctx context.Context, caller mentorbook.User, in BookingInput, idempotencyKey string) (mentorbook.Booking, error) {
	b, err := s.request(ctx, caller, in, idempotencyKey)
	return shownTo(caller, b), err
}

func (s *Bookings) request(ctx context.Context, caller mentorbook.User, in BookingInput, idempotencyKey string) (mentorbook.Booking, error) {
	v := mentorbook.Validation{}
	if in.MentorID <= 0 {
		v.Add("mentor_id", "is required")
	} else if in.MentorID == caller.ID && in.MentorshipID == 0 {
		// (A mentorship's own mentor is refused as not its mentee, below.)
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
	req := bookingRequest{mentorID: in.MentorID, start: start.UTC(), duration: duration, message: message}
	if in.MentorshipID != 0 {
		m, err := s.sessionOf(ctx, caller, in)
		if err != nil {
			return mentorbook.Booking{}, err
		}
		req.duration, req.mentorshipID = m.SessionMinutes, m.ID
	}
	now := s.clock()
	if idempotencyKey == "" {
		return s.createBooking(ctx, caller, req, nil, now)
	}
	key := &mentorbook.IdempotencyKey{UserID: caller.ID, Key: idempotencyKey, CreatedAt: now,
		RequestHash: requestHash(in.MentorID, req.start, in.DurationMinutes, message, in.MentorshipID)}
	// A retry of a request that already succeeded answers as the first
	// time did, even though its slot is now taken (by itself).
	if b, found, err := s.replay(ctx, key, now); found || err != nil {
		return b, err
	}
	b, err := s.createBooking(ctx, caller, req, key, now)
	if err == errSlotTaken {
		// A racing retry with this key may have won the slot since the
		// replay check above: then its booking is this request's answer.
		if b, found, err := s.replay(ctx, key, now); found || err != nil {
			return b, err
		}
	}
	return b, err
}

// requested is the booking req asks for, when its start is the slot o
// offers there; errSlotTaken otherwise.
func requested(caller mentorbook.User, req bookingRequest, o offering, now time.Time) (mentorbook.Booking, error) {
	slots := o.rules.Slots(o.query)
	if len(slots) == 0 || !slots[0].Start.Equal(req.start) {
		return mentorbook.Booking{}, errSlotTaken
	}
	expires := now.Add(time.Duration(o.avail.PendingExpiryHours) * time.Hour)
	if req.start.Before(expires) {
		expires = req.start
	}
	b := mentorbook.Booking{
		MentorID:     req.mentorID,
		MenteeID:     caller.ID,
		Status:       mentorbook.StatusPending,
		Start:        req.start,
		End:          slots[0].End.UTC(),
		BufferBefore: o.query.BufferBefore,
		BufferAfter:  o.query.BufferAfter,
		Message:      req.message,
		ExpiresAt:    expires,
		CreatedAt:    now,
		UpdatedAt:    now,
	}
	if req.mentorshipID != 0 {
		// The mentor agreed to the sessions when accepting the mentorship.
		b.Status, b.ExpiresAt, b.MentorshipID = mentorbook.StatusConfirmed, time.Time{}, req.mentorshipID
	}
	return b, nil
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
func (s *Bookings) createBooking(ctx context.Context, caller mentorbook.User, req bookingRequest,
	key *mentorbook.IdempotencyKey, now time.Time) (mentorbook.Booking, error) {
	mentorID, start := req.mentorID, req.start
	window := schedule.Interval{Start: start, End: start.Add(time.Microsecond)}
	o, snap, err := s.cachedOffer(ctx, mentorID, window, req.duration, now)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return mentorbook.Booking{}, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{"mentor_id": "is not a mentor"}}
	}
	if err != nil {
		return mentorbook.Booking{}, err
	}
	first, err := requested(caller, req, o, now)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	if req.mentorshipID == 0 {
		// A mentee at a limit is told so by two counts, instead of a
		// transaction that waits for the mentor's lock first; the same
		// check under that lock below is the one that holds.
		if err := s.store.Read(ctx, func(tx mentorbook.Tx) error {
			return checkPendingLimits(ctx, tx, caller.ID, mentorID, now)
		}); err != nil {
			return mentorbook.Booking{}, err
		}
	}
	room := newRoom()
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
		// arrive at once, on any instance; locking the mentor too (both in
		// ID order) makes conflicting requests wait for each other instead
		// of deadlocking in the overlap guard.
		if err := tx.Users().Lock(ctx, caller.ID, mentorID); err != nil {
			return mentorbook.Booking{}, err
		}
		// The check above read the cache: if the mentor's slot inputs
		// changed since (here or on another instance, whose notice may be
		// on its way), check again against what is stored now.
		request := first
		if snap != nil {
			if v, err := tx.Availability().SlotsVersion(ctx, mentorID); err != nil {
				return mentorbook.Booking{}, err
			} else if v != snap.version {
				fresh, err := offer(ctx, tx, mentorID, window, req.duration, now)
				if err != nil {
					return mentorbook.Booking{}, err
				}
				if request, err = requested(caller, req, fresh, now); err != nil {
					return mentorbook.Booking{}, err
				}
			}
		}
		// Where it happens comes from its service: the mentorship's copy
		// of its terms, or the free consultation.
		var mode, location string
		if req.mentorshipID != 0 {
			m, err := checkSessionsLeft(ctx, tx, caller.ID, req.mentorshipID, now)
			if err != nil {
				return mentorbook.Booking{}, err
			}
			mode, location = m.Mode, m.Location
		} else {
			if err := checkPendingLimits(ctx, tx, caller.ID, mentorID, now); err != nil {
				return mentorbook.Booking{}, err
			}
			free, err := tx.Services().Default(ctx, mentorID)
			if err != nil {
				return mentorbook.Booking{}, err
			} else if !free.Active {
				return mentorbook.Booking{}, errProgramsOnly
			}
			mode, location = free.Mode, free.Location
		}
		var err error
		if request.Mode, request.Location, err = s.placeOf(ctx, tx, mentorID, mode, location, room); err != nil {
			return mentorbook.Booking{}, err
		}
		// Create frees stale requests of both parties too; expiring them
		// here first tells their mentees.
		scope := mentorbook.StaleScope{Users: []int64{mentorID, caller.ID}}
		if _, err := s.expireStale(ctx, tx, now, scope); err != nil {
			return mentorbook.Booking{}, err
		}
		b, err := tx.Bookings().Create(ctx, request, now)
		if err == nil && key != nil {
			err = tx.Bookings().BindKey(ctx, *key, b.ID)
		}
		if err == nil {
			err = s.notifyBooking(ctx, tx, b, mentorbook.NotifyBookingRequested)
		}
		if err == nil {
			err = s.scheduleReminders(ctx, tx, b, now)
		}
		return b, err
	})
	if mentorbook.ErrorCode(err) == mentorbook.ECONFLICT && !errors.Is(err, errRefused) {
		return mentorbook.Booking{}, errSlotTaken
	}
	return b, err
}

// errRefused marks a conflict that is not about the slot: its own message
// stands instead of "this time is not available".
var errRefused = errors.New("refused")

// sessionOf returns the mentorship a session request books into, or why
// it cannot: only its mentee books, for its mentor, in its session length.
func (s *Bookings) sessionOf(ctx context.Context, caller mentorbook.User, in BookingInput) (mentorbook.Mentorship, error) {
	m, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Mentorship, error) {
		return tx.Mentorships().Get(ctx, in.MentorshipID, s.clock())
	})
	if m, err = partyOf(m, err, caller); err != nil {
		return m, err
	}
	invalid := func(field, problem string) error {
		return &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.", Fields: map[string]string{field: problem}}
	}
	switch {
	case caller.ID != m.MenteeID:
		return m, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only the mentee books the sessions of a mentorship.")
	case m.Format != mentorbook.FormatSessions:
		return m, invalid("mentorship_id", "is an async mentorship: it has no sessions to book")
	case in.MentorID != m.MentorID:
		return m, invalid("mentor_id", "is not the mentor of this mentorship")
	case in.DurationMinutes != nil && *in.DurationMinutes != m.SessionMinutes:
		return m, invalid("duration_minutes", fmt.Sprintf("must be the mentorship's session length, %d minutes", m.SessionMinutes))
	case m.Status != mentorbook.MentorshipActive:
		return m, mentorbook.Errorf(mentorbook.ECONFLICT, "The mentorship is %s; only an active one has sessions to book.",
			strings.ReplaceAll(string(m.Status), "_", " "))
	}
	return m, nil
}

// checkSessionsLeft locks the mentorship and refuses a session past the
// ones it includes (its pending and confirmed bookings are the sessions
// used; a cancelled one gives its place back). The lock makes this
// mentorship's bookings and its own changes take turns.
func checkSessionsLeft(ctx context.Context, tx mentorbook.Tx, menteeID, mentorshipID int64, now time.Time) (mentorbook.Mentorship, error) {
	m, err := tx.Mentorships().Lock(ctx, mentorshipID, now)
	if err != nil {
		return m, err
	}
	if m.Status != mentorbook.MentorshipActive {
		return m, fmt.Errorf("%w: %w", mentorbook.Errorf(mentorbook.ECONFLICT, "The mentorship is %s; only an active one has sessions to book.",
			strings.ReplaceAll(string(m.Status), "_", " ")), errRefused)
	}
	if m.SessionsUsed >= m.SessionsIncluded {
		return m, fmt.Errorf("%w: %w", mentorbook.Errorf(mentorbook.ECONFLICT,
			"All %d sessions of this mentorship are booked; cancel one to book another time.", m.SessionsIncluded), errRefused)
	}
	return m, nil
}

// Pending requests one mentee may hold: with one mentor, and in all. Past
// them a mentee could hold a mentor's whole calendar hostage.
const (
	maxPendingWithMentor = 3
	maxPendingInAll      = 10
)

var errTooManyPending = fmt.Errorf("too many pending requests: %w", errRefused)

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
	errProgramsOnly = fmt.Errorf("%w: %w", mentorbook.Errorf(mentorbook.ECONFLICT,
		"This mentor is not taking free consultations right now; they take requests for their programs only."), errRefused)
	errSlotTaken = mentorbook.Errorf(mentorbook.ECONFLICT,
		"This time is not available: someone may have just booked it, or it overlaps another of your bookings.")
	errKeyReused = &mentorbook.Error{Code: mentorbook.EINVALID,
		Message: "This Idempotency-Key was already used for a different request.",
		Fields:  map[string]string{"idempotency_key": "was used for a different request"}}
)

// requestHash identifies a booking request's meaning, so a retry with the
// same key is recognised whatever its JSON formatting.
func requestHash(mentorID int64, start time.Time, duration *int, message string, mentorshipID int64) string {
	d := "default"
	if duration != nil {
		d = strconv.Itoa(*duration)
	}
	text := fmt.Appendf(nil, "%d\x00%s\x00%s\x00%s", mentorID, start.UTC().Format(time.RFC3339Nano), d, message)
	if mentorshipID != 0 {
		text = fmt.Appendf(text, "\x00mentorship %d", mentorshipID)
	}
	sum := sha256.Sum256(text)
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
	return shownTo(caller, b), err
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
		// ChangeStatus expires the booking itself when it is stale;
		// expiring it here first tells its mentee. Only this row is
		// locked, as ChangeStatus would.
		if _, err := s.expireStale(ctx, tx, now, mentorbook.StaleScope{BookingID: id}); err != nil {
			return mentorbook.Booking{}, err
		}
		b, err := tx.Bookings().ChangeStatus(ctx, mentorbook.StatusChange{
			BookingID: id, From: from, To: to, Reason: reason, By: caller.ID, At: now,
		})
		if mentorbook.ErrorCode(err) == mentorbook.ECONFLICT && b.ID != 0 {
			// Refused for its state: keep the expiry materialised above,
			// with its notification, and say what the state is.
			refused = mentorbook.Errorf(mentorbook.ECONFLICT, "The booking is %s; it cannot be %s.", b.Status, pastTense(verb))
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if err := s.notifyBooking(ctx, tx, b, transitionNotice[to]); err != nil {
			return b, err
		}
		return b, s.scheduleReminders(ctx, tx, b, now)
	})
	if refused != nil {
		return mentorbook.Booking{}, refused
	}
	return shownTo(caller, b), err
}

// transitionNotice is the notification of a move to each status.
var transitionNotice = map[mentorbook.BookingStatus]mentorbook.NotificationKind{
	mentorbook.StatusConfirmed: mentorbook.NotifyBookingAccepted,
	mentorbook.StatusDeclined:  mentorbook.NotifyBookingDeclined,
	mentorbook.StatusCancelled: mentorbook.NotifyBookingCancelled,
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
	f.Role = parseRole(q.Role, v)
	f.Statuses = parseStatuses(q.Status, mentorbook.BookingStatus.Valid, v,
		"must be pending, confirmed, declined, cancelled or expired (comma-separated)")
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
	for i := range bs {
		bs[i] = shownTo(caller, bs[i])
	}
	next := ""
	if len(bs) > limit {
		bs = bs[:limit]
		last := bs[limit-1]
		next = base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d:%d", last.Start.UnixMicro(), last.ID))
	}
	return bs, next, nil
}

// parseRole checks a typed role filter: "mentor", "mentee" or "" for both.
func parseRole(role string, v mentorbook.Validation) string {
	if role != "" && role != "mentor" && role != "mentee" {
		v.Add("role", "must be mentor or mentee")
	}
	return role
}

// parseStatuses reads a comma-separated status filter; each status counts
// once however often it is named, so the query stays small.
func parseStatuses[S ~string](text string, valid func(S) bool, v mentorbook.Validation, problem string) []S {
	var out []S
	if text == "" {
		return out
	}
	for _, st := range strings.Split(text, ",") {
		if st := S(strings.TrimSpace(st)); !valid(st) {
			v.Add("status", problem)
		} else if !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	return out
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
