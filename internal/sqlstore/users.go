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
	u, _, err := r.find(ctx, nil, `WHERE u.id = $1`, id)
	return u, err
}

func (r users) Credentials(ctx context.Context, email string) (mentorbook.User, string, error) {
	return r.find(ctx, nil, `WHERE u.email = $1`, email)
}

// find loads one user matching where, with their mentor profile, in one
// statement. With expires, where joins a session s, whose expiry it reads.
func (r users) find(ctx context.Context, expires *time.Time, where string, args ...any) (mentorbook.User, string, error) {
	var u mentorbook.User
	var hash string
	var p mentorbook.MentorProfile
	var headline, bio, skills sql.NullString
	var active sql.NullBool
	var maxActive, years sql.NullInt64
	var links, languages, meetingURL sql.NullString
	dest := []any{&u.ID, &u.Email, &u.Name, &u.Timezone, at(&u.CreatedAt), &hash, atOpt(&u.DeletedAt), &u.Admin,
		&headline, &bio, &active, &maxActive, at(&p.UpdatedAt), &skills, &links, &languages, &years, &meetingURL}
	session := ""
	if expires != nil {
		session, dest = ", s.expires_at", append(dest, at(expires))
	}
	err := r.queryRow(ctx, `SELECT u.id, u.email, u.name, u.timezone, u.created_at, u.password_hash, u.deleted_at, u.is_admin,
			p.headline, p.bio, p.active, p.max_active_mentorships, p.updated_at, `+skillsColumn+`,
			p.links, p.languages, p.years_experience, p.meeting_url`+session+`
		FROM users u LEFT JOIN mentor_profiles p ON p.user_id = u.id `+where, args...).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.User{}, "", notFound("User")
	} else if err != nil {
		return mentorbook.User{}, "", err
	}
	if headline.Valid {
		p.UserID, p.Headline, p.Bio, p.Active, p.Skills = u.ID, headline.String, bio.String, active.Bool, splitSkills(skills.String)
		p.MaxActiveMentorships = int(maxActive.Int64)
		p.Credentials = credentials(links.String, languages.String, years.Int64)
		p.MeetingURL = meetingURL.String
		u.Mentor = &p
	}
	return u, hash, nil
}

func (r users) Lock(ctx context.Context, ids ...int64) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	names, args := make([]string, len(ids)), make([]any, len(ids))
	for i, id := range ids {
		names[i], args[i] = "$"+strconv.Itoa(i+1), id
	}
	// Rows are locked as the sorted result is read: in ID order.
	rows, err := r.query(ctx, `SELECT id FROM users WHERE id IN (`+strings.Join(names, ", ")+`) ORDER BY id`+r.d.ForNoKeyUpdate, args...)
	if err != nil {
		return err
	}
	got, err := IDs(rows)
	if err == nil && len(got) != len(ids) {
		return notFound("User")
	}
	return err
}

func (r users) Admins(ctx context.Context) ([]mentorbook.User, error) {
	rows, err := r.query(ctx, `SELECT id FROM users WHERE is_admin AND deleted_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, err
	}
	ids, err := IDs(rows)
	if err != nil {
		return nil, err
	}
	out := make([]mentorbook.User, 0, len(ids))
	for _, id := range ids {
		u, err := r.ByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

func (r users) SetAdmin(ctx context.Context, email string, admin bool) (mentorbook.User, error) {
	if err := r.one(ctx, "User", `UPDATE users SET is_admin = $1 WHERE email = $2 AND deleted_at IS NULL`, admin, email); err != nil {
		return mentorbook.User{}, err
	}
	u, _, err := r.find(ctx, nil, `WHERE u.email = $1`, email)
	return u, err
}

func (r users) CreateSession(ctx context.Context, s mentorbook.Session) error {
	_, err := r.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		s.TokenHash, s.UserID, s.CreatedAt, s.ExpiresAt)
	return err
}

func (r users) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (mentorbook.User, time.Time, error) {
	var expires time.Time
	u, _, err := r.find(ctx, &expires, `JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1 AND s.expires_at > $2`, tokenHash, now)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return mentorbook.User{}, time.Time{}, notFound("Session")
	}
	return u, expires, err
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

func (r users) Update(ctx context.Context, id int64, name, timezone string) error {
	if err := r.one(ctx, "User", `UPDATE users SET name = $2, timezone = $3 WHERE id = $1 AND deleted_at IS NULL`, id, name, timezone); err != nil {
		return err
	}
	_, err := r.tx.refreshSearch(ctx, id) // a mentor is found by their new name
	return err
}

func (r users) SetPassword(ctx context.Context, id int64, passwordHash string) error {
	return r.one(ctx, "User", `UPDATE users SET password_hash = $2 WHERE id = $1 AND deleted_at IS NULL`, id, passwordHash)
}

func (r users) SetEmail(ctx context.Context, id int64, email string) error {
	return r.one(ctx, "User", `UPDATE users SET email = $2 WHERE id = $1 AND deleted_at IS NULL`, id, email)
}

// one runs a statement that must change exactly one row of what.
func (r users) one(ctx context.Context, what, query string, args ...any) error {
	n, err := r.affected(ctx, query, args...)
	if err == nil && n == 0 {
		return notFound(what)
	}
	return err
}

func (r users) DeleteSessions(ctx context.Context, userID int64, keep []byte) (int, error) {
	if keep == nil {
		keep = []byte{}
	}
	return r.affected(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, userID, keep)
}

func (r users) MarkDeleted(ctx context.Context, id int64, now time.Time) error {
	// The email becomes one no one can have (no dot after the @ fails
	// validation), freeing the real address for a new account.
	err := r.one(ctx, "User", `UPDATE users SET name = $2, email = 'deleted-' || id || '@deleted', password_hash = '',
		deleted_at = $3 WHERE id = $1 AND deleted_at IS NULL`, id, mentorbook.DeletedName, now)
	if err != nil {
		return err
	}
	if _, err := r.exec(ctx, `UPDATE mentor_profiles SET active = $2, updated_at = $3 WHERE user_id = $1`, id, false, now); err != nil {
		return err
	}
	for _, table := range []string{"sessions", "password_resets", "login_failures"} {
		if _, err := r.exec(ctx, `DELETE FROM `+table+` WHERE user_id = $1`, id); err != nil {
			return err
		}
	}
	return nil
}

func (r users) CreatePasswordReset(ctx context.Context, p mentorbook.PasswordReset) error {
	_, err := r.exec(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		p.TokenHash, p.UserID, p.CreatedAt, p.ExpiresAt)
	return err
}

func (r users) UsePasswordReset(ctx context.Context, tokenHash []byte, now time.Time) (int64, error) {
	var userID int64
	err := r.execScan(ctx, `UPDATE password_resets SET used_at = $2
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id`,
		[]any{tokenHash, now}, &userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("Reset token")
	}
	return userID, err
}

func (r users) AddResetRequest(ctx context.Context, emailHash []byte, when, since time.Time) (int, time.Time, error) {
	if _, err := r.exec(ctx, `INSERT INTO password_reset_requests (email_hash, at) VALUES ($1, $2)`, emailHash, when); err != nil {
		return 0, time.Time{}, err
	}
	var n int
	var oldest time.Time
	err := r.queryRow(ctx, `SELECT count(*), min(at) FROM password_reset_requests WHERE email_hash = $1 AND at >= $2`,
		emailHash, since).Scan(&n, at(&oldest))
	return n, oldest, err
}

func (r users) DeleteResetData(ctx context.Context, before time.Time) (int, error) {
	n, err := r.affected(ctx, `DELETE FROM password_reset_requests WHERE at < $1`, before)
	if err != nil {
		return n, err
	}
	m, err := r.affected(ctx, `DELETE FROM password_resets WHERE expires_at < $1`, before)
	return n + m, err
}

func (r users) CalendarFeed(ctx context.Context, userID int64) ([]byte, error) {
	var nonce []byte
	err := r.queryRow(ctx, `SELECT nonce FROM calendar_feeds WHERE user_id = $1`, userID).Scan(&nonce)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Calendar feed")
	}
	return nonce, err
}

func (r users) SetCalendarFeed(ctx context.Context, userID int64, nonce, tokenHash []byte, at time.Time) error {
	_, err := r.exec(ctx, `INSERT INTO calendar_feeds (user_id, nonce, token_hash, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id) DO UPDATE SET nonce = excluded.nonce, token_hash = excluded.token_hash, created_at = excluded.created_at`,
		userID, nonce, tokenHash, at)
	return err
}

func (r users) CalendarFeedUser(ctx context.Context, tokenHash []byte) (int64, error) {
	var id int64
	err := r.queryRow(ctx, `SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id AND u.deleted_at IS NULL
		WHERE f.token_hash = $1`, tokenHash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("Calendar feed")
	}
	return id, err
}
