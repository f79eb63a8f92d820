package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"time"

	"github.com/mentorbook/mentorbook"
)

// reviews holds reviews and their replies (migration 0013).
type reviews struct{ *tx }

const reviewSelect = `SELECT r.id, r.mentor_id, r.mentee_id, u.name, r.mentorship_id, r.booking_id, r.rating, r.text,
		r.reply, r.replied_at, r.created_at
	FROM reviews r JOIN users u ON u.id = r.mentee_id`

func scanReview(row interface{ Scan(...any) error }) (mentorbook.Review, error) {
	var v mentorbook.Review
	err := row.Scan(&v.ID, &v.MentorID, &v.MenteeID, &v.MenteeName, int64Or0{&v.MentorshipID}, int64Or0{&v.BookingID},
		&v.Rating, &v.Text, &v.Reply, at(&v.RepliedAt), at(&v.CreatedAt))
	return v, err
}

func (r reviews) one(ctx context.Context, where string, args ...any) (mentorbook.Review, error) {
	v, err := scanReview(r.queryRow(ctx, reviewSelect+` WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return v, notFound("Review")
	}
	return v, err
}

func (r reviews) Create(ctx context.Context, v mentorbook.Review) (mentorbook.Review, error) {
	var id int64
	if err := r.execScan(ctx, `INSERT INTO reviews (mentor_id, mentee_id, mentorship_id, booking_id, rating, text, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		[]any{v.MentorID, v.MenteeID, nullInt64(v.MentorshipID), nullInt64(v.BookingID), v.Rating, v.Text, v.CreatedAt}, &id); err != nil {
		return mentorbook.Review{}, err
	}
	return r.Get(ctx, id)
}

func (r reviews) Get(ctx context.Context, id int64) (mentorbook.Review, error) {
	return r.one(ctx, `r.id = $1`, id)
}

func (r reviews) Reply(ctx context.Context, id int64, text string, now time.Time) (mentorbook.Review, error) {
	// The condition makes a second reply, however it races, change nothing.
	n, err := r.affected(ctx, `UPDATE reviews SET reply = $1, replied_at = $2 WHERE id = $3 AND replied_at IS NULL`, text, now, id)
	if err != nil {
		return mentorbook.Review{}, err
	}
	v, err := r.Get(ctx, id)
	if err == nil && n == 0 {
		err = mentorbook.Errorf(mentorbook.ECONFLICT, "This review already has a reply.")
	}
	return v, err
}

func (r reviews) ByMentor(ctx context.Context, mentorID, beforeID int64, limit int) ([]mentorbook.Review, error) {
	if limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	if beforeID == 0 {
		beforeID = math.MaxInt64
	}
	rows, err := r.query(ctx, reviewSelect+` WHERE r.mentor_id = $1 AND r.id < $2 ORDER BY r.id DESC `+limitClause("$3"),
		mentorID, beforeID, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanReview)
}

func (r reviews) Rating(ctx context.Context, mentorID int64) (mentorbook.Rating, error) {
	var rt mentorbook.Rating
	var sum int64
	err := r.queryRow(ctx, `SELECT count(*), coalesce(sum(rating), 0) FROM reviews WHERE mentor_id = $1`, mentorID).
		Scan(&rt.Count, &sum)
	if rt.Count > 0 {
		rt.Average = float64(sum) / float64(rt.Count)
	}
	return rt, err
}

func (r reviews) ReviewedBy(ctx context.Context, menteeID int64) ([]int64, error) {
	rows, err := r.query(ctx, `SELECT DISTINCT mentor_id FROM reviews WHERE mentee_id = $1`, menteeID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	})
}

func (r reviews) Of(ctx context.Context, mentorshipID, bookingID int64) (mentorbook.Review, error) {
	if mentorshipID != 0 {
		return r.one(ctx, `r.mentorship_id = $1`, mentorshipID)
	}
	return r.one(ctx, `r.booking_id = $1`, bookingID)
}
