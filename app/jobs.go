package app

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/mentorbook/mentorbook"
)

// JobHandler does one kind of job, inside the write transaction that also
// records the job done: the effect and that record commit together or not
// at all, so a job takes effect once however many workers and instances
// run and however often it is retried. It re-reads what it acts on through
// tx. It must not do slow work or have effects outside tx.
type JobHandler func(ctx context.Context, tx mentorbook.Tx, j mentorbook.Job, now time.Time) error

// JobEffect does one kind of job whose effect is outside the database (an
// email). It runs with no transaction open: after the claim has committed,
// and before the job is recorded done in a transaction of its own, as soon
// as it returns nil, so a later failure cannot make a retry repeat it. It
// must finish within half the lease (its ctx says so). The guarantee is
// at least once: if the process dies or the database fails between the
// effect and that record, the job runs again when its claim lapses.
type JobEffect func(ctx context.Context, j mentorbook.Job) error

// JobKind is how a kind of job is run: by Handler inside a transaction, or
// by Effect outside one. Exactly one is set.
type JobKind struct {
	Handler     JobHandler
	Effect      JobEffect
	MaxAttempts int // default 10
	// Every, when set, makes the kind periodic: each instance enqueues it
	// once per period, keyed by the period's start, so it runs once per
	// period across all instances.
	Every time.Duration
}

// Jobs runs durable background jobs.
type Jobs struct {
	store mentorbook.Store
	clock func() time.Time
	log   interface {
		Error(msg string, args ...any)
	}
	kinds map[string]JobKind
	// Lease is how long a claim lasts: a worker that dies mid-job loses
	// it then, and another takes the job over.
	Lease time.Duration
	// Backoff is the wait before the second attempt; it doubles with each
	// further one, up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// Poll is how often an idle worker looks for due jobs.
	Poll time.Duration

	mu        sync.Mutex
	scheduled map[string]time.Time // periodic kind → the period this instance last enqueued
	wake      chan struct{}
}

func newJobs(store mentorbook.Store, clock func() time.Time, log interface{ Error(string, ...any) }) *Jobs {
	return &Jobs{
		store: store, clock: clock, log: log, kinds: map[string]JobKind{},
		Lease: 5 * time.Minute, Backoff: 10 * time.Second, MaxBackoff: time.Hour, Poll: time.Second,
		scheduled: map[string]time.Time{}, wake: make(chan struct{}, 1),
	}
}

// Register makes kind runnable. Register every kind before Run.
func (q *Jobs) Register(kind string, k JobKind) {
	if (k.Handler == nil) == (k.Effect == nil) {
		panic(fmt.Sprintf("app: job kind %q needs exactly one of Handler and Effect", kind))
	}
	if k.MaxAttempts <= 0 {
		k.MaxAttempts = 10
	}
	q.kinds[kind] = k
}

// Enqueue adds a job to tx, the transaction of its cause: if that rolls
// back, the job never exists. A non-empty key deduplicates: a second
// enqueue of the same kind and key is a no-op.
func (q *Jobs) Enqueue(ctx context.Context, tx mentorbook.Tx, kind, key string, payload any, runAt time.Time) error {
	k, ok := q.kinds[kind]
	if !ok {
		return fmt.Errorf("app: enqueue of unregistered job kind %q", kind)
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	_, err = tx.Jobs().Enqueue(ctx, mentorbook.Job{Kind: kind, Key: key, Payload: body,
		RunAt: runAt.UTC(), MaxAttempts: k.MaxAttempts, CreatedAt: q.clock()})
	if err == nil {
		// A worker in this process may pick it up at once (after commit;
		// early wakes find nothing and sleep again).
		select {
		case q.wake <- struct{}{}:
		default:
		}
	}
	return err
}

// RunOnce claims one due job and runs it; ran is false when none was due.
func (q *Jobs) RunOnce(ctx context.Context) (ran bool, err error) {
	now := q.clock()
	var j mentorbook.Job
	err = q.store.Write(ctx, func(tx mentorbook.Tx) (err error) {
		j, ran, err = tx.Jobs().Claim(ctx, now, now.Add(q.Lease))
		return err
	})
	if err != nil || !ran {
		return false, err
	}
	k, known := q.kinds[j.Kind]
	var runErr error
	switch {
	case !known:
		runErr = fmt.Errorf("no handler for job kind %q", j.Kind)
	case j.Attempts > j.MaxAttempts:
		// Its claims kept lapsing: a worker died in it each time.
		runErr = fmt.Errorf("gave up after %d attempts whose workers did not finish", j.MaxAttempts)
	case k.Effect != nil:
		if runErr = q.runEffect(ctx, k.Effect, j); runErr == nil {
			// Recorded at once: from here a failure must not retry it.
			err := q.store.Write(ctx, func(tx mentorbook.Tx) error {
				return tx.Jobs().Finish(ctx, j, mentorbook.JobDone, j.RunAt, "", q.clock())
			})
			if mentorbook.ErrorCode(err) == mentorbook.ECONFLICT {
				err = nil // another worker owns it now
			}
			return true, err
		}
	default:
		runErr = q.store.Write(ctx, func(tx mentorbook.Tx) error {
			if err := k.Handler(ctx, tx, j, now); err != nil {
				return err
			}
			// ECONFLICT here rolls the effect back: the claim lapsed and
			// another worker owns the job now.
			return tx.Jobs().Finish(ctx, j, mentorbook.JobDone, j.RunAt, "", q.clock())
		})
	}
	if runErr == nil {
		return true, nil
	}
	status, runAt := mentorbook.JobQueued, now.Add(q.backoff(j.Attempts))
	if j.Attempts >= j.MaxAttempts || !known {
		status, runAt = mentorbook.JobFailed, j.RunAt
	}
	err = q.store.Write(ctx, func(tx mentorbook.Tx) error {
		return tx.Jobs().Finish(ctx, j, status, runAt, runErr.Error(), q.clock())
	})
	if mentorbook.ErrorCode(err) == mentorbook.ECONFLICT {
		err = nil // another worker owns it now
	}
	return true, err
}

// runEffect runs an effect bounded by half the lease, so the claim cannot
// lapse (and another worker start the same effect) while it runs.
func (q *Jobs) runEffect(ctx context.Context, effect JobEffect, j mentorbook.Job) error {
	ctx, cancel := context.WithTimeout(ctx, q.Lease/2)
	defer cancel()
	return effect(ctx, j)
}

// backoff is the wait after attempt n failed: Backoff doubling per
// attempt up to MaxBackoff, less up to a fifth at random so that jobs
// failing together do not retry together.
func (q *Jobs) backoff(n int) time.Duration {
	d := q.Backoff
	for i := 1; i < n && d < q.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, q.MaxBackoff)
	return d - time.Duration(rand.Int64N(int64(d)/5+1))
}

// schedule enqueues the periodic kinds whose current period this
// instance has not enqueued yet.
func (q *Jobs) schedule(ctx context.Context) error {
	now := q.clock()
	for kind, k := range q.kinds {
		if k.Every <= 0 {
			continue
		}
		period := now.Truncate(k.Every)
		q.mu.Lock()
		done := q.scheduled[kind].Equal(period)
		q.mu.Unlock()
		if done {
			continue
		}
		err := q.store.Write(ctx, func(tx mentorbook.Tx) error {
			return q.Enqueue(ctx, tx, kind, period.Format(time.RFC3339), struct{}{}, period)
		})
		if err != nil {
			return err
		}
		q.mu.Lock()
		q.scheduled[kind] = period
		q.mu.Unlock()
	}
	return nil
}

// Run runs workers until ctx ends. Each runs due jobs one after another
// and sleeps for Poll (or until a job is enqueued here) when none is due.
func (q *Jobs) Run(ctx context.Context, workers int) {
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for ctx.Err() == nil {
				if err := q.schedule(ctx); err != nil && ctx.Err() == nil {
					q.log.Error("jobs: schedule", "err", err)
				}
				ran, err := q.RunOnce(ctx)
				if err != nil && ctx.Err() == nil {
					q.log.Error("jobs: run", "err", err)
				}
				if ran && err == nil {
					continue
				}
				select {
				case <-ctx.Done():
				case <-q.wake:
				case <-time.After(q.Poll):
				}
			}
		})
	}
	wg.Wait()
}

// List lists jobs with the given statuses (all when none), by run time.
func (q *Jobs) List(ctx context.Context, statuses []mentorbook.JobStatus, limit int) ([]mentorbook.Job, error) {
	return mentorbook.ReadValue(ctx, q.store, func(tx mentorbook.Tx) ([]mentorbook.Job, error) {
		return tx.Jobs().List(ctx, statuses, limit)
	})
}
