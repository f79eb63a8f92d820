package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

var userTests = []test{
	{"Ping answers on an open store", func(t *testing.T, s Ops) {
		if err := s.Ping(t.Context()); err != nil {
			t.Fatal(err)
		}
	}},

	{"a created user is found by ID and by email with their password hash", func(t *testing.T, s Ops) {
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

		// The store never reads the clock: the caller passes every instant.
		u2, err := s.CreateUser(ctx, mentorbook.User{Email: "bob@example.com", Name: "Bob", Timezone: "UTC", CreatedAt: now}, "h")
		if err != nil {
			t.Fatal(err)
		}
		if u2.ID == u.ID {
			t.Errorf("two users share ID %d", u.ID)
		}
		wantTime(t, "second user's CreatedAt", u2.CreatedAt, now)
	}},

	{"a taken email is a conflict", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u := mentorbook.User{Email: "ada@example.com", Name: "Ada", Timezone: "UTC"}
		if _, err := s.CreateUser(ctx, u, "h"); err != nil {
			t.Fatal(err)
		}
		u.Name = "Other Ada"
		_, err := s.CreateUser(ctx, u, "h2")
		wantCode(t, "second CreateUser", err, mentorbook.ECONFLICT)
	}},

	{"missing users are not found", func(t *testing.T, s Ops) {
		ctx := t.Context()
		_, err := s.UserByID(ctx, 999)
		wantCode(t, "UserByID", err, mentorbook.ENOTFOUND)
		_, _, err = s.UserCredentials(ctx, "nobody@example.com")
		wantCode(t, "UserCredentials", err, mentorbook.ENOTFOUND)
	}},

	{"a user is loaded with their mentor profile once they have one", func(t *testing.T, s Ops) {
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

	{"a session finds its user until it expires or is deleted", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u := mustMentor(t, s, "ada", "go")
		token := []byte{1, 2, 3, 0, 255}
		expires := now.Add(time.Hour)
		if err := s.CreateSession(ctx, mentorbook.Session{TokenHash: token, UserID: u.ID, CreatedAt: now, ExpiresAt: expires}); err != nil {
			t.Fatal(err)
		}
		got, gotExpires, err := s.SessionUser(ctx, token, expires.Add(-time.Microsecond))
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != u.ID || got.Mentor == nil {
			t.Errorf("SessionUser = %+v, want user %d with Mentor", got, u.ID)
		}
		if !gotExpires.Equal(expires) {
			t.Errorf("SessionUser's expiry = %v, want %v", gotExpires, expires)
		}
		_, _, err = s.SessionUser(ctx, token, expires)
		wantCode(t, "SessionUser at expiry", err, mentorbook.ENOTFOUND)
		_, _, err = s.SessionUser(ctx, []byte{1, 2, 3}, now)
		wantCode(t, "SessionUser of an unknown token", err, mentorbook.ENOTFOUND)

		if err := s.DeleteSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.SessionUser(ctx, token, now)
		wantCode(t, "SessionUser after DeleteSession", err, mentorbook.ENOTFOUND)
		if err := s.DeleteSession(ctx, token); err != nil {
			t.Errorf("second DeleteSession: %v", err)
		}
	}},

	{"a session of a missing user is refused", func(t *testing.T, s Ops) {
		err := s.CreateSession(t.Context(), mentorbook.Session{TokenHash: []byte{9}, UserID: 999, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
		if err == nil {
			t.Fatal("CreateSession for user 999 succeeded")
		}
	}},

	{"login failures are counted from a time with the oldest of them", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u, other := mustUser(t, s, "ada"), mustUser(t, s, "bob")
		at := []time.Time{now, now.Add(time.Minute), now.Add(2 * time.Minute)}
		for _, a := range at {
			mustAttempt(t, s, u.ID, a, time.Time{}, 100)
		}
		mustAttempt(t, s, other.ID, now, time.Time{}, 100)
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

	{"login attempts are allowed and recorded until max failures since a time, then refused with the oldest", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u, other := mustUser(t, s, "ada"), mustUser(t, s, "bob")
		const max = 3
		window := 10 * time.Minute
		attempt := func(at time.Time) (bool, time.Time) {
			t.Helper()
			allowed, oldest, err := s.AttemptLogin(ctx, u.ID, at, at.Add(-window), max)
			if err != nil {
				t.Fatalf("AttemptLogin at %v: %v", at, err)
			}
			return allowed, oldest
		}
		count := func() int {
			t.Helper()
			n, _, err := s.LoginFailures(ctx, u.ID, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		// Failures at minutes 0, 1, 2: each allowed, and recorded.
		for i := range max {
			at := now.Add(time.Duration(i) * time.Minute)
			if allowed, oldest := attempt(at); !allowed || !oldest.IsZero() {
				t.Fatalf("attempt %d: allowed %v, oldest %v; want allowed, zero time", i+1, allowed, oldest)
			}
			if n := count(); n != i+1 {
				t.Fatalf("after attempt %d: %d failures recorded", i+1, n)
			}
		}
		// The fourth within the window is refused, with the oldest of
		// those counted, and records nothing.
		for _, m := range []time.Duration{3, 9, 10} { // minute 10: minute 0 is exactly since, still in
			if allowed, oldest := attempt(now.Add(m * time.Minute)); allowed || !oldest.Equal(now) {
				t.Errorf("attempt at minute %d: allowed %v, oldest %v; want refused, oldest %v", m, allowed, oldest, now)
			}
		}
		if n := count(); n != max {
			t.Errorf("refused attempts recorded failures: %d, want %d", n, max)
		}
		// Failures before since do not count: at minute 10m1µs, minute 0
		// has left, so one more is allowed; then minutes 1, 2 and 10m1µs
		// fill the window again.
		late := now.Add(window + time.Microsecond)
		if allowed, _ := attempt(late); !allowed {
			t.Errorf("attempt once the oldest failure left the window: refused")
		}
		if allowed, oldest := attempt(late); allowed || !oldest.Equal(now.Add(time.Minute)) {
			t.Errorf("attempt with minutes 1, 2, 10 counted: allowed %v, oldest %v; want refused, oldest %v", allowed, oldest, now.Add(time.Minute))
		}
		// Per user: another user is unaffected.
		if allowed, _, err := s.AttemptLogin(ctx, other.ID, late, late.Add(-window), max); err != nil || !allowed {
			t.Errorf("other user's attempt: allowed %v, %v; want allowed", allowed, err)
		}
		// Clearing starts over.
		if err := s.ClearLoginFailures(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if allowed, _ := attempt(late); !allowed {
			t.Errorf("attempt after ClearLoginFailures: refused")
		}
		if n := count(); n != 1 {
			t.Errorf("after Clear and one attempt: %d failures, want 1", n)
		}
		// max 0 refuses even with no failures, with the zero time.
		if allowed, oldest, err := s.AttemptLogin(ctx, mustUser(t, s, "cy").ID, late, late, 0); err != nil || allowed || !oldest.IsZero() {
			t.Errorf("AttemptLogin with max 0 = %v, %v, %v; want refused, zero time", allowed, oldest, err)
		}
		_, _, err := s.AttemptLogin(ctx, 999, now, now.Add(-window), max)
		wantCode(t, "AttemptLogin for user 999", err, mentorbook.ENOTFOUND)
	}},

	{"concurrent login attempts for one user are allowed exactly max times", func(t *testing.T, s Ops) {
		// A check-then-record race does not show every time: race three
		// users in turn, each with a fresh store state.
		for round := range 3 {
			raceLoginAttempts(t, s, mustUser(t, s, fmt.Sprintf("ada%d", round)))
		}
	}},
}

// raceLoginAttempts sends 40 attempts for u at once with max 10: exactly
// 10 are allowed and recorded, and the refused ones name the oldest.
func raceLoginAttempts(t *testing.T, s Ops, u mentorbook.User) {
	t.Helper()
	ctx := t.Context()
	const n, max = 40, 10
	since := now.Add(-15 * time.Minute)
	// Distinct instants, so the refusals' oldest must be the earliest
	// recorded, whichever attempts won.
	at := func(i int) time.Time { return now.Add(time.Duration(i) * time.Millisecond) }
	var wg sync.WaitGroup
	ready := make(chan struct{})
	allowed := make([]bool, n)
	oldest := make([]time.Time, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			<-ready
			allowed[i], oldest[i], errs[i] = s.AttemptLogin(ctx, u.ID, at(i), since, max)
		})
	}
	close(ready)
	wg.Wait()

	var admitted []time.Time
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("attempt %d: %v", i, errs[i])
		}
		if allowed[i] {
			admitted = append(admitted, at(i))
		}
	}
	if len(admitted) != max {
		t.Fatalf("%d of %d concurrent attempts allowed, want exactly %d", len(admitted), n, max)
	}
	first := slices.MinFunc(admitted, time.Time.Compare)
	for i := range n {
		if !allowed[i] && !oldest[i].Equal(first) {
			t.Errorf("refused attempt %d: oldest %v, want %v", i, oldest[i], first)
		}
	}
	count, got, err := s.LoginFailures(ctx, u.ID, since)
	if err != nil {
		t.Fatal(err)
	}
	if count != max || !got.Equal(first) {
		t.Errorf("LoginFailures = %d, oldest %v; want %d, %v", count, got, max, first)
	}
}

// mustAttempt records a failure through AttemptLogin, which must allow it.
func mustAttempt(t *testing.T, s Ops, userID int64, at, since time.Time, max int) {
	t.Helper()
	allowed, _, err := s.AttemptLogin(t.Context(), userID, at, since, max)
	if err != nil {
		t.Fatalf("AttemptLogin(user %d at %v): %v", userID, at, err)
	}
	if !allowed {
		t.Fatalf("AttemptLogin(user %d at %v) refused", userID, at)
	}
}
