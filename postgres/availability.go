package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/internal/hoursjson"
	"github.com/mentorbook/mentorbook/schedule"
)

// PutAvailability creates or replaces a mentor's settings.
func (db *DB) PutAvailability(ctx context.Context, a mentorbook.Availability) error {
	weekly, err := hoursjson.EncodeWeekly(a.Weekly)
	if err != nil {
		return err
	}
	if _, err := db.pool.Exec(ctx, `
		INSERT INTO availability (mentor_id, timezone, weekly, session_minutes, slot_interval_minutes,
			min_notice_minutes, horizon_days, buffer_before_minutes, buffer_after_minutes,
			pending_expiry_hours, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (mentor_id) DO UPDATE SET
			timezone = excluded.timezone, weekly = excluded.weekly,
			session_minutes = excluded.session_minutes, slot_interval_minutes = excluded.slot_interval_minutes,
			min_notice_minutes = excluded.min_notice_minutes, horizon_days = excluded.horizon_days,
			buffer_before_minutes = excluded.buffer_before_minutes, buffer_after_minutes = excluded.buffer_after_minutes,
			pending_expiry_hours = excluded.pending_expiry_hours, updated_at = excluded.updated_at`,
		a.MentorID, a.Timezone, weekly, a.SessionMinutes, a.SlotIntervalMinutes,
		a.MinNoticeMinutes, a.HorizonDays, a.BufferBeforeMinutes, a.BufferAfterMinutes,
		a.PendingExpiryHours, orNow(a.UpdatedAt)); err != nil {
		return mapError(err)
	}
	return nil
}

// Availability returns a mentor's saved settings.
func (db *DB) Availability(ctx context.Context, mentorID int64) (mentorbook.Availability, error) {
	a := mentorbook.Availability{MentorID: mentorID}
	var weekly string
	err := db.pool.QueryRow(ctx, `
		SELECT timezone, weekly, session_minutes, slot_interval_minutes, min_notice_minutes, horizon_days,
			buffer_before_minutes, buffer_after_minutes, pending_expiry_hours, updated_at
		FROM availability WHERE mentor_id = $1`, mentorID).
		Scan(&a.Timezone, &weekly, &a.SessionMinutes, &a.SlotIntervalMinutes, &a.MinNoticeMinutes, &a.HorizonDays,
			&a.BufferBeforeMinutes, &a.BufferAfterMinutes, &a.PendingExpiryHours, &a.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return mentorbook.Availability{}, notFound("Availability")
	} else if err != nil {
		return mentorbook.Availability{}, err
	}
	a.UpdatedAt = utc(a.UpdatedAt)
	if a.Weekly, err = hoursjson.DecodeWeekly(weekly); err != nil {
		return mentorbook.Availability{}, err
	}
	return a, nil
}

// PutOverride creates or replaces the override of one date.
func (db *DB) PutOverride(ctx context.Context, o mentorbook.Override) error {
	ivs, err := hoursjson.EncodeLocal(o.Intervals)
	if err != nil {
		return err
	}
	if _, err := db.pool.Exec(ctx, `
		INSERT INTO availability_overrides (mentor_id, date, intervals) VALUES ($1, $2::date, $3)
		ON CONFLICT (mentor_id, date) DO UPDATE SET intervals = excluded.intervals`,
		o.MentorID, o.Date.String(), ivs); err != nil {
		return mapError(err)
	}
	return nil
}

// DeleteOverride removes the override of one date.
func (db *DB) DeleteOverride(ctx context.Context, mentorID int64, d schedule.Date) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM availability_overrides WHERE mentor_id = $1 AND date = $2::date`, mentorID, d.String())
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return notFound("Override")
	}
	return nil
}

// Overrides lists a mentor's overrides with from <= date <= to. Dates are
// passed and read as 'YYYY-MM-DD' text, whatever the server's DateStyle.
func (db *DB) Overrides(ctx context.Context, mentorID int64, from, to schedule.Date) ([]mentorbook.Override, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT to_char(date, 'YYYY-MM-DD'), intervals FROM availability_overrides
		WHERE mentor_id = $1 AND date >= $2::date AND date <= $3::date
		ORDER BY date`, mentorID, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	out := []mentorbook.Override{}
	for rows.Next() {
		var date, ivs string
		if err := rows.Scan(&date, &ivs); err != nil {
			return nil, err
		}
		o := mentorbook.Override{MentorID: mentorID}
		if o.Date, err = schedule.ParseDate(date); err != nil {
			return nil, err
		}
		if o.Intervals, err = hoursjson.DecodeLocal(ivs); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
