// Package app holds Mentorbook's use cases: validation, authorization and
// the order of storage calls. The JSON API and the web pages both call it,
// so neither holds scheduling or permission logic.
package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/mentorbook/mentorbook"
)

// Service runs the use cases against a store.
type Service struct {
	store     mentorbook.Store
	now       func() time.Time
	passwords *passwordHasher
	// dummyHash is a hash verified when a login names an unknown email.
	dummyHash func() string
	log       *slog.Logger
	// Jobs runs background work; use cases enqueue into it.
	Jobs *Jobs
}

// Options tune a Service; the zero value is production-ready.
type Options struct {
	// Now replaces the clock in tests.
	Now func() time.Time
	// CheapPasswords uses minimal argon2id cost, for tests only.
	CheapPasswords bool
	Logger         *slog.Logger
}

// New returns a Service on store.
func New(store mentorbook.Store, opts Options) *Service {
	s := &Service{store: store, now: opts.Now, log: opts.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.passwords = newPasswordHasher(opts.CheapPasswords)
	s.Jobs = newJobs(store, s.clock, s.log)
	s.registerUpkeep()
	s.dummyHash = sync.OnceValue(func() string {
		h, _ := s.passwords.Hash("not a password anyone has")
		return h
	})
	return s
}

// clock returns the current instant in UTC at microsecond precision, the
// precision both stores keep.
func (s *Service) clock() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// Now is the service's clock. Pages that judge "today" or "not started
// yet" read it, so they agree with the use cases (and tests can set it).
func (s *Service) Now() time.Time { return s.clock() }

// Ping reports whether the database answers and can be written.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// The periodic upkeep jobs. Reads already treat stale requests as expired;
// materialising the expiry keeps the database's overlap guard free of them,
// and the deletions keep the tables from growing.
const (
	JobExpireBookings   = "expire-bookings"
	JobDeleteSessions   = "delete-expired-sessions"
	JobDeleteFailures   = "delete-old-login-failures"
	JobDeleteKeys       = "delete-old-idempotency-keys"
	JobDeleteOldJobs    = "delete-finished-jobs"
	finishedJobsKeep    = 24 * time.Hour
	upkeepEvery         = 5 * time.Minute
	expireBookingsEvery = time.Minute
)

func (s *Service) registerUpkeep() {
	upkeep := func(every time.Duration, fn func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error)) JobKind {
		return JobKind{Every: every, MaxAttempts: 3, Handler: func(ctx context.Context, tx mentorbook.Tx, _ mentorbook.Job, now time.Time) error {
			_, err := fn(ctx, tx, now)
			return err
		}}
	}
	s.Jobs.Register(JobExpireBookings, upkeep(expireBookingsEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return tx.Bookings().ExpireStale(ctx, now)
	}))
	s.Jobs.Register(JobDeleteSessions, upkeep(upkeepEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return tx.Users().DeleteExpiredSessions(ctx, now)
	}))
	// Failures older than the lockout window no longer count.
	s.Jobs.Register(JobDeleteFailures, upkeep(upkeepEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return tx.Users().DeleteLoginFailures(ctx, now.Add(-loginWindow))
	}))
	s.Jobs.Register(JobDeleteKeys, upkeep(upkeepEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return tx.Bookings().DeleteKeys(ctx, now.Add(-idempotencyKeep))
	}))
	// A finished job's row is what deduplicates its key; periodic keys
	// name their period, so a day is ample.
	s.Jobs.Register(JobDeleteOldJobs, upkeep(upkeepEvery, func(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
		return tx.Jobs().DeleteFinished(ctx, now.Add(-finishedJobsKeep))
	}))
}
