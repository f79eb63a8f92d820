package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/mentorbook/mentorbook"
)

type conversations struct{ *tx }

const conversationColumns = `c.id, c.user_lo, c.user_hi, c.opened_by, c.created_at, c.updated_at`

func scanConversation(row interface{ Scan(...any) error }) (mentorbook.Conversation, error) {
	var c mentorbook.Conversation
	err := row.Scan(&c.ID, &c.UserLo, &c.UserHi, &c.OpenedBy, at(&c.CreatedAt), at(&c.UpdatedAt))
	return c, err
}

func (r conversations) Open(ctx context.Context, a, b, by int64, now time.Time) (mentorbook.Conversation, bool, error) {
	lo, hi := min(a, b), max(a, b)
	var id int64
	// The unique pair decides between racing opens: the second waits for
	// the first to commit, inserts nothing and reads the first's row.
	err := r.execScan(ctx, `INSERT INTO conversations (user_lo, user_hi, opened_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4) ON CONFLICT (user_lo, user_hi) DO NOTHING RETURNING id`,
		[]any{lo, hi, by, now}, &id)
	created := err == nil
	if errors.Is(err, sql.ErrNoRows) {
		err = r.queryRow(ctx, `SELECT id FROM conversations WHERE user_lo = $1 AND user_hi = $2`, lo, hi).Scan(&id)
	}
	if err != nil {
		return mentorbook.Conversation{}, false, err
	}
	if created {
		for _, m := range [][2]int64{{lo, hi}, {hi, lo}} {
			if _, err := r.exec(ctx, `INSERT INTO conversation_members (conversation_id, user_id, other_id, updated_at)
				VALUES ($1, $2, $3, $4)`, id, m[0], m[1], now); err != nil {
				return mentorbook.Conversation{}, false, err
			}
		}
	}
	c, err := r.Get(ctx, id)
	return c, created, err
}

func (r conversations) Get(ctx context.Context, id int64) (mentorbook.Conversation, error) {
	c, err := scanConversation(r.queryRow(ctx, `SELECT `+conversationColumns+` FROM conversations c WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("Conversation")
	}
	return c, err
}

func (r conversations) List(ctx context.Context, f mentorbook.ConversationFilter) ([]mentorbook.ConversationSummary, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	where := `m.user_id = $1`
	args := []any{f.UserID, f.Limit}
	if f.After != nil {
		where += ` AND (m.updated_at < $3 OR (m.updated_at = $3 AND m.conversation_id < $4))`
		args = append(args, f.After.UpdatedAt, f.After.ID)
	}
	rows, err := r.query(ctx, `SELECT `+conversationColumns+`, m.updated_at, m.other_id, u.name, m.unread,
			l.id, l.sender_id, l.body, l.created_at
		FROM conversation_members m
		JOIN conversations c ON c.id = m.conversation_id
		JOIN users u ON u.id = m.other_id
		LEFT JOIN messages l ON l.id = c.last_message_id
		WHERE `+where+` ORDER BY m.updated_at DESC, m.conversation_id DESC `+limitClause("$2"), args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (mentorbook.ConversationSummary, error) {
		var s mentorbook.ConversationSummary
		var lastID, lastSender sql.NullInt64
		var lastBody sql.NullString
		var lastAt time.Time
		err := row.Scan(&s.ID, &s.UserLo, &s.UserHi, &s.OpenedBy, at(&s.CreatedAt), at(&s.UpdatedAt),
			at(&s.UpdatedAt), &s.OtherID, &s.OtherName, &s.Unread, &lastID, &lastSender, &lastBody, at(&lastAt))
		if lastID.Valid {
			s.Last = &mentorbook.Message{ID: lastID.Int64, ConversationID: s.ID, SenderID: lastSender.Int64,
				Body: lastBody.String, CreatedAt: lastAt}
		}
		return s, err
	})
}

func (r conversations) Linked(ctx context.Context, a, b int64) (bool, error) {
	var linked bool
	err := r.queryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM bookings WHERE (mentor_id = $1 AND mentee_id = $2) OR (mentor_id = $2 AND mentee_id = $1))
		OR EXISTS (SELECT 1 FROM mentorships WHERE (mentor_id = $1 AND mentee_id = $2) OR (mentor_id = $2 AND mentee_id = $1))
		OR EXISTS (SELECT 1 FROM broadcast_responses r JOIN broadcasts b ON b.id = r.broadcast_id
			WHERE (b.author_id = $1 AND r.mentor_id = $2) OR (b.author_id = $2 AND r.mentor_id = $1))`,
		a, b).Scan(&linked)
	return linked, err
}

// countSince counts rows of a per-user log at or after since, and the
// oldest of them.
func (r conversations) countSince(ctx context.Context, query string, userID int64, since time.Time) (int, time.Time, error) {
	var n int
	var oldest time.Time
	err := r.queryRow(ctx, query, userID, since).Scan(&n, at(&oldest))
	return n, oldest, err
}

func (r conversations) OpenedSince(ctx context.Context, userID int64, since time.Time) (int, time.Time, error) {
	return r.countSince(ctx, `SELECT count(*), min(created_at) FROM conversations WHERE opened_by = $1 AND created_at >= $2`, userID, since)
}

func (r conversations) SentSince(ctx context.Context, userID int64, since time.Time) (int, time.Time, error) {
	return r.countSince(ctx, `SELECT count(*), min(created_at) FROM messages WHERE sender_id = $1 AND created_at >= $2`, userID, since)
}

const messageColumns = `id, conversation_id, sender_id, body, created_at`

func scanMessage(row interface{ Scan(...any) error }) (mentorbook.Message, error) {
	var m mentorbook.Message
	err := row.Scan(&m.ID, &m.ConversationID, &m.SenderID, &m.Body, at(&m.CreatedAt))
	return m, err
}

func (r conversations) Send(ctx context.Context, m mentorbook.Message, key string) (mentorbook.Message, bool, error) {
	m.CreatedAt = m.CreatedAt.UTC().Truncate(time.Microsecond)
	var ck any
	if key != "" {
		ck = key
	}
	// A racing retry with the same key waits for the first insert to
	// commit, inserts nothing and reads the first message.
	err := r.execScan(ctx, `INSERT INTO messages (conversation_id, sender_id, body, client_key, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sender_id, client_key) DO NOTHING RETURNING id`,
		[]any{m.ConversationID, m.SenderID, m.Body, ck, m.CreatedAt}, &m.ID)
	if errors.Is(err, sql.ErrNoRows) && key != "" {
		first, err := scanMessage(r.queryRow(ctx, `SELECT `+messageColumns+` FROM messages
			WHERE sender_id = $1 AND client_key = $2`, m.SenderID, key))
		return first, false, err
	}
	if err != nil {
		return m, false, err
	}
	if _, err := r.exec(ctx, `UPDATE conversations SET last_message_id = $1, updated_at = $2 WHERE id = $3`,
		m.ID, m.CreatedAt, m.ConversationID); err != nil {
		return m, false, err
	}
	_, err = r.exec(ctx, `UPDATE conversation_members SET updated_at = $1,
		unread = unread + CASE WHEN user_id = $2 THEN 0 ELSE 1 END WHERE conversation_id = $3`,
		m.CreatedAt, m.SenderID, m.ConversationID)
	return m, true, err
}

func (r conversations) Messages(ctx context.Context, f mentorbook.MessageFilter) ([]mentorbook.Message, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	where := `conversation_id = $1`
	args := []any{f.ConversationID, f.Limit}
	if f.BeforeID > 0 {
		args = append(args, f.BeforeID)
		where += ` AND id < $3`
	}
	if f.AfterID > 0 {
		args = append(args, f.AfterID)
		where += ` AND id > $` + strconv.Itoa(len(args))
	}
	// After a marker, the page starts there; otherwise it is the latest
	// page, read newest first and turned around.
	order := `DESC`
	if f.AfterID > 0 && f.BeforeID == 0 {
		order = `ASC`
	}
	rows, err := r.query(ctx, `SELECT `+messageColumns+` FROM messages WHERE `+where+` ORDER BY id `+order+` `+limitClause("$2"), args...)
	if err != nil {
		return nil, err
	}
	ms, err := collect(rows, scanMessage)
	if order == `DESC` {
		for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
			ms[i], ms[j] = ms[j], ms[i]
		}
	}
	return ms, err
}

func (r conversations) Message(ctx context.Context, id int64) (mentorbook.Message, error) {
	m, err := scanMessage(r.queryRow(ctx, `SELECT `+messageColumns+` FROM messages WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, notFound("Message")
	}
	return m, err
}

func (r conversations) MarkRead(ctx context.Context, conversationID, userID, messageID int64) (bool, error) {
	// The recount reads only the messages after the new marker (an index
	// range), never the history before it.
	n, err := r.affected(ctx, `UPDATE conversation_members SET last_read_id = $3,
		unread = (SELECT count(*) FROM messages WHERE conversation_id = $1 AND sender_id <> $2 AND id > $3)
		WHERE conversation_id = $1 AND user_id = $2 AND last_read_id < $3`, conversationID, userID, messageID)
	return n > 0, err
}

func (r conversations) Unread(ctx context.Context, userID int64) (int, error) {
	var n int
	err := r.queryRow(ctx, `SELECT coalesce(sum(unread), 0) FROM conversation_members WHERE user_id = $1`, userID).Scan(&n)
	return n, err
}

func (r conversations) UnreadIn(ctx context.Context, conversationID, userID int64) (int, int64, error) {
	var n int
	var last int64
	err := r.queryRow(ctx, `SELECT unread, last_read_id FROM conversation_members WHERE conversation_id = $1 AND user_id = $2`,
		conversationID, userID).Scan(&n, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, notFound("Conversation")
	}
	return n, last, err
}

func (r conversations) Block(ctx context.Context, blocker, blocked int64, now time.Time) error {
	_, err := r.exec(ctx, `INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (blocker_id, blocked_id) DO NOTHING`, blocker, blocked, now)
	return err
}

func (r conversations) Unblock(ctx context.Context, blocker, blocked int64) error {
	_, err := r.exec(ctx, `DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2`, blocker, blocked)
	return err
}

func (r conversations) Blocked(ctx context.Context, a, b int64) (bool, error) {
	var blocked bool
	err := r.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM blocks
		WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1))`, a, b).Scan(&blocked)
	return blocked, err
}

func (r conversations) Blocks(ctx context.Context, blocker, blocked int64) (bool, error) {
	var yes bool
	err := r.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2)`,
		blocker, blocked).Scan(&yes)
	return yes, err
}

func (r conversations) Report(ctx context.Context, rep mentorbook.Report) (mentorbook.Report, error) {
	rep.CreatedAt = rep.CreatedAt.UTC().Truncate(time.Microsecond)
	err := r.execScan(ctx, `INSERT INTO message_reports (message_id, reporter_id, reason, created_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, []any{rep.MessageID, rep.ReporterID, rep.Reason, rep.CreatedAt}, &rep.ID)
	return rep, err
}

func (r conversations) Reports(ctx context.Context, beforeID int64, limit int) ([]mentorbook.Report, error) {
	if limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	where := ``
	args := []any{limit}
	if beforeID > 0 {
		where = `WHERE r.id < $2`
		args = append(args, beforeID)
	}
	rows, err := r.query(ctx, `SELECT r.id, r.message_id, r.reporter_id, u.name, r.reason, r.created_at,
			m.id, m.conversation_id, m.sender_id, m.body, m.created_at, `+conversationColumns+`
		FROM message_reports r JOIN users u ON u.id = r.reporter_id
		JOIN messages m ON m.id = r.message_id JOIN conversations c ON c.id = m.conversation_id
		`+where+` ORDER BY r.id DESC `+limitClause("$1"), args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (mentorbook.Report, error) {
		var p mentorbook.Report
		m, c := &p.Message, &p.Conversation
		err := row.Scan(&p.ID, &p.MessageID, &p.ReporterID, &p.ReporterName, &p.Reason, at(&p.CreatedAt),
			&m.ID, &m.ConversationID, &m.SenderID, &m.Body, at(&m.CreatedAt),
			&c.ID, &c.UserLo, &c.UserHi, &c.OpenedBy, at(&c.CreatedAt), at(&c.UpdatedAt))
		return p, err
	})
}

type events struct{ *tx }

func (r events) Append(ctx context.Context, e mentorbook.Event) (mentorbook.Event, error) {
	e.CreatedAt = e.CreatedAt.UTC().Truncate(time.Microsecond)
	// The counter row stays locked until commit, so the user's events
	// commit in the order of their IDs.
	err := r.execScan(ctx, `INSERT INTO event_counters (user_id, last_id) VALUES ($1, 1)
		ON CONFLICT (user_id) DO UPDATE SET last_id = event_counters.last_id + 1 RETURNING last_id`,
		[]any{e.UserID}, &e.ID)
	if err != nil {
		return e, err
	}
	_, err = r.exec(ctx, `INSERT INTO events (user_id, id, kind, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
		e.UserID, e.ID, e.Kind, e.Data, e.CreatedAt)
	return e, err
}

func (r events) After(ctx context.Context, userID, afterID int64, limit int) ([]mentorbook.Event, error) {
	rows, err := r.query(ctx, `SELECT user_id, id, kind, data, created_at FROM events
		WHERE user_id = $1 AND id > $2 ORDER BY id `+limitClause("$3"), userID, afterID, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (mentorbook.Event, error) {
		var e mentorbook.Event
		err := row.Scan(&e.UserID, &e.ID, &e.Kind, &e.Data, at(&e.CreatedAt))
		return e, err
	})
}

func (r events) LastID(ctx context.Context, userID int64) (int64, error) {
	var id int64
	err := r.queryRow(ctx, `SELECT coalesce(max(last_id), 0) FROM event_counters WHERE user_id = $1`, userID).Scan(&id)
	return id, err
}

func (r events) DeleteBefore(ctx context.Context, before time.Time) (int, error) {
	return r.affected(ctx, `DELETE FROM events WHERE created_at < $1`, before)
}
