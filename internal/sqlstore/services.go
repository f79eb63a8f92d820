package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mentorbook/mentorbook"
)

type services struct{ *tx }

// serviceSelect reads the columns scanService reads. The default service's
// session length is the mentor's availability's (60 minutes before they
// save settings), so it never disagrees with the calendar.
const serviceSelect = `SELECT s.id, s.mentor_id, s.is_default, s.title, s.description, s.price_minor, s.format,
		s.sessions, CASE WHEN s.is_default THEN coalesce(a.session_minutes, 60) ELSE s.session_minutes END,
		s.days, s.mode, s.location, s.active, s.archived_at, s.created_at, s.updated_at
	FROM services s
	LEFT JOIN availability a ON a.mentor_id = s.mentor_id`

func scanService(row interface{ Scan(...any) error }) (mentorbook.Service, error) {
	var s mentorbook.Service
	err := row.Scan(&s.ID, &s.MentorID, &s.IsDefault, &s.Title, &s.Description, &s.PriceMinor, &s.Format,
		&s.Sessions, &s.SessionMinutes, &s.Days, &s.Mode, &s.Location, &s.Active, at(&s.ArchivedAt),
		at(&s.CreatedAt), at(&s.UpdatedAt))
	return s, err
}

func (r services) one(ctx context.Context, where string, args ...any) (mentorbook.Service, error) {
	s, err := scanService(r.queryRow(ctx, serviceSelect+` WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.Service{}, notFound("Service")
	}
	return s, err
}

func (r services) Get(ctx context.Context, id int64) (mentorbook.Service, error) {
	return r.one(ctx, `s.id = $1`, id)
}

func (r services) Default(ctx context.Context, mentorID int64) (mentorbook.Service, error) {
	return r.one(ctx, `s.mentor_id = $1 AND s.is_default`, mentorID)
}

func (r services) Create(ctx context.Context, s mentorbook.Service) (mentorbook.Service, error) {
	var id int64
	if err := r.execScan(ctx, `INSERT INTO services (mentor_id, is_default, title, description, price_minor, format,
			sessions, session_minutes, days, mode, location, active, archived_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		[]any{s.MentorID, s.IsDefault, s.Title, s.Description, s.PriceMinor, string(s.Format), s.Sessions,
			s.SessionMinutes, s.Days, s.Mode, s.Location, s.Active, nullable(s.ArchivedAt), s.CreatedAt, s.UpdatedAt},
		&id); err != nil {
		return mentorbook.Service{}, err
	}
	return r.Get(ctx, id)
}

// defaultService is the free consultation every mentor starts with.
func defaultService(mentorID int64, now time.Time) mentorbook.Service {
	return mentorbook.Service{MentorID: mentorID, IsDefault: true, Title: "Free consultation",
		Format: mentorbook.FormatSessions, Sessions: 1, Mode: mentorbook.ModeOnline, Active: true,
		CreatedAt: now, UpdatedAt: now}
}

func (r services) EnsureDefault(ctx context.Context, mentorID int64, now time.Time) (mentorbook.Service, error) {
	s, err := r.Default(ctx, mentorID)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		// The partial unique index refuses a second default should two
		// transactions get here at once.
		return r.Create(ctx, defaultService(mentorID, now))
	}
	return s, err
}

func (r services) Update(ctx context.Context, s mentorbook.Service) (mentorbook.Service, error) {
	n, err := r.affected(ctx, `UPDATE services SET title = $1, description = $2, price_minor = $3, format = $4,
			sessions = $5, session_minutes = $6, days = $7, mode = $8, location = $9, active = $10,
			archived_at = $11, updated_at = $12
		WHERE id = $13`,
		s.Title, s.Description, s.PriceMinor, string(s.Format), s.Sessions, s.SessionMinutes, s.Days, s.Mode,
		s.Location, s.Active, nullable(s.ArchivedAt), s.UpdatedAt, s.ID)
	if err != nil {
		return mentorbook.Service{}, err
	}
	if n == 0 {
		return mentorbook.Service{}, notFound("Service")
	}
	return r.Get(ctx, s.ID)
}

func (r services) List(ctx context.Context, mentorID int64, public bool) ([]mentorbook.Service, error) {
	rows, err := r.query(ctx, serviceSelect+`
		WHERE s.mentor_id = $1 AND (NOT $2 OR (s.active AND s.archived_at IS NULL))
		ORDER BY s.is_default DESC, s.id`, mentorID, public)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanService)
}
