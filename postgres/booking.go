package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// effectiveStatus is the status of booking b at the instant bound to the
// placeholder now: a pending booking past its expiry is expired even before
// ExpireBookings materialises that. NULL expires_at never expires.
func effectiveStatus(now string) string {
	return `(CASE WHEN b.status = 'pending' AND b.expires_at <= ` + now + ` THEN 'expired' ELSE b.status END)`
}

// bookingSelect selects the columns scanBooking reads.
func bookingSelect(now string) string {
	return `SELECT b.id, b.mentor_id, b.mentee_id, ` + effectiveStatus(now) + `, b.start_at, b.end_at,
		b.buffer_before_seconds, b.buffer_after_seconds, b.message, b.reason, b.cancelled_by,
		b.expires_at, b.created_at, b.updated_at
	FROM bookings b`
}

func scanBooking(row pgx.Row) (mentorbook.Booking, error) {
	var b mentorbook.Booking
	var before, after int64
	var cancelledBy *int64
	var expires *time.Time
	if err := row.Scan(&b.ID, &b.MentorID, &b.MenteeID, &b.Status, &b.Start, &b.End, &before, &after,
		&b.Message, &b.Reason, &cancelledBy, &expires, &b.CreatedAt, &b.UpdatedAt); err != nil {
		return mentorbook.Booking{}, err
	}
	b.Start, b.End = utc(b.Start), utc(b.End)
	b.BufferBefore, b.BufferAfter = time.Duration(before)*time.Second, time.Duration(after)*time.Second
	if cancelledBy != nil {
		b.CancelledBy = *cancelledBy
	}
	b.ExpiresAt = fromNullTime(expires)
	b.CreatedAt, b.UpdatedAt = utc(b.CreatedAt), utc(b.UpdatedAt)
	return b, nil
}

// findBookingByID reads a booking; lock adds FOR UPDATE.
func findBookingByID(ctx context.Context, q queryer, id int64, now time.Time, lock bool) (mentorbook.Booking, error) {
	query := bookingSelect("$1") + ` WHERE b.id = $2`
	if lock {
		query += ` FOR UPDATE`
	}
	b, err := scanBooking(q.QueryRow(ctx, query, now, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return mentorbook.Booking{}, notFound("Booking")
	}
	return b, err
}

// CreateBooking inserts a booking and the time it holds, under an optional
// idempotency key. Overlaps are rejected by the exclusion constraint.
func (db *DB) CreateBooking(ctx context.Context, b mentorbook.Booking, key *mentorbook.IdempotencyKey, now time.Time) (mentorbook.Booking, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	defer tx.Rollback(ctx)

	// The key is claimed first: a racing retry blocks on the claim until
	// this transaction ends, then finds the booking made under it.
	if key != nil {
		existingID, claimed, err := claimIdempotencyKey(ctx, tx, *key, now)
		if err != nil {
			return mentorbook.Booking{}, err
		}
		if !claimed {
			return findBookingByID(ctx, tx, existingID, now, false)
		}
	}

	if _, err := expireBookings(ctx, tx, now, `AND (mentor_id IN ($2, $3) OR mentee_id IN ($2, $3))`, b.MentorID, b.MenteeID); err != nil {
		return mentorbook.Booking{}, err
	}
	id, err := insertBooking(ctx, tx, b, now)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	out, err := findBookingByID(ctx, tx, id, now, false)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	if out.Status.Active() {
		if err := insertBlocks(ctx, tx, out); err != nil {
			return mentorbook.Booking{}, err
		}
	}
	if key != nil {
		if _, err := tx.Exec(ctx, `UPDATE idempotency_keys SET booking_id = $1 WHERE user_id = $2 AND key = $3`,
			id, key.UserID, key.Key); err != nil {
			return mentorbook.Booking{}, err
		}
	}
	return out, tx.Commit(ctx)
}

// claimIdempotencyKey inserts the key unless it exists. For an existing key
// with the same request hash it returns the booking made under it.
func claimIdempotencyKey(ctx context.Context, tx pgx.Tx, key mentorbook.IdempotencyKey, now time.Time) (bookingID int64, claimed bool, err error) {
	// ON CONFLICT DO NOTHING waits for an uncommitted claim of the same key
	// to commit or roll back, so racing retries queue here.
	tag, err := tx.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, key) DO NOTHING`,
		key.UserID, key.Key, key.RequestHash, orNowAt(key.CreatedAt, now))
	if err != nil {
		return 0, false, mapError(err)
	}
	if tag.RowsAffected() == 1 {
		return 0, true, nil
	}

	var hash string
	var id *int64
	if err := tx.QueryRow(ctx, `SELECT request_hash, booking_id FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
		key.UserID, key.Key).Scan(&hash, &id); err != nil {
		return 0, false, err
	}
	if hash != key.RequestHash {
		return 0, false, mentorbook.Errorf(mentorbook.EINVALID, "This idempotency key was used for a different request.")
	}
	if id == nil {
		// A committed claim always has its booking; kept as a guard.
		return 0, false, mentorbook.Errorf(mentorbook.ECONFLICT, "A request with this idempotency key is in progress.")
	}
	return *id, false, nil
}

// orNowAt is t, or now when t is zero.
func orNowAt(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

func insertBooking(ctx context.Context, tx pgx.Tx, b mentorbook.Booking, now time.Time) (int64, error) {
	if b.Status == "" {
		b.Status = mentorbook.StatusPending
	}
	var cancelledBy *int64
	if b.CancelledBy != 0 {
		cancelledBy = &b.CancelledBy
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO bookings (mentor_id, mentee_id, status, start_at, end_at,
			buffer_before_seconds, buffer_after_seconds, message, reason, cancelled_by, expires_at,
			created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		RETURNING id`,
		b.MentorID, b.MenteeID, string(b.Status), b.Start, b.End,
		int64(b.BufferBefore/time.Second), int64(b.BufferAfter/time.Second), b.Message, b.Reason, cancelledBy,
		nullTime(b.ExpiresAt), orNowAt(b.CreatedAt, now), orNowAt(b.UpdatedAt, now)).Scan(&id)
	if err != nil {
		return 0, mapError(err)
	}
	return id, nil
}

// insertBlocks records the time b holds: the mentor's b.Blocked(), the
// mentee's b.Session(). b must be as stored (times and buffers rounded).
// Rows go in in user ID order: a transaction waiting on another's
// overlapping row then always holds only lower user IDs, so two bookings
// crossing roles cannot deadlock.
func insertBlocks(ctx context.Context, tx pgx.Tx, b mentorbook.Booking) error {
	type block struct {
		userID int64
		iv     schedule.Interval
	}
	blocks := []block{{b.MentorID, b.Blocked()}, {b.MenteeID, b.Session()}}
	if blocks[1].userID < blocks[0].userID {
		blocks[0], blocks[1] = blocks[1], blocks[0]
	}
	for _, bl := range blocks {
		if _, err := tx.Exec(ctx, `INSERT INTO booking_blocks (booking_id, user_id, start_at, end_at) VALUES ($1, $2, $3, $4)`,
			b.ID, bl.userID, bl.iv.Start, bl.iv.End); err != nil {
			return mapError(err)
		}
	}
	return nil
}

// expireBookings materialises the expiry of pending bookings with
// expires_at <= now that also match cond (whose placeholders start at $2),
// and frees their time.
func expireBookings(ctx context.Context, tx pgx.Tx, now time.Time, cond string, args ...any) (int64, error) {
	args = append([]any{now}, args...)
	stale := `status = 'pending' AND expires_at <= $1 ` + cond
	// One statement, bookings rows first (the order ChangeBookingStatus
	// locks in): the UPDATE re-checks each row after waiting for its lock,
	// so a booking answered meanwhile keeps its blocks.
	var n int64
	err := tx.QueryRow(ctx, `WITH expired AS (
			UPDATE bookings SET status = 'expired', updated_at = $1
			WHERE id IN (SELECT id FROM bookings WHERE `+stale+` ORDER BY id FOR UPDATE)
				AND status = 'pending' AND expires_at <= $1
			RETURNING id),
		freed AS (DELETE FROM booking_blocks WHERE booking_id IN (SELECT id FROM expired))
		SELECT count(*) FROM expired`, args...).Scan(&n)
	if err != nil {
		return 0, mapError(err)
	}
	return n, nil
}

// IdempotentBooking returns the booking made under (userID, key) and the
// request hash the key was claimed with.
func (db *DB) IdempotentBooking(ctx context.Context, userID int64, key string, now time.Time) (mentorbook.Booking, string, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return mentorbook.Booking{}, "", err
	}
	defer tx.Rollback(ctx)

	var hash string
	var id *int64
	err = tx.QueryRow(ctx, `SELECT request_hash, booking_id FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
		userID, key).Scan(&hash, &id)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && id == nil) {
		return mentorbook.Booking{}, "", notFound("Idempotency key")
	} else if err != nil {
		return mentorbook.Booking{}, "", err
	}
	b, err := findBookingByID(ctx, tx, *id, now, false)
	if err != nil {
		return mentorbook.Booking{}, "", err
	}
	return b, hash, nil
}

// BookingByID returns a booking with its effective status at now.
func (db *DB) BookingByID(ctx context.Context, id int64, now time.Time) (mentorbook.Booking, error) {
	return findBookingByID(ctx, db.pool, id, now, false)
}

// ListBookings lists a user's bookings by (Start, ID).
func (db *DB) ListBookings(ctx context.Context, f mentorbook.BookingFilter) ([]mentorbook.Booking, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	args := []any{f.Now, f.UserID}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var where []string
	switch f.Role {
	case "mentor":
		where = append(where, `b.mentor_id = $2`)
	case "mentee":
		where = append(where, `b.mentee_id = $2`)
	case "":
		where = append(where, `(b.mentor_id = $2 OR b.mentee_id = $2)`)
	default:
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Unknown role %q.", f.Role)
	}
	if len(f.Statuses) > 0 {
		statuses := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			statuses[i] = string(s)
		}
		where = append(where, effectiveStatus("$1")+` = ANY(`+arg(statuses)+`::text[])`)
	}
	if !f.From.IsZero() {
		where = append(where, `b.start_at >= `+arg(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, `b.start_at < `+arg(f.To))
	}
	if f.After != nil {
		where = append(where, `(b.start_at, b.id) > (`+arg(f.After.Start)+`, `+arg(f.After.ID)+`)`)
	}

	rows, err := db.pool.Query(ctx, bookingSelect("$1")+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY b.start_at, b.id LIMIT `+arg(f.Limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	out := []mentorbook.Booking{}
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Blocks returns the time held by a user's active bookings overlapping
// [from, to). Stale pending bookings still have rows until they are
// materialised as expired, so the effective status filters them out.
func (db *DB) Blocks(ctx context.Context, userID int64, from, to, now time.Time) ([]schedule.Interval, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT bb.start_at, bb.end_at
		FROM booking_blocks bb
		JOIN bookings b ON b.id = bb.booking_id
		WHERE bb.user_id = $2 AND bb.start_at < $4 AND bb.end_at > $3
			AND `+effectiveStatus("$1")+` IN ('pending', 'confirmed')
		ORDER BY bb.start_at`,
		now, userID, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	out := []schedule.Interval{}
	for rows.Next() {
		var iv schedule.Interval
		if err := rows.Scan(&iv.Start, &iv.End); err != nil {
			return nil, err
		}
		out = append(out, schedule.Interval{Start: utc(iv.Start), End: utc(iv.End)})
	}
	return out, rows.Err()
}

// ChangeBookingStatus moves a booking from one of c.From to c.To.
func (db *DB) ChangeBookingStatus(ctx context.Context, c mentorbook.StatusChange) (mentorbook.Booking, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	defer tx.Rollback(ctx)

	// A stale pending booking is expired first, so its time is freed and it
	// can no longer be accepted.
	if _, err := expireBookings(ctx, tx, c.At, `AND id = $2`, c.BookingID); err != nil {
		return mentorbook.Booking{}, err
	}
	// The row lock makes concurrent changes of one booking take turns, so
	// only one of "accept" and "cancel" can win.
	b, err := findBookingByID(ctx, tx, c.BookingID, c.At, true)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	if !slices.Contains(c.From, b.Status) {
		// Keep the expiry materialised above, if any, then refuse.
		if err := tx.Commit(ctx); err != nil {
			return mentorbook.Booking{}, err
		}
		return mentorbook.Booking{}, mentorbook.Errorf(mentorbook.ECONFLICT, "The booking is %s.", b.Status)
	}

	was := b.Status
	b.Status = c.To
	if c.Reason != "" {
		b.Reason = c.Reason
	}
	if c.To == mentorbook.StatusCancelled {
		b.CancelledBy = c.By
	}
	var cancelledBy *int64
	if b.CancelledBy != 0 {
		cancelledBy = &b.CancelledBy
	}
	if _, err := tx.Exec(ctx, `UPDATE bookings SET status = $1, reason = $2, cancelled_by = $3, updated_at = $4 WHERE id = $5`,
		string(b.Status), b.Reason, cancelledBy, c.At, b.ID); err != nil {
		return mentorbook.Booking{}, mapError(err)
	}

	switch {
	case was.Active() && !c.To.Active():
		if _, err := tx.Exec(ctx, `DELETE FROM booking_blocks WHERE booking_id = $1`, b.ID); err != nil {
			return mentorbook.Booking{}, mapError(err)
		}
	case !was.Active() && c.To.Active():
		if err := insertBlocks(ctx, tx, b); err != nil {
			return mentorbook.Booking{}, err
		}
	}

	out, err := findBookingByID(ctx, tx, b.ID, c.At, false)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	return out, tx.Commit(ctx)
}

// ExpireBookings materialises every stale pending booking as expired.
func (db *DB) ExpireBookings(ctx context.Context, now time.Time) (int, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx)
	n, err := expireBookings(ctx, tx, now, "")
	if err != nil {
		return 0, err
	}
	return int(n), tx.Commit(ctx)
}

// DeleteIdempotencyKeys removes keys created before the time.
func (db *DB) DeleteIdempotencyKeys(ctx context.Context, before time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, before)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}
