package sqlite_test

import (
	"path/filepath"
	"sync"
	"testing"

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
	if _, err := dbs[1].CreateUser(t.Context(), mentorbook.User{Email: "a@example.com", Name: "A", Timezone: "UTC"}, "h"); err != nil {
		t.Fatal(err)
	}
}
