package web

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

// conversationItem is one conversation on the messages page.
type conversationItem struct {
	ID        int64
	OtherName string
	Last      string    // an excerpt of the last message, "" before any
	LastMine  bool      // the viewer wrote it
	At        time.Time // last activity, in the viewer's zone
	Unread    int
}

type messagesData struct {
	Items []conversationItem
	Zone  string
	Next  string
	// With is someone to start a conversation with (?with=ID, the
	// dashboard's Message links), when the viewer may write to them.
	With     int64
	WithName string
}

func viewerLoc(me mentorbook.User) *time.Location {
	loc, err := schedule.LoadZone(me.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

func (s *server) messagesPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	cs, next, err := s.app.Conversations.List(r.Context(), me, app.ConversationQuery{Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	loc := viewerLoc(me)
	d := messagesData{Zone: loc.String()}
	for _, c := range cs {
		it := conversationItem{ID: c.ID, OtherName: c.OtherName, At: c.UpdatedAt.In(loc), Unread: c.Unread}
		if c.Last != nil {
			it.Last, it.LastMine = excerpt(c.Last.Body, 120), c.Last.SenderID == me.ID
		}
		d.Items = append(d.Items, it)
	}
	if next != "" {
		d.Next = "/messages" + string(query("cursor", next))
	}
	if with, err := strconv.ParseInt(r.URL.Query().Get("with"), 10, 64); err == nil && with > 0 {
		name, err := s.app.Conversations.Candidate(r.Context(), me, with)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.With, d.WithName = with, name
	}
	s.render(w, r, http.StatusOK, "messages", view{Title: "Messages", Data: d})
}

func excerpt(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// openConversation is the "Message" button: it opens (or finds) the
// conversation with user_id and goes there.
func (s *server) openConversation(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, err := strconv.ParseInt(r.PostFormValue("user_id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return
	}
	c, _, err := s.app.Conversations.Open(r.Context(), me, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, app.ConversationPath(c.ID), http.StatusSeeOther)
}

// messageItem is one message as the conversation page shows it.
type messageItem struct {
	ID         int64
	Body       string
	Mine       bool
	SenderName string
	At         time.Time // in the viewer's zone
}

type conversationData struct {
	ID        int64
	Other     mentorbook.User
	OtherZone string
	Zone      string
	Messages  []messageItem
	Earlier   string // the address of earlier messages, "" at the start
	Latest    bool   // the page ends with the latest message
	Unread    int
	Blocking  bool // the viewer blocks the other
	Refused   bool // either blocks the other: no sending
	Body      string
	Problem   string
	Reported  int64 // the message whose report failed
	Reason    string
	// Refreshed marks the thread as htmx swaps it in after the page
	// opened: it no longer marks read on load.
	Refreshed bool
}

// threadPage is how many messages the page shows at once.
const threadPage = 50

func (s *server) conversationData(r *http.Request, me mentorbook.User, id int64, before string) (conversationData, error) {
	t, err := s.app.Conversations.Get(r.Context(), me, id)
	if err != nil {
		return conversationData{}, err
	}
	ms, err := s.app.Conversations.Messages(r.Context(), me, id, app.MessageQuery{Before: before, Limit: strconv.Itoa(threadPage + 1)})
	if err != nil {
		return conversationData{}, err
	}
	loc := viewerLoc(me)
	d := conversationData{ID: id, Other: t.Other, OtherZone: t.Other.Timezone, Zone: loc.String(), Latest: before == "",
		Unread: t.Unread, Blocking: t.Blocking, Refused: t.Refused}
	if len(ms) > threadPage {
		ms = ms[1:]
		d.Earlier = app.ConversationPath(id) + string(query("before", strconv.FormatInt(ms[0].ID, 10)))
	}
	for _, m := range ms {
		name := t.Other.Name
		if m.SenderID == me.ID {
			name = "You"
		}
		d.Messages = append(d.Messages, messageItem{ID: m.ID, Body: m.Body, Mine: m.SenderID == me.ID, SenderName: name, At: m.CreatedAt.In(loc)})
	}
	return d, nil
}

func (s *server) conversationPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	d, err := s.conversationData(r, me, id, r.URL.Query().Get("before"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := view{Title: "Messages with " + d.Other.Name}
	if st, ok := formFor(w, r); ok {
		if st.Action == r.URL.Path {
			d.Body, d.Problem = st.Values.Get("body"), st.Errors["body"]
			if d.Problem == "" {
				d.Problem = st.Message
			}
		} else if st.Values.Get("message_id") != "" {
			d.Reported, _ = strconv.ParseInt(st.Values.Get("message_id"), 10, 64)
			d.Reason, d.Problem = st.Values.Get("reason"), st.Message
		}
	}
	v.Data = d
	s.render(w, r, http.StatusOK, "conversation", v)
}

// sendMessage posts the send box; a refused message comes back typed.
func (s *server) sendMessage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	page := app.ConversationPath(id)
	_, _, err := s.app.Conversations.Send(r.Context(), me, id, r.PostFormValue("body"), r.PostFormValue("key"))
	switch mentorbook.ErrorCode(err) {
	case "":
		http.Redirect(w, r, page+"#send", http.StatusSeeOther)
	case mentorbook.EINVALID, mentorbook.EFORBIDDEN, mentorbook.ETOOMANY, mentorbook.ECONFLICT:
		st := formState{Message: mentorbook.ErrorMessage(err)}
		var e *mentorbook.Error
		if errors.As(err, &e) {
			st.Errors = e.Fields
		}
		refuse(w, r, page, st)
	default:
		s.fail(w, r, err)
	}
}

// seen marks the conversation read up to its latest message. From htmx
// (when the page opens and whenever a message arrives) it answers with
// the refreshed thread; a plain form comes back to the page.
func (s *server) seen(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	ms, err := s.app.Conversations.Messages(r.Context(), me, id, app.MessageQuery{Limit: "1"})
	if err == nil && len(ms) > 0 {
		_, err = s.app.Conversations.MarkRead(r.Context(), me, id, ms[0].ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "" {
		http.Redirect(w, r, app.ConversationPath(id)+"?done=read", http.StatusSeeOther)
		return
	}
	d, err := s.conversationData(r, me, id, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Refreshed = true
	u, err := s.app.Events.Unread(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The thread, and the navigation's counts out of band.
	s.fragment(w, r, "conversation", "seen", struct {
		Thread conversationData
		Unread app.Unread
	}{d, u})
}

func (s *server) blockFromConversation(block bool) privateHandler {
	return func(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
		id, ok := pathID(r)
		if !ok {
			s.notFound(w, r)
			return
		}
		t, err := s.app.Conversations.Get(r.Context(), me, id)
		if err == nil {
			err = s.app.Conversations.Block(r.Context(), me, t.Other.ID, block)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		done := "blocked"
		if !block {
			done = "unblocked"
		}
		http.Redirect(w, r, app.ConversationPath(id)+"?done="+done, http.StatusSeeOther)
	}
}

func (s *server) reportMessage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	msg, err := strconv.ParseInt(r.PathValue("msg"), 10, 64)
	if !ok || err != nil {
		s.notFound(w, r)
		return
	}
	page := app.ConversationPath(id)
	_, err = s.app.Conversations.Report(r.Context(), me, msg, r.PostFormValue("reason"))
	switch mentorbook.ErrorCode(err) {
	case "":
		http.Redirect(w, r, page+"?done=reported", http.StatusSeeOther)
	case mentorbook.EINVALID, mentorbook.ECONFLICT:
		st := formState{Message: mentorbook.ErrorMessage(err)}
		st.Values = typed(r)
		st.Values.Set("message_id", strconv.FormatInt(msg, 10))
		if e := (*mentorbook.Error)(nil); errors.As(err, &e) && e.Fields["reason"] != "" {
			st.Message = "The reason " + e.Fields["reason"] + "."
		}
		refuse(w, r, page, st)
	default:
		s.fail(w, r, err)
	}
}

// navUnread answers the navigation's badges, which htmx swaps in when the
// event stream says the counts changed.
func (s *server) navUnread(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	u, err := s.app.Events.Unread(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.fragment(w, r, "messages", "nav-badges", u)
}

// fragment writes one template of a page's set, for htmx to swap in.
func (s *server) fragment(w http.ResponseWriter, r *http.Request, page, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, name, data); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}
