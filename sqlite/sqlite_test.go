package sqlite_test

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/sqlite"
	"github.com/mentorbook/mentorbook/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) mentorbook.Store { return storetest.OpenSQLite(tb) })
}

// Several processes may start on one file at once; each migration must
// still apply exactly once.
func TestConcurrentMigrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mentorbook.db")
	const n = 8
	dbs := make([]*sqlite.DB, n)
	for i := range dbs {
		db, err := sqlite.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, db := range dbs {
		wg.Go(func() { errs[i] = db.Migrate(t.Context()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Migrate %d: %v", i, err)
		}
	}
	// Migrating again is a no-op, and the schema works.
	if err := dbs[0].Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := (storetest.Ops{Store: dbs[1]}).CreateUser(t.Context(), mentorbook.User{Email: "a@example.com", Name: "A", Timezone: "UTC"}, "h"); err != nil {
		t.Fatal(err)
	}
}

// 64 goroutines writing (and reading) at once through two handles on one
// file, like two processes, wait for the write lock instead of failing: no
// SQLITE_BUSY, no "database is locked".
func TestConcurrentWritesNeverBusy(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "mentorbook.db")
	var dbs [2]*sqlite.DB
	for i := range dbs {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	const workers, writes = 64, 10
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, workers*writes*4)
	for w := range workers {
		db := storetest.Ops{Store: dbs[w%2]}
		wg.Go(func() {
			<-start
			for i := range writes {
				u, err := db.CreateUser(ctx, mentorbook.User{Email: fmt.Sprintf("u%d-%d@example.com", w, i), Name: "U", Timezone: "UTC"}, "h")
				if err != nil {
					errs <- err
					continue
				}
				if _, err := db.PutMentorProfile(ctx, mentorbook.MentorProfile{UserID: u.ID, Skills: []string{"go"}, Active: true}); err != nil {
					errs <- err
				}
				if _, _, err := db.AttemptLogin(ctx, u.ID, time.Now(), time.Now().Add(-time.Minute), 10); err != nil {
					errs <- err
				}
				if _, err := db.UserByID(ctx, u.ID); err != nil {
					errs <- err
				}
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	ms, err := (storetest.Ops{Store: dbs[0]}).ListMentors(ctx, mentorbook.MentorFilter{Skill: "go", Limit: workers * writes * 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != workers*writes {
		t.Errorf("%d mentors, want %d", len(ms), workers*writes)
	}
}
