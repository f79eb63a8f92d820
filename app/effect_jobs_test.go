package app_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/storetest"
)

// effectEnv adds to jobEnv a kind "send" whose effect is outside the
// database: it counts deliveries, and fails while fail is set.
type effectEnv struct {
	*jobEnv
	sent, tries atomic.Int64
	fail        atomic.Bool
	// during, when set, runs inside the effect.
	during func(ctx context.Context) error
}

func newEffectEnv(t *testing.T, store mentorbook.Store) *effectEnv {
	e := &effectEnv{jobEnv: newJobEnv(t, store, nil)}
	e.svc.Jobs.Register("send", app.JobKind{MaxAttempts: 3, Effect: func(ctx context.Context, j mentorbook.Job) error {
		e.tries.Add(1)
		if e.during != nil {
			if err := e.during(ctx); err != nil {
				return err
			}
		}
		if e.fail.Load() {
			return errors.New("421 try again later")
		}
		e.sent.Add(1)
		return nil
	}})
	return e
}

func (e *effectEnv) enqueueSend(t *testing.T, key string) {
	t.Helper()
	if err := e.store.Write(t.Context(), func(tx mentorbook.Tx) error {
		return e.svc.Jobs.Enqueue(t.Context(), tx, "send", key, struct{}{}, e.now())
	}); err != nil {
		t.Fatal(err)
	}
}

func (e *effectEnv) sendJob(t *testing.T) mentorbook.Job {
	t.Helper()
	js, err := e.svc.Jobs.List(t.Context(), nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range js {
		if j.Kind == "send" {
			return j
		}
	}
	t.Fatal("no send job")
	return mentorbook.Job{}
}

func TestEffectJobs(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			t.Parallel()
			t.Run("an effect runs with no transaction open", func(t *testing.T) {
				e := newEffectEnv(t, eng.Open(t))
				u := e.mustUser(t)
				// On SQLite a write inside an open write transaction of
				// this process would wait for it until the deadline.
				e.during = func(ctx context.Context) error {
					ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
					defer cancel()
					return e.store.Write(ctx, func(tx mentorbook.Tx) error {
						return tx.Users().AddLoginFailure(ctx, u, e.now())
					})
				}
				e.enqueueSend(t, "k")
				if !e.runOnce(t) || e.sent.Load() != 1 || e.effects(t, u) != 1 {
					t.Fatalf("sent %d, writes %d; want 1 and 1", e.sent.Load(), e.effects(t, u))
				}
				if j := e.sendJob(t); j.Status != mentorbook.JobDone || j.Attempts != 1 {
					t.Errorf("job %+v, want done after one attempt", j)
				}
			})

			t.Run("a failing effect retries with backoff and, once it succeeds, never runs again", func(t *testing.T) {
				e := newEffectEnv(t, eng.Open(t))
				e.fail.Store(true)
				e.enqueueSend(t, "k")
				e.runOnce(t)
				j := e.sendJob(t)
				if j.Status != mentorbook.JobQueued || !strings.Contains(j.LastError, "421") || !j.RunAt.After(e.now()) {
					t.Fatalf("after a failure: %+v", j)
				}
				if e.runOnce(t) {
					t.Fatal("ran again before its backoff")
				}
				e.fail.Store(false)
				e.advance(j.RunAt.Sub(e.now()))
				if !e.runOnce(t) || e.sent.Load() != 1 {
					t.Fatalf("the retry sent %d", e.sent.Load())
				}
				e.advance(24 * time.Hour)
				for e.runOnce(t) {
				}
				if e.sent.Load() != 1 || e.tries.Load() != 2 {
					t.Errorf("sent %d in %d tries, want 1 in 2", e.sent.Load(), e.tries.Load())
				}
				if j := e.sendJob(t); j.Status != mentorbook.JobDone {
					t.Errorf("job %+v, want done", j)
				}
			})

			t.Run("an effect that keeps failing stops after its attempts with the error kept", func(t *testing.T) {
				e := newEffectEnv(t, eng.Open(t))
				e.fail.Store(true)
				e.enqueueSend(t, "k")
				for range 10 {
					e.runOnce(t)
					e.advance(24 * time.Hour)
				}
				j := e.sendJob(t)
				if j.Status != mentorbook.JobFailed || j.Attempts != 3 || !strings.Contains(j.LastError, "421") || e.tries.Load() != 3 {
					t.Errorf("job %+v after %d tries, want failed after 3 with the error", j, e.tries.Load())
				}
			})

			t.Run("an effect whose worker died runs again after the lease, once", func(t *testing.T) {
				e := newEffectEnv(t, eng.Open(t))
				e.enqueueSend(t, "k")
				// A worker claims it and dies before the effect.
				if err := e.store.Write(t.Context(), func(tx mentorbook.Tx) error {
					_, _, err := tx.Jobs().Claim(t.Context(), e.now(), e.now().Add(e.svc.Jobs.Lease))
					return err
				}); err != nil {
					t.Fatal(err)
				}
				if e.runOnce(t) {
					t.Fatal("took over a live claim")
				}
				e.advance(e.svc.Jobs.Lease)
				if !e.runOnce(t) || e.sent.Load() != 1 {
					t.Fatalf("sent %d after the lease", e.sent.Load())
				}
				e.advance(24 * time.Hour)
				for e.runOnce(t) {
				}
				if e.sent.Load() != 1 {
					t.Errorf("sent %d, want 1", e.sent.Load())
				}
			})

			t.Run("an effect gets a deadline within the lease", func(t *testing.T) {
				e := newEffectEnv(t, eng.Open(t))
				var left time.Duration
				e.during = func(ctx context.Context) error {
					d, ok := ctx.Deadline()
					if !ok {
						return errors.New("no deadline")
					}
					left = time.Until(d)
					return nil
				}
				e.enqueueSend(t, "k")
				e.runOnce(t)
				if left <= 0 || left > e.svc.Jobs.Lease/2 {
					t.Errorf("deadline in %v, want within half the lease (%v)", left, e.svc.Jobs.Lease/2)
				}
			})
		})
	}
}
