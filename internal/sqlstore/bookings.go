package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

type bookings struct{ *tx }

// effectiveStatus is the status of booking b at the instant bound to the
// placeholder now: a pending booking past its expiry is expired even before
// the expiry is materialised. NULL expires_at never expires.
func effectiveStatus(now string) string {
	return `(CASE WHEN b.status = 'pending' AND b.expires_at <= ` + now + ` THEN 'expired' ELSE b.status END)`
}

// bookingSelect selects the columns scanBooking reads, with both parties'
// names, so a list of bookings needs no lookup per row.
func bookingSelect(now string) string {
	return `SELECT b.id, b.mentor_id, b.mentee_id, ` + effectiveStatus(now) + `, b.start_at, b.end_at,
		b.buffer_before_seconds, b.buffer_after_seconds, b.message, b.reason, b.cancelled_by,
		b.expires_at, b.created_at, b.updated_at, b.mentorship_id,
		mentor.name, mentee.name, coalesce(a.timezone, mentor.timezone), mentee.timezone,
		b.mode, b.location, b.version, b.sequence, b.reschedules, b.confirmed_at, b.late_cancellation,
		b.mentor_says_mentee_came, b.mentee_says_mentor_came
	FROM bookings b
	JOIN users mentor ON mentor.id = b.mentor_id
	JOIN users mentee ON mentee.id = b.mentee_id
	LEFT JOIN availability a ON a.mentor_id = b.mentor_id`
}

// bookingScan reads bookingSelect's columns.
type bookingScan struct {
	b                      mentorbook.Booking
	before, after          int64
	mentorSays, menteeSays sql.NullBool
	d                      [28]any
}

func (s *bookingScan) dest() []any {
	b := &s.b
	s.d = [28]any{&b.ID, &b.MentorID, &b.MenteeID, &b.Status, at(&b.Start), at(&b.End), &s.before, &s.after,
		&b.Message, &b.Reason, int64Or0{&b.CancelledBy}, at(&b.ExpiresAt), at(&b.CreatedAt), at(&b.UpdatedAt),
		int64Or0{&b.MentorshipID}, &b.MentorName, &b.MenteeName, &b.MentorZone, &b.MenteeZone,
		&b.Mode, &b.Location, &b.Version, &b.Sequence, &b.Reschedules, at(&b.ConfirmedAt), &b.LateCancellation,
		&s.mentorSays, &s.menteeSays}
	return s.d[:]
}

func (s *bookingScan) value() (mentorbook.Booking, error) {
	b := s.b
	b.BufferBefore, b.BufferAfter = time.Duration(s.before)*time.Second, time.Duration(s.after)*time.Second
	b.MentorSaysMenteeCame, b.MenteeSaysMentorCame = boolPtr(s.mentorSays), boolPtr(s.menteeSays)
	return b, nil
}

// get reads a booking; lock holds its row until the transaction ends.
func (r bookings) get(ctx context.Context, id int64, now time.Time, lock bool) (mentorbook.Booking, error) {
	query := bookingSelect("$1") + ` WHERE b.id = $2`
	if lock {
		query += r.d.lockOf(r.d.ForUpdate, "b")
	}
	b, err := scanRow(r.queryRow(ctx, query, now, id), &bookingScan{})
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.Booking{}, notFound("Booking")
	}
	return b, err
}

func (r bookings) Get(ctx context.Context, id int64, now time.Time) (mentorbook.Booking, error) {
	return r.get(ctx, id, now, false)
}

func (r bookings) Create(ctx context.Context, b mentorbook.Booking, now time.Time) (mentorbook.Booking, error) {
	// Bookings of the same people take turns (both rows locked in ID
	// order, as every transaction takes them): on PostgreSQL two
	// transactions inserting conflicting blocks at once would otherwise
	// wait for each other in the exclusion constraint and deadlock.
	if err := r.Users().Lock(ctx, b.MentorID, b.MenteeID); err != nil {
		return mentorbook.Booking{}, err
	}
	// Stale requests of either party no longer hold time: free it first,
	// or the database would refuse the overlap with them.
	q, err := r.writer()
	if err != nil {
		return mentorbook.Booking{}, err
	}
	if _, err := r.d.ExpireStale(r.ctx, q, now, `AND (mentor_id IN ($2, $3) OR mentee_id IN ($2, $3))`, b.MentorID, b.MenteeID); err != nil {
		return mentorbook.Booking{}, r.violation(err)
	}
	if b.Status == "" {
		b.Status = mentorbook.StatusPending
	}
	if b.Mode == "" {
		b.Mode = mentorbook.ModeOnline
	}
	if b.Status == mentorbook.StatusConfirmed && b.ConfirmedAt.IsZero() {
		b.ConfirmedAt = b.CreatedAt
	}
	var id int64
	if err := r.execScan(ctx, `INSERT INTO bookings (mentor_id, mentee_id, status, start_at, end_at,
			buffer_before_seconds, buffer_after_seconds, message, reason, cancelled_by, expires_at,
			created_at, updated_at, mentorship_id, mode, location, confirmed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		RETURNING id`,
		[]any{b.MentorID, b.MenteeID, string(b.Status), b.Start, b.End,
			int64(b.BufferBefore / time.Second), int64(b.BufferAfter / time.Second), b.Message, b.Reason,
			nullInt64(b.CancelledBy), nullable(b.ExpiresAt), b.CreatedAt, b.UpdatedAt, nullInt64(b.MentorshipID),
			b.Mode, b.Location, nullable(b.ConfirmedAt)}, &id); err != nil {
		return mentorbook.Booking{}, err
	}
	out, err := r.get(ctx, id, now, false)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	if out.Status.Active() {
		if err := r.insertBlocks(ctx, out); err != nil {
			return mentorbook.Booking{}, err
		}
	}
	return out, nil
}

// insertBlocks records the time b holds: the mentor's b.Blocked(), the
// mentee's b.Session(). b must be as stored (times and buffers rounded).
// Rows go in in user ID order: a transaction waiting on another's
// overlapping row then always holds only lower user IDs, so two bookings
// crossing roles cannot deadlock on PostgreSQL.
func (r bookings) insertBlocks(ctx context.Context, b mentorbook.Booking) error {
	type block struct {
		userID int64
		iv     schedule.Interval
	}
	blocks := []block{{b.MentorID, b.Blocked()}, {b.MenteeID, b.Session()}}
	if blocks[1].userID < blocks[0].userID {
		blocks[0], blocks[1] = blocks[1], blocks[0]
	}
	for _, bl := range blocks {
		if _, err := r.exec(ctx, `INSERT INTO booking_blocks (booking_id, user_id, start_at, end_at) VALUES ($1, $2, $3, $4)`,
			b.ID, bl.userID, bl.iv.Start, bl.iv.End); err != nil {
			return err
		}
	}
	return nil
}

func (r bookings) ChangeStatus(ctx context.Context, c mentorbook.StatusChange) (mentorbook.Booking, error) {
	// A stale pending booking is expired first, so its time is freed and it
	// can no longer be accepted.
	q, err := r.writer()
	if err != nil {
		return mentorbook.Booking{}, err
	}
	if _, err := r.d.ExpireStale(r.ctx, q, c.At, `AND id = $2`, c.BookingID); err != nil {
		return mentorbook.Booking{}, r.violation(err)
	}
	// The row lock makes concurrent changes of one booking take turns, so
	// only one of "accept" and "cancel" can win.
	b, err := r.get(ctx, c.BookingID, c.At, true)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	if !slices.Contains(c.From, b.Status) {
		// The booking as it is comes back too: the caller may commit the
		// expiry materialised above before reporting the refusal.
		return b, mentorbook.Errorf(mentorbook.ECONFLICT, "The booking is %s.", b.Status)
	}
	was := b.Status
	late := c.To == mentorbook.StatusCancelled && b.IsLateCancellation(c.At)
	b.Status = c.To
	if c.Reason != "" {
		b.Reason = c.Reason
	}
	if c.To == mentorbook.StatusCancelled {
		b.CancelledBy = c.By
	}
	if c.To == mentorbook.StatusConfirmed && b.ConfirmedAt.IsZero() {
		b.ConfirmedAt = c.At
	}
	// A status change is a change calendars apply: the sequence rises.
	if _, err := r.exec(ctx, `UPDATE bookings SET status = $1, reason = $2, cancelled_by = $3, updated_at = $4,
			confirmed_at = $5, late_cancellation = $6, sequence = sequence + 1 WHERE id = $7`,
		string(b.Status), b.Reason, nullInt64(b.CancelledBy), c.At, nullable(b.ConfirmedAt), late, b.ID); err != nil {
		return mentorbook.Booking{}, err
	}
	switch {
	case was.Active() && !c.To.Active():
		if _, err := r.exec(ctx, `DELETE FROM booking_blocks WHERE booking_id = $1`, b.ID); err != nil {
			return mentorbook.Booking{}, err
		}
	case !was.Active() && c.To.Active():
		if err := r.insertBlocks(ctx, b); err != nil {
			return mentorbook.Booking{}, err
		}
	}
	return r.get(ctx, b.ID, c.At, false)
}

func (r bookings) ExpireStale(ctx context.Context, now time.Time, scope mentorbook.StaleScope) ([]mentorbook.Booking, error) {
	q, err := r.writer()
	if err != nil {
		return nil, err
	}
	cond, args := "", []any{}
	if scope.BookingID != 0 {
		args = append(args, scope.BookingID)
		cond = `AND id = $2`
	}
	if len(scope.Users) > 0 {
		names := make([]string, len(scope.Users))
		for i, u := range scope.Users {
			args = append(args, u)
			names[i] = "$" + strconv.Itoa(len(args)+1)
		}
		in := strings.Join(names, ", ")
		cond += ` AND (mentor_id IN (` + in + `) OR mentee_id IN (` + in + `))`
	}
	ids, err := r.d.ExpireStale(r.ctx, q, now, cond, args...)
	if err != nil || len(ids) == 0 {
		return []mentorbook.Booking{}, r.violation(err)
	}
	// Read back in ID order, as they now are, a bounded number per
	// statement (each ID is a placeholder).
	out := make([]mentorbook.Booking, 0, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		args := []any{now}
		names := make([]string, len(chunk))
		for i, id := range chunk {
			args = append(args, id)
			names[i] = "$" + strconv.Itoa(i+2)
		}
		rows, err := r.query(ctx, bookingSelect("$1")+` WHERE b.id IN (`+strings.Join(names, ", ")+`) ORDER BY b.id`, args...)
		if err != nil {
			return nil, err
		}
		bs, err := scanRows(rows, &bookingScan{})
		if err != nil {
			return nil, err
		}
		out = append(out, bs...)
	}
	return out, nil
}

// partyWhere selects the rows of table alias a whose party in role
// ("mentor", "mentee" or "" for either) is the user bound to $2.
func partyWhere(a, role string) (string, error) {
	switch role {
	case "mentor":
		return a + `.mentor_id = $2`, nil
	case "mentee":
		return a + `.mentee_id = $2`, nil
	case "":
		return `(` + a + `.mentor_id = $2 OR ` + a + `.mentee_id = $2)`, nil
	}
	return "", mentorbook.Errorf(mentorbook.EINVALID, "Unknown role %q.", role)
}

// inList is "expr IN (...)" over values, each bound through arg.
func inList[S ~string](expr string, values []S, arg func(any) string) string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = arg(string(v))
	}
	return expr + ` IN (` + strings.Join(names, ", ") + `)`
}

// bookingWhere builds the filter's condition; args start with now at $1.
func bookingWhere(f mentorbook.BookingFilter) (string, []any, error) {
	args := []any{f.Now, f.UserID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	party, err := partyWhere("b", f.Role)
	if err != nil {
		return "", nil, err
	}
	where := []string{party}
	if f.MentorshipID != 0 {
		where = append(where, `b.mentorship_id = `+arg(f.MentorshipID))
	}
	if f.WasConfirmed {
		where = append(where, `b.confirmed_at IS NOT NULL`)
	}
	if f.With != 0 {
		p := arg(f.With)
		where = append(where, `(b.mentor_id = `+p+` OR b.mentee_id = `+p+`)`)
	}
	if len(f.Statuses) > 0 {
		where = append(where, inList(effectiveStatus("$1"), f.Statuses, arg))
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
	return strings.Join(where, " AND "), args, nil
}

func (r bookings) List(ctx context.Context, f mentorbook.BookingFilter) ([]mentorbook.Booking, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	where, args, err := bookingWhere(f)
	if err != nil {
		return nil, err
	}
	args = append(args, f.Limit)
	rows, err := r.query(ctx, bookingSelect("$1")+` WHERE `+where+
		` ORDER BY b.start_at, b.id `+limitClause("$"+strconv.Itoa(len(args))), args...)
	if err != nil {
		return nil, err
	}
	return scanRows(rows, &bookingScan{})
}

func (r bookings) Count(ctx context.Context, f mentorbook.BookingFilter) (int, error) {
	f.After = nil
	where, args, err := bookingWhere(f)
	if err != nil {
		return 0, err
	}
	// The status is selected so that $1 (now) is referenced, and typed for
	// PostgreSQL, whether or not statuses are filtered.
	var n int
	err = r.queryRow(ctx, `SELECT count(*) FROM (SELECT `+effectiveStatus("$1")+` AS status FROM bookings b WHERE `+where+`) c`,
		args...).Scan(&n)
	return n, err
}

// Blocks reads the time held by a user's active bookings. Stale pending
// bookings still have rows until their expiry is materialised, so the
// effective status filters them out.
func (r bookings) Blocks(ctx context.Context, userID int64, from, to, now time.Time) ([]schedule.Interval, error) {
	rows, err := r.query(ctx, `
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
	return scanRows(rows, &intervalScan{})
}

func (r bookings) Holds(ctx context.Context, userID int64, from, to time.Time) ([]mentorbook.Hold, error) {
	rows, err := r.query(ctx, `
		SELECT bb.start_at, bb.end_at, CASE WHEN b.status = 'pending' THEN b.expires_at END
		FROM booking_blocks bb
		JOIN bookings b ON b.id = bb.booking_id
		WHERE bb.user_id = $1 AND bb.start_at < $3 AND bb.end_at > $2
			AND b.status IN ('pending', 'confirmed')
		ORDER BY bb.start_at`,
		userID, from, to)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (mentorbook.Hold, error) {
		var h mentorbook.Hold
		err := row.Scan(at(&h.Start), at(&h.End), at(&h.PendingUntil))
		return h, err
	})
}

func (r bookings) ClaimKey(ctx context.Context, key mentorbook.IdempotencyKey) (int64, string, bool, error) {
	return r.claimKey(ctx, key, "booking_id")
}

func (r bookings) BindKey(ctx context.Context, key mentorbook.IdempotencyKey, bookingID int64) error {
	return r.bindKey(ctx, key, "booking_id", bookingID)
}

// claimKey records (key.UserID, key.Key) unless it exists, and otherwise
// returns what column (booking_id or mentorship_id) binds it to.
func (t *tx) claimKey(ctx context.Context, key mentorbook.IdempotencyKey, column string) (int64, string, bool, error) {
	// On PostgreSQL ON CONFLICT DO NOTHING waits for an uncommitted claim
	// of the same key to commit or roll back, so racing retries queue here;
	// on SQLite the write lock already orders them.
	n, err := t.affected(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, key) DO NOTHING`,
		key.UserID, key.Key, key.RequestHash, key.CreatedAt)
	if err != nil || n == 1 {
		return 0, "", n == 1, err
	}
	var hash string
	var id int64
	err = t.queryRow(ctx, `SELECT request_hash, `+column+` FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
		key.UserID, key.Key).Scan(&hash, int64Or0{&id})
	return id, hash, false, err
}

func (t *tx) bindKey(ctx context.Context, key mentorbook.IdempotencyKey, column string, id int64) error {
	_, err := t.exec(ctx, `UPDATE idempotency_keys SET `+column+` = $1 WHERE user_id = $2 AND key = $3`,
		id, key.UserID, key.Key)
	return err
}

func (r bookings) KeyedBooking(ctx context.Context, userID int64, key string, now time.Time) (mentorbook.Booking, string, error) {
	var hash string
	var id int64
	err := r.queryRow(ctx, `SELECT request_hash, booking_id FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
		userID, key).Scan(&hash, int64Or0{&id})
	if errors.Is(err, sql.ErrNoRows) || (err == nil && id == 0) {
		return mentorbook.Booking{}, "", notFound("Idempotency key")
	} else if err != nil {
		return mentorbook.Booking{}, "", err
	}
	b, err := r.get(ctx, id, now, false)
	return b, hash, err
}

func (r bookings) DeleteKeys(ctx context.Context, before time.Time) (int, error) {
	return r.affected(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, before)
}

func (r bookings) Lock(ctx context.Context, id int64, now time.Time) (mentorbook.Booking, error) {
	q, err := r.writer()
	if err != nil {
		return mentorbook.Booking{}, err
	}
	if _, err := r.d.ExpireStale(r.ctx, q, now, `AND id = $2`, id); err != nil {
		return mentorbook.Booking{}, r.violation(err)
	}
	return r.get(ctx, id, now, true)
}

func (r bookings) Move(ctx context.Context, b mentorbook.Booking, start, end time.Time, before, after time.Duration, at time.Time) (mentorbook.Booking, error) {
	// As in Create: moves onto the same people's time take turns.
	if err := r.Users().Lock(ctx, b.MentorID, b.MenteeID); err != nil {
		return mentorbook.Booking{}, err
	}
	expires := b.ExpiresAt
	if !expires.IsZero() && start.Before(expires) {
		expires = start
	}
	if _, err := r.exec(ctx, `UPDATE bookings SET start_at = $1, end_at = $2, buffer_before_seconds = $3,
			buffer_after_seconds = $4, expires_at = $5, updated_at = $6,
			version = version + 1, sequence = sequence + 1, reschedules = reschedules + 1
		WHERE id = $7`,
		start, end, int64(before/time.Second), int64(after/time.Second), nullable(expires), at, b.ID); err != nil {
		return mentorbook.Booking{}, err
	}
	// The old time is freed and the new one taken in this transaction:
	// other transactions see either the old rows or the new ones.
	if _, err := r.exec(ctx, `DELETE FROM booking_blocks WHERE booking_id = $1`, b.ID); err != nil {
		return mentorbook.Booking{}, err
	}
	moved, err := r.get(ctx, b.ID, at, false)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	if moved.Status.Active() {
		if err := r.insertBlocks(ctx, moved); err != nil {
			return mentorbook.Booking{}, err
		}
	}
	return moved, nil
}

func (r bookings) SetLocation(ctx context.Context, id int64, location string, at time.Time) (mentorbook.Booking, error) {
	n, err := r.affected(ctx, `UPDATE bookings SET location = $1, sequence = sequence + 1, updated_at = $2 WHERE id = $3`,
		location, at, id)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	if n == 0 {
		return mentorbook.Booking{}, notFound("Booking")
	}
	return r.get(ctx, id, at, false)
}

func (r bookings) ReportAttendance(ctx context.Context, id int64, byMentor, otherCame bool, at time.Time) (mentorbook.Booking, error) {
	column := "mentee_says_mentor_came"
	if byMentor {
		column = "mentor_says_mentee_came"
	}
	// Only a first report changes the row, so a second one, racing or
	// not, is refused.
	n, err := r.affected(ctx, `UPDATE bookings SET `+column+` = $1, updated_at = $2 WHERE id = $3 AND `+column+` IS NULL`,
		otherCame, at, id)
	if err != nil {
		return mentorbook.Booking{}, err
	}
	b, err := r.get(ctx, id, at, false)
	if err == nil && n == 0 {
		err = mentorbook.Errorf(mentorbook.ECONFLICT, "You already reported attendance for this session.")
	}
	return b, err
}

// heldAfterEnd is Booking.Held in SQL for a confirmed booking, with now
// bound to $1.
const heldAfterEnd = `b.end_at <= $1
	AND (b.mentor_says_mentee_came IS NULL OR b.mentor_says_mentee_came)
	AND (b.mentee_says_mentor_came IS NULL OR b.mentee_says_mentor_came)`

func (r bookings) SessionsHeld(ctx context.Context, mentorID int64, now time.Time) (int, time.Time, error) {
	var n int
	var next time.Time
	err := r.queryRow(ctx, `SELECT count(CASE WHEN `+heldAfterEnd+` THEN 1 END), min(CASE WHEN b.end_at > $1 THEN b.end_at END)
		FROM bookings b WHERE b.status = 'confirmed' AND b.mentor_id = $2`, now, mentorID).Scan(&n, at(&next))
	return n, next, err
}

func (r bookings) Reliability(ctx context.Context, userID int64) (int, int, error) {
	var noShows, late int
	err := r.queryRow(ctx, `SELECT
			(SELECT count(*) FROM bookings WHERE (mentee_id = $1 AND NOT mentor_says_mentee_came)
				OR (mentor_id = $1 AND NOT mentee_says_mentor_came)),
			(SELECT count(*) FROM bookings WHERE cancelled_by = $1 AND late_cancellation)`, userID).Scan(&noShows, &late)
	return noShows, late, err
}

// boolPtr reads a nullable boolean: nil for NULL.
func boolPtr(v sql.NullBool) *bool {
	if !v.Valid {
		return nil
	}
	return &v.Bool
}
