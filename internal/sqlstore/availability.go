package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/internal/hoursjson"
	"github.com/mentorbook/mentorbook/schedule"
)

type availability struct{ *tx }

func (r availability) Put(ctx context.Context, a mentorbook.Availability) error {
	weekly, err := hoursjson.EncodeWeekly(a.Weekly)
	if err != nil {
		return err
	}
	_, err = r.exec(ctx, `
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
		a.PendingExpiryHours, a.UpdatedAt)
	if err != nil {
		return err
	}
	return r.putWeekSpans(ctx, a)
}

// putWeekSpans replaces the mentor's weekly hours on the UTC week, which
// availability search narrows by, for the offsets the zone has from a day
// before the settings were saved to past the longest horizon.
func (r availability) putWeekSpans(ctx context.Context, a mentorbook.Availability) error {
	loc, err := schedule.LoadZone(a.Timezone)
	if err != nil {
		return err
	}
	spans := schedule.WeekSpans(a.Weekly, loc, a.UpdatedAt.Add(-24*time.Hour), a.UpdatedAt.AddDate(0, 0, maxHorizonDays+1))
	if _, err := r.exec(ctx, `DELETE FROM availability_week WHERE mentor_id = $1`, a.MentorID); err != nil {
		return err
	}
	if len(spans) > 0 {
		var q strings.Builder
		q.WriteString(`INSERT INTO availability_week (mentor_id, start_minute, end_minute) VALUES `)
		args := []any{a.MentorID}
		for i, sp := range spans {
			if i > 0 {
				q.WriteString(", ")
			}
			fmt.Fprintf(&q, "($1, $%d, $%d)", len(args)+1, len(args)+2)
			args = append(args, sp.Start, sp.End)
		}
		if _, err := r.exec(ctx, q.String(), args...); err != nil {
			return err
		}
	}
	_, err = r.exec(ctx, `UPDATE availability SET week_indexed = $1 WHERE mentor_id = $2`, true, a.MentorID)
	return err
}

// maxHorizonDays is the longest horizon a mentor may set (app validates it).
const maxHorizonDays = 3650

func (r availability) Get(ctx context.Context, mentorID int64) (mentorbook.Availability, error) {
	a := mentorbook.Availability{MentorID: mentorID}
	var weekly string
	err := r.queryRow(ctx, `
		SELECT timezone, weekly, session_minutes, slot_interval_minutes, min_notice_minutes, horizon_days,
			buffer_before_minutes, buffer_after_minutes, pending_expiry_hours, updated_at
		FROM availability WHERE mentor_id = $1`, mentorID).
		Scan(&a.Timezone, &weekly, &a.SessionMinutes, &a.SlotIntervalMinutes, &a.MinNoticeMinutes, &a.HorizonDays,
			&a.BufferBeforeMinutes, &a.BufferAfterMinutes, &a.PendingExpiryHours, at(&a.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.Availability{}, notFound("Availability")
	} else if err != nil {
		return mentorbook.Availability{}, err
	}
	if a.Weekly, err = hoursjson.DecodeWeekly(weekly); err != nil {
		return mentorbook.Availability{}, err
	}
	return a, nil
}

func (r availability) PutOverride(ctx context.Context, o mentorbook.Override) error {
	ivs, err := hoursjson.EncodeLocal(o.Intervals)
	if err != nil {
		return err
	}
	_, err = r.exec(ctx, `
		INSERT INTO availability_overrides (mentor_id, date, intervals) VALUES ($1, $2, $3)
		ON CONFLICT (mentor_id, date) DO UPDATE SET intervals = excluded.intervals`,
		o.MentorID, o.Date.String(), ivs)
	return err
}

func (r availability) DeleteOverride(ctx context.Context, mentorID int64, d schedule.Date) error {
	n, err := r.affected(ctx, `DELETE FROM availability_overrides WHERE mentor_id = $1 AND date = $2`, mentorID, d.String())
	if err == nil && n == 0 {
		return notFound("Override")
	}
	return err
}

func (r availability) Overrides(ctx context.Context, mentorID int64, from, to schedule.Date) ([]mentorbook.Override, error) {
	rows, err := r.query(ctx, `
		SELECT date, intervals FROM availability_overrides
		WHERE mentor_id = $1 AND date >= $2 AND date <= $3
		ORDER BY date`, mentorID, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (mentorbook.Override, error) {
		o := mentorbook.Override{MentorID: mentorID}
		var ivs string
		if err := row.Scan(dateCol{&o.Date}, &ivs); err != nil {
			return o, err
		}
		var err error
		o.Intervals, err = hoursjson.DecodeLocal(ivs)
		return o, err
	})
}

func (r availability) SlotsVersion(ctx context.Context, userID int64) (int64, error) {
	var v int64
	err := r.queryRow(ctx, `SELECT coalesce(max(version), 0) FROM slot_versions WHERE user_id = $1`, userID).Scan(&v)
	return v, err
}
