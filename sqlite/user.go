package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mentorbook/mentorbook"
)

// CreateUser inserts u and returns it with ID and CreatedAt set.
func (db *DB) CreateUser(ctx context.Context, u mentorbook.User, passwordHash string) (mentorbook.User, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return mentorbook.User{}, err
	}
	defer db.endWrite(tx)

	u.CreatedAt = orNow(u.CreatedAt).UTC().Truncate(time.Microsecond)
	res, err := tx.ExecContext(ctx, `INSERT INTO users (email, password_hash, name, timezone, created_at) VALUES (?, ?, ?, ?, ?)`,
		u.Email, passwordHash, u.Name, u.Timezone, micros(u.CreatedAt))
	if err != nil {
		return mentorbook.User{}, mapError(err)
	}
	if u.ID, err = res.LastInsertId(); err != nil {
		return mentorbook.User{}, err
	}
	u.Mentor = nil
	return u, tx.Commit()
}

// UserByID returns a user with their mentor profile, if any.
func (db *DB) UserByID(ctx context.Context, id int64) (mentorbook.User, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return mentorbook.User{}, err
	}
	defer tx.Rollback()
	u, _, err := findUser(ctx, tx, `WHERE id = ?`, id)
	return u, err
}

// UserCredentials returns the user with that email and their password hash.
func (db *DB) UserCredentials(ctx context.Context, email string) (mentorbook.User, string, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return mentorbook.User{}, "", err
	}
	defer tx.Rollback()
	return findUser(ctx, tx, `WHERE email = ?`, email)
}

// findUser loads one user matching where, with their mentor profile.
func findUser(ctx context.Context, q queryer, where string, args ...any) (mentorbook.User, string, error) {
	var u mentorbook.User
	var hash string
	var created int64
	err := q.QueryRowContext(ctx, `SELECT id, email, name, timezone, created_at, password_hash FROM users `+where, args...).
		Scan(&u.ID, &u.Email, &u.Name, &u.Timezone, &created, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.User{}, "", notFound("User")
	} else if err != nil {
		return mentorbook.User{}, "", err
	}
	u.CreatedAt = fromMicros(created)

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
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer db.endWrite(tx)
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		s.TokenHash, s.UserID, micros(orNow(s.CreatedAt)), micros(s.ExpiresAt)); err != nil {
		return mapError(err)
	}
	return tx.Commit()
}

// SessionUser returns the user of a session with ExpiresAt > now.
func (db *DB) SessionUser(ctx context.Context, tokenHash []byte, now time.Time) (mentorbook.User, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return mentorbook.User{}, err
	}
	defer tx.Rollback()

	var userID int64
	err = tx.QueryRowContext(ctx, `SELECT user_id FROM sessions WHERE token_hash = ? AND expires_at > ?`,
		tokenHash, micros(now)).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.User{}, notFound("Session")
	} else if err != nil {
		return mentorbook.User{}, err
	}
	u, _, err := findUser(ctx, tx, `WHERE id = ?`, userID)
	return u, err
}

// DeleteSession removes a session; deleting a missing one is not an error,
// so signing out twice is harmless.
func (db *DB) DeleteSession(ctx context.Context, tokenHash []byte) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer db.endWrite(tx)
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return err
	}
	return tx.Commit()
}

// AttemptLogin counts the user's failures since and, below max, records
// one at at. BEGIN IMMEDIATE takes the database's write lock before the
// count, so no other writer, in this process or another, can record a
// failure between the count and the insert.
func (db *DB) AttemptLogin(ctx context.Context, userID int64, at, since time.Time, max int) (bool, time.Time, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return false, time.Time{}, err
	}
	defer db.endWrite(tx)

	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = ?)`, userID).Scan(&exists); err != nil {
		return false, time.Time{}, err
	} else if !exists {
		return false, time.Time{}, notFound("User")
	}
	var n int
	var oldest sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), min(at) FROM login_failures WHERE user_id = ? AND at >= ?`,
		userID, micros(since)).Scan(&n, &oldest); err != nil {
		return false, time.Time{}, err
	}
	if n >= max {
		return false, fromNullMicros(oldest), nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (user_id, at) VALUES (?, ?)`, userID, micros(at)); err != nil {
		return false, time.Time{}, mapError(err)
	}
	return true, time.Time{}, tx.Commit()
}

// LoginFailures counts failures at or after since and returns the oldest.
func (db *DB) LoginFailures(ctx context.Context, userID int64, since time.Time) (int, time.Time, error) {
	var n int
	var oldest sql.NullInt64
	if err := db.read().QueryRowContext(ctx, `SELECT count(*), min(at) FROM login_failures WHERE user_id = ? AND at >= ?`,
		userID, micros(since)).Scan(&n, &oldest); err != nil {
		return 0, time.Time{}, err
	}
	return n, fromNullMicros(oldest), nil
}

// ClearLoginFailures forgets a user's failed logins.
func (db *DB) ClearLoginFailures(ctx context.Context, userID int64) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer db.endWrite(tx)
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE user_id = ?`, userID); err != nil {
		return err
	}
	return tx.Commit()
}
