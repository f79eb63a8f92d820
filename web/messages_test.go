package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorbook/mentorbook/app"
)

func TestMessagingFromABookingWithoutJavaScript(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	stranger := e.signup("Omar", "omar@example.com", "UTC")
	b := e.request(mentee, mentor, slotStart(t, 2026, 6, 2, 9, 0, "America/New_York"), "First")

	// The booking offers "Message" to both parties.
	wantContains(t, wantStatus(t, mentee.get("/bookings"), http.StatusOK),
		`id="message-booking-`+itoa(b.ID)+`"`, `name="user_id" value="`+itoa(mentor.user.ID)+`"`)
	wantContains(t, wantStatus(t, mentor.get("/bookings"), http.StatusOK), `name="user_id" value="`+itoa(mentee.user.ID)+`"`)

	p := mentee.post("/messages", url.Values{"user_id": {itoa(mentor.user.ID)}})
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/messages/") {
		t.Fatalf("open: %d to %q", p.Status, p.Header.Get("Location"))
	}
	conv := p.Header.Get("Location")
	// The mentor's button finds the same conversation.
	wantRedirect(t, mentor.post("/messages", url.Values{"user_id": {itoa(mentee.user.ID)}}), conv)
	// A stranger cannot open one, nor see it.
	wantStatus(t, stranger.post("/messages", url.Values{"user_id": {itoa(mentor.user.ID)}}), http.StatusForbidden)
	wantStatus(t, stranger.get(conv), http.StatusNotFound)

	// An empty message comes back refused; a long one keeps what was typed.
	p = mentee.refused(mentee.post(conv, url.Values{"body": {"   "}}), conv)
	wantContains(t, p, `aria-invalid="true"`, "is required")
	long := strings.Repeat("x", 4001)
	p = mentee.refused(mentee.post(conv, url.Values{"body": {long}}), conv)
	wantContains(t, p, long, "at most 4000 characters")

	wantRedirect(t, mentee.post(conv, url.Values{"body": {"Hello Maria, is Tuesday fine?"}}), conv+"#send")
	// The mentor's navigation counts it, the list marks it unread, and the
	// conversation shows it in the mentor's zone.
	p = wantStatus(t, mentor.get("/messages"), http.StatusOK)
	wantContains(t, p, `id="nav-messages"`, `<span id="badge-messages"> <span class="badge">1<span class="visually-hidden"> unread</span></span></span>`,
		`class="card conversation unread"`, "1 unread", "Hello Maria, is Tuesday fine?", "Arjun")
	p = wantStatus(t, mentor.get(conv), http.StatusOK)
	wantContains(t, p, "Times are shown in <strong>America/New_York</strong>; Arjun is in Asia/Kolkata",
		"Monday 1 June 2026, 02:00", `id="mark-read"`, `hx-trigger="load, sse:message"`)
	// Without JavaScript, "Mark as read" clears it.
	wantRedirect(t, mentor.post(conv+"/seen", nil), conv+"?done=read")
	p = wantStatus(t, mentor.get("/messages"), http.StatusOK)
	wantNotContains(t, p, "1 unread", `class="card conversation unread"`)

	// From htmx, seen answers the refreshed thread, which no longer marks
	// read on load.
	wantRedirect(t, mentee.post(conv, url.Values{"body": {"And Wednesday?"}}), conv+"#send")
	p = wantStatus(t, mentor.post(conv+"/seen", nil, "HX-Request", "true"), http.StatusOK)
	wantContains(t, p, `id="thread"`, `hx-trigger="sse:message"`, "And Wednesday?")
	wantNotContains(t, p, "<html", "load,")
	if n, err := e.svc.Conversations.UnreadCount(t.Context(), mentor.user); err != nil || n != 0 {
		t.Fatalf("unread %d (%v) after seen", n, err)
	}
	p = wantStatus(t, mentor.get("/nav/unread"), http.StatusOK)
	wantContains(t, p, `<span id="badge-messages" hx-swap-oob="true"></span>`, `id="badge-notifications" hx-swap-oob="true"`)

	// Report: a reason is required and comes back; then it is recorded.
	id := strings.TrimPrefix(conv, "/messages/")
	ms, err := e.svc.Conversations.Messages(t.Context(), mentor.user, mustInt(t, id), app.MessageQuery{})
	if err != nil || len(ms) != 2 {
		t.Fatalf("messages %v %v", ms, err)
	}
	p = mentor.refused(mentor.post(conv+"/report/"+itoa(ms[0].ID), url.Values{"reason": {" "}}), conv)
	wantContains(t, p, `id="reason-`+itoa(ms[0].ID)+`-error"`)
	wantRedirect(t, mentor.post(conv+"/report/"+itoa(ms[0].ID), url.Values{"reason": {"Asked for my phone"}}), conv+"?done=reported")

	// Block: neither can send; the send box is gone for both.
	wantRedirect(t, mentor.post(conv+"/block", nil), conv+"?done=blocked")
	wantContains(t, wantStatus(t, mentor.get(conv), http.StatusOK), `id="refused"`, `id="unblock"`)
	p = wantStatus(t, mentee.get(conv), http.StatusOK)
	wantContains(t, p, "You cannot send messages in this conversation.")
	wantNotContains(t, p, `id="send"`, "blocked")
	mentee.refused(mentee.post(conv, url.Values{"body": {"hello?"}}), conv)
	if ms, _ := e.svc.Conversations.Messages(t.Context(), mentee.user, mustInt(t, id), app.MessageQuery{}); len(ms) != 2 {
		t.Fatalf("a blocked send stored: %d messages", len(ms))
	}
	wantRedirect(t, mentor.post(conv+"/unblock", nil), conv+"?done=unblocked")
	wantContains(t, wantStatus(t, mentee.get(conv), http.StatusOK), `id="send"`)
}

func TestEarlierMessagesOnDemand(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "UTC")
	e.request(mentee, mentor, slotStart(t, 2026, 6, 2, 9, 0, "America/New_York"), "First")
	c, _, err := e.svc.Conversations.Open(t.Context(), mentee.user, mentor.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 55 {
		if _, _, err := e.svc.Conversations.Send(t.Context(), mentee.user, c.ID, "message number "+itoa(int64(i)), ""); err != nil {
			t.Fatal(err)
		}
	}
	p := wantStatus(t, mentor.get(app.ConversationPath(c.ID)), http.StatusOK)
	wantContains(t, p, "message number 54", "message number 5<", `id="earlier"`)
	wantNotContains(t, p, "message number 4<")
	earlier := between(p.Body, `<a href="`, `" id="earlier"`)
	p = wantStatus(t, mentor.get(strings.ReplaceAll(earlier, "&amp;", "&")), http.StatusOK)
	wantContains(t, p, "message number 0<", "message number 4<", `id="latest"`)
	wantNotContains(t, p, "message number 5<", `id="earlier"`, "hx-post")
}

func between(s, before, after string) string {
	j := strings.Index(s, after)
	if j < 0 {
		return ""
	}
	i := strings.LastIndex(s[:j], before)
	if i < 0 {
		return ""
	}
	return s[i+len(before) : j]
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A mentorship request alone links the two: its page offers "Message" to
// both, and it opens their conversation.
func TestMessagingFromAMentorship(t *testing.T) {
	e := newEnv(t)
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	paid := e.addService(mentor, "Go in four weeks", 25000, "sessions", 4)
	wantRedirect(t, mentee.post("/services/"+itoa(paid)+"/request", url.Values{"message": {"I want to learn Go"}, "request_key": {"k1"}}),
		"/mentorships/1?done=mentorship-requested")
	wantContains(t, wantStatus(t, mentee.get("/mentorships/1"), http.StatusOK), `id="message-other"`, `name="user_id" value="`+itoa(mentor.user.ID)+`"`)
	wantContains(t, wantStatus(t, mentor.get("/mentorships/1"), http.StatusOK), `name="user_id" value="`+itoa(mentee.user.ID)+`"`)
	p := mentor.post("/messages", url.Values{"user_id": {itoa(mentee.user.ID)}})
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/messages/") {
		t.Fatalf("open: %d to %q", p.Status, p.Header.Get("Location"))
	}
	// The dashboard's Message links: /messages?with=ID offers the button
	// to a linked user only.
	wantContains(t, wantStatus(t, mentee.get("/messages?with="+itoa(mentor.user.ID)), http.StatusOK),
		"Write to <strong>Maria</strong>", `id="message-with"`)
	stranger := e.signup("Omar", "omar@example.com", "UTC")
	p = wantStatus(t, stranger.get("/messages?with="+itoa(mentor.user.ID)), http.StatusForbidden)
	wantNotContains(t, p, "Maria")
}
