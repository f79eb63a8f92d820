package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// Booking queries use named parameters (@now, ...) because the effective
// status needs now in more than one place.

// effectiveStatus is the status of booking b at the instant bound to now: a
// pending booking past its expiry is expired even before ExpireBookings
// materialises that. NULL expires_at never expires.
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

func scanBooking(row interface{ Scan(...any) error }) (mentorbook.Booking, error) {
	var b mentorbook.Booking
	var start, end, before, after, created, updated int64
	var cancelledBy, expires sql.NullInt64
	if err := row.Scan(&b.ID, &b.MentorID, &b.MenteeID, &b.Status, &start, &end, &before, &after,
		&b.Message, &b.Reason, &cancelledBy, &expires, &created, &updated); err != nil {
		return mentorbook.Booking{}, err
	}
	b.Start, b.End = fromMicros(start), fromMicros(end)
	b.BufferBefore, b.BufferAfter = time.Duration(before)*time.Second, time.Duration(after)*time.Second
	b.CancelledBy = cancelledBy.Int64
	b.ExpiresAt = fromNullMicros(expires)
	b.CreatedAt, b.UpdatedAt = fromMicros(created), fromMicros(updated)
	return b, nil
}

func findBookingByID(ctx context.Context, q queryer, id int64, now time.Time) (mentorbook.Booking, error) {
	b, err := scanBooking(q.QueryRowContext(ctx, bookingSelect("@now")+` WHERE b.id = @id`,
		sql.Named("now", micros(now)), sql.Named("id", id)))
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.Booking{}, notFound("Booking")
	}
	return b, err
}

// CreateBooking inserts a booking and the time it holds, under an optional
// idempotency key. Overlaps are rejected by the booking_blocks trigger.
func (db *DB) CreateBooking(ctx context.Context, b mentorbook.Booking, key *mentorbook.IdempotencyKey, now time.Time) (mentorbook.Booking, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	defer db.endWrite(tx)

	// The key is claimed first: a retry finds the claim and returns the
	// booking made under it instead of making a second one.
	if key != nil {
		existingID, claimed, err := claimIdempotencyKey(ctx, tx, *key, now)
		if err != nil {
			return mentorbook.Booking{}, err
		}
		if !claimed {
			return findBookingByID(ctx, tx, existingID, now)
		}
	}

	if _, err := expireBookings(ctx, tx, now, `AND (mentor_id IN (@a, @b) OR mentee_id IN (@a, @b))`,
		sql.Named("a", b.MentorID), sql.Named("b", b.MenteeID)); err != nil {
		return mentorbook.Booking{}, err
	}
	id, err := insertBooking(ctx, tx, b, now)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	out, err := findBookingByID(ctx, tx, id, now)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	if out.Status.Active() {
		if err := insertBlocks(ctx, tx, out); err != nil {
			return mentorbook.Booking{}, err
		}
	}
	if key != nil {
		if _, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET booking_id = ? WHERE user_id = ? AND key = ?`,
			id, key.UserID, key.Key); err != nil {
			return mentorbook.Booking{}, err
		}
	}
	return out, tx.Commit()
}

// claimIdempotencyKey inserts the key unless it exists. For an existing key
// with the same request hash it returns the booking made under it.
func claimIdempotencyKey(ctx context.Context, tx txn, key mentorbook.IdempotencyKey, now time.Time) (bookingID int64, claimed bool, err error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (user_id, key) DO NOTHING`,
		key.UserID, key.Key, key.RequestHash, micros(orNowAt(key.CreatedAt, now)))
	if err != nil {
		return 0, false, mapError(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, false, err
	} else if n == 1 {
		return 0, true, nil
	}

	var hash string
	var id sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT request_hash, booking_id FROM idempotency_keys WHERE user_id = ? AND key = ?`,
		key.UserID, key.Key).Scan(&hash, &id); err != nil {
		return 0, false, err
	}
	if hash != key.RequestHash {
		return 0, false, mentorbook.Errorf(mentorbook.EINVALID, "This idempotency key was used for a different request.")
	}
	if !id.Valid {
		// Only possible inside the claiming transaction, which holds the
		// write lock; kept as a guard rather than trusting that.
		return 0, false, mentorbook.Errorf(mentorbook.ECONFLICT, "A request with this idempotency key is in progress.")
	}
	return id.Int64, false, nil
}

// orNowAt is t, or now when t is zero.
func orNowAt(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

func insertBooking(ctx context.Context, tx txn, b mentorbook.Booking, now time.Time) (int64, error) {
	if b.Status == "" {
		b.Status = mentorbook.StatusPending
	}
	var cancelledBy sql.NullInt64
	if b.CancelledBy != 0 {
		cancelledBy = sql.NullInt64{Int64: b.CancelledBy, Valid: true}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO bookings (mentor_id, mentee_id, status, start_at, end_at,
			buffer_before_seconds, buffer_after_seconds, message, reason, cancelled_by, expires_at,
			created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.MentorID, b.MenteeID, b.Status, micros(b.Start), micros(b.End),
		int64(b.BufferBefore/time.Second), int64(b.BufferAfter/time.Second), b.Message, b.Reason, cancelledBy,
		nullMicros(b.ExpiresAt), micros(orNowAt(b.CreatedAt, now)), micros(orNowAt(b.UpdatedAt, now)))
	if err != nil {
		return 0, mapError(err)
	}
	return res.LastInsertId()
}

// insertBlocks records the time b holds: the mentor's b.Blocked(), the
// mentee's b.Session(). b must be as stored (times and buffers rounded).
// Rows go in in user ID order, the same order on every engine.
func insertBlocks(ctx context.Context, tx txn, b mentorbook.Booking) error {
	type block struct {
		userID int64
		iv     schedule.Interval
	}
	blocks := []block{{b.MentorID, b.Blocked()}, {b.MenteeID, b.Session()}}
	if blocks[1].userID < blocks[0].userID {
		blocks[0], blocks[1] = blocks[1], blocks[0]
	}
	for _, bl := range blocks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO booking_blocks (booking_id, user_id, start_at, end_at) VALUES (?, ?, ?, ?)`,
			b.ID, bl.userID, micros(bl.iv.Start), micros(bl.iv.End)); err != nil {
			return mapError(err)
		}
	}
	return nil
}

// expireBookings materialises the expiry of pending bookings with
// expires_at <= now that also match cond, and frees their time.
func expireBookings(ctx context.Context, tx txn, now time.Time, cond string, args ...any) (int64, error) {
	args = append(args, sql.Named("now", micros(now)))
	stale := `status = 'pending' AND expires_at <= @now ` + cond
	if _, err := tx.ExecContext(ctx, `DELETE FROM booking_blocks WHERE booking_id IN (SELECT id FROM bookings WHERE `+stale+`)`, args...); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE bookings SET status = 'expired', updated_at = @now WHERE `+stale, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// BookingByID returns a booking with its effective status at now.
func (db *DB) BookingByID(ctx context.Context, id int64, now time.Time) (mentorbook.Booking, error) {
	return findBookingByID(ctx, db.read(), id, now)
}

// ListBookings lists a user's bookings by (Start, ID).
func (db *DB) ListBookings(ctx context.Context, f mentorbook.BookingFilter) ([]mentorbook.Booking, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	args := []any{sql.Named("now", micros(f.Now)), sql.Named("user", f.UserID), sql.Named("limit", f.Limit)}
	var where []string
	switch f.Role {
	case "mentor":
		where = append(where, `b.mentor_id = @user`)
	case "mentee":
		where = append(where, `b.mentee_id = @user`)
	case "":
		where = append(where, `(b.mentor_id = @user OR b.mentee_id = @user)`)
	default:
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Unknown role %q.", f.Role)
	}
	if len(f.Statuses) > 0 {
		names := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			names[i] = fmt.Sprintf("@s%d", i)
			args = append(args, sql.Named(fmt.Sprintf("s%d", i), string(s)))
		}
		where = append(where, effectiveStatus("@now")+` IN (`+strings.Join(names, ", ")+`)`)
	}
	if !f.From.IsZero() {
		where = append(where, `b.start_at >= @from`)
		args = append(args, sql.Named("from", micros(f.From)))
	}
	if !f.To.IsZero() {
		where = append(where, `b.start_at < @to`)
		args = append(args, sql.Named("to", micros(f.To)))
	}
	if f.After != nil {
		where = append(where, `(b.start_at, b.id) > (@after_start, @after_id)`)
		args = append(args, sql.Named("after_start", micros(f.After.Start)), sql.Named("after_id", f.After.ID))
	}

	rows, err := db.read().QueryContext(ctx, bookingSelect("@now")+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY b.start_at, b.id LIMIT @limit`, args...)
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
	rows, err := db.read().QueryContext(ctx, `
		SELECT bb.start_at, bb.end_at
		FROM booking_blocks bb
		JOIN bookings b ON b.id = bb.booking_id
		WHERE bb.user_id = @user AND bb.start_at < @to AND bb.end_at > @from
			AND `+effectiveStatus("@now")+` IN ('pending', 'confirmed')
		ORDER BY bb.start_at`,
		sql.Named("user", userID), sql.Named("from", micros(from)), sql.Named("to", micros(to)), sql.Named("now", micros(now)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	out := []schedule.Interval{}
	for rows.Next() {
		var start, end int64
		if err := rows.Scan(&start, &end); err != nil {
			return nil, err
		}
		out = append(out, schedule.Interval{Start: fromMicros(start), End: fromMicros(end)})
	}
	return out, rows.Err()
}

// ChangeBookingStatus moves a booking from one of c.From to c.To.
func (db *DB) ChangeBookingStatus(ctx context.Context, c mentorbook.StatusChange) (mentorbook.Booking, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	defer db.endWrite(tx)

	// A stale pending booking is expired first, so its time is freed and it
	// can no longer be accepted.
	if _, err := expireBookings(ctx, tx, c.At, `AND id = @id`, sql.Named("id", c.BookingID)); err != nil {
		return mentorbook.Booking{}, err
	}
	b, err := findBookingByID(ctx, tx, c.BookingID, c.At)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	if !slices.Contains(c.From, b.Status) {
		// Keep the expiry materialised above, if any, then refuse.
		if err := tx.Commit(); err != nil {
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
	var cancelledBy sql.NullInt64
	if b.CancelledBy != 0 {
		cancelledBy = sql.NullInt64{Int64: b.CancelledBy, Valid: true}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE bookings SET status = ?, reason = ?, cancelled_by = ?, updated_at = ? WHERE id = ?`,
		b.Status, b.Reason, cancelledBy, micros(c.At), b.ID); err != nil {
		return mentorbook.Booking{}, mapError(err)
	}

	switch {
	case was.Active() && !c.To.Active():
		if _, err := tx.ExecContext(ctx, `DELETE FROM booking_blocks WHERE booking_id = ?`, b.ID); err != nil {
			return mentorbook.Booking{}, err
		}
	case !was.Active() && c.To.Active():
		if err := insertBlocks(ctx, tx, b); err != nil {
			return mentorbook.Booking{}, err
		}
	}

	out, err := findBookingByID(ctx, tx, b.ID, c.At)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	return out, tx.Commit()
}

// ExpireBookings materialises every stale pending booking as expired.
func (db *DB) ExpireBookings(ctx context.Context, now time.Time) (int, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer db.endWrite(tx)
	n, err := expireBookings(ctx, tx, now, "")
	if err != nil {
		return 0, err
	}
	return int(n), tx.Commit()
}

// DeleteIdempotencyKeys removes keys created before the time.
func (db *DB) DeleteIdempotencyKeys(ctx context.Context, before time.Time) (int, error) {
	return db.deleteWhere(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, micros(before))
}

// IdempotentBooking returns the booking made under (userID, key) and the
// request hash the key was claimed with.
func (db *DB) IdempotentBooking(ctx context.Context, userID int64, key string, now time.Time) (mentorbook.Booking, string, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return mentorbook.Booking{}, "", err
	}
	defer tx.Rollback()

	var hash string
	var id sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT request_hash, booking_id FROM idempotency_keys WHERE user_id = ? AND key = ?`,
		userID, key).Scan(&hash, &id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !id.Valid) {
		return mentorbook.Booking{}, "", notFound("Idempotency key")
	} else if err != nil {
		return mentorbook.Booking{}, "", err
	}
	b, err := findBookingByID(ctx, tx, id.Int64, now)
	if err != nil {
		return mentorbook.Booking{}, "", err
	}
	return b, hash, nil
}
