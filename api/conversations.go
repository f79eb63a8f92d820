package api

import (
	"net/http"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

type chatMessageJSON struct {
	ID             int64     `json:"id"`
	ConversationID int64     `json:"conversation_id"`
	SenderID       int64     `json:"sender_id"`
	Body           string    `json:"body"`
	CreatedAt      time.Time `json:"created_at"`
}

func toMessage(m mentorbook.Message) chatMessageJSON {
	return chatMessageJSON{ID: m.ID, ConversationID: m.ConversationID, SenderID: m.SenderID, Body: m.Body, CreatedAt: m.CreatedAt}
}

type conversationJSON struct {
	ID          int64            `json:"id"`
	Other       personJSON       `json:"other"`
	LastMessage *chatMessageJSON `json:"last_message"`
	UnreadCount int              `json:"unread_count"`
	UpdatedAt   time.Time        `json:"updated_at"`
}

func (s *server) openConversation(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		UserID int64 `json:"user_id"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	c, created, err := s.app.Conversations.Open(r.Context(), caller, in.UserID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	t, err := s.app.Conversations.Get(r.Context(), caller, c.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, conversationJSON{ID: c.ID, Other: personJSON{t.Other.ID, t.Other.Name},
		UnreadCount: t.Unread, UpdatedAt: c.UpdatedAt})
}

func (s *server) listConversations(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	q := r.URL.Query()
	cs, next, err := s.app.Conversations.List(r.Context(), caller, app.ConversationQuery{Limit: q.Get("limit"), Cursor: q.Get("cursor")})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Conversations []conversationJSON `json:"conversations"`
		NextCursor    string             `json:"next_cursor"`
	}{Conversations: []conversationJSON{}, NextCursor: next}
	for _, c := range cs {
		j := conversationJSON{ID: c.ID, Other: personJSON{c.OtherID, c.OtherName}, UnreadCount: c.Unread, UpdatedAt: c.UpdatedAt}
		if c.Last != nil {
			m := toMessage(*c.Last)
			j.LastMessage = &m
		}
		out.Conversations = append(out.Conversations, j)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) listMessages(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "conversation")
	if !ok {
		return
	}
	q := r.URL.Query()
	ms, err := s.app.Conversations.Messages(r.Context(), caller, id, app.MessageQuery{
		Before: q.Get("before"), After: q.Get("after"), Limit: q.Get("limit")})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Messages []chatMessageJSON `json:"messages"`
	}{Messages: []chatMessageJSON{}}
	for _, m := range ms {
		out.Messages = append(out.Messages, toMessage(m))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) sendMessage(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "conversation")
	if !ok {
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	m, _, err := s.app.Conversations.Send(r.Context(), caller, id, in.Body, r.Header.Get("Idempotency-Key"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// A retry gets the first answer again.
	writeJSON(w, http.StatusCreated, toMessage(m))
}

func (s *server) readConversation(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "conversation")
	if !ok {
		return
	}
	var in struct {
		MessageID int64 `json:"message_id"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	n, err := s.app.Conversations.MarkRead(r.Context(), caller, id, in.MessageID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"unread_count": n})
}

func (s *server) unreadMessages(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	n, err := s.app.Conversations.UnreadCount(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"count": n})
}

func (s *server) block(on bool) authedHandler {
	return func(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
		id, ok := s.pathID(w, r, "user")
		if !ok {
			return
		}
		if err := s.app.Conversations.Block(r.Context(), caller, id, on); err != nil {
			s.writeError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

type reportJSON struct {
	ID           int64           `json:"id"`
	Reason       string          `json:"reason"`
	CreatedAt    time.Time       `json:"created_at"`
	Reporter     personJSON      `json:"reporter"`
	Message      chatMessageJSON `json:"message"`
	Conversation struct {
		ID    int64   `json:"id"`
		Users []int64 `json:"user_ids"`
	} `json:"conversation"`
}

func (s *server) reportMessage(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "message")
	if !ok {
		return
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	rep, err := s.app.Conversations.Report(r.Context(), caller, id, in.Reason)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": rep.ID, "message_id": rep.MessageID, "reason": rep.Reason, "created_at": rep.CreatedAt})
}

func (s *server) listReports(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	q := r.URL.Query()
	rs, next, err := s.app.Conversations.Reports(r.Context(), caller, q.Get("limit"), q.Get("cursor"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Reports    []reportJSON `json:"reports"`
		NextCursor string       `json:"next_cursor"`
	}{Reports: []reportJSON{}, NextCursor: next}
	for _, p := range rs {
		j := reportJSON{ID: p.ID, Reason: p.Reason, CreatedAt: p.CreatedAt, Reporter: personJSON{p.ReporterID, p.ReporterName},
			Message: toMessage(p.Message)}
		j.Conversation.ID = p.Conversation.ID
		j.Conversation.Users = []int64{p.Conversation.UserLo, p.Conversation.UserHi}
		out.Reports = append(out.Reports, j)
	}
	writeJSON(w, http.StatusOK, out)
}
