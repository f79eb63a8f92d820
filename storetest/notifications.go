package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

func (s Ops) CreateNotification(ctx context.Context, n mentorbook.Notification) (mentorbook.Notification, error) {
	return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Notification, error) { return tx.Notifications().Create(ctx, n) })
}

func (s Ops) Notifications(ctx context.Context, f mentorbook.NotificationFilter) ([]mentorbook.Notification, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.Notification, error) { return tx.Notifications().List(ctx, f) })
}

func (s Ops) UnreadCount(ctx context.Context, userID int64) (int, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) (int, error) { return tx.Notifications().UnreadCount(ctx, userID) })
}

func (s Ops) MarkRead(ctx context.Context, userID int64, ids []int64, all bool, at time.Time) (int, error) {
	return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (int, error) {
		return tx.Notifications().MarkRead(ctx, userID, ids, all, at)
	})
}

func (s Ops) EmailOff(ctx context.Context, userID int64) ([]mentorbook.NotificationKind, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.NotificationKind, error) {
		return tx.Notifications().EmailOff(ctx, userID)
	})
}

func (s Ops) SetEmail(ctx context.Context, userID int64, kind mentorbook.NotificationKind, on bool) error {
	return s.Write(ctx, func(tx mentorbook.Tx) error { return tx.Notifications().SetEmail(ctx, userID, kind, on) })
}

func (s Ops) SigningKey(ctx context.Context, name string) ([]byte, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]byte, error) { return tx.Notifications().SigningKey(ctx, name) })
}

func mustNotify(t *testing.T, s Ops, userID int64, title string, at time.Time) mentorbook.Notification {
	t.Helper()
	n, err := s.CreateNotification(t.Context(), mentorbook.Notification{UserID: userID, Kind: mentorbook.NotifyBookingRequested,
		Title: title, Body: "body of " + title, Link: "/bookings", CreatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// notificationIDs lists the notifications' IDs in order.
func notificationIDs(ns []mentorbook.Notification) []int64 {
	out := make([]int64, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

var notificationTests = []test{
	{"a created notification is listed as stored, unread", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u := mustUser(t, s, "u")
		created := now.Add(1234567 * time.Nanosecond)
		n, err := s.CreateNotification(ctx, mentorbook.Notification{UserID: u.ID, Kind: mentorbook.NotifyBookingDeclined,
			Title: "Declined", Body: "Sorry", Link: "/bookings#b1", CreatedAt: created})
		if err != nil || n.ID <= 0 {
			t.Fatalf("Create = %+v, %v", n, err)
		}
		got, err := s.Notifications(ctx, mentorbook.NotificationFilter{UserID: u.ID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("List = %+v", got)
		}
		g := got[0]
		if g.ID != n.ID || g.UserID != u.ID || g.Kind != mentorbook.NotifyBookingDeclined || g.Title != "Declined" ||
			g.Body != "Sorry" || g.Link != "/bookings#b1" || g.ReadAt != nil {
			t.Errorf("List = %+v", g)
		}
		wantTime(t, "CreatedAt", g.CreatedAt, now.Add(1234*time.Microsecond))
	}},

	{"a user's notifications list newest first, page by page, and only theirs", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u, other := mustUser(t, s, "u"), mustUser(t, s, "o")
		var mine []int64
		for i := range 5 {
			mine = append(mine, mustNotify(t, s, u.ID, "n", now.Add(time.Duration(i)*time.Minute)).ID)
			mustNotify(t, s, other.ID, "other", now)
		}
		slices.Reverse(mine)
		page1, err := s.Notifications(ctx, mentorbook.NotificationFilter{UserID: u.ID, Limit: 3})
		if err != nil || !slices.Equal(notificationIDs(page1), mine[:3]) {
			t.Fatalf("page 1 = %v, %v; want %v", notificationIDs(page1), err, mine[:3])
		}
		page2, err := s.Notifications(ctx, mentorbook.NotificationFilter{UserID: u.ID, Limit: 3, BeforeID: page1[2].ID})
		if err != nil || !slices.Equal(notificationIDs(page2), mine[3:]) {
			t.Fatalf("page 2 = %v, %v; want %v", notificationIDs(page2), err, mine[3:])
		}
		if _, err := s.Notifications(ctx, mentorbook.NotificationFilter{UserID: u.ID}); mentorbook.ErrorCode(err) != mentorbook.EINVALID {
			t.Errorf("List without a limit: %v, want EINVALID", err)
		}
	}},

	{"marking read counts, lists and ignores other users' notifications", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u, other := mustUser(t, s, "u"), mustUser(t, s, "o")
		a, b, c := mustNotify(t, s, u.ID, "a", now), mustNotify(t, s, u.ID, "b", now), mustNotify(t, s, u.ID, "c", now)
		theirs := mustNotify(t, s, other.ID, "theirs", now)
		if n, err := s.UnreadCount(ctx, u.ID); err != nil || n != 3 {
			t.Fatalf("UnreadCount = %d, %v; want 3", n, err)
		}
		readAt := now.Add(time.Hour)
		n, err := s.MarkRead(ctx, u.ID, []int64{a.ID, theirs.ID, a.ID, 999999}, false, readAt)
		if err != nil || n != 1 {
			t.Fatalf("MarkRead = %d, %v; want 1", n, err)
		}
		if n, _ := s.UnreadCount(ctx, other.ID); n != 1 {
			t.Errorf("the other user's unread count = %d, want 1 (untouched)", n)
		}
		unread, err := s.Notifications(ctx, mentorbook.NotificationFilter{UserID: u.ID, UnreadOnly: true, Limit: 10})
		if err != nil || !slices.Equal(notificationIDs(unread), []int64{c.ID, b.ID}) {
			t.Fatalf("unread = %v, %v", notificationIDs(unread), err)
		}
		all, _ := s.Notifications(ctx, mentorbook.NotificationFilter{UserID: u.ID, Limit: 10})
		if r := all[2].ReadAt; all[2].ID != a.ID || r == nil || !r.Equal(readAt) {
			t.Errorf("read notification = %+v", all[2])
		}
		// Marking again keeps the first read time.
		if n, err := s.MarkRead(ctx, u.ID, nil, true, readAt.Add(time.Hour)); err != nil || n != 2 {
			t.Fatalf("MarkRead all = %d, %v; want 2", n, err)
		}
		all, _ = s.Notifications(ctx, mentorbook.NotificationFilter{UserID: u.ID, Limit: 10})
		if r := all[2].ReadAt; r == nil || !r.Equal(readAt) {
			t.Errorf("read time changed to %v", r)
		}
		if n, _ := s.UnreadCount(ctx, u.ID); n != 0 {
			t.Errorf("UnreadCount = %d after marking all", n)
		}
		if n, _ := s.UnreadCount(ctx, other.ID); n != 1 {
			t.Errorf("marking all touched another user's: unread %d", n)
		}
	}},

	{"email settings are on until turned off, per user and kind", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u, other := mustUser(t, s, "u"), mustUser(t, s, "o")
		if off, err := s.EmailOff(ctx, u.ID); err != nil || len(off) != 0 {
			t.Fatalf("EmailOff = %v, %v; want none", off, err)
		}
		for range 2 { // turning off twice is the same as once
			if err := s.SetEmail(ctx, u.ID, mentorbook.NotifyBookingRequested, false); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetEmail(ctx, u.ID, mentorbook.NotifyBookingAccepted, false); err != nil {
			t.Fatal(err)
		}
		off, err := s.EmailOff(ctx, u.ID)
		if want := []mentorbook.NotificationKind{mentorbook.NotifyBookingAccepted, mentorbook.NotifyBookingRequested}; err != nil || !slices.Equal(off, want) {
			t.Fatalf("EmailOff = %v, %v; want %v", off, err, want)
		}
		if off, _ := s.EmailOff(ctx, other.ID); len(off) != 0 {
			t.Errorf("another user's settings = %v", off)
		}
		for range 2 {
			if err := s.SetEmail(ctx, u.ID, mentorbook.NotifyBookingRequested, true); err != nil {
				t.Fatal(err)
			}
		}
		if off, _ := s.EmailOff(ctx, u.ID); !slices.Equal(off, []mentorbook.NotificationKind{mentorbook.NotifyBookingAccepted}) {
			t.Errorf("EmailOff after turning one on = %v", off)
		}
	}},

	{"the migration made a random signing key, the same on every read", func(t *testing.T, s Ops) {
		ctx := t.Context()
		k1, err := s.SigningKey(ctx, "email-settings")
		if err != nil || len(k1) < 32 {
			t.Fatalf("SigningKey = %x, %v", k1, err)
		}
		k2, _ := s.SigningKey(ctx, "email-settings")
		if string(k1) != string(k2) {
			t.Errorf("key changed between reads")
		}
		if slices.Equal(k1, make([]byte, len(k1))) {
			t.Errorf("key is all zeros")
		}
		if _, err := s.SigningKey(ctx, "no-such-key"); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			t.Errorf("unknown key: %v, want ENOTFOUND", err)
		}
	}},
}
