package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// requested is a pending mentorship of mentee for sv, expiring a day after now.
func requested(sv mentorbook.Service, menteeID int64) mentorbook.Mentorship {
	return mentorbook.Mentorship{ServiceID: sv.ID, MentorID: sv.MentorID, MenteeID: menteeID,
		Status: mentorbook.MentorshipPending, Title: sv.Title, Format: sv.Format, SessionsIncluded: sv.Sessions,
		SessionMinutes: sv.SessionMinutes, Days: sv.Days, Mode: sv.Mode, Location: sv.Location,
		PriceMinor: sv.PriceMinor, Currency: "EUR", Message: "hello", ExpiresAt: now.Add(24 * time.Hour),
		CreatedAt: now, UpdatedAt: now}
}

func (s Ops) CreateMentorship(t *testing.T, m mentorbook.Mentorship) mentorbook.Mentorship {
	t.Helper()
	out, err := mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Mentorship, error) {
		return tx.Mentorships().Create(t.Context(), m, now)
	})
	if err != nil {
		t.Fatalf("Create mentorship: %v", err)
	}
	return out
}

func (s Ops) Mentorship(t *testing.T, id int64, at time.Time) mentorbook.Mentorship {
	t.Helper()
	out, err := mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Mentorship, error) {
		return tx.Mentorships().Get(t.Context(), id, at)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (s Ops) SaveMentorship(t *testing.T, m mentorbook.Mentorship) mentorbook.Mentorship {
	t.Helper()
	out, err := mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Mentorship, error) {
		if _, err := tx.Mentorships().Lock(t.Context(), m.ID, now); err != nil {
			return m, err
		}
		return tx.Mentorships().Save(t.Context(), m, now)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (s Ops) MentorshipIDs(t *testing.T, f mentorbook.MentorshipFilter) []int64 {
	t.Helper()
	ms, err := mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) ([]mentorbook.Mentorship, error) {
		return tx.Mentorships().List(t.Context(), f)
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) (int, error) {
		return tx.Mentorships().Count(t.Context(), f)
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{}
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	if f.After == nil && n != len(ids) && len(ids) < f.Limit {
		t.Errorf("Count = %d, List has %d", n, len(ids))
	}
	return ids
}

var mentorshipTests = []test{
	{"a mentorship is stored with its copied terms and its parties' names", func(t *testing.T, s Ops) {
		m, e := mustMentor(t, s, "ada"), mustUser(t, s, "eve")
		sv := s.CreateService(t, program(m.ID, "Go", 25000))
		got := s.CreateMentorship(t, requested(sv, e.ID))
		if got.ID == 0 || got.Status != mentorbook.MentorshipPending || got.ServiceID != sv.ID || got.MentorID != m.ID ||
			got.MenteeID != e.ID || got.MentorName != "ada" || got.MenteeName != "eve" || got.Title != "Go" ||
			got.Format != mentorbook.FormatSessions || got.SessionsIncluded != 4 || got.SessionMinutes != 45 ||
			got.PriceMinor != 25000 || got.Currency != "EUR" || got.Message != "hello" || got.SessionsUsed != 0 ||
			!got.AcceptedAt.IsZero() || !got.StartedAt.IsZero() || !got.EndsAt.IsZero() || got.CancelledBy != 0 {
			t.Errorf("Create = %+v", got)
		}
		wantTime(t, "ExpiresAt", got.ExpiresAt, now.Add(24*time.Hour))
		// A later change of the service leaves it as it was.
		sv.PriceMinor, sv.Title = 1, "Rust"
		if _, err := s.UpdateService(t, sv); err != nil {
			t.Fatal(err)
		}
		if again := s.Mentorship(t, got.ID, now); again != got {
			t.Errorf("after the service changed: %+v, want %+v", again, got)
		}
		_, err := mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Mentorship, error) {
			return tx.Mentorships().Get(t.Context(), got.ID+100, now)
		})
		wantCode(t, "Get unknown", err, mentorbook.ENOTFOUND)
	}},

	{"reads report deadlines passed as expired or completed before the sweep, which then materialises them once", func(t *testing.T, s Ops) {
		m, e := mustMentor(t, s, "ada"), mustUser(t, s, "eve")
		sv := s.CreateService(t, program(m.ID, "Go", 0))
		pendingOne := s.CreateMentorship(t, requested(sv, e.ID))
		awaiting := requested(sv, e.ID)
		awaiting.Status, awaiting.AcceptedAt, awaiting.ExpiresAt = mentorbook.MentorshipAwaitingPayment, now, now.Add(48*time.Hour)
		awaiting = s.CreateMentorship(t, awaiting)
		async := requested(sv, e.ID)
		async.Format, async.Days, async.Status, async.ExpiresAt = mentorbook.FormatAsync, 3, mentorbook.MentorshipActive, time.Time{}
		async.StartedAt, async.EndsAt = now, now.Add(72*time.Hour)
		async = s.CreateMentorship(t, async)
		later := s.CreateMentorship(t, func() mentorbook.Mentorship {
			r := requested(sv, e.ID)
			r.ExpiresAt = now.Add(100 * time.Hour)
			return r
		}())

		at := now.Add(72 * time.Hour)
		for id, want := range map[int64]mentorbook.MentorshipStatus{pendingOne.ID: "expired", awaiting.ID: "expired",
			async.ID: "completed", later.ID: "pending"} {
			if got := s.Mentorship(t, id, at).Status; got != want {
				t.Errorf("mentorship %d at +72h: %s, want %s", id, got, want)
			}
		}
		if ids := s.MentorshipIDs(t, mentorbook.MentorshipFilter{UserID: e.ID, Statuses: []mentorbook.MentorshipStatus{"expired"}, Limit: 10, Now: at}); len(ids) != 2 {
			t.Errorf("expired at +72h: %v", ids)
		}
		due, err := mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) ([]mentorbook.Mentorship, error) {
			return tx.Mentorships().ExpireDue(t.Context(), at)
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(due) != 3 || due[0].ID != pendingOne.ID || due[0].Status != "expired" || due[2].Status != "completed" {
			t.Errorf("ExpireDue = %+v", due)
		}
		again, err := mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) ([]mentorbook.Mentorship, error) {
			return tx.Mentorships().ExpireDue(t.Context(), at)
		})
		if err != nil || len(again) != 0 {
			t.Errorf("second ExpireDue = %+v, %v", again, err)
		}
		// Materialised, the status holds at any time.
		if got := s.Mentorship(t, pendingOne.ID, now).Status; got != "expired" {
			t.Errorf("stored status %s", got)
		}
	}},

	{"save writes a transition, and lists filter by role, status and service, newest first", func(t *testing.T, s Ops) {
		m, e, f := mustMentor(t, s, "ada"), mustUser(t, s, "eve"), mustUser(t, s, "fay")
		a := s.CreateService(t, program(m.ID, "A", 0))
		b := s.CreateService(t, program(m.ID, "B", 0))
		var ids []int64
		for i, c := range []struct {
			sv     mentorbook.Service
			mentee int64
		}{{a, e.ID}, {b, e.ID}, {a, f.ID}} {
			r := requested(c.sv, c.mentee)
			r.CreatedAt = now.Add(time.Duration(i) * time.Minute)
			ids = append(ids, s.CreateMentorship(t, r).ID)
		}
		cur := s.Mentorship(t, ids[1], now)
		cur.Status, cur.Reason, cur.CancelledBy = mentorbook.MentorshipCancelled, "ill", e.ID
		cur.AcceptedAt, cur.StartedAt, cur.ExpiresAt, cur.UpdatedAt = now, now, time.Time{}, now.Add(time.Hour)
		saved := s.SaveMentorship(t, cur)
		if saved.Status != "cancelled" || saved.Reason != "ill" || saved.CancelledBy != e.ID || !saved.ExpiresAt.IsZero() {
			t.Errorf("Save = %+v", saved)
		}
		wantTime(t, "StartedAt", saved.StartedAt, now)
		wantTime(t, "UpdatedAt", saved.UpdatedAt, now.Add(time.Hour))

		for name, c := range map[string]struct {
			f    mentorbook.MentorshipFilter
			want []int64
		}{
			"mentor":          {mentorbook.MentorshipFilter{UserID: m.ID, Role: "mentor"}, []int64{ids[2], ids[1], ids[0]}},
			"as mentee":       {mentorbook.MentorshipFilter{UserID: m.ID, Role: "mentee"}, []int64{}},
			"eve, any role":   {mentorbook.MentorshipFilter{UserID: e.ID}, []int64{ids[1], ids[0]}},
			"pending":         {mentorbook.MentorshipFilter{UserID: m.ID, Statuses: []mentorbook.MentorshipStatus{"pending"}}, []int64{ids[2], ids[0]}},
			"service a":       {mentorbook.MentorshipFilter{UserID: m.ID, ServiceID: a.ID}, []int64{ids[2], ids[0]}},
			"after the first": {mentorbook.MentorshipFilter{UserID: m.ID, After: &mentorbook.MentorshipCursor{CreatedAt: now.Add(2 * time.Minute), ID: ids[2]}}, []int64{ids[1], ids[0]}},
		} {
			c.f.Limit, c.f.Now = 10, now
			if got := s.MentorshipIDs(t, c.f); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
	}},

	{"a mentorship's sessions are its bookings, and only the active ones count as used", func(t *testing.T, s Ops) {
		m, e := mustMentor(t, s, "ada"), mustUser(t, s, "eve")
		sv := s.CreateService(t, program(m.ID, "Go", 0))
		r := requested(sv, e.ID)
		r.Status, r.ExpiresAt = mentorbook.MentorshipActive, time.Time{}
		ms := s.CreateMentorship(t, r)
		b1 := pending(m.ID, e.ID, t0, 45*time.Minute)
		b1.MentorshipID, b1.Status, b1.ExpiresAt = ms.ID, mentorbook.StatusConfirmed, time.Time{}
		b1 = mustBook(t, s, b1)
		b2 := pending(m.ID, e.ID, t0.Add(time.Hour), 45*time.Minute)
		b2.MentorshipID = ms.ID
		b2 = mustBook(t, s, b2)
		mustBook(t, s, pending(m.ID, e.ID, t0.Add(2*time.Hour), time.Hour)) // a free consultation
		if b1.MentorshipID != ms.ID || b1.Status != mentorbook.StatusConfirmed || !b1.ExpiresAt.IsZero() {
			t.Errorf("session = %+v", b1)
		}
		if got := s.Mentorship(t, ms.ID, now).SessionsUsed; got != 2 {
			t.Errorf("SessionsUsed = %d, want 2", got)
		}
		bs, err := s.ListBookings(t.Context(), mentorbook.BookingFilter{UserID: e.ID, MentorshipID: ms.ID, Limit: 10, Now: now})
		if err != nil || len(bs) != 2 {
			t.Errorf("sessions listed %d, %v", len(bs), err)
		}
		mustChange(t, s, mentorbook.StatusChange{BookingID: b2.ID, From: []mentorbook.BookingStatus{"pending"}, To: "cancelled", By: e.ID, At: now})
		if got := s.Mentorship(t, ms.ID, now).SessionsUsed; got != 1 {
			t.Errorf("SessionsUsed after a cancel = %d, want 1", got)
		}
	}},

	{"an idempotency key binds to a mentorship, and a booking's key is not a mentorship's", func(t *testing.T, s Ops) {
		m, e := mustMentor(t, s, "ada"), mustUser(t, s, "eve")
		sv := s.CreateService(t, program(m.ID, "Go", 0))
		k := key(e.ID, "k", "h")
		ms, err := mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Mentorship, error) {
			if _, _, claimed, err := tx.Mentorships().ClaimKey(t.Context(), *k); err != nil || !claimed {
				t.Errorf("first claim: %v, %v", claimed, err)
			}
			ms, err := tx.Mentorships().Create(t.Context(), requested(sv, e.ID), now)
			if err == nil {
				err = tx.Mentorships().BindKey(t.Context(), *k, ms.ID)
			}
			return ms, err
		})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Write(t.Context(), func(tx mentorbook.Tx) error {
			id, hash, claimed, err := tx.Mentorships().ClaimKey(t.Context(), *k)
			if err != nil || claimed || id != ms.ID || hash != "h" {
				t.Errorf("second claim = %d, %q, %v, %v; want %d", id, hash, claimed, err, ms.ID)
			}
			id, _, claimed, err = tx.Bookings().ClaimKey(t.Context(), *k)
			if err != nil || claimed || id != 0 {
				t.Errorf("as a booking's key = %d, %v, %v; want unbound", id, claimed, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}},
}
