package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mentorbook/mentorbook"
)

// CreateUser inserts u and returns it with ID and CreatedAt set.
func (db *DB) CreateUser(ctx context.Context, u mentorbook.User, passwordHash string) (mentorbook.User, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return mentorbook.User{}, err
	}
	defer tx.Rollback(ctx)

	u.CreatedAt = orNow(u.CreatedAt).UTC().Truncate(time.Microsecond)
	if err := tx.QueryRow(ctx, `INSERT INTO users (email, password_hash, name, timezone, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		u.Email, passwordHash, u.Name, u.Timezone, u.CreatedAt).Scan(&u.ID); err != nil {
		return mentorbook.User{}, mapError(err)
	}
	u.Mentor = nil
	return u, tx.Commit(ctx)
}

// UserByID returns a user with their mentor profile, if any.
func (db *DB) UserByID(ctx context.Context, id int64) (mentorbook.User, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return mentorbook.User{}, err
	}
	defer tx.Rollback(ctx)
	u, _, err := findUser(ctx, tx, `WHERE id = $1`, id)
	return u, err
}

// UserCredentials returns the user with that email and their password hash.
func (db *DB) UserCredentials(ctx context.Context, email string) (mentorbook.User, string, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return mentorbook.User{}, "", err
	}
	defer tx.Rollback(ctx)
	return findUser(ctx, tx, `WHERE email = $1`, email)
}

// findUser loads one user matching where, with their mentor profile.
func findUser(ctx context.Context, q queryer, where string, args ...any) (mentorbook.User, string, error) {
	var u mentorbook.User
	var hash string
	err := q.QueryRow(ctx, `SELECT id, email, name, timezone, created_at, password_hash FROM users `+where, args...).
		Scan(&u.ID, &u.Email, &u.Name, &u.Timezone, &u.CreatedAt, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return mentorbook.User{}, "", notFound("User")
	} else if err != nil {
		return mentorbook.User{}, "", err
	}
	u.CreatedAt = utc(u.CreatedAt)

	p, err := findMentorProfile(ctx, q, u.ID)
	if err == nil {
		u.Mentor = &p
	} else if mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
		return mentorbook.User{}, "", err
	}
	return u, hash, nil
}

// CreateSession stores a session.
func (db *DB) CreateSession(ctx context.Context, s mentorbook.Session) error {
	if _, err := db.pool.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		s.TokenHash, s.UserID, orNow(s.CreatedAt), s.ExpiresAt); err != nil {
		return mapError(err)
	}
	return nil
}

// SessionUser returns the user of a session with ExpiresAt > now.
func (db *DB) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (mentorbook.User, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return mentorbook.User{}, err
	}
	defer tx.Rollback(ctx)

	var userID int64
	err = tx.QueryRow(ctx, `SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2`, tokenHash, now).Scan(&userID)
	if errors.Is(err, pgx.ErrNoRows) {
		return mentorbook.User{}, notFound("Session")
	} else if err != nil {
		return mentorbook.User{}, err
	}
	u, _, err := findUser(ctx, tx, `WHERE id = $1`, userID)
	return u, err
}

// DeleteSession removes a session; deleting a missing one is not an error,
// so signing out twice is harmless.
func (db *DB) DeleteSession(ctx context.Context, tokenHash []byte) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// AttemptLogin counts the user's failures since and, below max, records
// one at at. It first locks the user's row, so attempts for one user, from
// any app instance, take turns; the count then sees every failure the
// earlier ones committed because READ COMMITTED takes a fresh snapshot per
// statement (it is set explicitly: under REPEATABLE READ the snapshot would
// predate the lock wait). FOR NO KEY UPDATE excludes other attempts but not
// the KEY SHARE locks of foreign-key checks, so inserting the user's
// sessions or bookings does not wait for it.
func (db *DB) AttemptLogin(ctx context.Context, userID int64, at, since time.Time, max int) (bool, time.Time, error) {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return false, time.Time{}, err
	}
	defer tx.Rollback(ctx)

	var id int64
	err = tx.QueryRow(ctx, `SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE`, userID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, time.Time{}, notFound("User")
	} else if err != nil {
		return false, time.Time{}, err
	}
	var n int
	var oldest *time.Time
	if err := tx.QueryRow(ctx, `SELECT count(*), min(at) FROM login_failures WHERE user_id = $1 AND at >= $2`,
		userID, since).Scan(&n, &oldest); err != nil {
		return false, time.Time{}, err
	}
	if n >= max {
		return false, fromNullTime(oldest), nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO login_failures (user_id, at) VALUES ($1, $2)`, userID, at); err != nil {
		return false, time.Time{}, mapError(err)
	}
	return true, time.Time{}, tx.Commit(ctx)
}

// LoginFailures counts failures at or after since and returns the oldest.
func (db *DB) LoginFailures(ctx context.Context, userID int64, since time.Time) (int, time.Time, error) {
	var n int
	var oldest *time.Time
	if err := db.pool.QueryRow(ctx, `SELECT count(*), min(at) FROM login_failures WHERE user_id = $1 AND at >= $2`,
		userID, since).Scan(&n, &oldest); err != nil {
		return 0, time.Time{}, err
	}
	return n, fromNullTime(oldest), nil
}

// ClearLoginFailures forgets a user's failed logins.
func (db *DB) ClearLoginFailures(ctx context.Context, userID int64) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM login_failures WHERE user_id = $1`, userID)
	return err
}
