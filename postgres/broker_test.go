package postgres_test

import (
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/storetest"
)

// Migration 0018 notifies every instance of each change to what a session
// finds (the session, the user's columns, the profile, the skills),
// whatever code made it, and of nothing else; the broker hands the users
// to WatchAccounts.
func TestAccountNotifications(t *testing.T) {
	db := storetest.OpenPostgres(t)
	b, err := postgres.NewBroker(t.Context(), db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	got := make(chan []int64, 100)
	b.WatchAccounts(func(ids []int64) { got <- ids })

	exec := func(sql string) {
		t.Helper()
		if _, err := db.Pool().Exec(t.Context(), sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO users (id, email, password_hash, name, timezone, created_at) OVERRIDING SYSTEM VALUE VALUES
		(1, 'a@example.com', 'h', 'A', 'UTC', now()), (2, 'b@example.com', 'h', 'B', 'UTC', now())`)
	exec(`INSERT INTO mentor_profiles (user_id, headline, bio, active, updated_at) VALUES (1, 'h', 'b', true, now())`)
	exec(`INSERT INTO mentor_skills (mentor_id, skill) VALUES (1, 'go')`)
	exec(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('\x01', 1, now(), now() + interval '1 day')`)
	// Drain the setup's notices: a marker (user 0) comes after them.
	marker := func() []int64 {
		exec(`SELECT pg_notify('mentorbook_accounts.' || current_schema(), '0')`)
		var ids []int64
		for {
			select {
			case n := <-got:
				if slices.Equal(n, []int64{0}) {
					return ids
				}
				ids = append(ids, n...)
			case <-time.After(5 * time.Second):
				t.Fatal("no notification within 5 s")
			}
		}
	}
	marker()

	for _, c := range []struct {
		sql  string
		want []int64 // nil: no notice
	}{
		{`UPDATE users SET name = 'N' WHERE id = 1`, []int64{1}},
		{`UPDATE users SET email = 'c@example.com' WHERE id = 1`, []int64{1}},
		{`UPDATE users SET timezone = 'Asia/Tokyo' WHERE id = 1`, []int64{1}},
		{`UPDATE users SET is_admin = true WHERE id = 1`, []int64{1}},
		{`UPDATE users SET deleted_at = now() WHERE id = 2`, []int64{2}},
		{`UPDATE users SET name = name WHERE id = 1`, nil},
		{`UPDATE users SET password_hash = 'other' WHERE id = 1`, nil},
		{`UPDATE mentor_profiles SET headline = 'x' WHERE user_id = 1`, []int64{1}},
		{`UPDATE mentor_profiles SET bio = 'x' WHERE user_id = 1`, []int64{1}},
		{`UPDATE mentor_profiles SET active = false WHERE user_id = 1`, []int64{1}},
		{`UPDATE mentor_profiles SET max_active_mentorships = 3 WHERE user_id = 1`, []int64{1}},
		{`UPDATE mentor_profiles SET updated_at = now() + interval '1 s' WHERE user_id = 1`, []int64{1}},
		{`UPDATE mentor_profiles SET links = 'https://example.com' WHERE user_id = 1`, []int64{1}},
		{`UPDATE mentor_profiles SET languages = 'en' WHERE user_id = 1`, []int64{1}},
		{`UPDATE mentor_profiles SET years_experience = 4 WHERE user_id = 1`, []int64{1}},
		{`UPDATE mentor_profiles SET meeting_url = 'https://meet.example.com/a' WHERE user_id = 1`, []int64{1}},
		{`UPDATE mentor_profiles SET search_text = 'x', search_title = 'x' WHERE user_id = 1`, nil},
		{`INSERT INTO mentor_skills (mentor_id, skill) VALUES (1, 'rust')`, []int64{1}},
		{`DELETE FROM mentor_skills WHERE mentor_id = 1 AND skill = 'go'`, []int64{1}},
		{`INSERT INTO mentor_profiles (user_id, headline, bio, active, updated_at) VALUES (2, 'h', 'b', true, now())`, []int64{2}},
		{`DELETE FROM mentor_profiles WHERE user_id = 2`, []int64{2}},
		{`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('\x02', 2, now(), now())`, nil},
		{`UPDATE sessions SET expires_at = now() WHERE user_id = 1`, []int64{1}},
		{`DELETE FROM sessions WHERE token_hash = '\x01'`, []int64{1}},
	} {
		exec(c.sql)
		if ids := marker(); !slices.Equal(ids, c.want) {
			t.Errorf("%s: notified %v, want %v", c.sql, ids, c.want)
		}
	}
}
