package sqlstore_test

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/internal/sqlstore"
	"github.com/mentorbook/mentorbook/sqlite"
	"github.com/mentorbook/mentorbook/storetest"
)

var t0 = time.Date(2030, 3, 4, 9, 0, 0, 0, time.UTC)

// The SQL features the shared store relies on, run on both engines
// through database/sql exactly as the repositories run them.
func TestSharedSQLRunsOnBothEngines(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			t.Parallel()
			db := eng.Open(t).(interface{ Exec() *sqlstore.Exec })
			x := db.Exec()
			ctx := t.Context()
			must := func(query string, args ...any) {
				t.Helper()
				if err := x.Do(ctx, query, args...); err != nil {
					t.Fatalf("%s: %v", query, err)
				}
			}
			must(`CREATE TABLE probe (id INTEGER PRIMARY KEY, name TEXT NOT NULL, at_ INTEGER, n INTEGER NOT NULL DEFAULT 0)`)
			if eng.Name == "postgres" {
				// Instants are timestamptz there.
				must(`ALTER TABLE probe ALTER COLUMN at_ TYPE timestamptz USING NULL`)
			}

			// $N binds by position: out of order and repeated.
			var a, b, c string
			if err := x.Row(ctx, `SELECT $2 || '', $1 || '', $2 || $1`, []any{"x", "y"}, &a, &b, &c); err != nil || a != "y" || b != "x" || c != "yx" {
				t.Errorf("$2,$1,$2$1 = %q %q %q, %v; want y x yx", a, b, c, err)
			}

			// RETURNING, and instants stored as the engine keeps them.
			when := t0.Add(1234 * time.Microsecond)
			var id int64
			if err := x.Row(ctx, `INSERT INTO probe (id, name, at_) VALUES (1, $1, $2) RETURNING id`, []any{"a", when}, &id); err != nil || id != 1 {
				t.Fatalf("INSERT RETURNING = %d, %v", id, err)
			}
			var stored any
			if err := x.Row(ctx, `SELECT at_ FROM probe WHERE id = 1`, nil, &stored); err != nil {
				t.Fatal(err)
			}
			if eng.Name == "sqlite" {
				// Integer unix microseconds, as the first schema stored them.
				if us, ok := stored.(int64); !ok || us != when.UnixMicro() {
					t.Errorf("SQLite stored %T %v, want int64 %d", stored, stored, when.UnixMicro())
				}
			}

			// ON CONFLICT … DO UPDATE with excluded.
			must(`INSERT INTO probe (id, name) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET name = excluded.name, n = probe.n + 1`, "b")
			var name string
			var n int
			if err := x.Row(ctx, `SELECT name, n FROM probe WHERE id = 1`, nil, &name, &n); err != nil || name != "b" || n != 1 {
				t.Errorf("after upsert: %q %d, %v; want b 1", name, n, err)
			}

			// Row-value comparison, for keyset paging.
			must(`INSERT INTO probe (id, name) VALUES (2, 'b'), (3, 'c')`)
			var count int
			if err := x.Row(ctx, `SELECT count(*) FROM probe WHERE (name, id) > ($1, $2)`, []any{"b", 1}, &count); err != nil || count != 2 {
				t.Errorf("row-value comparison counted %d, %v; want 2", count, err)
			}

			// string_agg with ORDER BY inside the aggregate.
			var agg string
			if err := x.Row(ctx, `SELECT string_agg(name, ',' ORDER BY id DESC) FROM probe`, nil, &agg); err != nil || agg != "c,b,b" {
				t.Errorf("string_agg = %q, %v; want c,b,b", agg, err)
			}
		})
	}
}

// A failure in the middle of a multi-concern write leaves nothing behind.
func TestWriteIsAllOrNothing(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			t.Parallel()
			s := eng.Open(t)
			ctx := t.Context()
			boom := errors.New("later step failed")
			var u mentorbook.User
			err := s.Write(ctx, func(tx mentorbook.Tx) error {
				var err error
				if u, err = tx.Users().Create(ctx, mentorbook.User{Email: "a@example.com", Name: "A", Timezone: "UTC", CreatedAt: t0}, "h"); err != nil {
					return err
				}
				if _, err := tx.Mentors().PutProfile(ctx, mentorbook.MentorProfile{UserID: u.ID, Skills: []string{"go"}, Active: true, UpdatedAt: t0}); err != nil {
					return err
				}
				if _, err := tx.Jobs().Enqueue(ctx, mentorbook.Job{Kind: "k", Key: "1", Payload: []byte("{}"), RunAt: t0, MaxAttempts: 1, CreatedAt: t0}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("Write = %v, want the step's error", err)
			}
			ops := storetest.Ops{Store: s}
			if _, err := ops.UserByID(ctx, u.ID); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
				t.Errorf("user after rollback: %v, want not found", err)
			}
			if ms, _ := ops.ListMentors(ctx, mentorbook.MentorFilter{Limit: 10, IncludeInactive: true}); len(ms) != 0 {
				t.Errorf("mentors after rollback: %v", ms)
			}
			js, err := mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.Job, error) { return tx.Jobs().List(ctx, nil, 10) })
			if err != nil || len(js) != 0 {
				t.Errorf("jobs after rollback: %v, %v", js, err)
			}
			// The same email is free: nothing of the first attempt stayed.
			if _, err := ops.CreateUser(ctx, mentorbook.User{Email: "a@example.com", Name: "A", Timezone: "UTC", CreatedAt: t0}, "h"); err != nil {
				t.Errorf("create after rollback: %v", err)
			}
		})
	}
}

// Read cannot write, on either engine.
func TestReadRefusesWrites(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			t.Parallel()
			s := eng.Open(t)
			ctx := t.Context()
			err := s.Read(ctx, func(tx mentorbook.Tx) error {
				_, err := tx.Users().Create(ctx, mentorbook.User{Email: "a@example.com", Name: "A", Timezone: "UTC", CreatedAt: t0}, "h")
				return err
			})
			if err == nil {
				t.Fatal("a write through Read succeeded")
			}
			if _, _, err := (storetest.Ops{Store: s}).UserCredentials(ctx, "a@example.com"); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
				t.Errorf("the write through Read landed: %v", err)
			}
		})
	}
}

// Violations are told apart by the constraint that fired, not by class.
func TestViolationsAreMappedByName(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			t.Parallel()
			s := eng.Open(t)
			ops := storetest.Ops{Store: s}
			ctx := t.Context()
			m, _ := ops.CreateUser(ctx, mentorbook.User{Email: "m@example.com", Name: "M", Timezone: "UTC", CreatedAt: t0}, "h")
			e, _ := ops.CreateUser(ctx, mentorbook.User{Email: "e@example.com", Name: "E", Timezone: "UTC", CreatedAt: t0}, "h")
			b := mentorbook.Booking{MentorID: m.ID, MenteeID: e.ID, Status: mentorbook.StatusConfirmed,
				Start: t0, End: t0.Add(time.Hour), CreatedAt: t0, UpdatedAt: t0}
			if _, err := ops.CreateBooking(ctx, b, nil, t0); err != nil {
				t.Fatal(err)
			}
			_, err := ops.CreateBooking(ctx, b, nil, t0)
			if mentorbook.ErrorCode(err) != mentorbook.ECONFLICT || !strings.Contains(mentorbook.ErrorMessage(err), "overlaps another booking") {
				t.Errorf("overlap = %v, want the overlap conflict", err)
			}
			_, err = ops.CreateUser(ctx, mentorbook.User{Email: "m@example.com", Name: "M", Timezone: "UTC", CreatedAt: t0}, "h")
			if mentorbook.ErrorCode(err) != mentorbook.ECONFLICT || strings.Contains(mentorbook.ErrorMessage(err), "overlaps") {
				t.Errorf("taken email = %v, want a conflict that is not about bookings", err)
			}
			// A check constraint is invalid input, not a conflict.
			bad := b
			bad.Start, bad.End = t0.Add(5*time.Hour), t0.Add(4*time.Hour)
			if _, err := ops.CreateBooking(ctx, bad, nil, t0); mentorbook.ErrorCode(err) != mentorbook.EINVALID {
				t.Errorf("end before start = %v, want invalid", err)
			}
		})
	}
}

// An unknown trigger or exclusion constraint is a defect (500), never
// mistaken for an overlap.
func TestUnknownTriggerIsNotAnOverlap(t *testing.T) {
	s := storetest.OpenSQLite(t)
	x := s.Exec()
	ctx := t.Context()
	if err := x.Do(ctx, `CREATE TRIGGER ledger_balance_not_negative BEFORE INSERT ON health BEGIN
		SELECT RAISE(ABORT, 'ledger_balance_not_negative: a balance would go below zero'); END`); err != nil {
		t.Fatal(err)
	}
	err := x.Do(ctx, `INSERT INTO health (id, checks) VALUES (2, 0)`)
	if code := mentorbook.ErrorCode(err); code != mentorbook.EINTERNAL || !strings.Contains(err.Error(), "ledger_balance_not_negative") {
		t.Errorf("unknown trigger = %s %v, want an internal error naming it", code, err)
	}
}

// Two store handles on one SQLite file, like two processes: concurrent
// overlapping bookings through both, and only one wins.
func TestTwoSQLiteHandlesKeepTheOverlapGuard(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mentorbook.db")
	var stores [2]storetest.Ops
	for i := range stores {
		db, err := sqlite.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		stores[i] = storetest.Ops{Store: db}
	}
	ctx := t.Context()
	m, _ := stores[0].CreateUser(ctx, mentorbook.User{Email: "m@example.com", Name: "M", Timezone: "UTC", CreatedAt: t0}, "h")
	var mentees []mentorbook.User
	for i := range 32 {
		u, err := stores[i%2].CreateUser(ctx, mentorbook.User{Email: strings.Repeat("e", i+1) + "@example.com", Name: "E", Timezone: "UTC", CreatedAt: t0}, "h")
		if err != nil {
			t.Fatal(err)
		}
		mentees = append(mentees, u)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	start := make(chan struct{})
	for i, e := range mentees {
		wg.Go(func() {
			<-start
			// Each asks for an hour that overlaps all the others' by half.
			s := t0.Add(time.Duration(i%2) * 30 * time.Minute)
			_, err := stores[i%2].CreateBooking(ctx, mentorbook.Booking{MentorID: m.ID, MenteeID: e.ID, Status: mentorbook.StatusPending,
				Start: s, End: s.Add(time.Hour), ExpiresAt: t0, CreatedAt: t0.Add(-time.Hour), UpdatedAt: t0.Add(-time.Hour)}, nil, t0.Add(-time.Hour))
			switch mentorbook.ErrorCode(err) {
			case "":
				mu.Lock()
				won++
				mu.Unlock()
			case mentorbook.ECONFLICT:
			default:
				t.Errorf("booking %d: %v", i, err)
			}
		})
	}
	close(start)
	wg.Wait()
	if won != 1 {
		t.Errorf("%d overlapping bookings succeeded, want 1", won)
	}
}
