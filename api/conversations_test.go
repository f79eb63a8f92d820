package api_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

type conversationOut struct {
	ID    int64
	Other struct {
		ID   int64
		Name string
	}
	LastMessage *messageOut `json:"last_message"`
	UnreadCount int         `json:"unread_count"`
	UpdatedAt   time.Time   `json:"updated_at"`
}

type messageOut struct {
	ID             int64
	ConversationID int64     `json:"conversation_id"`
	SenderID       int64     `json:"sender_id"`
	Body           string    `json:"body"`
	CreatedAt      time.Time `json:"created_at"`
}

// talkers is a mentor, a mentee who booked them, a third party linked to
// the mentor only (another mentee) and a stranger.
type talkers struct{ m, a, c, s user }

func (e *env) talkers() talkers {
	e.t.Helper()
	m := e.mentor("UTC", nil)
	a, c, s := e.signup("Asia/Kolkata"), e.signup("UTC"), e.signup("UTC")
	e.mustBook(a, m.ID, mon10)
	e.mustBook(c, m.ID, mon10.Add(2*time.Hour))
	return talkers{m, a, c, s}
}

func (e *env) open(u user, other int64) response {
	e.t.Helper()
	return e.call("POST", "/api/v1/conversations", u.Token, map[string]any{"user_id": other})
}

func (e *env) mustOpen(u user, other int64) conversationOut {
	e.t.Helper()
	var c conversationOut
	r := e.open(u, other)
	if r.Status != http.StatusCreated && r.Status != http.StatusOK {
		e.t.Fatalf("open: status %d, body %s", r.Status, r.Body)
	}
	r.decode(e.t, &c)
	return c
}

func (e *env) send(u user, conv int64, body any, header ...string) response {
	e.t.Helper()
	return e.call("POST", fmt.Sprintf("/api/v1/conversations/%d/messages", conv), u.Token, body, header...)
}

func (e *env) mustSend(u user, conv int64, text string) messageOut {
	e.t.Helper()
	var m messageOut
	want(e.t, e.send(u, conv, map[string]string{"body": text}), http.StatusCreated).decode(e.t, &m)
	return m
}

func (e *env) messages(u user, conv int64, query string) []messageOut {
	e.t.Helper()
	var out struct{ Messages []messageOut }
	want(e.t, e.call("GET", fmt.Sprintf("/api/v1/conversations/%d/messages%s", conv, query), u.Token, nil), http.StatusOK).decode(e.t, &out)
	return out.Messages
}

func (e *env) conversations(u user) []conversationOut {
	e.t.Helper()
	var out struct{ Conversations []conversationOut }
	want(e.t, e.call("GET", "/api/v1/conversations", u.Token, nil), http.StatusOK).decode(e.t, &out)
	return out.Conversations
}

func (e *env) unreadMessages(u user) int {
	e.t.Helper()
	var out struct{ Count int }
	want(e.t, e.call("GET", "/api/v1/conversations/unread-count", u.Token, nil), http.StatusOK).decode(e.t, &out)
	return out.Count
}

func (e *env) read(u user, conv, msg int64) response {
	e.t.Helper()
	return e.call("POST", fmt.Sprintf("/api/v1/conversations/%d/read", conv), u.Token, map[string]any{"message_id": msg})
}

func TestConversationsAsEachPartyAndAnonymous(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.talkers()
		m, a, c, s := p.m, p.a, p.c, p.s

		// Anonymous callers are 401 everywhere.
		for _, r := range [][2]string{{"POST", "/api/v1/conversations"}, {"GET", "/api/v1/conversations"},
			{"GET", "/api/v1/conversations/unread-count"}, {"GET", "/api/v1/conversations/1/messages"},
			{"POST", "/api/v1/conversations/1/messages"}, {"POST", "/api/v1/conversations/1/read"},
			{"POST", "/api/v1/users/1/block"}, {"DELETE", "/api/v1/users/1/block"},
			{"POST", "/api/v1/messages/1/report"}, {"GET", "/api/v1/admin/reports"}, {"GET", "/api/v1/events"}} {
			want(t, e.call(r[0], r[1], "", map[string]any{}), http.StatusUnauthorized)
		}

		// Nobody can message someone they never had anything to do with.
		want(t, e.open(s, m.ID), http.StatusForbidden)
		want(t, e.open(m, s.ID), http.StatusForbidden)
		want(t, e.open(c, a.ID), http.StatusForbidden)
		want(t, e.open(a, a.ID), http.StatusUnprocessableEntity)
		want(t, e.open(a, 999999), http.StatusNotFound)
		if got := e.conversations(s); len(got) != 0 {
			t.Fatalf("a refused open made %d conversations", len(got))
		}

		// A pending booking links the mentee and the mentor: 201, then the
		// same conversation (200) from either side.
		var first conversationOut
		want(t, e.open(a, m.ID), http.StatusCreated).decode(t, &first)
		if first.Other.ID != m.ID || first.UnreadCount != 0 || first.LastMessage != nil {
			t.Fatalf("opened %+v", first)
		}
		var again, fromMentor conversationOut
		want(t, e.open(a, m.ID), http.StatusOK).decode(t, &again)
		want(t, e.open(m, a.ID), http.StatusOK).decode(t, &fromMentor)
		if again.ID != first.ID || fromMentor.ID != first.ID || fromMentor.Other.ID != a.ID {
			t.Fatalf("opens gave %d, %d, %d", first.ID, again.ID, fromMentor.ID)
		}
		conv := first.ID

		hello := e.mustSend(a, conv, "Hello, is Tuesday fine?")
		if hello.SenderID != a.ID || hello.ConversationID != conv || hello.Body != "Hello, is Tuesday fine?" || !hello.CreatedAt.Equal(testNow) {
			t.Fatalf("sent %+v", hello)
		}
		if n := e.unreadMessages(m); n != 1 {
			t.Fatalf("mentor's unread = %d, want 1", n)
		}
		if n := e.unreadMessages(a); n != 0 {
			t.Fatalf("sender's unread = %d, want 0", n)
		}
		list := e.conversations(m)
		if len(list) != 1 || list[0].ID != conv || list[0].UnreadCount != 1 || list[0].LastMessage == nil ||
			list[0].LastMessage.ID != hello.ID || list[0].Other.ID != a.ID || list[0].Other.Name == "" {
			t.Fatalf("mentor's list %+v", list)
		}
		if got := e.messages(m, conv, ""); len(got) != 1 || got[0] != hello {
			t.Fatalf("mentor reads %+v", got)
		}

		// The linked third party and the stranger: 404 on every
		// conversation endpoint, and nothing changes.
		for _, u := range []user{c, s} {
			want(t, e.call("GET", fmt.Sprintf("/api/v1/conversations/%d/messages", conv), u.Token, nil), http.StatusNotFound)
			want(t, e.send(u, conv, map[string]string{"body": "hi"}), http.StatusNotFound)
			want(t, e.read(u, conv, hello.ID), http.StatusNotFound)
			want(t, e.call("POST", fmt.Sprintf("/api/v1/messages/%d/report", hello.ID), u.Token, map[string]string{"reason": "spam"}), http.StatusNotFound)
			if got := e.conversations(u); len(got) != 0 {
				t.Fatalf("user %d lists %+v", u.ID, got)
			}
		}
		if got := e.messages(a, conv, ""); len(got) != 1 {
			t.Fatalf("refused sends stored messages: %+v", got)
		}
		if n := e.unreadMessages(m); n != 1 {
			t.Fatalf("a refused read moved the marker: unread %d", n)
		}

		// Read markers move forward only.
		second := e.mustSend(a, conv, "Or Wednesday?")
		var rd struct {
			UnreadCount int `json:"unread_count"`
		}
		want(t, e.read(m, conv, hello.ID), http.StatusOK).decode(t, &rd)
		if rd.UnreadCount != 1 {
			t.Fatalf("after reading the first, unread %d, want 1", rd.UnreadCount)
		}
		want(t, e.read(m, conv, second.ID), http.StatusOK).decode(t, &rd)
		want(t, e.read(m, conv, hello.ID), http.StatusOK).decode(t, &rd)
		if rd.UnreadCount != 0 || e.unreadMessages(m) != 0 {
			t.Fatalf("reading an earlier message moved the marker back: unread %d", rd.UnreadCount)
		}
		want(t, e.read(m, conv, 0), http.StatusUnprocessableEntity)
		want(t, e.read(m, conv, 999999), http.StatusUnprocessableEntity)

		// Pages: before and after are message IDs; oldest first.
		third := e.mustSend(m, conv, "Wednesday works.")
		if got := e.messages(a, conv, "?limit=2"); len(got) != 2 || got[0].ID != second.ID || got[1].ID != third.ID {
			t.Fatalf("latest page %+v", got)
		}
		if got := e.messages(a, conv, fmt.Sprintf("?before=%d", second.ID)); len(got) != 1 || got[0].ID != hello.ID {
			t.Fatalf("before page %+v", got)
		}
		if got := e.messages(a, conv, fmt.Sprintf("?after=%d&limit=1", hello.ID)); len(got) != 1 || got[0].ID != second.ID {
			t.Fatalf("after page %+v", got)
		}

		// Reports: by a participant, once; administrators see them.
		rep := e.call("POST", fmt.Sprintf("/api/v1/messages/%d/report", hello.ID), m.Token, map[string]string{"reason": "  Asked for my phone number  "})
		want(t, rep, http.StatusCreated)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/messages/%d/report", hello.ID), m.Token, map[string]string{"reason": "again"}), http.StatusConflict)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/messages/%d/report", hello.ID), m.Token, map[string]string{"reason": " "}), http.StatusUnprocessableEntity)
		for _, u := range []user{m, a, c, s} {
			want(t, e.call("GET", "/api/v1/admin/reports", u.Token, nil), http.StatusForbidden)
		}
		admin := e.admin()
		var reports struct {
			Reports []struct {
				Reason   string
				Reporter struct{ ID int64 }
				Message  messageOut
			}
		}
		want(t, e.call("GET", "/api/v1/admin/reports", admin.Token, nil), http.StatusOK).decode(t, &reports)
		if len(reports.Reports) != 1 || reports.Reports[0].Reason != "Asked for my phone number" ||
			reports.Reports[0].Reporter.ID != m.ID || reports.Reports[0].Message != hello {
			t.Fatalf("reports %+v", reports)
		}
	})
}

func TestBlockingRefusesSendingAndOpeningBothWays(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.talkers()
		m, a := p.m, p.a
		conv := e.mustOpen(a, m.ID).ID
		e.mustSend(a, conv, "first")

		want(t, e.call("POST", fmt.Sprintf("/api/v1/users/%d/block", a.ID), m.Token, nil), http.StatusNoContent)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/users/%d/block", a.ID), m.Token, nil), http.StatusNoContent)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/users/%d/block", m.ID), m.Token, nil), http.StatusUnprocessableEntity)
		want(t, e.call("POST", "/api/v1/users/999999/block", m.Token, nil), http.StatusNotFound)
		for _, r := range []response{e.send(a, conv, map[string]string{"body": "hello?"}), e.send(m, conv, map[string]string{"body": "bye"}),
			e.open(a, m.ID), e.open(m, a.ID)} {
			if p := want(t, r, http.StatusForbidden).problem(t); strings.Contains(strings.ToLower(p.Detail), "block") {
				t.Fatalf("the refusal tells: %q", p.Detail)
			}
		}
		if got := e.messages(a, conv, ""); len(got) != 1 {
			t.Fatalf("blocked sends stored: %+v", got)
		}
		// The blocked one still reads the history.
		if got := e.messages(m, conv, ""); len(got) != 1 {
			t.Fatalf("history %+v", got)
		}
		want(t, e.call("DELETE", fmt.Sprintf("/api/v1/users/%d/block", a.ID), m.Token, nil), http.StatusNoContent)
		e.mustSend(a, conv, "back again")

		// A deleted account can no longer be written to or opened.
		want(t, e.call("DELETE", "/api/v1/me", a.Token, map[string]string{"password": "correct horse battery"}), http.StatusNoContent)
		want(t, e.send(m, conv, map[string]string{"body": "are you there?"}), http.StatusForbidden)
		want(t, e.open(m, a.ID), http.StatusForbidden)
		if got := e.messages(m, conv, ""); len(got) != 2 {
			t.Fatalf("%d messages, want 2", len(got))
		}
	})
}

func TestBadMessageBodiesStoreNothing(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.talkers()
		conv := e.mustOpen(p.a, p.m.ID).ID
		for name, body := range map[string]any{
			"empty":        `{"body": ""}`,
			"missing":      `{}`,
			"whitespace":   `{"body": " \n\t "}`,
			"too long":     map[string]string{"body": strings.Repeat("é", 4001)},
			"NUL":          `{"body": "a\u0000b"}`,
			"invalid UTF8": []byte("{\"body\": \"a\xffb\"}"),
		} {
			r := e.send(p.a, conv, body)
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422; body %s", name, r.Status, r.Body)
			}
		}
		if got := e.messages(p.m, conv, ""); len(got) != 0 {
			t.Fatalf("bad bodies stored %+v", got)
		}
		if n := e.unreadMessages(p.m); n != 0 {
			t.Fatalf("unread %d", n)
		}
		// 4000 characters, however many bytes, is fine.
		e.mustSend(p.a, conv, strings.Repeat("é", 4000))
	})
}

func TestRateLimits(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.talkers()
		conv := e.mustOpen(p.a, p.m.ID).ID
		for i := range 60 {
			e.mustSend(p.a, conv, "message "+strconv.Itoa(i))
			e.clock.Advance(100 * time.Millisecond)
		}
		r := want(t, e.send(p.a, conv, map[string]string{"body": "one too many"}), http.StatusTooManyRequests)
		// The first of the 60, sent 6 s ago, leaves the window in 54 s.
		if got := r.Header.Get("Retry-After"); got != "54" {
			t.Fatalf("Retry-After %q, want 54", got)
		}
		if got := e.messages(p.m, conv, "?limit=100"); len(got) != 60 {
			t.Fatalf("%d messages stored, want 60", len(got))
		}
		// The other person is not limited by the sender's pace.
		e.mustSend(p.m, conv, "slow down")
		e.clock.Advance(55 * time.Second)
		e.mustSend(p.a, conv, "sorry")

		// New conversations: 20 a day. The mentor opens one with each of
		// 21 mentees who booked them.
		m := e.mentor("UTC", nil)
		var mentees []user
		for i := range 21 {
			u := e.signup("UTC")
			e.mustBook(u, m.ID, time.Date(2026, 6, 2+i/8, 9+i%8, 0, 0, 0, time.UTC))
			mentees = append(mentees, u)
		}
		for _, u := range mentees[:20] {
			want(t, e.open(m, u.ID), http.StatusCreated)
			e.clock.Advance(time.Minute)
		}
		r = want(t, e.open(m, mentees[20].ID), http.StatusTooManyRequests)
		if got := r.Header.Get("Retry-After"); got != strconv.Itoa(int((24*time.Hour - 20*time.Minute).Seconds())) {
			t.Fatalf("Retry-After %q", got)
		}
		if got := e.conversations(m); len(got) != 20 {
			t.Fatalf("%d conversations, want 20", len(got))
		}
		// Existing conversations open as ever; the mentee may open theirs.
		want(t, e.open(m, mentees[0].ID), http.StatusOK)
		want(t, e.open(mentees[20], m.ID), http.StatusCreated)
	})
}

func TestConcurrentOpensAndRetriedSends(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.talkers()
		// Both open their conversation at the same moment.
		var wg sync.WaitGroup
		got := make([]response, 2)
		for i, pair := range [][2]user{{p.a, p.m}, {p.m, p.a}} {
			wg.Go(func() {
				got[i] = call(t, e.srv, "POST", "/api/v1/conversations", pair[0].Token, map[string]any{"user_id": pair[1].ID})
			})
		}
		wg.Wait()
		var c0, c1 conversationOut
		got[0].decode(t, &c0)
		got[1].decode(t, &c1)
		statuses := []int{got[0].Status, got[1].Status}
		if c0.ID == 0 || c0.ID != c1.ID || !(statuses[0] == 201 && statuses[1] == 200 || statuses[0] == 200 && statuses[1] == 201) {
			t.Fatalf("racing opens: %v, conversations %d and %d", statuses, c0.ID, c1.ID)
		}

		// 32 retries of one send with one key store one message.
		sends := make([]response, 32)
		for i := range sends {
			wg.Go(func() {
				sends[i] = call(t, e.srv, "POST", fmt.Sprintf("/api/v1/conversations/%d/messages", c0.ID), p.a.Token,
					map[string]string{"body": "only once"}, "Idempotency-Key", "k-1")
			})
		}
		wg.Wait()
		var firstID int64
		for _, r := range sends {
			var m messageOut
			want(t, r, http.StatusCreated).decode(t, &m)
			if firstID == 0 {
				firstID = m.ID
			}
			if m.ID != firstID {
				t.Fatalf("retries answered messages %d and %d", firstID, m.ID)
			}
		}
		if ms := e.messages(p.m, c0.ID, ""); len(ms) != 1 || e.unreadMessages(p.m) != 1 {
			t.Fatalf("%d messages stored, unread %d; want 1", len(ms), e.unreadMessages(p.m))
		}
		// The same key for another text is a conflict.
		want(t, e.send(p.a, c0.ID, map[string]string{"body": "different"}, "Idempotency-Key", "k-1"), http.StatusConflict)
	})
}

// A broadcast's author and a mentor who answered it may talk; a mentor
// who did not answer may not.
func TestABroadcastResponseLinksItsAuthorAndTheMentor(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		author := e.signup("UTC")
		answering, silent := e.mentor("Europe/Berlin", nil), e.mentor("Europe/Berlin", nil)
		var b struct{ ID int64 }
		want(t, e.call("POST", "/api/v1/broadcasts", author.Token, map[string]any{"title": "PHP to Go", "body": "Help"}), http.StatusCreated).decode(t, &b)
		want(t, e.open(silent, author.ID), http.StatusForbidden)
		want(t, e.open(answering, author.ID), http.StatusForbidden)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/broadcasts/%d/responses", b.ID), answering.Token, map[string]any{"message": "I can"}), http.StatusCreated)
		want(t, e.open(answering, author.ID), http.StatusCreated)
		want(t, e.open(author, answering.ID), http.StatusOK)
		want(t, e.open(silent, author.ID), http.StatusForbidden)
	})
}
