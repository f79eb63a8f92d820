package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mentorbook/mentorbook"
)

type users struct{ *tx }

func (r users) Create(ctx context.Context, u mentorbook.User, passwordHash string) (mentorbook.User, error) {
	u.Mentor = nil
	// As both engines keep it: UTC, to the microsecond.
	u.CreatedAt = u.CreatedAt.UTC().Truncate(time.Microsecond)
	err := r.execScan(ctx, `INSERT INTO users (email, password_hash, name, timezone, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		[]any{u.Email, passwordHash, u.Name, u.Timezone, u.CreatedAt}, &u.ID)
	return u, err
}

func (r users) ByID(ctx context.Context, id int64) (mentorbook.User, error) {
	u, _, err := r.find(ctx, `WHERE u.id = $1`, id)
	return u, err
}

func (r users) Credentials(ctx context.Context, email string) (mentorbook.User, string, error) {
	return r.find(ctx, `WHERE u.email = $1`, email)
}

// find loads one user matching where, with their mentor profile, in one
// statement.
func (r users) find(ctx context.Context, where string, args ...any) (mentorbook.User, string, error) {
	var u mentorbook.User
	var hash string
	var p mentorbook.MentorProfile
	var headline, bio, skills sql.NullString
	var active sql.NullBool
	var maxActive sql.NullInt64
	err := r.queryRow(ctx, `SELECT u.id, u.email, u.name, u.timezone, u.created_at, u.password_hash,
			p.headline, p.bio, p.active, p.max_active_mentorships, p.updated_at, `+skillsColumn+`
		FROM users u LEFT JOIN mentor_profiles p ON p.user_id = u.id `+where, args...).
		Scan(&u.ID, &u.Email, &u.Name, &u.Timezone, at(&u.CreatedAt), &hash,
			&headline, &bio, &active, &maxActive, at(&p.UpdatedAt), &skills)
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.User{}, "", notFound("User")
	} else if err != nil {
		return mentorbook.User{}, "", err
	}
	if headline.Valid {
		p.UserID, p.Headline, p.Bio, p.Active, p.Skills = u.ID, headline.String, bio.String, active.Bool, splitSkills(skills.String)
		p.MaxActiveMentorships = int(maxActive.Int64)
		u.Mentor = &p
	}
	return u, hash, nil
}

func (r users) Lock(ctx context.Context, id int64) error {
	var got int64
	err := r.queryRow(ctx, `SELECT id FROM users WHERE id = $1`+r.d.ForNoKeyUpdate, id).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("User")
	}
	return err
}

func (r users) CreateSession(ctx context.Context, s mentorbook.Session) error {
	_, err := r.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		s.TokenHash, s.UserID, s.CreatedAt, s.ExpiresAt)
	return err
}

func (r users) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (mentorbook.User, error) {
	u, _, err := r.find(ctx, `JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1 AND s.expires_at > $2`, tokenHash, now)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return mentorbook.User{}, notFound("Session")
	}
	return u, err
}

func (r users) DeleteSession(ctx context.Context, tokenHash []byte) error {
	_, err := r.exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return err
}

func (r users) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	return r.affected(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, now)
}

func (r users) LoginFailures(ctx context.Context, userID int64, since time.Time) (int, time.Time, error) {
	var n int
	var oldest time.Time
	err := r.queryRow(ctx, `SELECT count(*), min(at) FROM login_failures WHERE user_id = $1 AND at >= $2`,
		userID, since).Scan(&n, at(&oldest))
	return n, oldest, err
}

func (r users) AddLoginFailure(ctx context.Context, userID int64, when time.Time) error {
	_, err := r.exec(ctx, `INSERT INTO login_failures (user_id, at) VALUES ($1, $2)`, userID, when)
	return err
}

func (r users) ClearLoginFailures(ctx context.Context, userID int64) error {
	_, err := r.exec(ctx, `DELETE FROM login_failures WHERE user_id = $1`, userID)
	return err
}

func (r users) DeleteLoginFailures(ctx context.Context, before time.Time) (int, error) {
	return r.affected(ctx, `DELETE FROM login_failures WHERE at < $1`, before)
}
