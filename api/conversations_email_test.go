package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

func TestAnUnreadMessageIsEmailedOncePerQuietPeriod(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newMailEnv(t, store)
		m := e.mentor("UTC", nil)
		a := e.signup("UTC")
		e.mustBook(a, m.ID, mon10)
		e.runJobs() // the booking's own email
		mAddr := e.emailOf(m)
		emails := func() int { return len(e.smtp.To(mAddr)) }
		base := emails()
		conv := e.mustOpen(a, m.ID).ID

		e.mustSend(a, conv, "First question")
		e.clock.Advance(9 * time.Minute)
		e.mustSend(a, conv, "Second question")
		e.runJobs()
		if got := emails() - base; got != 0 {
			t.Fatalf("%d emails before 10 minutes", got)
		}
		e.clock.Advance(time.Minute)
		e.runJobs()
		if got := emails() - base; got != 1 {
			t.Fatalf("%d emails after 10 minutes unread, want 1", got)
		}
		msg := e.smtp.To(mAddr)[base]
		if text := msg.Part("text/plain"); !strings.Contains(text, "2 unread messages from User") || !strings.Contains(text, "/messages/") {
			t.Fatalf("email text:\n%s", text)
		}
		// More messages in the same quiet period: no second email.
		e.mustSend(a, conv, "Third")
		e.clock.Advance(11 * time.Minute)
		e.runJobs()
		if got := emails() - base; got != 1 {
			t.Fatalf("%d emails in one quiet period, want 1", got)
		}

		// Read, then a new message read within 10 minutes: no email.
		last := e.messages(m, conv, "")
		want(t, e.read(m, conv, last[len(last)-1].ID), http.StatusOK)
		fourth := e.mustSend(a, conv, "Fourth")
		e.clock.Advance(5 * time.Minute)
		want(t, e.read(m, conv, fourth.ID), http.StatusOK)
		e.clock.Advance(6 * time.Minute)
		e.runJobs()
		if got := emails() - base; got != 1 {
			t.Fatalf("%d emails, want none for a message read in time", got)
		}

		// A new quiet period: unread again for 10 minutes, a second email.
		e.mustSend(a, conv, "Fifth")
		e.clock.Advance(10 * time.Minute)
		e.runJobs()
		if got := emails() - base; got != 2 {
			t.Fatalf("%d emails, want a second for the new period", got)
		}

		// Turned off: none.
		want(t, e.call("PUT", "/api/v1/me/notification-settings", m.Token,
			map[string]any{"email": map[string]bool{"message": false}}), http.StatusOK)
		all := e.messages(m, conv, "")
		want(t, e.read(m, conv, all[len(all)-1].ID), http.StatusOK)
		e.mustSend(a, conv, "Sixth")
		e.clock.Advance(10 * time.Minute)
		e.runJobs()
		if got := emails() - base; got != 2 {
			t.Fatalf("%d emails, want none once turned off", got)
		}
	})
}
