package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/mentorbook/mentorbook/app"
)

// TestBrowserMessagesLive: a mentor in New York and a mentee in Kolkata, in
// two browser contexts, each on their conversation page. A message typed by
// one appears on the other's open page without a reload, in the reader's
// zone, and the other's navigation counts it unread while they are
// elsewhere; opening the conversation clears the count, live, on the
// other page too.
func TestBrowserMessagesLive(t *testing.T) {
	browser := startBrowser(t)
	s := startSite(t)
	ctx := context.Background()
	mentor, mentorID := s.mentorWithHours(t, "Maria Mentor", "maria@example.com", "America/New_York")
	mentee := s.signup(t, "Arjun Mentee", "arjun@example.com", "Asia/Kolkata")
	ny, _ := time.LoadLocation("America/New_York")
	day := time.Now().In(ny).AddDate(0, 0, 3)
	for day.Weekday() != time.Monday {
		day = day.AddDate(0, 0, 1)
	}
	nine := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, ny)
	booking, err := s.svc.Bookings.Request(ctx, mentee, app.BookingInput{MentorID: mentorID, Start: nine.Format(time.RFC3339), Message: "Hello"}, "")
	if err != nil {
		t.Fatal(err)
	}

	maria := newTab(t, browser, s.url, "America/New_York")
	maria.login("maria@example.com")
	arjun := newTab(t, browser, s.url, "Asia/Kolkata")
	arjun.login("arjun@example.com")

	// The mentee starts the conversation from the booking.
	arjun.open("/bookings")
	arjun.load(chromedp.Click(chromedp.CSS(`button[id^="message-booking-"]`)))
	conv := arjun.location()
	if !strings.HasPrefix(conv, "/messages/") {
		t.Fatalf("Message led to %s", conv)
	}
	// The mentor waits on another page; the stream is open there too.
	maria.open("/mentors")
	waitStream(maria)
	waitStream(arjun)

	arjun.do(chromedp.SendKeys(chromedp.ID("body"), "Can we start with goroutines?"))
	arjun.submit("#send-button")
	// The live stream may swap the thread in as the page settles: wait
	// until it has, and check it in the page.
	arjun.waitForSwap("the sent message, as the sender's", `(t => t && t.textContent.includes("You") &&
		t.textContent.includes("Can we start with goroutines?"))(document.querySelector("#thread"))`)

	// The mentor's navigation counts it without a reload.
	maria.waitFor("the unread badge", `document.querySelector("#badge-messages").textContent.includes("1")`)
	maria.wantText("#nav-messages", "Messages", "1 unread")

	// The mentor opens the conversation: it is read, the count goes.
	maria.open(conv)
	maria.threadHas("Arjun Mentee", "Can we start with goroutines?")
	maria.waitFor("the badge to clear", `document.querySelector("#badge-messages").textContent.trim() === ""`)
	sentAt := maria.eval(`document.querySelector("#thread time").getAttribute("datetime")`)
	if !strings.HasSuffix(sentAt, "-04:00") && !strings.HasSuffix(sentAt, "-05:00") {
		t.Errorf("the mentor sees the time as %s, want New York's offset", sentAt)
	}

	// The mentor answers; it appears on the mentee's open page live, in
	// Kolkata time, and the mentee's page marks it read.
	// By keyboard: Tab to the box, type, Tab to Send, Enter.
	maria.tabTo("#body")
	maria.press("Yes, Tuesday works.")
	maria.tabTo("#send-button")
	maria.load(chromedp.KeyEvent(kb.Enter))
	arjun.waitFor("the reply", `document.querySelector("#thread").textContent.includes("Yes, Tuesday works.")`)
	replyAt := arjun.eval(`[...document.querySelectorAll("#thread time")].pop().getAttribute("datetime")`)
	if !strings.HasSuffix(replyAt, "+05:30") {
		t.Errorf("the mentee sees the reply at %s, want Kolkata's offset", replyAt)
	}
	if n, err := s.svc.Conversations.UnreadCount(ctx, mentee); err != nil || n != 0 {
		t.Errorf("the open page did not mark the reply read: %d unread (%v)", n, err)
	}
	arjun.screenshot("conversation")

	// The mentee's bookings page refreshes the booking the mentor accepts.
	arjun.open("/bookings")
	waitStream(arjun)
	status := fmt.Sprintf(`document.querySelector("#booking-%d .status").textContent`, booking.ID)
	if got := arjun.eval(status); got != "pending" {
		t.Fatalf("booking status %q before the answer", got)
	}
	if _, err := s.svc.Bookings.Accept(ctx, mentor, booking.ID); err != nil {
		t.Fatal(err)
	}
	arjun.waitFor("the accepted booking", status+` === "confirmed"`)

	// The messages list; at 375 px nothing is wider than the screen.
	maria.open("/messages")
	maria.wantText("main", "Arjun Mentee", "You: Yes, Tuesday works.")
	maria.screenshot("messages")
	for _, path := range []string{"/messages", conv} {
		maria.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2), chromedp.EmulateMobile))
		maria.open(path)
		if w := maria.eval(`String(document.documentElement.scrollWidth)`); w != "375" {
			t.Errorf("%s at 375 px is %s px wide", path, w)
		}
	}
}

// waitStream waits until the page's event stream is open.
func waitStream(b *tab) {
	b.t.Helper()
	b.waitFor("the event stream", `(() => { const el = document.body; const es = el && el["htmx-internal-data"] && el["htmx-internal-data"].sseEventSource; return !!es && es.readyState === 1 })()`)
}

// threadHas waits until the conversation's thread, which the live stream
// may swap in at any moment, holds every text.
func (b *tab) threadHas(subs ...string) {
	b.t.Helper()
	quoted, _ := json.Marshal(subs)
	b.waitForSwap(fmt.Sprintf("the thread to show %q", subs),
		`(t => t && `+string(quoted)+`.every(s => t.textContent.includes(s)))(document.querySelector("#thread"))`)
}
