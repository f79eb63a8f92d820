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

// Ping reports whether the database answers.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// Sweep materialises expired booking requests, and deletes expired sessions,
// login failures past the lockout window and old idempotency keys. Reads
// already treat stale requests as expired; this keeps the database's overlap
// guard free of them, and the tables from growing. Run it periodically.
func (s *Service) Sweep(ctx context.Context) error {
	now := s.clock()
	if _, err := s.store.ExpireBookings(ctx, now); err != nil {
		return err
	}
	if _, err := s.store.DeleteExpiredSessions(ctx, now); err != nil {
		return err
	}
	// Failures older than the lockout window no longer count.
	if _, err := s.store.DeleteLoginFailures(ctx, now.Add(-loginWindow)); err != nil {
		return err
	}
	_, err := s.store.DeleteIdempotencyKeys(ctx, now.Add(-idempotencyKeep))
	return err
}

// RunSweeper calls Sweep every interval until ctx ends.
func (s *Service) RunSweeper(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("sweep", "err", err)
			}
		}
	}
}
