package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// conv runs fn on the conversations repository in a write transaction.
func conv[T any](t *testing.T, s Ops, fn func(r mentorbook.Conversations) (T, error)) (T, error) {
	t.Helper()
	return mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (T, error) { return fn(tx.Conversations()) })
}

// mustConv is conv failing the test on an error.
func mustConv[T any](t *testing.T, s Ops, fn func(r mentorbook.Conversations) (T, error)) T {
	t.Helper()
	v, err := conv(t, s, fn)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustOpen(t *testing.T, s Ops, a, b int64, at time.Time) mentorbook.Conversation {
	t.Helper()
	return mustConv(t, s, func(r mentorbook.Conversations) (mentorbook.Conversation, error) {
		c, _, err := r.Open(t.Context(), a, b, a, at)
		return c, err
	})
}

func mustSend(t *testing.T, s Ops, c, from int64, body, key string, at time.Time) (mentorbook.Message, bool) {
	t.Helper()
	type sent struct {
		m       mentorbook.Message
		created bool
	}
	out := mustConv(t, s, func(r mentorbook.Conversations) (sent, error) {
		m, created, err := r.Send(t.Context(), mentorbook.Message{ConversationID: c, SenderID: from, Body: body, CreatedAt: at}, key)
		return sent{m, created}, err
	})
	return out.m, out.created
}

func unreadOf(t *testing.T, s Ops, c, user int64) (int, int64) {
	t.Helper()
	type u struct {
		n    int
		last int64
	}
	got := mustConv(t, s, func(r mentorbook.Conversations) (u, error) {
		n, last, err := r.UnreadIn(t.Context(), c, user)
		return u{n, last}, err
	})
	return got.n, got.last
}

func messageIDs(ms []mentorbook.Message) []int64 {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

var conversationTests = []test{
	{"One conversation per pair, whoever opens it", func(t *testing.T, s Ops) {
		a, b, c := mustUser(t, s, "a"), mustUser(t, s, "b"), mustUser(t, s, "c")
		type opened struct {
			c       mentorbook.Conversation
			created bool
		}
		open := func(x, y int64) opened {
			return mustConv(t, s, func(r mentorbook.Conversations) (opened, error) {
				c, created, err := r.Open(t.Context(), x, y, x, now)
				return opened{c, created}, err
			})
		}
		first := open(b.ID, a.ID)
		if !first.created || first.c.UserLo != min(a.ID, b.ID) || first.c.UserHi != max(a.ID, b.ID) || first.c.OpenedBy != b.ID ||
			!first.c.CreatedAt.Equal(now) || !first.c.Has(a.ID) || first.c.Has(c.ID) || first.c.Other(a.ID) != b.ID {
			t.Fatalf("opened %+v", first)
		}
		if again := open(a.ID, b.ID); again.created || again.c.ID != first.c.ID {
			t.Fatalf("second open %+v, want the first, not created", again)
		}
		if other := open(a.ID, c.ID); other.c.ID == first.c.ID || !other.created {
			t.Fatalf("another pair got %+v", other)
		}
		_, err := conv(t, s, func(r mentorbook.Conversations) (mentorbook.Conversation, error) {
			return r.Get(t.Context(), first.c.ID+100)
		})
		wantCode(t, "Get of a missing conversation", err, mentorbook.ENOTFOUND)
		type since struct {
			n      int
			oldest time.Time
		}
		got := mustConv(t, s, func(r mentorbook.Conversations) (since, error) {
			n, oldest, err := r.OpenedSince(t.Context(), a.ID, now.Add(-time.Hour))
			return since{n, oldest}, err
		})
		if got.n != 1 || !got.oldest.Equal(now) {
			t.Fatalf("a opened %d since, oldest %v; want 1 at now", got.n, got.oldest)
		}
	}},
	{"Racing opens of one pair share one conversation", func(t *testing.T, s Ops) {
		a, b := mustUser(t, s, "a"), mustUser(t, s, "b")
		const n = 8
		ids := make([]int64, n)
		created := make([]bool, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				x, y := a.ID, b.ID
				if i%2 == 1 {
					x, y = y, x
				}
				err := s.Write(t.Context(), func(tx mentorbook.Tx) error {
					c, cr, err := tx.Conversations().Open(t.Context(), x, y, x, now)
					ids[i], created[i] = c.ID, cr
					return err
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		slices.Sort(ids)
		if len(slices.Compact(slices.Clone(ids))) != 1 || ids[0] == 0 {
			t.Fatalf("racing opens got conversations %v", ids)
		}
		if k := len(slices.DeleteFunc(created, func(c bool) bool { return !c })); k != 1 {
			t.Fatalf("%d opens created it, want 1", k)
		}
	}},
	{"Linked by a booking or a mentorship in any state", func(t *testing.T, s Ops) {
		m, a, b, c := mustMentor(t, s, "m"), mustUser(t, s, "a"), mustUser(t, s, "b"), mustUser(t, s, "c")
		linked := func(x, y int64) bool {
			return mustConv(t, s, func(r mentorbook.Conversations) (bool, error) { return r.Linked(t.Context(), x, y) })
		}
		bk := mustBook(t, s, pending(m.ID, a.ID, t0, time.Hour))
		mustChange(t, s, mentorbook.StatusChange{BookingID: bk.ID, From: []mentorbook.BookingStatus{mentorbook.StatusPending},
			To: mentorbook.StatusDeclined, By: m.ID, At: now})
		sv := s.CreateService(t, program(m.ID, "Go", 0))
		s.CreateMentorship(t, requested(sv, b.ID))
		for _, tc := range []struct {
			x, y int64
			want bool
		}{{m.ID, a.ID, true}, {a.ID, m.ID, true}, {b.ID, m.ID, true}, {m.ID, b.ID, true}, {a.ID, b.ID, false}, {c.ID, m.ID, false}} {
			if got := linked(tc.x, tc.y); got != tc.want {
				t.Errorf("Linked(%d, %d) = %v, want %v", tc.x, tc.y, got, tc.want)
			}
		}
	}},
	{"Messages, idempotency keys, read markers and unread counts", func(t *testing.T, s Ops) {
		a, b := mustUser(t, s, "a"), mustUser(t, s, "b")
		c := mustOpen(t, s, a.ID, b.ID, now)
		m1, created := mustSend(t, s, c.ID, a.ID, "one", "k1", now.Add(time.Second))
		if !created || m1.Body != "one" || m1.SenderID != a.ID || !m1.CreatedAt.Equal(now.Add(time.Second)) {
			t.Fatalf("sent %+v", m1)
		}
		if again, created := mustSend(t, s, c.ID, a.ID, "one", "k1", now.Add(time.Minute)); created || again != m1 {
			t.Fatalf("retry with the key got %+v, created %v; want the first", again, created)
		}
		// Keys are per sender.
		if _, created := mustSend(t, s, c.ID, b.ID, "hi", "k1", now.Add(2*time.Second)); !created {
			t.Fatal("the other's equal key was taken as a retry")
		}
		m3, _ := mustSend(t, s, c.ID, a.ID, "three", "", now.Add(3*time.Second))
		m4, _ := mustSend(t, s, c.ID, a.ID, "four", "", now.Add(4*time.Second))
		if n, last := unreadOf(t, s, c.ID, b.ID); n != 3 || last != 0 {
			t.Fatalf("b: %d unread, marker %d; want 3 and 0", n, last)
		}
		if n, _ := unreadOf(t, s, c.ID, a.ID); n != 1 {
			t.Fatalf("a: %d unread, want 1", n)
		}
		moved := func(user, msg int64) bool {
			return mustConv(t, s, func(r mentorbook.Conversations) (bool, error) { return r.MarkRead(t.Context(), c.ID, user, msg) })
		}
		if !moved(b.ID, m3.ID) || moved(b.ID, m1.ID) || moved(b.ID, m3.ID) {
			t.Fatal("the marker moved other than forward")
		}
		if n, last := unreadOf(t, s, c.ID, b.ID); n != 1 || last != m3.ID {
			t.Fatalf("b: %d unread, marker %d; want 1 and %d", n, last, m3.ID)
		}
		total := mustConv(t, s, func(r mentorbook.Conversations) (int, error) { return r.Unread(t.Context(), b.ID) })
		if total != 1 {
			t.Fatalf("b's total %d, want 1", total)
		}
		page := func(f mentorbook.MessageFilter) []int64 {
			f.ConversationID = c.ID
			return messageIDs(mustConv(t, s, func(r mentorbook.Conversations) ([]mentorbook.Message, error) { return r.Messages(t.Context(), f) }))
		}
		all := page(mentorbook.MessageFilter{Limit: 10})
		if len(all) != 4 || all[0] != m1.ID || all[3] != m4.ID || !slices.IsSorted(all) {
			t.Fatalf("all %v", all)
		}
		if got := page(mentorbook.MessageFilter{Limit: 2}); !slices.Equal(got, all[2:]) {
			t.Fatalf("latest 2 = %v, want %v", got, all[2:])
		}
		if got := page(mentorbook.MessageFilter{BeforeID: m3.ID, Limit: 1}); !slices.Equal(got, all[1:2]) {
			t.Fatalf("1 before m3 = %v", got)
		}
		if got := page(mentorbook.MessageFilter{AfterID: m1.ID, Limit: 2}); !slices.Equal(got, all[1:3]) {
			t.Fatalf("2 after m1 = %v", got)
		}
		got, err := conv(t, s, func(r mentorbook.Conversations) (mentorbook.Message, error) { return r.Message(t.Context(), m4.ID) })
		if err != nil || got != m4 {
			t.Fatalf("Message = %+v, %v", got, err)
		}
		_, err = conv(t, s, func(r mentorbook.Conversations) (mentorbook.Message, error) { return r.Message(t.Context(), m4.ID+100) })
		wantCode(t, "a missing message", err, mentorbook.ENOTFOUND)

		// The list: last message, unread, activity order.
		other := mustUser(t, s, "other")
		c2 := mustOpen(t, s, b.ID, other.ID, now.Add(time.Hour))
		list := mustConv(t, s, func(r mentorbook.Conversations) ([]mentorbook.ConversationSummary, error) {
			return r.List(t.Context(), mentorbook.ConversationFilter{UserID: b.ID, Limit: 10})
		})
		if len(list) != 2 || list[0].ID != c2.ID || list[0].Last != nil || list[1].ID != c.ID || list[1].Unread != 1 ||
			list[1].Last == nil || *list[1].Last != m4 || list[1].OtherID != a.ID || list[1].OtherName != "a" {
			t.Fatalf("b's list %+v", list)
		}
		rest := mustConv(t, s, func(r mentorbook.Conversations) ([]mentorbook.ConversationSummary, error) {
			return r.List(t.Context(), mentorbook.ConversationFilter{UserID: b.ID, Limit: 10,
				After: &mentorbook.ConversationCursor{UpdatedAt: list[0].UpdatedAt, ID: list[0].ID}})
		})
		if len(rest) != 1 || rest[0].ID != c.ID {
			t.Fatalf("after the first: %+v", rest)
		}
		sent := mustConv(t, s, func(r mentorbook.Conversations) (int, error) {
			n, _, err := r.SentSince(t.Context(), a.ID, now.Add(2*time.Second))
			return n, err
		})
		if sent != 2 {
			t.Fatalf("a sent %d since, want 2", sent)
		}
	}},
	{"Blocks, reports and administrators", func(t *testing.T, s Ops) {
		a, b := mustUser(t, s, "a"), mustUser(t, s, "b")
		blocked := func() [3]bool {
			return mustConv(t, s, func(r mentorbook.Conversations) ([3]bool, error) {
				either, err1 := r.Blocked(t.Context(), b.ID, a.ID)
				ab, err2 := r.Blocks(t.Context(), a.ID, b.ID)
				ba, err3 := r.Blocks(t.Context(), b.ID, a.ID)
				return [3]bool{either, ab, ba}, cmpErr(err1, err2, err3)
			})
		}
		do := func(fn func(r mentorbook.Conversations) error) {
			t.Helper()
			mustConv(t, s, func(r mentorbook.Conversations) (struct{}, error) { return struct{}{}, fn(r) })
		}
		if got := blocked(); got != [3]bool{} {
			t.Fatalf("blocks before any: %v", got)
		}
		do(func(r mentorbook.Conversations) error { return r.Block(t.Context(), a.ID, b.ID, now) })
		do(func(r mentorbook.Conversations) error { return r.Block(t.Context(), a.ID, b.ID, now) })
		if got := blocked(); got != [3]bool{true, true, false} {
			t.Fatalf("after a blocks b: %v", got)
		}
		do(func(r mentorbook.Conversations) error { return r.Unblock(t.Context(), a.ID, b.ID) })
		if got := blocked(); got != [3]bool{} {
			t.Fatalf("after unblocking: %v", got)
		}

		c := mustOpen(t, s, a.ID, b.ID, now)
		m, _ := mustSend(t, s, c.ID, a.ID, "spam", "", now)
		rep := mustConv(t, s, func(r mentorbook.Conversations) (mentorbook.Report, error) {
			return r.Report(t.Context(), mentorbook.Report{MessageID: m.ID, ReporterID: b.ID, Reason: "spam", CreatedAt: now})
		})
		_, err := conv(t, s, func(r mentorbook.Conversations) (mentorbook.Report, error) {
			return r.Report(t.Context(), mentorbook.Report{MessageID: m.ID, ReporterID: b.ID, Reason: "again", CreatedAt: now})
		})
		wantCode(t, "a second report", err, mentorbook.ECONFLICT)
		list := mustConv(t, s, func(r mentorbook.Conversations) ([]mentorbook.Report, error) { return r.Reports(t.Context(), 0, 10) })
		if len(list) != 1 || list[0].ID != rep.ID || list[0].Message != m || list[0].Conversation.ID != c.ID ||
			list[0].ReporterName != "b" || list[0].Reason != "spam" || !list[0].CreatedAt.Equal(now) {
			t.Fatalf("reports %+v", list)
		}
		if more := mustConv(t, s, func(r mentorbook.Conversations) ([]mentorbook.Report, error) {
			return r.Reports(t.Context(), rep.ID, 10)
		}); len(more) != 0 {
			t.Fatalf("reports before the first: %+v", more)
		}
	}},
	{"Event ids are per user, dense and in commit order", func(t *testing.T, s Ops) {
		a, b := mustUser(t, s, "a"), mustUser(t, s, "b")
		appendFor := func(user int64, kind string, at time.Time) error {
			return s.Write(t.Context(), func(tx mentorbook.Tx) error {
				_, err := tx.Events().Append(t.Context(), mentorbook.Event{UserID: user, Kind: kind, Data: `{}`, CreatedAt: at})
				return err
			})
		}
		if err := appendFor(a.ID, "message", now); err != nil {
			t.Fatal(err)
		}
		const n = 16
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				if err := appendFor(b.ID, "unread", now.Add(time.Duration(i)*time.Hour)); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		after := func(user, id int64) []mentorbook.Event {
			return mustRead(t, s, func(tx mentorbook.Tx) ([]mentorbook.Event, error) {
				return tx.Events().After(t.Context(), user, id, 100)
			})
		}
		got := after(b.ID, 0)
		if len(got) != n {
			t.Fatalf("%d events, want %d", len(got), n)
		}
		for i, e := range got {
			if e.ID != int64(i+1) || e.UserID != b.ID || e.Kind != "unread" || e.Data != `{}` {
				t.Fatalf("event %d: %+v", i, e)
			}
		}
		if got := after(b.ID, 10); len(got) != n-10 || got[0].ID != 11 {
			t.Fatalf("after 10: %+v", got)
		}
		if got := after(a.ID, 0); len(got) != 1 || got[0].ID != 1 {
			t.Fatalf("a's events %+v", got)
		}
		last := mustRead(t, s, func(tx mentorbook.Tx) (int64, error) { return tx.Events().LastID(t.Context(), b.ID) })
		if last != n {
			t.Fatalf("LastID %d, want %d", last, n)
		}
		deleted := mustWrite(t, s, func(tx mentorbook.Tx) (int, error) {
			return tx.Events().DeleteBefore(t.Context(), now.Add(8*time.Hour))
		})
		if deleted != 9 || len(after(b.ID, 0)) != 8 {
			t.Fatalf("deleted %d, %d left; want 9 and 8", deleted, len(after(b.ID, 0)))
		}
		// Pruning never reuses an ID.
		if err := appendFor(b.ID, "read", now); err != nil {
			t.Fatal(err)
		}
		if got := after(b.ID, n); len(got) != 1 || got[0].ID != n+1 {
			t.Fatalf("after pruning: %+v", got)
		}
	}},
}

func cmpErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
