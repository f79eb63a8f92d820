package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
)

type notifications struct{ *tx }

const notificationColumns = `id, user_id, kind, title, body, link, created_at, read_at`

func scanNotification(row interface{ Scan(...any) error }) (mentorbook.Notification, error) {
	var n mentorbook.Notification
	var read time.Time
	err := row.Scan(&n.ID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, at(&n.CreatedAt), at(&read))
	if !read.IsZero() {
		n.ReadAt = &read
	}
	return n, err
}

func (r notifications) Create(ctx context.Context, n mentorbook.Notification) (mentorbook.Notification, error) {
	n.CreatedAt = n.CreatedAt.UTC().Truncate(time.Microsecond)
	n.ReadAt = nil
	err := r.execScan(ctx, `INSERT INTO notifications (user_id, kind, title, body, link, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		[]any{n.UserID, string(n.Kind), n.Title, n.Body, n.Link, n.CreatedAt}, &n.ID)
	return n, err
}

func (r notifications) List(ctx context.Context, f mentorbook.NotificationFilter) ([]mentorbook.Notification, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	where := `user_id = $1`
	args := []any{f.UserID, f.Limit}
	if f.UnreadOnly {
		where += ` AND read_at IS NULL`
	}
	if f.BeforeID > 0 {
		args = append(args, f.BeforeID)
		where += ` AND id < $3`
	}
	rows, err := r.query(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE `+where+
		` ORDER BY id DESC `+limitClause("$2"), args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanNotification)
}

func (r notifications) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := r.queryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID).Scan(&n)
	return n, err
}

// maxMarkIDs bounds one MarkRead's list, which becomes placeholders.
const maxMarkIDs = 500

func (r notifications) MarkRead(ctx context.Context, userID int64, ids []int64, all bool, now time.Time) (int, error) {
	where := ``
	args := []any{now, userID}
	if !all {
		if len(ids) == 0 {
			return 0, nil
		}
		if len(ids) > maxMarkIDs {
			return 0, mentorbook.Errorf(mentorbook.EINVALID, "At most %d IDs at once.", maxMarkIDs)
		}
		names := make([]string, len(ids))
		for i, id := range ids {
			args = append(args, id)
			names[i] = "$" + strconv.Itoa(len(args))
		}
		where = ` AND id IN (` + strings.Join(names, ", ") + `)`
	}
	return r.affected(ctx, `UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL`+where, args...)
}

func (r notifications) EmailOff(ctx context.Context, userID int64) ([]mentorbook.NotificationKind, error) {
	rows, err := r.query(ctx, `SELECT kind FROM notification_email_off WHERE user_id = $1 ORDER BY kind`, userID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (mentorbook.NotificationKind, error) {
		var k mentorbook.NotificationKind
		err := row.Scan(&k)
		return k, err
	})
}

func (r notifications) SetEmail(ctx context.Context, userID int64, kind mentorbook.NotificationKind, on bool) error {
	var err error
	if on {
		_, err = r.exec(ctx, `DELETE FROM notification_email_off WHERE user_id = $1 AND kind = $2`, userID, string(kind))
	} else {
		_, err = r.exec(ctx, `INSERT INTO notification_email_off (user_id, kind) VALUES ($1, $2)
			ON CONFLICT (user_id, kind) DO NOTHING`, userID, string(kind))
	}
	return err
}

func (r notifications) SigningKey(ctx context.Context, name string) ([]byte, error) {
	var key []byte
	err := r.queryRow(ctx, `SELECT key FROM signing_keys WHERE name = $1`, name).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("Signing key")
	}
	return key, err
}
