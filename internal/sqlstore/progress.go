package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mentorbook/mentorbook"
)

// progress holds a mentorship's tasks, notes and time (migration 0013).
type progress struct{ *tx }

const taskSelect = `SELECT t.id, t.mentorship_id, t.title, t.created_by, u.name, t.done_by, t.done_at, t.created_at, t.updated_at
	FROM mentorship_tasks t JOIN users u ON u.id = t.created_by`

func scanTask(row interface{ Scan(...any) error }) (mentorbook.Task, error) {
	var t mentorbook.Task
	err := row.Scan(&t.ID, &t.MentorshipID, &t.Title, &t.CreatedBy, &t.CreatorName, int64Or0{&t.DoneBy},
		at(&t.DoneAt), at(&t.CreatedAt), at(&t.UpdatedAt))
	return t, err
}

func (r progress) AddTask(ctx context.Context, t mentorbook.Task) (mentorbook.Task, error) {
	var id int64
	if err := r.execScan(ctx, `INSERT INTO mentorship_tasks (mentorship_id, title, created_by, done_by, done_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		[]any{t.MentorshipID, t.Title, t.CreatedBy, nullInt64(t.DoneBy), nullable(t.DoneAt), t.CreatedAt, t.UpdatedAt}, &id); err != nil {
		return mentorbook.Task{}, err
	}
	return r.Task(ctx, t.MentorshipID, id)
}

func (r progress) Task(ctx context.Context, mentorshipID, id int64) (mentorbook.Task, error) {
	t, err := scanTask(r.queryRow(ctx, taskSelect+` WHERE t.id = $1 AND t.mentorship_id = $2`, id, mentorshipID))
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound("Task")
	}
	return t, err
}

func (r progress) SaveTask(ctx context.Context, t mentorbook.Task) (mentorbook.Task, error) {
	n, err := r.affected(ctx, `UPDATE mentorship_tasks SET title = $1, done_by = $2, done_at = $3, updated_at = $4
		WHERE id = $5 AND mentorship_id = $6`,
		t.Title, nullInt64(t.DoneBy), nullable(t.DoneAt), t.UpdatedAt, t.ID, t.MentorshipID)
	if err != nil {
		return mentorbook.Task{}, err
	}
	if n == 0 {
		return mentorbook.Task{}, notFound("Task")
	}
	return r.Task(ctx, t.MentorshipID, t.ID)
}

func (r progress) DeleteTask(ctx context.Context, mentorshipID, id int64) error {
	n, err := r.affected(ctx, `DELETE FROM mentorship_tasks WHERE id = $1 AND mentorship_id = $2`, id, mentorshipID)
	if err == nil && n == 0 {
		err = notFound("Task")
	}
	return err
}

func (r progress) Tasks(ctx context.Context, mentorshipID int64) ([]mentorbook.Task, error) {
	rows, err := r.query(ctx, taskSelect+` WHERE t.mentorship_id = $1 ORDER BY t.id`, mentorshipID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanTask)
}

const noteSelect = `SELECT n.id, n.mentorship_id, n.author_id, u.name, n.booking_id, n.body, n.shared, n.created_at
	FROM mentorship_notes n JOIN users u ON u.id = n.author_id`

func scanNote(row interface{ Scan(...any) error }) (mentorbook.Note, error) {
	var n mentorbook.Note
	err := row.Scan(&n.ID, &n.MentorshipID, &n.AuthorID, &n.AuthorName, int64Or0{&n.BookingID}, &n.Body, &n.Shared, at(&n.CreatedAt))
	return n, err
}

func (r progress) AddNote(ctx context.Context, n mentorbook.Note) (mentorbook.Note, error) {
	var id int64
	if err := r.execScan(ctx, `INSERT INTO mentorship_notes (mentorship_id, author_id, booking_id, body, shared, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		[]any{n.MentorshipID, n.AuthorID, nullInt64(n.BookingID), n.Body, n.Shared, n.CreatedAt}, &id); err != nil {
		return mentorbook.Note{}, err
	}
	return scanNote(r.queryRow(ctx, noteSelect+` WHERE n.id = $1`, id))
}

func (r progress) Notes(ctx context.Context, mentorshipID, viewerID int64) ([]mentorbook.Note, error) {
	rows, err := r.query(ctx, noteSelect+` WHERE n.mentorship_id = $1 AND (n.shared OR n.author_id = $2) ORDER BY n.id`,
		mentorshipID, viewerID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanNote)
}

const timeSelect = `SELECT id, mentorship_id, mentor_id, minutes, date, note, created_at FROM time_entries`

func scanTime(row interface{ Scan(...any) error }) (mentorbook.TimeEntry, error) {
	var e mentorbook.TimeEntry
	err := row.Scan(&e.ID, &e.MentorshipID, &e.MentorID, &e.Minutes, dateCol{&e.Date}, &e.Note, at(&e.CreatedAt))
	return e, err
}

func (r progress) AddTime(ctx context.Context, e mentorbook.TimeEntry) (mentorbook.TimeEntry, error) {
	var id int64
	if err := r.execScan(ctx, `INSERT INTO time_entries (mentorship_id, mentor_id, minutes, date, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		[]any{e.MentorshipID, e.MentorID, e.Minutes, e.Date.String(), e.Note, e.CreatedAt}, &id); err != nil {
		return mentorbook.TimeEntry{}, err
	}
	return scanTime(r.queryRow(ctx, timeSelect+` WHERE id = $1`, id))
}

func (r progress) Time(ctx context.Context, mentorshipID int64) ([]mentorbook.TimeEntry, error) {
	rows, err := r.query(ctx, timeSelect+` WHERE mentorship_id = $1 ORDER BY date, id`, mentorshipID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanTime)
}

func (r progress) Progress(ctx context.Context, mentorshipID int64) (mentorbook.Progress, error) {
	var p mentorbook.Progress
	err := r.queryRow(ctx, `SELECT
			(SELECT count(*) FROM mentorship_tasks WHERE mentorship_id = $1 AND done_at IS NOT NULL),
			(SELECT count(*) FROM mentorship_tasks WHERE mentorship_id = $1),
			(SELECT coalesce(sum(minutes), 0) FROM time_entries WHERE mentorship_id = $1)`, mentorshipID).
		Scan(&p.TasksDone, &p.TasksTotal, &p.Minutes)
	return p, err
}
