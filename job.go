package mentorbook

import (
	"context"
	"time"
)

// JobStatus is where a background job stands.
type JobStatus string

const (
	JobQueued  JobStatus = "queued"  // waits for RunAt
	JobRunning JobStatus = "running" // claimed by a worker until LockedUntil
	JobDone    JobStatus = "done"
	JobFailed  JobStatus = "failed" // gave up after MaxAttempts; LastError says why
)

// Job is durable background work, enqueued in the same transaction as its
// cause, run at or after RunAt by one worker at a time.
type Job struct {
	ID   int64
	Kind string
	// Key deduplicates: a second enqueue of the same (Kind, Key) is a
	// no-op, for as long as the first job's row is kept.
	Key         string
	Payload     []byte // JSON, as the kind's handler reads it
	Status      JobStatus
	RunAt       time.Time
	Attempts    int // attempts started so far
	MaxAttempts int
	LockedUntil time.Time // while running: when the claim lapses
	LastError   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Jobs is the queue of background work.
type Jobs interface {
	// Enqueue inserts j (Status queued, Attempts 0) unless a job with its
	// (Kind, Key) exists; added reports which.
	Enqueue(ctx context.Context, j Job) (added bool, err error)
	// Claim takes the due job with the earliest RunAt — queued with RunAt
	// <= now, or running with a lapsed claim (its worker died) — marks it
	// running until lease, counts an attempt and returns it; ok is false
	// when none is due. Concurrent claims never take the same job.
	Claim(ctx context.Context, now, lease time.Time) (j Job, ok bool, err error)
	// Finish records the end of attempt j.Attempts of a job claimed by
	// Claim: done, failed (with lastError) or queued again at runAt (with
	// lastError). It is ECONFLICT when the job is no longer in that
	// attempt: its claim lapsed and another worker took it. A done job's
	// payload is erased.
	Finish(ctx context.Context, j Job, status JobStatus, runAt time.Time, lastError string, now time.Time) error
	// List lists jobs with one of statuses (all when empty), by RunAt.
	List(ctx context.Context, statuses []JobStatus, limit int) ([]Job, error)
	// DeleteFinished removes done and failed jobs last updated before the time.
	DeleteFinished(ctx context.Context, before time.Time) (int, error)
}
