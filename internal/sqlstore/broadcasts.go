package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/mentorbook/mentorbook"
)

type broadcasts struct{ *tx }

// broadcastSelect reads a broadcast with its author's name, skills and how
// many responses it has.
var broadcastSelect = `SELECT b.id, b.author_id, u.name, b.title, b.body, ` +
	skillsOf("broadcast_skills", "broadcast_id", "b.id") + `, b.status,
		(SELECT count(*) FROM broadcast_responses r WHERE r.broadcast_id = b.id),
		b.created_at, b.updated_at
	FROM broadcasts b
	JOIN users u ON u.id = b.author_id`

func scanBroadcast(row interface{ Scan(...any) error }) (mentorbook.Broadcast, error) {
	var b mentorbook.Broadcast
	var skills sql.NullString
	err := row.Scan(&b.ID, &b.AuthorID, &b.AuthorName, &b.Title, &b.Body, &skills, &b.Status,
		&b.ResponsesCount, at(&b.CreatedAt), at(&b.UpdatedAt))
	b.Skills = splitSkills(skills.String)
	return b, err
}

func (r broadcasts) Create(ctx context.Context, b mentorbook.Broadcast) (mentorbook.Broadcast, error) {
	var id int64
	if err := r.execScan(ctx, `INSERT INTO broadcasts (author_id, title, body, search_text, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		[]any{b.AuthorID, b.Title, b.Body, searchText(b.Title, b.Body), string(b.Status), b.CreatedAt, b.UpdatedAt}, &id); err != nil {
		return mentorbook.Broadcast{}, err
	}
	if err := r.putSkills(ctx, "broadcast_skills", "broadcast_id", id, b.Skills); err != nil {
		return mentorbook.Broadcast{}, err
	}
	return r.Get(ctx, id, false)
}

func (r broadcasts) Get(ctx context.Context, id int64, lock bool) (mentorbook.Broadcast, error) {
	query := broadcastSelect + ` WHERE b.id = $1`
	if lock {
		query += r.d.lockOf(r.d.ForUpdate, "b")
	}
	b, err := scanBroadcast(r.queryRow(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.Broadcast{}, notFound("Broadcast")
	}
	return b, err
}

func (r broadcasts) Update(ctx context.Context, b mentorbook.Broadcast) (mentorbook.Broadcast, error) {
	n, err := r.affected(ctx, `UPDATE broadcasts SET title = $1, body = $2, search_text = $3, status = $4, updated_at = $5
		WHERE id = $6`, b.Title, b.Body, searchText(b.Title, b.Body), string(b.Status), b.UpdatedAt, b.ID)
	if err != nil {
		return mentorbook.Broadcast{}, err
	}
	if n == 0 {
		return mentorbook.Broadcast{}, notFound("Broadcast")
	}
	if err := r.putSkills(ctx, "broadcast_skills", "broadcast_id", b.ID, b.Skills); err != nil {
		return mentorbook.Broadcast{}, err
	}
	return r.Get(ctx, b.ID, false)
}

func (r broadcasts) Delete(ctx context.Context, id int64) error {
	n, err := r.affected(ctx, `DELETE FROM broadcasts WHERE id = $1`, id)
	if err == nil && n == 0 {
		err = notFound("Broadcast")
	}
	return err
}

func (r broadcasts) List(ctx context.Context, f mentorbook.BroadcastFilter) ([]mentorbook.Broadcast, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	var where strings.Builder
	where.WriteString(` WHERE (b.id < $1 OR $1 = 0) AND (b.status = $2 OR $2 = '') AND (b.author_id = $3 OR $3 = 0)
		AND ($4 = '' OR EXISTS (SELECT 1 FROM broadcast_skills s WHERE s.broadcast_id = b.id AND s.skill = $4))`)
	args := []any{f.BeforeID, string(f.Status), f.AuthorID, f.Skill}
	args = likeWords(&where, "b.search_text", f.Words, args)
	args = append(args, f.Limit)
	rows, err := r.query(ctx, broadcastSelect+where.String()+` ORDER BY b.id DESC `+limitClause("$"+strconv.Itoa(len(args))), args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanBroadcast)
}

func (r broadcasts) Respond(ctx context.Context, resp mentorbook.BroadcastResponse) (mentorbook.BroadcastResponse, error) {
	var id int64
	if err := r.execScan(ctx, `INSERT INTO broadcast_responses (broadcast_id, mentor_id, message, service_id, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		[]any{resp.BroadcastID, resp.MentorID, resp.Message, nullInt64(resp.ServiceID), resp.CreatedAt}, &id); err != nil {
		return mentorbook.BroadcastResponse{}, err
	}
	out, err := collectResponses(r.query(ctx, responseSelect+` WHERE r.id = $1`, id))
	if err != nil {
		return mentorbook.BroadcastResponse{}, err
	}
	if len(out) == 0 {
		return mentorbook.BroadcastResponse{}, notFound("Response")
	}
	return out[0], nil
}

const responseSelect = `SELECT r.id, r.broadcast_id, r.mentor_id, u.name, r.message, r.service_id,
		coalesce(s.title, ''), coalesce(s.price_minor, 0), r.created_at
	FROM broadcast_responses r
	JOIN users u ON u.id = r.mentor_id
	LEFT JOIN services s ON s.id = r.service_id`

func scanResponse(row interface{ Scan(...any) error }) (mentorbook.BroadcastResponse, error) {
	var resp mentorbook.BroadcastResponse
	err := row.Scan(&resp.ID, &resp.BroadcastID, &resp.MentorID, &resp.MentorName, &resp.Message,
		int64Or0{&resp.ServiceID}, &resp.ServiceTitle, &resp.ServicePriceMinor, at(&resp.CreatedAt))
	return resp, err
}

func collectResponses(rows *sql.Rows, err error) ([]mentorbook.BroadcastResponse, error) {
	if err != nil {
		return nil, err
	}
	return collect(rows, scanResponse)
}

func (r broadcasts) Responses(ctx context.Context, broadcastID, mentorID int64) ([]mentorbook.BroadcastResponse, error) {
	return collectResponses(r.query(ctx, responseSelect+` WHERE r.broadcast_id = $1 AND (r.mentor_id = $2 OR $2 = 0) ORDER BY r.id`,
		broadcastID, mentorID))
}
