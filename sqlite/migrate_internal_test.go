package sqlite

import (
	"path/filepath"
	"testing"
	"time"
)

// Mentors who existed before services get their free consultation from
// migration 0003, exactly one each.
func TestMigrationGivesExistingMentorsAFreeConsultation(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, name := range []string{"migrations/0001_init.sql", "migrations/0002_jobs.sql"} {
		if err := db.migrate(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, q := range []string{
		`INSERT INTO users (id, email, password_hash, name, timezone, created_at) VALUES (1, 'a@x', 'h', 'A', 'UTC', $1), (2, 'b@x', 'h', 'B', 'UTC', $1)`,
		`INSERT INTO mentor_profiles (user_id, headline, bio, active, updated_at) VALUES (1, 'Go', '', 1, $1)`,
	} {
		if _, err := db.write.ExecContext(ctx, q, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var mentor, n int64
	var isDefault, active bool
	var price int64
	if err := db.write.QueryRowContext(ctx, `SELECT count(*), min(mentor_id), min(is_default), min(active), min(price_minor) FROM services`).
		Scan(&n, &mentor, &isDefault, &active, &price); err != nil {
		t.Fatal(err)
	}
	if n != 1 || mentor != 1 || !isDefault || !active || price != 0 {
		t.Errorf("services after migration: %d rows, mentor %d, default %v, active %v, price %d", n, mentor, isDefault, active, price)
	}
}
