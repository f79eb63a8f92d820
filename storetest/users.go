package storetest

import (
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

var userTests = []test{
	{"Ping answers on an open store", func(t *testing.T, s mentorbook.Store) {
		if err := s.Ping(t.Context()); err != nil {
			t.Fatal(err)
		}
	}},

	{"a created user is found by ID and by email with their password hash", func(t *testing.T, s mentorbook.Store) {
		ctx := t.Context()
		created := now.Add(1234567 * time.Nanosecond).In(time.FixedZone("x", 3600))
		u, err := s.CreateUser(ctx, mentorbook.User{Email: "ada@example.com", Name: "Ada", Timezone: "Europe/London", CreatedAt: created}, "argon2-hash")
		if err != nil {
			t.Fatal(err)
		}
		if u.ID <= 0 {
			t.Fatalf("ID = %d, want > 0", u.ID)
		}
		wantTime(t, "CreateUser CreatedAt", u.CreatedAt, now.Add(1234*time.Microsecond))

		got, err := s.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != u.ID || got.Email != "ada@example.com" || got.Name != "Ada" || got.Timezone != "Europe/London" || got.Mentor != nil {
			t.Errorf("UserByID = %+v", got)
		}
		wantTime(t, "UserByID CreatedAt", got.CreatedAt, now.Add(1234*time.Microsecond))

		got, hash, err := s.UserCredentials(ctx, "ada@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != u.ID || hash != "argon2-hash" {
			t.Errorf("UserCredentials = %+v, %q", got, hash)
		}

		u2, err := s.CreateUser(ctx, mentorbook.User{Email: "bob@example.com", Name: "Bob", Timezone: "UTC"}, "h")
		if err != nil {
			t.Fatal(err)
		}
		if u2.ID == u.ID {
			t.Errorf("two users share ID %d", u.ID)
		}
		if u2.CreatedAt.IsZero() {
			t.Errorf("CreatedAt not set when left zero")
		}
	}},

	{"a taken email is a conflict", func(t *testing.T, s mentorbook.Store) {
		ctx := t.Context()
		u := mentorbook.User{Email: "ada@example.com", Name: "Ada", Timezone: "UTC"}
		if _, err := s.CreateUser(ctx, u, "h"); err != nil {
			t.Fatal(err)
		}
		u.Name = "Other Ada"
		_, err := s.CreateUser(ctx, u, "h2")
		wantCode(t, "second CreateUser", err, mentorbook.ECONFLICT)
	}},

	{"missing users are not found", func(t *testing.T, s mentorbook.Store) {
		ctx := t.Context()
		_, err := s.UserByID(ctx, 999)
		wantCode(t, "UserByID", err, mentorbook.ENOTFOUND)
		_, _, err = s.UserCredentials(ctx, "nobody@example.com")
		wantCode(t, "UserCredentials", err, mentorbook.ENOTFOUND)
	}},

	{"a user is loaded with their mentor profile once they have one", func(t *testing.T, s mentorbook.Store) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		if got, err := s.UserByID(ctx, u.ID); err != nil || got.Mentor != nil {
			t.Fatalf("before profile: UserByID = %+v, %v; want no Mentor", got, err)
		}
		if _, err := s.PutMentorProfile(ctx, mentorbook.MentorProfile{UserID: u.ID, Headline: "H", Bio: "B", Skills: []string{"go"}, Active: true, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		for name, get := range map[string]func() (mentorbook.User, error){
			"UserByID": func() (mentorbook.User, error) { return s.UserByID(ctx, u.ID) },
			"UserCredentials": func() (mentorbook.User, error) {
				u, _, err := s.UserCredentials(ctx, u.Email)
				return u, err
			},
		} {
			got, err := get()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got.Mentor == nil || got.Mentor.UserID != u.ID || got.Mentor.Headline != "H" || len(got.Mentor.Skills) != 1 {
				t.Errorf("%s Mentor = %+v", name, got.Mentor)
			}
		}
	}},

	{"a session finds its user until it expires or is deleted", func(t *testing.T, s mentorbook.Store) {
		ctx := t.Context()
		u := mustMentor(t, s, "ada", "go")
		token := []byte{1, 2, 3, 0, 255}
		expires := now.Add(time.Hour)
		if err := s.CreateSession(ctx, mentorbook.Session{TokenHash: token, UserID: u.ID, CreatedAt: now, ExpiresAt: expires}); err != nil {
			t.Fatal(err)
		}
		got, err := s.SessionUser(ctx, token, expires.Add(-time.Microsecond))
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != u.ID || got.Mentor == nil {
			t.Errorf("SessionUser = %+v, want user %d with Mentor", got, u.ID)
		}
		_, err = s.SessionUser(ctx, token, expires)
		wantCode(t, "SessionUser at expiry", err, mentorbook.ENOTFOUND)
		_, err = s.SessionUser(ctx, []byte{1, 2, 3}, now)
		wantCode(t, "SessionUser of an unknown token", err, mentorbook.ENOTFOUND)

		if err := s.DeleteSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		_, err = s.SessionUser(ctx, token, now)
		wantCode(t, "SessionUser after DeleteSession", err, mentorbook.ENOTFOUND)
		if err := s.DeleteSession(ctx, token); err != nil {
			t.Errorf("second DeleteSession: %v", err)
		}
	}},

	{"a session of a missing user is refused", func(t *testing.T, s mentorbook.Store) {
		err := s.CreateSession(t.Context(), mentorbook.Session{TokenHash: []byte{9}, UserID: 999, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
		if err == nil {
			t.Fatal("CreateSession for user 999 succeeded")
		}
	}},

	{"login failures are counted from a time with the oldest of them", func(t *testing.T, s mentorbook.Store) {
		ctx := t.Context()
		u, other := mustUser(t, s, "ada"), mustUser(t, s, "bob")
		at := []time.Time{now, now.Add(time.Minute), now.Add(2 * time.Minute)}
		for _, a := range at {
			if err := s.RecordLoginFailure(ctx, u.ID, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordLoginFailure(ctx, other.ID, now); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			since  time.Time
			n      int
			oldest time.Time
		}{
			{now.Add(-time.Hour), 3, at[0]},
			{at[1], 2, at[1]}, // at or after
			{at[1].Add(time.Microsecond), 1, at[2]},
			{at[2].Add(time.Second), 0, time.Time{}},
		} {
			n, oldest, err := s.LoginFailures(ctx, u.ID, tc.since)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.n || !oldest.Equal(tc.oldest) {
				t.Errorf("LoginFailures(since %v) = %d, %v; want %d, %v", tc.since, n, oldest, tc.n, tc.oldest)
			}
		}
		if err := s.ClearLoginFailures(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if n, oldest, err := s.LoginFailures(ctx, u.ID, time.Time{}); err != nil || n != 0 || !oldest.IsZero() {
			t.Errorf("after Clear: LoginFailures = %d, %v, %v; want 0, zero time", n, oldest, err)
		}
		if n, _, err := s.LoginFailures(ctx, other.ID, time.Time{}); err != nil || n != 1 {
			t.Errorf("other user's failures = %d, %v; want 1 (Clear is per user)", n, err)
		}
	}},
}
