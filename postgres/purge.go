package postgres

import (
	"context"
	"time"
)

// DeleteExpiredSessions removes sessions that have expired.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, now)
	return int(tag.RowsAffected()), err
}

// DeleteLoginFailures removes login failures older than before.
func (db *DB) DeleteLoginFailures(ctx context.Context, before time.Time) (int, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM login_failures WHERE at < $1`, before)
	return int(tag.RowsAffected()), err
}
