package storetest

import (
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// write runs fn in one write transaction and fails the test on error.
func write(t *testing.T, s Ops, fn func(tx mentorbook.Tx) error) {
	t.Helper()
	if err := s.Write(t.Context(), fn); err != nil {
		t.Fatal(err)
	}
}

var accountTests = []test{
	{"a reset token is used once, before it expires, and only as itself", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		for _, r := range []mentorbook.PasswordReset{
			{TokenHash: []byte("fresh"), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)},
			{TokenHash: []byte("stale"), UserID: u.ID, CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour)},
			{TokenHash: []byte("edge"), UserID: u.ID, CreatedAt: now.Add(-time.Hour), ExpiresAt: now},
		} {
			write(t, s, func(tx mentorbook.Tx) error { return tx.Users().CreatePasswordReset(ctx, r) })
		}
		use := func(hash string) (int64, error) {
			return mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (int64, error) {
				return tx.Users().UsePasswordReset(ctx, []byte(hash), now)
			})
		}
		if id, err := use("fresh"); err != nil || id != u.ID {
			t.Fatalf("first use = %d, %v; want %d", id, err, u.ID)
		}
		for _, h := range []string{"fresh", "stale", "edge", "unknown"} {
			if _, err := use(h); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
				t.Errorf("use %q: %v, want ENOTFOUND", h, err)
			}
		}
	}},

	{"reset requests are counted per address within the window", func(t *testing.T, s Ops) {
		ctx := t.Context()
		add := func(email string, at time.Time) (int, time.Time) {
			var n int
			var oldest time.Time
			write(t, s, func(tx mentorbook.Tx) (err error) {
				n, oldest, err = tx.Users().AddResetRequest(ctx, []byte(email), at, now.Add(-time.Hour))
				return err
			})
			return n, oldest
		}
		add("a", now.Add(-2*time.Hour)) // before the window
		add("a", now.Add(-30*time.Minute))
		add("b", now)
		if n, oldest := add("a", now); n != 2 || !oldest.Equal(now.Add(-30*time.Minute)) {
			t.Errorf("count = %d, oldest %v; want 2, %v", n, oldest, now.Add(-30*time.Minute))
		}
		var deleted int
		write(t, s, func(tx mentorbook.Tx) (err error) {
			deleted, err = tx.Users().DeleteResetData(ctx, now.Add(-time.Hour))
			return err
		})
		if deleted != 1 {
			t.Errorf("DeleteResetData removed %d, want 1", deleted)
		}
	}},

	{"DeleteSessions keeps only the given session", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u, other := mustUser(t, s, "ada"), mustUser(t, s, "bob")
		for _, sess := range []mentorbook.Session{
			{TokenHash: []byte("a1"), UserID: u.ID}, {TokenHash: []byte("a2"), UserID: u.ID}, {TokenHash: []byte("b1"), UserID: other.ID},
		} {
			sess.CreatedAt, sess.ExpiresAt = now, now.Add(time.Hour)
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
		}
		write(t, s, func(tx mentorbook.Tx) error {
			n, err := tx.Users().DeleteSessions(ctx, u.ID, []byte("a1"))
			if err == nil && n != 1 {
				t.Errorf("deleted %d sessions, want 1", n)
			}
			return err
		})
		for hash, alive := range map[string]bool{"a1": true, "a2": false, "b1": true} {
			if _, _, err := s.SessionUser(ctx, []byte(hash), now); (err == nil) != alive {
				t.Errorf("session %s: %v, want alive=%v", hash, err, alive)
			}
		}
	}},

	{"a deleted account keeps its row, anonymous and unusable", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u := mustMentor(t, s, "ada")
		if err := s.CreateSession(ctx, mentorbook.Session{TokenHash: []byte("s"), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		write(t, s, func(tx mentorbook.Tx) error { return tx.Users().MarkDeleted(ctx, u.ID, now) })
		got, err := s.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != mentorbook.DeletedName || got.Email == u.Email || got.DeletedAt == nil || !got.DeletedAt.Equal(now) {
			t.Errorf("deleted user = %+v", got)
		}
		if _, _, err := s.UserCredentials(ctx, u.Email); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			t.Errorf("credentials by the old email: %v", err)
		}
		if _, _, err := s.SessionUser(ctx, []byte("s"), now); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			t.Errorf("session of a deleted user: %v", err)
		}
		if _, err := s.MentorByID(ctx, u.ID); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			t.Errorf("mentor profile of a deleted user: %v", err)
		}
		if err := s.Write(ctx, func(tx mentorbook.Tx) error { return tx.Users().MarkDeleted(ctx, u.ID, now) }); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			t.Errorf("deleting twice: %v, want ENOTFOUND", err)
		}
		if err := s.Write(ctx, func(tx mentorbook.Tx) error { return tx.Users().SetEmail(ctx, u.ID, "x@example.com") }); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			t.Errorf("changing a deleted user's email: %v, want ENOTFOUND", err)
		}
	}},

	{"SetEmail to a taken address is a conflict", func(t *testing.T, s Ops) {
		ctx := t.Context()
		a, b := mustUser(t, s, "ada"), mustUser(t, s, "bob")
		err := s.Write(ctx, func(tx mentorbook.Tx) error { return tx.Users().SetEmail(ctx, a.ID, b.Email) })
		if mentorbook.ErrorCode(err) != mentorbook.ECONFLICT {
			t.Errorf("SetEmail to a taken address: %v, want ECONFLICT", err)
		}
	}},
}
