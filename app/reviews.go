package app

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
)

const maxReviewText = 2000

// ReviewInput is a mentee's review as typed: exactly one of MentorshipID
// and BookingID.
type ReviewInput struct {
	MentorshipID int64
	BookingID    int64
	Rating       int
	Text         string
}

// Create records the mentee's review of a mentorship (once it is
// completed or one of its sessions was held) or of a free consultation
// (once it was held). One review each: a second is ECONFLICT, held by a
// unique key however requests race. A stranger gets ENOTFOUND, the mentor
// EFORBIDDEN.
func (s *Reviews) Create(ctx context.Context, caller mentorbook.User, in ReviewInput) (mentorbook.Review, error) {
	v := mentorbook.Validation{}
	if (in.MentorshipID == 0) == (in.BookingID == 0) || in.MentorshipID < 0 || in.BookingID < 0 {
		v.Add("mentorship_id", "give either a mentorship_id or a booking_id")
	}
	if in.Rating < 1 || in.Rating > 5 {
		v.Add("rating", "must be a whole number from 1 to 5")
	}
	text := strings.TrimSpace(in.Text)
	checkLength(v, "text", text, 0, maxReviewText)
	if err := v.Err(); err != nil {
		return mentorbook.Review{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Review, error) {
		r := mentorbook.Review{MentorshipID: in.MentorshipID, BookingID: in.BookingID, Rating: in.Rating, Text: text, CreatedAt: now}
		var err error
		if in.MentorshipID != 0 {
			r.MentorID, r.MenteeID, err = reviewableMentorship(ctx, tx, caller, in.MentorshipID, now)
		} else {
			r.MentorID, r.MenteeID, err = reviewableBooking(ctx, tx, caller, in.BookingID, now)
		}
		if err != nil {
			return mentorbook.Review{}, err
		}
		return tx.Reviews().Create(ctx, r)
	})
}

var errMenteeReviews = mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only the mentee leaves a review.")

// reviewableMentorship returns the parties of a mentorship the caller may
// review now.
func reviewableMentorship(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, id int64, now time.Time) (int64, int64, error) {
	m, err := partyMentorship(ctx, tx, caller, id, now, false)
	if err != nil {
		return 0, 0, err
	}
	if m.MenteeID != caller.ID {
		return 0, 0, errMenteeReviews
	}
	ok, err := mentorshipReviewable(ctx, tx, m, now)
	if err == nil && !ok {
		err = mentorbook.Errorf(mentorbook.ECONFLICT, "A mentorship can be reviewed once it is completed or one of its sessions was held.")
	}
	return m.MentorID, m.MenteeID, err
}

// mentorshipReviewable: completed, or with a session held.
func mentorshipReviewable(ctx context.Context, tx mentorbook.Tx, m mentorbook.Mentorship, now time.Time) (bool, error) {
	if m.Status == mentorbook.MentorshipCompleted {
		return true, nil
	}
	bs, err := tx.Bookings().List(ctx, mentorbook.BookingFilter{UserID: m.MenteeID, Role: "mentee", MentorshipID: m.ID,
		Statuses: []mentorbook.BookingStatus{mentorbook.StatusConfirmed}, To: now, Limit: maxSessions, Now: now})
	if err != nil {
		return false, err
	}
	for _, b := range bs {
		if b.Held(now) {
			return true, nil
		}
	}
	return false, nil
}

// reviewableBooking returns the parties of a free consultation the caller
// may review now.
func reviewableBooking(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, id int64, now time.Time) (int64, int64, error) {
	b, err := tx.Bookings().Get(ctx, id, now)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND || (err == nil && b.MentorID != caller.ID && b.MenteeID != caller.ID) {
		return 0, 0, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such booking.")
	} else if err != nil {
		return 0, 0, err
	}
	switch {
	case b.MenteeID != caller.ID:
		return 0, 0, errMenteeReviews
	case b.MentorshipID != 0:
		return 0, 0, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{"booking_id": "is a session of a mentorship: review the mentorship instead"}}
	case !b.Held(now):
		return 0, 0, mentorbook.Errorf(mentorbook.ECONFLICT, "A consultation can be reviewed once it was held.")
	}
	return b.MentorID, b.MenteeID, nil
}

// Reply records the mentor's one reply to a review of them; a second is
// ECONFLICT, anyone else EFORBIDDEN (reviews are public).
func (s *Reviews) Reply(ctx context.Context, caller mentorbook.User, id int64, text string) (mentorbook.Review, error) {
	text = strings.TrimSpace(text)
	v := mentorbook.Validation{}
	checkLength(v, "text", text, 1, maxReviewText)
	if err := v.Err(); err != nil {
		return mentorbook.Review{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Review, error) {
		r, err := tx.Reviews().Get(ctx, id)
		if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
			return r, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such review.")
		} else if err != nil {
			return r, err
		}
		if r.MentorID != caller.ID {
			return mentorbook.Review{}, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only the reviewed mentor replies.")
		}
		return tx.Reviews().Reply(ctx, id, text, now)
	})
}

// MentorReviews is a page of a mentor's reviews with their count and
// average over all of them.
type MentorReviews struct {
	Reviews []mentorbook.Review
	mentorbook.Rating
	Next string // cursor of the next page; "" on the last
}

// OfMentor returns a mentor's reviews, newest first; anyone may read them.
func (s *Reviews) OfMentor(ctx context.Context, mentorID int64, cursor, limit string) (MentorReviews, error) {
	v := mentorbook.Validation{}
	n := pageSize(limit, v)
	var before int64
	if cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(cursor)
		if err == nil {
			before, err = strconv.ParseInt(string(b), 10, 64)
		}
		if err != nil || before <= 0 {
			v.Add("cursor", "is not a cursor this server gave out")
		}
	}
	if err := v.Err(); err != nil {
		return MentorReviews{}, err
	}
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (MentorReviews, error) {
		if _, err := mentorByID(ctx, tx, mentorID); err != nil {
			return MentorReviews{}, err
		}
		return reviewsPage(ctx, tx, mentorID, before, n)
	})
}

// reviewsPage reads n of a mentor's reviews with IDs below before (0: the
// newest), their count and average.
func reviewsPage(ctx context.Context, tx mentorbook.Tx, mentorID, before int64, n int) (MentorReviews, error) {
	var out MentorReviews
	var err error
	if out.Reviews, err = tx.Reviews().ByMentor(ctx, mentorID, before, n+1); err != nil {
		return out, err
	}
	if out.Rating, err = tx.Reviews().Rating(ctx, mentorID); err != nil {
		return out, err
	}
	if len(out.Reviews) > n {
		out.Reviews = out.Reviews[:n]
		out.Next = base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(out.Reviews[n-1].ID, 10)))
	}
	return out, nil
}

// Reviewable reports whether the caller may review the mentorship or the
// booking now (one of the IDs 0): they are its mentee, it is held or
// completed, and it has no review yet. Pages ask it to offer the form.
func (s *Reviews) Reviewable(ctx context.Context, caller mentorbook.User, mentorshipID, bookingID int64) (bool, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (bool, error) {
		return reviewable(ctx, tx, caller, mentorshipID, bookingID, s.clock())
	})
}

func reviewable(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, mentorshipID, bookingID int64, now time.Time) (bool, error) {
	var err error
	if mentorshipID != 0 {
		_, _, err = reviewableMentorship(ctx, tx, caller, mentorshipID, now)
	} else {
		_, _, err = reviewableBooking(ctx, tx, caller, bookingID, now)
	}
	switch mentorbook.ErrorCode(err) {
	case "":
	case mentorbook.EINTERNAL, mentorbook.EUNAVAILABLE:
		return false, err
	default:
		return false, nil
	}
	_, err = tx.Reviews().Of(ctx, mentorshipID, bookingID)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return true, nil
	}
	return false, err
}
