package sqlite

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// Under many more concurrent units of work than connections, both pools
// keep every connection they open: reopening one re-runs the pragmas and
// re-prepares the cached statements (issue 11 measured 14% of a slots
// read's CPU in that churn).
func TestPoolsKeepTheirConnectionsUnderConcurrency(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 32 {
		wg.Go(func() {
			for i := range 30 {
				if g%4 == 0 && i%3 == 0 {
					errs <- db.Write(ctx, func(tx mentorbook.Tx) error {
						_, err := tx.Users().Create(ctx, mentorbook.User{Email: fmt.Sprintf("u%d-%d@example.com", g, i), Name: "U", Timezone: "UTC", CreatedAt: time.Now()}, "h")
						return err
					})
					continue
				}
				errs <- db.Read(ctx, func(tx mentorbook.Tx) error {
					_, err := tx.Mentors().List(ctx, mentorbook.MentorFilter{Limit: 10, IncludeInactive: true})
					return err
				})
			}
		})
	}
	go func() { wg.Wait(); close(errs) }()
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for name, pool := range map[string]*sql.DB{"read": db.read, "write": db.write} {
		s := pool.Stats()
		if closed := s.MaxIdleClosed + s.MaxIdleTimeClosed + s.MaxLifetimeClosed; closed != 0 {
			t.Errorf("%s pool closed %d connections (idle limit %d, idle time %d, lifetime %d), want 0",
				name, closed, s.MaxIdleClosed, s.MaxIdleTimeClosed, s.MaxLifetimeClosed)
		}
	}
	// The writer queue lets one write transaction at a time reach its pool,
	// but 32 readers must have queued for the read pool's connections.
	if s := db.read.Stats(); s.WaitCount == 0 {
		t.Errorf("read pool never made a caller wait: the test did not contend it (stats %+v)", s)
	}
}
