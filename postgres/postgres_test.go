package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) mentorbook.Store { return storetest.OpenPostgres(tb) })
}

// Several app instances starting at once against one fresh schema must all
// migrate successfully, and apply each migration exactly once.
func TestConcurrentMigrate(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	const n = 6
	dbs := make([]*postgres.DB, n)
	for i := range dbs {
		db, err := postgres.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i, db := range dbs {
		wg.Go(func() {
			<-start
			errs[i] = db.Migrate(t.Context())
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Migrate %d: %v", i, err)
		}
	}

	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var versions, distinct int
	if err := conn.QueryRow(t.Context(), `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&versions, &distinct); err != nil {
		t.Fatal(err)
	}
	if versions == 0 || versions != distinct {
		t.Errorf("schema_migrations has %d rows for %d versions", versions, distinct)
	}
	if _, err := (storetest.Ops{Store: dbs[n-1]}).CreateUser(t.Context(), mentorbook.User{Email: "a@example.com", Name: "A", Timezone: "UTC"}, "h"); err != nil {
		t.Fatal(err)
	}
}
