package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/api"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/smtpmail"
	"github.com/mentorbook/mentorbook/storetest"
)

// thu10 is Thursday 2026-06-04 10:00 UTC, days after testNow.
var thu10 = mon10.Add(72 * time.Hour)

// reminders counts the reminder emails to addr of each kind.
func (m *mailEnv) reminders(addr string) (day, hour int) {
	m.t.Helper()
	for _, msg := range m.smtp.To(addr) {
		switch s := msg.Subject(); {
		case strings.HasPrefix(s, "Reminder:") && strings.HasSuffix(s, "tomorrow"):
			day++
		case strings.HasPrefix(s, "Reminder:") && strings.HasSuffix(s, "in an hour"):
			hour++
		}
	}
	return day, hour
}

// wantReminders checks both parties' reminder counts after running jobs.
func (m *mailEnv) wantReminders(when string, addrs []string, day, hour int) {
	m.t.Helper()
	m.runJobs()
	for _, a := range addrs {
		if d, h := m.reminders(a); d != day || h != hour {
			m.t.Fatalf("%s: %s has %d day and %d hour reminders, want %d and %d", when, a, d, h, day, hour)
		}
	}
}

// at sets the clock.
func (m *mailEnv) at(t time.Time) { m.clock.Advance(t.Sub(m.clock.Now())) }

// confirmed books and accepts a session at start; it returns the parties.
func (m *mailEnv) confirmed(start time.Time) (mentor, mentee user, id int64) {
	m.t.Helper()
	mentor = m.mentor("Europe/Berlin", nil)
	want(m.t, m.call("PUT", "/api/v1/me/mentor", mentor.Token, map[string]any{"headline": "Go", "meeting_url": "https://meet.example/m"}), http.StatusOK)
	mentee = m.signup("Asia/Kolkata")
	b := m.mustBook(mentee, mentor.ID, start)
	want(m.t, m.call("POST", bookingPath(b.ID, "/accept"), mentor.Token, nil), http.StatusOK)
	return mentor, mentee, b.ID
}

func TestRemindersADayAndAnHourAheadExactlyOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newMailEnv(t, store)
		m, a, _ := e.confirmed(thu10)
		addrs := []string{e.emailOf(m), e.emailOf(a)}
		e.wantReminders("at confirmation", addrs, 0, 0)

		e.at(thu10.Add(-24*time.Hour - time.Second))
		e.wantReminders("a second before a day ahead", addrs, 0, 0)
		e.at(thu10.Add(-24 * time.Hour))
		e.wantReminders("a day ahead", addrs, 1, 0)
		// In the recipient's zone, with the place.
		text := e.smtp.To(addrs[1])[len(e.smtp.To(addrs[1]))-1].Part("text/plain")
		for _, want := range []string{"Thursday 4 June 2026, 15:30–16:30 (Asia/Kolkata)", "https://meet.example/m"} {
			if !strings.Contains(text, want) {
				t.Errorf("reminder lacks %q:\n%s", want, text)
			}
		}
		e.at(thu10.Add(-time.Hour - time.Second))
		e.wantReminders("a second before an hour ahead", addrs, 1, 0)
		// The server refuses the first attempt: the retry sends it once.
		e.smtp.Refuse(1)
		e.at(thu10.Add(-time.Hour))
		e.runJobs()
		e.at(thu10.Add(-time.Hour + time.Minute))
		e.wantReminders("an hour ahead, after a refusal", addrs, 1, 1)
		e.at(thu10.Add(time.Hour))
		e.wantReminders("after the session", addrs, 1, 1)
		// In the app too, once each.
		if k := e.kinds(a); strings.Count(strings.Join(k, " "), "session_reminder") != 2 {
			t.Errorf("mentee notifications %v", k)
		}
	})
}

func TestAConfirmationTwoHoursAheadGetsOnlyTheHourReminder(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newMailEnv(t, store)
		start := testNow.Add(2 * time.Hour) // Monday 08:00 UTC, 10:00 in Berlin
		m, a, _ := e.confirmed(start)
		addrs := []string{e.emailOf(m), e.emailOf(a)}
		e.wantReminders("at confirmation", addrs, 0, 0)
		e.at(start.Add(-time.Hour))
		e.wantReminders("an hour ahead", addrs, 0, 1)
		e.at(start)
		e.wantReminders("at the start", addrs, 0, 1)
	})
}

func TestNoRemindersAfterACancellationAndOnlyNewOnesAfterAReschedule(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newMailEnv(t, store)
		m, a, id := e.confirmed(thu10)
		want(t, e.call("POST", bookingPath(id, "/cancel"), a.Token, map[string]any{"reason": "ill"}), http.StatusOK)

		m2, a2, id2 := e.confirmed(thu10.Add(2 * time.Hour))
		later := thu10.Add(26 * time.Hour) // Friday 12:00 UTC
		want(t, e.call("POST", bookingPath(id2, "/reschedule"), a2.Token, map[string]any{"start": later.Format(time.RFC3339)}), http.StatusOK)

		gone := []string{e.emailOf(m), e.emailOf(a)}
		moved := []string{e.emailOf(m2), e.emailOf(a2)}
		for _, step := range []struct {
			at        time.Time
			day, hour int
		}{
			{thu10.Add(-24 * time.Hour), 0, 0}, {thu10.Add(-time.Hour), 0, 0}, {thu10.Add(time.Hour), 0, 0}, // the old times
			{later.Add(-24 * time.Hour), 1, 0}, {later.Add(-time.Hour), 1, 1}, {later.Add(time.Hour), 1, 1},
		} {
			e.at(step.at)
			e.wantReminders("cancelled at "+step.at.String(), gone, 0, 0)
			e.wantReminders("rescheduled at "+step.at.String(), moved, step.day, step.hour)
		}
	})
}

// Two instances on one PostgreSQL, each with its own workers, send each
// reminder once.
func TestTwoInstancesSendEachReminderOnce(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	var stores [2]*postgres.DB
	for i := range stores {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		stores[i] = db
	}
	e := newMailEnv(t, stores[0])
	sender, err := smtpmail.New("smtp://"+e.smtp.Addr, smtpmail.Options{From: "Mentorbook <no-reply@mentorbook.test>"})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	second := app.New(stores[1], app.Options{Now: e.clock.Now, CheapPasswords: true, Logger: log, Mailer: sender, BaseURL: testBaseURL})
	srv := httptest.NewServer(api.New(second, log))
	t.Cleanup(srv.Close)

	m, a, _ := e.confirmed(thu10)
	addrs := []string{e.emailOf(m), e.emailOf(a)}
	// Both instances' workers run every due job at once, several each.
	runBoth := func() {
		var wg sync.WaitGroup
		for _, svc := range []*app.App{e.svc, second, e.svc, second} {
			wg.Go(func() {
				for {
					ran, err := svc.Jobs.RunOnce(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if !ran {
						return
					}
				}
			})
		}
		wg.Wait()
	}
	for _, step := range []struct {
		at        time.Time
		day, hour int
	}{{thu10.Add(-24 * time.Hour), 1, 0}, {thu10.Add(-time.Hour), 1, 1}, {thu10.Add(time.Minute), 1, 1}} {
		e.at(step.at)
		runBoth()
		runBoth()
		for _, addr := range addrs {
			if d, h := e.reminders(addr); d != step.day || h != step.hour {
				t.Fatalf("at %v: %s got %d and %d reminders, want %d and %d", step.at, addr, d, h, step.day, step.hour)
			}
		}
	}
	// The second instance sees the same booking.
	want(t, call(t, srv, "GET", fmt.Sprintf("/api/v1/mentors/%d", m.ID), "", nil), http.StatusOK)
}
