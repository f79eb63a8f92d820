package sqlite

import (
	"context"
	"time"
)

// DeleteExpiredSessions removes sessions that have expired.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	return db.deleteWhere(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, micros(now))
}

// DeleteLoginFailures removes login failures older than before.
func (db *DB) DeleteLoginFailures(ctx context.Context, before time.Time) (int, error) {
	return db.deleteWhere(ctx, `DELETE FROM login_failures WHERE at < ?`, micros(before))
}

// deleteWhere runs one DELETE in a write transaction and counts the rows.
func (db *DB) deleteWhere(ctx context.Context, query string, args ...any) (int, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer db.endWrite(tx)
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	return int(n), tx.Commit()
}
