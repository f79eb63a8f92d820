package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
)

// Conversations lets linked users talk: one conversation per pair,
// messages, read markers, blocks and reports.
type Conversations struct{ *core }

// The limits on starting conversations and sending messages, counted in
// the database so they hold across instances.
const (
	maxNewConversations = 20
	newConversationsPer = 24 * time.Hour
	maxMessages         = 60
	messagesPer         = time.Minute
	maxMessageChars     = 4000
	maxReasonChars      = 1000
	// messageEmailDelay is how long a message may stay unread before its
	// recipient is emailed.
	messageEmailDelay = 10 * time.Minute
)

// JobMessageEmail emails a recipient whose messages stayed unread.
const JobMessageEmail = "message-email"

// errNoConversation is the answer to anyone who is not one of the two.
var errNoConversation = mentorbook.Errorf(mentorbook.ENOTFOUND, "No such conversation.")

// errCannotMessage is every refusal between two users: it does not tell a
// blocked user that they were blocked.
var errCannotMessage = mentorbook.Errorf(mentorbook.EFORBIDDEN, "You cannot message this person.")

// Open returns the caller's conversation with otherID, creating it when
// there is none (created). Only linked users may open one, and neither may
// block the other.
func (s *Conversations) Open(ctx context.Context, caller mentorbook.User, otherID int64) (mentorbook.Conversation, bool, error) {
	if otherID == caller.ID {
		return mentorbook.Conversation{}, false, mentorbook.Validation{"user_id": "cannot be yourself"}.Err()
	}
	if otherID <= 0 {
		return mentorbook.Conversation{}, false, mentorbook.Validation{"user_id": "is required"}.Err()
	}
	now := s.clock()
	var c mentorbook.Conversation
	var created bool
	err := s.store.Write(ctx, func(tx mentorbook.Tx) error {
		other, err := tx.Users().ByID(ctx, otherID)
		if err != nil {
			return err
		}
		if other.DeletedAt != nil {
			return errCannotMessage
		}
		if err := s.mayTalk(ctx, tx, caller.ID, otherID); err != nil {
			return err
		}
		// The caller's opens take turns, so the daily count holds.
		if err := tx.Users().Lock(ctx, caller.ID); err != nil {
			return err
		}
		n, oldest, err := tx.Conversations().OpenedSince(ctx, caller.ID, now.Add(-newConversationsPer))
		if err != nil {
			return err
		}
		c, created, err = tx.Conversations().Open(ctx, caller.ID, otherID, caller.ID, now)
		if err != nil {
			return err
		}
		if created && n >= maxNewConversations {
			return &mentorbook.Error{Code: mentorbook.ETOOMANY, RetryAfter: oldest.Add(newConversationsPer).Sub(now),
				Message: fmt.Sprintf("You can start at most %d new conversations a day; try again later.", maxNewConversations)}
		}
		return nil
	})
	return c, created, err
}

// mayTalk refuses a pair that never had anything to do with each other,
// or where either blocks the other.
func (s *Conversations) mayTalk(ctx context.Context, tx mentorbook.Tx, a, b int64) error {
	blocked, err := tx.Conversations().Blocked(ctx, a, b)
	if err != nil || blocked {
		return orRefused(err, blocked)
	}
	linked, err := tx.Conversations().Linked(ctx, a, b)
	if err != nil || !linked {
		return orRefused(err, !linked)
	}
	return nil
}

func orRefused(err error, refuse bool) error {
	if err == nil && refuse {
		return errCannotMessage
	}
	return err
}

// Candidate returns the name of someone the caller may write to (linked,
// not blocked either way), for a page that offers to start a
// conversation; anyone else is refused alike.
func (s *Conversations) Candidate(ctx context.Context, caller mentorbook.User, userID int64) (string, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (string, error) {
		if userID == caller.ID {
			return "", errCannotMessage
		}
		u, err := tx.Users().ByID(ctx, userID)
		if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND || (err == nil && u.DeletedAt != nil) {
			return "", errCannotMessage
		}
		if err != nil {
			return "", err
		}
		return u.Name, s.mayTalk(ctx, tx, caller.ID, userID)
	})
}

// conversation returns the conversation if caller is one of the two.
func conversation(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, id int64) (mentorbook.Conversation, error) {
	c, err := tx.Conversations().Get(ctx, id)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND || (err == nil && !c.Has(caller.ID)) {
		return c, errNoConversation
	}
	return c, err
}

// ConversationQuery is a page of the caller's conversations, as typed.
type ConversationQuery struct {
	Limit, Cursor string
}

// List returns a page of the caller's conversations, most recent activity
// first, and the next page's cursor ("" at the end).
func (s *Conversations) List(ctx context.Context, caller mentorbook.User, q ConversationQuery) ([]mentorbook.ConversationSummary, string, error) {
	v := mentorbook.Validation{}
	f := mentorbook.ConversationFilter{UserID: caller.ID}
	if q.Cursor != "" {
		micros, id, ok := strings.Cut(q.Cursor, "_")
		us, err1 := strconv.ParseInt(micros, 10, 64)
		n, err2 := strconv.ParseInt(id, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			v.Add("cursor", "is not a cursor this server gave out")
		}
		f.After = &mentorbook.ConversationCursor{UpdatedAt: time.UnixMicro(us).UTC(), ID: n}
	}
	limit := pageSize(q.Limit, v)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	f.Limit = limit + 1
	cs, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.ConversationSummary, error) {
		return tx.Conversations().List(ctx, f)
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(cs) > limit {
		cs = cs[:limit]
		last := cs[limit-1]
		next = strconv.FormatInt(last.UpdatedAt.UnixMicro(), 10) + "_" + strconv.FormatInt(last.ID, 10)
	}
	return cs, next, nil
}

// Thread is a conversation as one participant sees it.
type Thread struct {
	mentorbook.Conversation
	Other mentorbook.User
	// Blocking: the viewer blocks the other; Refused: either blocks the
	// other, so the viewer cannot send.
	Blocking, Refused bool
	Unread            int
	LastRead          int64
}

// Get returns the conversation for a participant (404 for anyone else).
func (s *Conversations) Get(ctx context.Context, caller mentorbook.User, id int64) (Thread, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (Thread, error) {
		c, err := conversation(ctx, tx, caller, id)
		if err != nil {
			return Thread{}, err
		}
		t := Thread{Conversation: c}
		if t.Other, err = tx.Users().ByID(ctx, c.Other(caller.ID)); err != nil {
			return t, err
		}
		if t.Blocking, err = tx.Conversations().Blocks(ctx, caller.ID, t.Other.ID); err != nil {
			return t, err
		}
		if t.Refused, err = tx.Conversations().Blocked(ctx, caller.ID, t.Other.ID); err != nil {
			return t, err
		}
		t.Unread, t.LastRead, err = tx.Conversations().UnreadIn(ctx, c.ID, caller.ID)
		return t, err
	})
}

// MessageQuery is a page of messages, as typed: Before and After are
// message IDs.
type MessageQuery struct {
	Before, After, Limit string
}

// Messages returns a page of a conversation's messages, oldest first.
func (s *Conversations) Messages(ctx context.Context, caller mentorbook.User, id int64, q MessageQuery) ([]mentorbook.Message, error) {
	v := mentorbook.Validation{}
	f := mentorbook.MessageFilter{ConversationID: id}
	f.BeforeID = optionalID(v, "before", q.Before)
	f.AfterID = optionalID(v, "after", q.After)
	f.Limit = pageSize(q.Limit, v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Message, error) {
		if _, err := conversation(ctx, tx, caller, id); err != nil {
			return nil, err
		}
		return tx.Conversations().Messages(ctx, f)
	})
}

func optionalID(v mentorbook.Validation, field, s string) int64 {
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		v.Add(field, "must be a message ID")
	}
	return n
}

// checkBody validates a message's text.
func checkBody(body string) error {
	v := mentorbook.Validation{}
	checkText(v, "body", body)
	switch {
	case strings.TrimSpace(body) == "":
		v.Add("body", "is required")
	case utf8.RuneCountInString(body) > maxMessageChars:
		v.Add("body", fmt.Sprintf("must be at most %d characters", maxMessageChars))
	}
	return v.Err()
}

// messageEvent is what a message event carries.
type messageEvent struct {
	ID             int64     `json:"id"`
	ConversationID int64     `json:"conversation_id"`
	SenderID       int64     `json:"sender_id"`
	Body           string    `json:"body"`
	CreatedAt      time.Time `json:"created_at"`
}

// Send stores a message from the caller. key, the Idempotency-Key (may be
// empty), makes a retry return the first message (created false).
func (s *Conversations) Send(ctx context.Context, caller mentorbook.User, id int64, body, key string) (mentorbook.Message, bool, error) {
	if err := checkBody(body); err != nil {
		return mentorbook.Message{}, false, err
	}
	if len(key) > 255 {
		return mentorbook.Message{}, false, mentorbook.Validation{"Idempotency-Key": "must be at most 255 characters"}.Err()
	}
	now := s.clock()
	var m mentorbook.Message
	var created bool
	err := s.store.Write(ctx, func(tx mentorbook.Tx) error {
		c, err := conversation(ctx, tx, caller, id)
		if err != nil {
			return err
		}
		to := c.Other(caller.ID)
		blocked, err := tx.Conversations().Blocked(ctx, caller.ID, to)
		if err != nil || blocked {
			return orRefused(err, blocked)
		}
		// A deleted account reads nothing: writing to it is refused too.
		if other, err := tx.Users().ByID(ctx, to); err != nil || other.DeletedAt != nil {
			return orRefused(err, err == nil)
		}
		// The caller's sends take turns, so the per-minute count holds
		// on every instance.
		if err := tx.Users().Lock(ctx, caller.ID); err != nil {
			return err
		}
		n, oldest, err := tx.Conversations().SentSince(ctx, caller.ID, now.Add(-messagesPer))
		if err != nil {
			return err
		}
		m, created, err = tx.Conversations().Send(ctx, mentorbook.Message{ConversationID: id, SenderID: caller.ID, Body: body, CreatedAt: now}, key)
		if err != nil || !created {
			if err == nil && (m.ConversationID != id || m.Body != body) {
				return mentorbook.Errorf(mentorbook.ECONFLICT, "That Idempotency-Key was used for another message.")
			}
			return err
		}
		if n >= maxMessages {
			return &mentorbook.Error{Code: mentorbook.ETOOMANY, RetryAfter: oldest.Add(messagesPer).Sub(now),
				Message: fmt.Sprintf("You can send at most %d messages a minute; try again in a moment.", maxMessages)}
		}
		return s.delivered(ctx, tx, c, m, to)
	})
	return m, created, err
}

// delivered tells both participants' streams of a new message, notifies
// the recipient in the app, and schedules the email for when it stays
// unread.
func (s *Conversations) delivered(ctx context.Context, tx mentorbook.Tx, c mentorbook.Conversation, m mentorbook.Message, to int64) error {
	ev := messageEvent{ID: m.ID, ConversationID: m.ConversationID, SenderID: m.SenderID, Body: m.Body, CreatedAt: m.CreatedAt}
	for _, u := range []int64{m.SenderID, to} {
		if err := s.event(ctx, tx, u, EventMessage, ev); err != nil {
			return err
		}
	}
	sender, err := tx.Users().ByID(ctx, m.SenderID)
	if err != nil {
		return err
	}
	if _, err := s.record(ctx, tx, mentorbook.Notification{UserID: to, Kind: mentorbook.NotifyMessage,
		Title: "New message from " + sender.Name, Body: excerpt(m.Body, 140), Link: ConversationPath(c.ID)}); err != nil {
		return err
	}
	// One email per conversation per quiet period: the key names the
	// recipient's read marker, so messages until they read share one job.
	_, lastRead, err := tx.Conversations().UnreadIn(ctx, c.ID, to)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("%d:%d:%d", c.ID, to, lastRead)
	return s.jobs.Enqueue(ctx, tx, JobMessageEmail, key, messageEmailJob{ConversationID: c.ID, UserID: to}, m.CreatedAt.Add(messageEmailDelay))
}

// ConversationPath is the page of a conversation.
func ConversationPath(id int64) string { return "/messages/" + strconv.FormatInt(id, 10) }

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

type messageEmailJob struct {
	ConversationID int64 `json:"conversation_id"`
	UserID         int64 `json:"user_id"`
}

// messageEmail runs when a message may have stayed unread for the delay:
// it re-reads the recipient's read marker in its own transaction and
// emails only if something is still unread and they did not turn that
// email off.
func (c *core) messageEmail(ctx context.Context, tx mentorbook.Tx, j mentorbook.Job, _ time.Time) error {
	var p messageEmailJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return err
	}
	unread, _, err := tx.Conversations().UnreadIn(ctx, p.ConversationID, p.UserID)
	if err != nil || unread == 0 {
		return err
	}
	off, err := tx.Notifications().EmailOff(ctx, p.UserID)
	if err != nil {
		return err
	}
	for _, k := range off {
		if k == mentorbook.NotifyMessage {
			return nil
		}
	}
	u, err := tx.Users().ByID(ctx, p.UserID)
	if err != nil || u.DeletedAt != nil {
		return err
	}
	conv, err := tx.Conversations().Get(ctx, p.ConversationID)
	if err != nil {
		return err
	}
	other, err := tx.Users().ByID(ctx, conv.Other(p.UserID))
	if err != nil {
		return err
	}
	key, err := c.settingsKey(ctx, tx)
	if err != nil {
		return err
	}
	word := "message"
	if unread > 1 {
		word = "messages"
	}
	n := mentorbook.Notification{UserID: u.ID, Kind: mentorbook.NotifyMessage,
		Title: fmt.Sprintf("%d unread %s from %s", unread, word, other.Name),
		Body:  fmt.Sprintf("%s wrote to you on Mentorbook and you have not read it yet.", other.Name),
		Link:  ConversationPath(conv.ID)}
	e, err := c.notificationEmail(u, n, emailOffToken(key, u.ID, n.Kind))
	if err != nil {
		return err
	}
	return c.email(ctx, tx, "message-email:"+j.Key, e)
}

// readEvent is what a read event carries.
type readEvent struct {
	ConversationID int64 `json:"conversation_id"`
	UserID         int64 `json:"user_id"`
	MessageID      int64 `json:"message_id"`
}

// MarkRead moves the caller's read marker to messageID, never backward,
// and returns their unread count in the conversation.
func (s *Conversations) MarkRead(ctx context.Context, caller mentorbook.User, id, messageID int64) (int, error) {
	if messageID <= 0 {
		return 0, mentorbook.Validation{"message_id": "is required"}.Err()
	}
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (int, error) {
		c, err := conversation(ctx, tx, caller, id)
		if err != nil {
			return 0, err
		}
		m, err := tx.Conversations().Message(ctx, messageID)
		if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND || (err == nil && m.ConversationID != c.ID) {
			return 0, mentorbook.Validation{"message_id": "is not a message of this conversation"}.Err()
		}
		if err != nil {
			return 0, err
		}
		moved, err := tx.Conversations().MarkRead(ctx, c.ID, caller.ID, messageID)
		if err != nil {
			return 0, err
		}
		if moved {
			ev := readEvent{ConversationID: c.ID, UserID: caller.ID, MessageID: messageID}
			for _, u := range []int64{caller.ID, c.Other(caller.ID)} {
				if err := s.event(ctx, tx, u, EventRead, ev); err != nil {
					return 0, err
				}
			}
			if err := s.unreadEvent(ctx, tx, caller.ID); err != nil {
				return 0, err
			}
		}
		n, _, err := tx.Conversations().UnreadIn(ctx, c.ID, caller.ID)
		return n, err
	})
}

// UnreadCount is the caller's total of unread messages.
func (s *Conversations) UnreadCount(ctx context.Context, caller mentorbook.User) (int, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (int, error) {
		return tx.Conversations().Unread(ctx, caller.ID)
	})
}

// Block stops userID from messaging the caller (and the caller from
// messaging them) until Unblock.
func (s *Conversations) Block(ctx context.Context, caller mentorbook.User, userID int64, block bool) error {
	if userID == caller.ID {
		return mentorbook.Validation{"user": "cannot be yourself"}.Err()
	}
	now := s.clock()
	return s.store.Write(ctx, func(tx mentorbook.Tx) error {
		if _, err := tx.Users().ByID(ctx, userID); err != nil {
			return err
		}
		if block {
			return tx.Conversations().Block(ctx, caller.ID, userID, now)
		}
		return tx.Conversations().Unblock(ctx, caller.ID, userID)
	})
}

// Report records the caller's report of a message in one of their
// conversations.
func (s *Conversations) Report(ctx context.Context, caller mentorbook.User, messageID int64, reason string) (mentorbook.Report, error) {
	reason = strings.TrimSpace(reason)
	v := mentorbook.Validation{}
	checkText(v, "reason", reason)
	switch {
	case reason == "":
		v.Add("reason", "is required")
	case utf8.RuneCountInString(reason) > maxReasonChars:
		v.Add("reason", fmt.Sprintf("must be at most %d characters", maxReasonChars))
	}
	if err := v.Err(); err != nil {
		return mentorbook.Report{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Report, error) {
		m, err := tx.Conversations().Message(ctx, messageID)
		if err != nil {
			return mentorbook.Report{}, err
		}
		if _, err := conversation(ctx, tx, caller, m.ConversationID); err != nil {
			return mentorbook.Report{}, notFoundMessage
		}
		return tx.Conversations().Report(ctx, mentorbook.Report{MessageID: m.ID, ReporterID: caller.ID, Reason: reason, CreatedAt: now})
	})
}

var notFoundMessage = mentorbook.Errorf(mentorbook.ENOTFOUND, "No such message.")

// Reports lists reports for an administrator, newest first, and the next
// page's cursor.
func (s *Conversations) Reports(ctx context.Context, caller mentorbook.User, limit, cursor string) ([]mentorbook.Report, string, error) {
	v := mentorbook.Validation{}
	before := optionalID(v, "cursor", cursor)
	n := pageSize(limit, v)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	if err := requireAdmin(caller); err != nil {
		return nil, "", err
	}
	rs, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Report, error) {
		return tx.Conversations().Reports(ctx, before, n+1)
	})
	if err != nil {
		return nil, "", err
	}
	rs, next := idPage(rs, n, func(r mentorbook.Report) int64 { return r.ID })
	return rs, next, nil
}
