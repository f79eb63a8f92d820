package sqlite

import (
	"context"
	"database/sql"
	"errors"

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
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer db.endWrite(tx)

	if _, err := tx.ExecContext(ctx, `
		INSERT INTO availability (mentor_id, timezone, weekly, session_minutes, slot_interval_minutes,
			min_notice_minutes, horizon_days, buffer_before_minutes, buffer_after_minutes,
			pending_expiry_hours, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (mentor_id) DO UPDATE SET
			timezone = excluded.timezone, weekly = excluded.weekly,
			session_minutes = excluded.session_minutes, slot_interval_minutes = excluded.slot_interval_minutes,
			min_notice_minutes = excluded.min_notice_minutes, horizon_days = excluded.horizon_days,
			buffer_before_minutes = excluded.buffer_before_minutes, buffer_after_minutes = excluded.buffer_after_minutes,
			pending_expiry_hours = excluded.pending_expiry_hours, updated_at = excluded.updated_at`,
		a.MentorID, a.Timezone, weekly, a.SessionMinutes, a.SlotIntervalMinutes,
		a.MinNoticeMinutes, a.HorizonDays, a.BufferBeforeMinutes, a.BufferAfterMinutes,
		a.PendingExpiryHours, micros(orNow(a.UpdatedAt))); err != nil {
		return mapError(err)
	}
	return tx.Commit()
}

// Availability returns a mentor's saved settings.
func (db *DB) Availability(ctx context.Context, mentorID int64) (mentorbook.Availability, error) {
	a := mentorbook.Availability{MentorID: mentorID}
	var weekly string
	var updated int64
	err := db.read().QueryRowContext(ctx, `
		SELECT timezone, weekly, session_minutes, slot_interval_minutes, min_notice_minutes, horizon_days,
			buffer_before_minutes, buffer_after_minutes, pending_expiry_hours, updated_at
		FROM availability WHERE mentor_id = ?`, mentorID).
		Scan(&a.Timezone, &weekly, &a.SessionMinutes, &a.SlotIntervalMinutes, &a.MinNoticeMinutes, &a.HorizonDays,
			&a.BufferBeforeMinutes, &a.BufferAfterMinutes, &a.PendingExpiryHours, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.Availability{}, notFound("Availability")
	} else if err != nil {
		return mentorbook.Availability{}, err
	}
	a.UpdatedAt = fromMicros(updated)
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
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer db.endWrite(tx)
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO availability_overrides (mentor_id, date, intervals) VALUES (?, ?, ?)
		ON CONFLICT (mentor_id, date) DO UPDATE SET intervals = excluded.intervals`,
		o.MentorID, o.Date.String(), ivs); err != nil {
		return mapError(err)
	}
	return tx.Commit()
}

// DeleteOverride removes the override of one date.
func (db *DB) DeleteOverride(ctx context.Context, mentorID int64, d schedule.Date) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer db.endWrite(tx)
	res, err := tx.ExecContext(ctx, `DELETE FROM availability_overrides WHERE mentor_id = ? AND date = ?`, mentorID, d.String())
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound("Override")
	}
	return tx.Commit()
}

// Overrides lists a mentor's overrides with from <= date <= to; 'YYYY-MM-DD'
// text sorts and compares like the dates.
func (db *DB) Overrides(ctx context.Context, mentorID int64, from, to schedule.Date) ([]mentorbook.Override, error) {
	rows, err := db.read().QueryContext(ctx, `
		SELECT date, intervals FROM availability_overrides
		WHERE mentor_id = ? AND date >= ? AND date <= ?
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
