package app_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/storetest"
)

// jobEnv is a service with a controlled clock and a job kind whose effect
// is a row it writes (a login failure of user, at the job's run time), so
// tests count effects in the database.
type jobEnv struct {
	svc   *app.App
	store mentorbook.Store
	clock *atomic.Int64
	fail  atomic.Bool // the handler fails while set
	calls atomic.Int64
}

var jobBase = time.Date(2030, 1, 7, 12, 0, 0, 0, time.UTC)

func newJobEnv(t *testing.T, store mentorbook.Store, clock *atomic.Int64) *jobEnv {
	t.Helper()
	if clock == nil {
		clock = new(atomic.Int64)
		clock.Store(jobBase.UnixMicro())
	}
	e := &jobEnv{store: store, clock: clock}
	e.svc = app.New(store, app.Options{CheapPasswords: true, Now: func() time.Time { return time.UnixMicro(clock.Load()) }})
	e.svc.Jobs.Backoff, e.svc.Jobs.MaxBackoff = time.Minute, time.Hour
	e.svc.Jobs.Register("mark", app.JobKind{MaxAttempts: 3, Handler: func(ctx context.Context, tx mentorbook.Tx, j mentorbook.Job, now time.Time) error {
		e.calls.Add(1)
		if e.fail.Load() {
			return errors.New("smtp server said no")
		}
		var user int64
		fmt.Sscan(string(j.Payload), &user)
		return tx.Users().AddLoginFailure(ctx, user, j.RunAt)
	}})
	return e
}

func (e *jobEnv) now() time.Time          { return time.UnixMicro(e.clock.Load()).UTC() }
func (e *jobEnv) advance(d time.Duration) { e.clock.Add(d.Microseconds()) }
func (e *jobEnv) mustUser(t *testing.T) int64 {
	t.Helper()
	u, _, err := e.svc.Accounts.Signup(t.Context(), app.SignupInput{Email: fmt.Sprintf("u%d@example.com", time.Now().UnixNano()),
		Password: "a long password", Name: "U", Timezone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// enqueue adds a "mark" job for user in its own transaction.
func (e *jobEnv) enqueue(t *testing.T, user int64, key string, runAt time.Time) {
	t.Helper()
	if err := e.store.Write(t.Context(), func(tx mentorbook.Tx) error {
		return e.svc.Jobs.Enqueue(t.Context(), tx, "mark", key, user, runAt)
	}); err != nil {
		t.Fatal(err)
	}
}

func (e *jobEnv) runOnce(t *testing.T) bool {
	t.Helper()
	ran, err := e.svc.Jobs.RunOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return ran
}

// effects counts the rows the job wrote for user.
func (e *jobEnv) effects(t *testing.T, user int64) int {
	t.Helper()
	n, err := mentorbook.ReadValue(t.Context(), e.store, func(tx mentorbook.Tx) (int, error) {
		n, _, err := tx.Users().LoginFailures(t.Context(), user, time.Time{})
		return n, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *jobEnv) job(t *testing.T) mentorbook.Job {
	t.Helper()
	js, err := e.svc.Jobs.List(t.Context(), nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range js {
		if j.Kind == "mark" {
			return j
		}
	}
	t.Fatal("no mark job")
	return mentorbook.Job{}
}

func TestJobs(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			t.Parallel()
			t.Run("an enqueue whose transaction rolls back never runs", func(t *testing.T) {
				e := newJobEnv(t, eng.Open(t), nil)
				u := e.mustUser(t)
				boom := errors.New("the cause failed")
				err := e.store.Write(t.Context(), func(tx mentorbook.Tx) error {
					if err := e.svc.Jobs.Enqueue(t.Context(), tx, "mark", "k", u, e.now()); err != nil {
						return err
					}
					return boom
				})
				if !errors.Is(err, boom) {
					t.Fatalf("Write = %v, want the cause's error", err)
				}
				if e.runOnce(t) || e.calls.Load() != 0 || e.effects(t, u) != 0 {
					t.Errorf("a rolled-back job ran: %d calls, %d effects", e.calls.Load(), e.effects(t, u))
				}
				// The key was never taken either.
				e.enqueue(t, u, "k", e.now())
				if !e.runOnce(t) || e.effects(t, u) != 1 {
					t.Errorf("the same key after the rollback did not run once")
				}
			})

			t.Run("a scheduled job does not run before its time", func(t *testing.T) {
				e := newJobEnv(t, eng.Open(t), nil)
				u := e.mustUser(t)
				e.enqueue(t, u, "", e.now().Add(time.Hour))
				e.advance(time.Hour - time.Microsecond)
				if e.runOnce(t) {
					t.Fatal("ran a microsecond early")
				}
				e.advance(time.Microsecond)
				if !e.runOnce(t) || e.effects(t, u) != 1 {
					t.Fatal("did not run at its time")
				}
				if j := e.job(t); j.Status != mentorbook.JobDone || j.Attempts != 1 {
					t.Errorf("job = %s after %d attempts, want done after 1", j.Status, j.Attempts)
				}
			})

			t.Run("the same key enqueued twice runs once", func(t *testing.T) {
				e := newJobEnv(t, eng.Open(t), nil)
				u := e.mustUser(t)
				e.enqueue(t, u, "reminder:1", e.now())
				e.enqueue(t, u, "reminder:1", e.now())
				for e.runOnce(t) {
				}
				// Done, its row still deduplicates.
				e.enqueue(t, u, "reminder:1", e.now())
				for e.runOnce(t) {
				}
				if got := e.effects(t, u); got != 1 || e.calls.Load() != 1 {
					t.Errorf("effects %d, calls %d; want 1 and 1", got, e.calls.Load())
				}
			})

			t.Run("a failing job retries with backoff, then stops with its error", func(t *testing.T) {
				e := newJobEnv(t, eng.Open(t), nil)
				u := e.mustUser(t)
				e.fail.Store(true)
				e.enqueue(t, u, "", e.now())
				wait := time.Minute
				for attempt := 1; attempt <= 3; attempt++ {
					if !e.runOnce(t) {
						t.Fatalf("attempt %d did not run", attempt)
					}
					j := e.job(t)
					if attempt == 3 {
						if j.Status != mentorbook.JobFailed || !strings.Contains(j.LastError, "smtp server said no") {
							t.Fatalf("after the last attempt: %s, %q; want failed with the error", j.Status, j.LastError)
						}
						break
					}
					// The next try waits Backoff doubling per attempt, less at
					// most a fifth of it.
					delay := j.RunAt.Sub(e.now())
					if j.Status != mentorbook.JobQueued || delay > wait || delay < wait-wait/5 {
						t.Fatalf("after attempt %d: %s, next in %v; want queued in (%v, %v]", attempt, j.Status, delay, wait-wait/5, wait)
					}
					if e.runOnce(t) {
						t.Fatalf("attempt %d retried before its backoff", attempt)
					}
					e.advance(delay)
					wait *= 2
				}
				e.advance(24 * time.Hour)
				if e.runOnce(t) || e.calls.Load() != 3 || e.effects(t, u) != 0 {
					t.Errorf("a failed job ran again, or left effects: %d calls, %d effects", e.calls.Load(), e.effects(t, u))
				}
			})

			t.Run("a job whose worker died is taken over after its lease, and runs once", func(t *testing.T) {
				e := newJobEnv(t, eng.Open(t), nil)
				u := e.mustUser(t)
				e.enqueue(t, u, "", e.now())
				// A worker claims it and dies.
				dead, err := mentorbook.WriteValue(t.Context(), e.store, func(tx mentorbook.Tx) (mentorbook.Job, error) {
					j, _, err := tx.Jobs().Claim(t.Context(), e.now(), e.now().Add(e.svc.Jobs.Lease))
					return j, err
				})
				if err != nil {
					t.Fatal(err)
				}
				if e.runOnce(t) {
					t.Fatal("a claimed job was taken before its lease ended")
				}
				e.advance(e.svc.Jobs.Lease)
				if !e.runOnce(t) || e.effects(t, u) != 1 {
					t.Fatal("the job was not taken over")
				}
				// The dead worker's late finish is refused.
				err = e.store.Write(t.Context(), func(tx mentorbook.Tx) error {
					return tx.Jobs().Finish(t.Context(), dead, mentorbook.JobDone, dead.RunAt, "", e.now())
				})
				if mentorbook.ErrorCode(err) != mentorbook.ECONFLICT {
					t.Errorf("late finish = %v, want a conflict", err)
				}
			})

			t.Run("many workers run each job's effect once", func(t *testing.T) {
				e := newJobEnv(t, eng.Open(t), nil)
				raceJobs(t, []*jobEnv{e, e, e, e, e, e})
			})
		})
	}
}

// raceJobs enqueues jobs through the first env and runs them with one
// worker per env at once: every effect happens exactly once.
func raceJobs(t *testing.T, envs []*jobEnv) {
	first := envs[0]
	users := []int64{first.mustUser(t), first.mustUser(t), first.mustUser(t)}
	const perUser = 40
	for i := range perUser {
		for _, u := range users {
			first.enqueue(t, u, fmt.Sprintf("job-%d-%d", u, i), first.now().Add(-time.Duration(i)*time.Second))
		}
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, len(envs))
	for _, e := range envs {
		wg.Go(func() {
			<-start
			for {
				ran, err := e.svc.Jobs.RunOnce(t.Context())
				if err != nil {
					errs <- err
					return
				}
				if !ran {
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, u := range users {
		// Each job wrote its row at its own run time: a duplicate run would
		// show as a second row.
		if got := first.effects(t, u); got != perUser {
			t.Errorf("user %d: %d effects, want %d", u, got, perUser)
		}
	}
	js, err := first.svc.Jobs.List(t.Context(), []mentorbook.JobStatus{mentorbook.JobDone}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var calls int64
	seen := map[*jobEnv]bool{}
	for _, e := range envs {
		if !seen[e] {
			seen[e] = true
			calls += e.calls.Load()
		}
	}
	if done := len(js); done != perUser*len(users) || calls != int64(done) {
		t.Errorf("%d jobs done by %d handler calls, want %d and %d", done, calls, perUser*len(users), perUser*len(users))
	}
}

// Two instances on one PostgreSQL database share the queue: each job runs
// once.
func TestJobsAcrossTwoInstances(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	clock := new(atomic.Int64)
	clock.Store(jobBase.UnixMicro())
	var envs []*jobEnv
	for range 2 {
		db, err := postgres.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		e := newJobEnv(t, db, clock)
		envs = append(envs, e, e, e)
	}
	raceJobs(t, envs)
}

// Periodic upkeep is enqueued by every instance but runs once a period.
func TestUpkeepRunsOncePerPeriod(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			store := eng.Open(t)
			a, b := newJobEnv(t, store, nil), newJobEnv(t, store, nil)
			b.clock = a.clock
			ctx, cancel := context.WithCancel(t.Context())
			var wg sync.WaitGroup
			for _, e := range []*jobEnv{a, b} {
				e.svc.Jobs.Poll = time.Millisecond
				wg.Go(func() { e.svc.Jobs.Run(ctx, 2) })
			}
			upkeep := []string{app.JobExpireBookings, app.JobExpireMentorships, app.JobDeleteSessions, app.JobDeleteFailures, app.JobDeleteKeys,
				app.JobDeleteOldJobs, app.JobDeleteResetData, app.JobDeleteOldEvents, app.JobAutoCashouts}
			// Wait until the first period's upkeep has run.
			deadline := time.Now().Add(10 * time.Second)
			for {
				js, err := a.svc.Jobs.List(t.Context(), []mentorbook.JobStatus{mentorbook.JobDone}, 100)
				if err != nil {
					t.Fatal(err)
				}
				if len(js) >= len(upkeep) || time.Now().After(deadline) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			wg.Wait()
			js, err := a.svc.Jobs.List(t.Context(), nil, 100)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[string]int{}
			for _, j := range js {
				if j.Status != mentorbook.JobDone {
					t.Errorf("%s is %s (%s)", j.Kind, j.Status, j.LastError)
				}
				kinds[j.Kind]++
			}
			for _, k := range upkeep {
				if kinds[k] != 1 {
					t.Errorf("%s ran %d times in one period by two instances, want 1", k, kinds[k])
				}
			}
		})
	}
}
