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

type jobs struct{ *tx }

const jobColumns = `id, kind, key, payload, status, run_at, attempts, max_attempts, locked_until, last_error, created_at, updated_at`

func scanJob(row interface{ Scan(...any) error }) (mentorbook.Job, error) {
	var j mentorbook.Job
	var payload string
	err := row.Scan(&j.ID, &j.Kind, &j.Key, &payload, &j.Status, at(&j.RunAt), &j.Attempts, &j.MaxAttempts,
		at(&j.LockedUntil), &j.LastError, at(&j.CreatedAt), at(&j.UpdatedAt))
	j.Payload = []byte(payload)
	return j, err
}

func (r jobs) Enqueue(ctx context.Context, j mentorbook.Job) (bool, error) {
	if j.MaxAttempts <= 0 {
		return false, mentorbook.Errorf(mentorbook.EINVALID, "MaxAttempts must be positive.")
	}
	// A job without a key is never a duplicate: the unique index covers
	// keyed jobs only.
	n, err := r.affected(ctx, `INSERT INTO jobs (kind, key, payload, status, run_at, attempts, max_attempts,
			last_error, created_at, updated_at)
		VALUES ($1, $2, $3, 'queued', $4, 0, $5, '', $6, $6)
		ON CONFLICT (kind, key) WHERE key <> '' DO NOTHING`,
		j.Kind, j.Key, string(j.Payload), j.RunAt, j.MaxAttempts, j.CreatedAt)
	return n == 1, err
}

func (r jobs) Claim(ctx context.Context, now, lease time.Time) (mentorbook.Job, bool, error) {
	q, err := r.writer()
	if err != nil {
		return mentorbook.Job{}, false, err
	}
	var id int64
	err = q.QueryRowContext(r.ctx, `SELECT id FROM jobs
		WHERE (status = 'queued' AND run_at <= $1) OR (status = 'running' AND locked_until <= $1)
		ORDER BY run_at, id LIMIT 1`+r.d.SkipLocked, now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.Job{}, false, nil
	} else if err != nil {
		return mentorbook.Job{}, false, err
	}
	j, err := scanJob(q.QueryRowContext(r.ctx, `UPDATE jobs
		SET status = 'running', locked_until = $2, attempts = attempts + 1, updated_at = $1
		WHERE id = $3 RETURNING `+jobColumns, now, lease, id))
	return j, err == nil, err
}

func (r jobs) Finish(ctx context.Context, j mentorbook.Job, status mentorbook.JobStatus, runAt time.Time, lastError string, now time.Time) error {
	// A done job's payload is erased: it is not needed any more (the key
	// still deduplicates), and an email's may hold a password reset link.
	n, err := r.affected(ctx, `UPDATE jobs SET status = $1, run_at = $2, last_error = $3, locked_until = NULL, updated_at = $4,
			payload = CASE WHEN $1 = 'done' THEN '{}' ELSE payload END
		WHERE id = $5 AND status = 'running' AND attempts = $6`,
		string(status), runAt, lastError, now, j.ID, j.Attempts)
	if err == nil && n == 0 {
		return mentorbook.Errorf(mentorbook.ECONFLICT, "Job %d is no longer in attempt %d.", j.ID, j.Attempts)
	}
	return err
}

func (r jobs) List(ctx context.Context, statuses []mentorbook.JobStatus, limit int) ([]mentorbook.Job, error) {
	args := []any{limit}
	where := ""
	if len(statuses) > 0 {
		names := make([]string, len(statuses))
		for i, s := range statuses {
			args = append(args, string(s))
			names[i] = "$" + strconv.Itoa(len(args))
		}
		where = `WHERE status IN (` + strings.Join(names, ", ") + `)`
	}
	rows, err := r.query(ctx, `SELECT `+jobColumns+` FROM jobs `+where+` ORDER BY run_at, id `+limitClause("$1"), args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanJob)
}

func (r jobs) DeleteFinished(ctx context.Context, before time.Time) (int, error) {
	return r.affected(ctx, `DELETE FROM jobs WHERE status IN ('done', 'failed') AND updated_at < $1`, before)
}
