package storetest

import (
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

var purgeTests = []test{
	{"DeleteExpiredSessions removes exactly the expired sessions", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		for i, exp := range []time.Time{now.Add(-time.Hour), now, now.Add(time.Second)} {
			if err := s.CreateSession(ctx, mentorbook.Session{TokenHash: []byte{byte(i)}, UserID: u.ID,
				CreatedAt: now.Add(-48 * time.Hour), ExpiresAt: exp}); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.DeleteExpiredSessions(ctx, now)
		if err != nil || n != 2 {
			t.Fatalf("DeleteExpiredSessions = %d, %v; want 2 (expired an hour ago and exactly now)", n, err)
		}
		if _, _, err := s.SessionUser(ctx, []byte{2}, now); err != nil {
			t.Errorf("the live session went too: %v", err)
		}
		wantCode(t, "expired session", func() error { _, _, err := s.SessionUser(ctx, []byte{0}, now.Add(-2*time.Hour)); return err }(), mentorbook.ENOTFOUND)
	}},
	{"DeleteLoginFailures removes failures before the time for every user", func(t *testing.T, s Ops) {
		ctx := t.Context()
		a, b := mustUser(t, s, "ada"), mustUser(t, s, "bob")
		for _, u := range []mentorbook.User{a, b} {
			for _, at := range []time.Time{now.Add(-time.Hour), now.Add(-time.Minute), now} {
				if allowed, _, err := s.AttemptLogin(ctx, u.ID, at, now.Add(-24*time.Hour), 10); err != nil || !allowed {
					t.Fatalf("AttemptLogin: %v %v", allowed, err)
				}
			}
		}
		n, err := s.DeleteLoginFailures(ctx, now.Add(-time.Minute))
		if err != nil || n != 2 {
			t.Fatalf("DeleteLoginFailures = %d, %v; want 2", n, err)
		}
		for _, u := range []mentorbook.User{a, b} {
			if got, oldest, err := s.LoginFailures(ctx, u.ID, now.Add(-24*time.Hour)); err != nil || got != 2 || !oldest.Equal(now.Add(-time.Minute)) {
				t.Errorf("user %d: %d failures, oldest %v, %v; want 2 from a minute ago", u.ID, got, oldest, err)
			}
		}
	}},
}
