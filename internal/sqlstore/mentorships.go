package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
)

type mentorships struct{ *tx }

// mentorshipStatus is the effective status of mentorship m at the instant
// bound to the placeholder now: past its deadline a pending or
// awaiting-payment mentorship is expired, and an active one past its end
// is completed, before the upkeep job materialises either.
func mentorshipStatus(now string) string {
	return `(CASE WHEN m.status IN ('pending', 'awaiting_payment') AND m.expires_at <= ` + now + ` THEN 'expired'
		WHEN m.status = 'active' AND m.ends_at <= ` + now + ` THEN 'completed' ELSE m.status END)`
}

// mentorshipSelect reads what scanMentorship reads, with the parties'
// names and the sessions used (the pending and confirmed bookings).
func mentorshipSelect(now string) string {
	return `SELECT m.id, m.service_id, m.mentor_id, m.mentee_id, ` + mentorshipStatus(now) + `, m.title, m.format,
		m.sessions_included, m.session_minutes, m.days, m.mode, m.location, m.price_minor, m.currency, m.fee_bps,
		m.message, m.reason, m.cancelled_by, m.expires_at, m.accepted_at, m.started_at, m.ends_at,
		m.created_at, m.updated_at, mentor.name, mentee.name,
		(SELECT count(*) FROM bookings b WHERE b.mentorship_id = m.id
			AND ` + effectiveStatus(now) + ` IN ('pending', 'confirmed'))
	FROM mentorships m
	JOIN users mentor ON mentor.id = m.mentor_id
	JOIN users mentee ON mentee.id = m.mentee_id`
}

func scanMentorship(row interface{ Scan(...any) error }) (mentorbook.Mentorship, error) {
	var m mentorbook.Mentorship
	err := row.Scan(&m.ID, &m.ServiceID, &m.MentorID, &m.MenteeID, &m.Status, &m.Title, &m.Format,
		&m.SessionsIncluded, &m.SessionMinutes, &m.Days, &m.Mode, &m.Location, &m.PriceMinor, &m.Currency, &m.FeeBPS,
		&m.Message, &m.Reason, int64Or0{&m.CancelledBy}, at(&m.ExpiresAt), at(&m.AcceptedAt), at(&m.StartedAt),
		at(&m.EndsAt), at(&m.CreatedAt), at(&m.UpdatedAt), &m.MentorName, &m.MenteeName, &m.SessionsUsed)
	return m, err
}

func (r mentorships) get(ctx context.Context, id int64, now time.Time, lock bool) (mentorbook.Mentorship, error) {
	query := mentorshipSelect("$1") + ` WHERE m.id = $2`
	if lock {
		query += r.d.lockOf(r.d.ForUpdate, "m")
	}
	m, err := scanMentorship(r.queryRow(ctx, query, now, id))
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.Mentorship{}, notFound("Mentorship")
	}
	return m, err
}

func (r mentorships) Get(ctx context.Context, id int64, now time.Time) (mentorbook.Mentorship, error) {
	return r.get(ctx, id, now, false)
}

func (r mentorships) Lock(ctx context.Context, id int64, now time.Time) (mentorbook.Mentorship, error) {
	return r.get(ctx, id, now, true)
}

func (r mentorships) Create(ctx context.Context, m mentorbook.Mentorship, now time.Time) (mentorbook.Mentorship, error) {
	var id int64
	if err := r.execScan(ctx, `INSERT INTO mentorships (service_id, mentor_id, mentee_id, status, title, format,
			sessions_included, session_minutes, days, mode, location, price_minor, currency, message, reason,
			cancelled_by, expires_at, accepted_at, started_at, ends_at, created_at, updated_at, fee_bps)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
		RETURNING id`,
		[]any{m.ServiceID, m.MentorID, m.MenteeID, string(m.Status), m.Title, string(m.Format), m.SessionsIncluded,
			m.SessionMinutes, m.Days, m.Mode, m.Location, m.PriceMinor, m.Currency, m.Message, m.Reason,
			nullInt64(m.CancelledBy), nullable(m.ExpiresAt), nullable(m.AcceptedAt), nullable(m.StartedAt),
			nullable(m.EndsAt), m.CreatedAt, m.UpdatedAt, m.FeeBPS}, &id); err != nil {
		return mentorbook.Mentorship{}, err
	}
	return r.get(ctx, id, now, false)
}

func (r mentorships) Save(ctx context.Context, m mentorbook.Mentorship, now time.Time) (mentorbook.Mentorship, error) {
	n, err := r.affected(ctx, `UPDATE mentorships SET status = $1, reason = $2, cancelled_by = $3, expires_at = $4,
			accepted_at = $5, started_at = $6, ends_at = $7, updated_at = $8
		WHERE id = $9`,
		string(m.Status), m.Reason, nullInt64(m.CancelledBy), nullable(m.ExpiresAt), nullable(m.AcceptedAt),
		nullable(m.StartedAt), nullable(m.EndsAt), m.UpdatedAt, m.ID)
	if err != nil {
		return mentorbook.Mentorship{}, err
	}
	if n == 0 {
		return mentorbook.Mentorship{}, notFound("Mentorship")
	}
	return r.get(ctx, m.ID, now, false)
}

// mentorshipWhere builds the filter's condition; args start with now at $1.
func mentorshipWhere(f mentorbook.MentorshipFilter) (string, []any, error) {
	args := []any{f.Now, f.UserID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	party, err := partyWhere("m", f.Role)
	if err != nil {
		return "", nil, err
	}
	where := []string{party}
	if f.ServiceID != 0 {
		where = append(where, `m.service_id = `+arg(f.ServiceID))
	}
	if len(f.Statuses) > 0 {
		where = append(where, inList(mentorshipStatus("$1"), f.Statuses, arg))
	}
	if f.After != nil {
		where = append(where, `(m.created_at, m.id) < (`+arg(f.After.CreatedAt)+`, `+arg(f.After.ID)+`)`)
	}
	return strings.Join(where, " AND "), args, nil
}

func (r mentorships) List(ctx context.Context, f mentorbook.MentorshipFilter) ([]mentorbook.Mentorship, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	where, args, err := mentorshipWhere(f)
	if err != nil {
		return nil, err
	}
	args = append(args, f.Limit)
	rows, err := r.query(ctx, mentorshipSelect("$1")+` WHERE `+where+
		` ORDER BY m.created_at DESC, m.id DESC `+limitClause("$"+strconv.Itoa(len(args))), args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanMentorship)
}

func (r mentorships) Count(ctx context.Context, f mentorbook.MentorshipFilter) (int, error) {
	f.After = nil
	where, args, err := mentorshipWhere(f)
	if err != nil {
		return 0, err
	}
	// The status is selected so that $1 (now) is referenced and typed.
	var n int
	err = r.queryRow(ctx, `SELECT count(*) FROM (SELECT `+mentorshipStatus("$1")+` AS status FROM mentorships m WHERE `+where+`) c`,
		args...).Scan(&n)
	return n, err
}

func (r mentorships) ExpireDue(ctx context.Context, now time.Time) ([]mentorbook.Mentorship, error) {
	// The rows are locked (on PostgreSQL) and then updated in ID order, the
	// order every other writer of several mentorships would use.
	rows, err := r.query(ctx, `SELECT m.id FROM mentorships m
		WHERE (m.status IN ('pending', 'awaiting_payment') AND m.expires_at <= $1)
			OR (m.status = 'active' AND m.ends_at <= $1)
		ORDER BY m.id`+r.d.lockOf(r.d.ForUpdate, "m"), now)
	if err != nil {
		return nil, err
	}
	ids, err := collect(rows, func(row interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	})
	if err != nil {
		return nil, err
	}
	out := make([]mentorbook.Mentorship, 0, len(ids))
	for _, id := range ids {
		var m mentorbook.Mentorship
		if m, err = r.get(ctx, id, now, false); err != nil {
			return nil, err
		}
		// The effective status is what the row becomes; the deadline stays
		// as the record of when it passed.
		if _, err := r.exec(ctx, `UPDATE mentorships SET status = $1, updated_at = $2 WHERE id = $3`,
			string(m.Status), now, id); err != nil {
			return nil, err
		}
		m.UpdatedAt = now
		out = append(out, m)
	}
	return out, nil
}

func (r mentorships) ClaimKey(ctx context.Context, key mentorbook.IdempotencyKey) (int64, string, bool, error) {
	return r.claimKey(ctx, key, "mentorship_id")
}

func (r mentorships) BindKey(ctx context.Context, key mentorbook.IdempotencyKey, id int64) error {
	return r.bindKey(ctx, key, "mentorship_id", id)
}
