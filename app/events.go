package app

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/internal/hub"
)

// Event kinds, as live streams name them.
const (
	EventMessage      = "message"
	EventRead         = "read"
	EventNotification = "notification"
	EventUnread       = "unread"
)

// SessionCookie is the cookie that holds a web session's token; the
// event stream accepts it as well as a bearer token.
const SessionCookie = "mentorbook_session"

// eventsKeep is how long events stay replayable: a client away longer
// reloads its page instead.
const eventsKeep = 24 * time.Hour

// JobDeleteOldEvents prunes the event log.
const JobDeleteOldEvents = "delete-old-events"

// MemoryBroker is the Broker of one process (SQLite, or tests): it wakes
// the streams of this process only.
type MemoryBroker struct{ *hub.Hub }

// NewMemoryBroker returns a broker without other instances.
func NewMemoryBroker() MemoryBroker { return MemoryBroker{hub.New()} }

// Publish wakes the users' streams.
func (b MemoryBroker) Publish(_ context.Context, userIDs ...int64) { b.Wake(userIDs...) }

// WatchSlots does nothing: one process learns of its own changes as it
// commits them.
func (MemoryBroker) WatchSlots(func([]int64)) {}

// WatchAccounts does nothing, for the same reason.
func (MemoryBroker) WatchAccounts(func([]int64)) {}

// publishingStore publishes the users whose events a write appended, once
// it committed: the streams it wakes read events that exist.
type publishingStore struct {
	mentorbook.Store
	broker mentorbook.Broker
}

func (s publishingStore) Write(ctx context.Context, fn func(mentorbook.Tx) error) error {
	var users []int64
	err := s.Store.Write(ctx, func(tx mentorbook.Tx) error {
		users = users[:0] // a retried transaction starts over
		return fn(eventTx{tx, &users})
	})
	if err == nil && len(users) > 0 {
		s.broker.Publish(context.WithoutCancel(ctx), users...)
	}
	return err
}

// eventTx records whose events a transaction appends.
type eventTx struct {
	mentorbook.Tx
	users *[]int64
}

func (t eventTx) Events() mentorbook.Events { return recordingEvents{t.Tx.Events(), t.users} }

type recordingEvents struct {
	mentorbook.Events
	users *[]int64
}

func (r recordingEvents) Append(ctx context.Context, e mentorbook.Event) (mentorbook.Event, error) {
	e, err := r.Events.Append(ctx, e)
	if err == nil {
		for _, id := range *r.users {
			if id == e.UserID {
				return e, nil
			}
		}
		*r.users = append(*r.users, e.UserID)
	}
	return e, err
}

// event appends an event for userID to tx, the transaction of its cause.
func (c *core) event(ctx context.Context, tx mentorbook.Tx, userID int64, kind string, data any) error {
	body, err := json.Marshal(data)
	if err != nil {
		return err
	}
	_, err = tx.Events().Append(ctx, mentorbook.Event{UserID: userID, Kind: kind, Data: string(body), CreatedAt: c.clock()})
	return err
}

// Unread is what the navigation shows: unread messages and notifications.
type Unread struct {
	Messages      int `json:"messages"`
	Notifications int `json:"notifications"`
}

func unreadOf(ctx context.Context, tx mentorbook.Tx, userID int64) (Unread, error) {
	m, err := tx.Conversations().Unread(ctx, userID)
	if err != nil {
		return Unread{}, err
	}
	n, err := tx.Notifications().UnreadCount(ctx, userID)
	return Unread{Messages: m, Notifications: n}, err
}

// unreadEvent appends userID's counts as they are in tx.
func (c *core) unreadEvent(ctx context.Context, tx mentorbook.Tx, userID int64) error {
	u, err := unreadOf(ctx, tx, userID)
	if err != nil {
		return err
	}
	return c.event(ctx, tx, userID, EventUnread, u)
}

// Events serves live streams.
type Events struct{ *core }

// Subscribe wakes the channel when the caller may have new events.
func (s *Events) Subscribe(caller mentorbook.User) (<-chan struct{}, func()) {
	return s.broker.Subscribe(caller.ID)
}

// MaxEventBatch bounds one read of a stream's events.
const MaxEventBatch = 200

// After returns the caller's events after afterID, oldest first, at most
// a batch.
func (s *Events) After(ctx context.Context, caller mentorbook.User, afterID int64) ([]mentorbook.Event, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Event, error) {
		return tx.Events().After(ctx, caller.ID, afterID, MaxEventBatch)
	})
}

// LastID is the caller's latest event ID: where a new stream starts.
func (s *Events) LastID(ctx context.Context, caller mentorbook.User) (int64, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (int64, error) {
		return tx.Events().LastID(ctx, caller.ID)
	})
}

// Unread returns the caller's unread counts.
func (s *Events) Unread(ctx context.Context, caller mentorbook.User) (Unread, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (Unread, error) {
		return unreadOf(ctx, tx, caller.ID)
	})
}
