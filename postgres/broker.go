package postgres

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mentorbook/mentorbook/internal/hub"
)

// Broker fans events out across instances with LISTEN/NOTIFY: Publish
// sends the user IDs (never the events' text) on a channel named after the
// schema, and one connection per instance listens and wakes the local
// streams. When that connection drops it reconnects, then wakes every
// local stream: each replays from the database what it missed meanwhile.
type Broker struct {
	*hub.Hub
	pool    *pgxpool.Pool
	channel string
	// slots is the channel migration 0014's triggers notify on;
	// onSlots gets its user IDs (nil after a reconnect).
	slots   string
	onSlots atomic.Pointer[func([]int64)]
	// accounts is migration 0018's channel (sessions and accounts);
	// onAccounts gets its user IDs (nil after a reconnect).
	accounts   string
	onAccounts atomic.Pointer[func([]int64)]
	log        *slog.Logger
	cancel     context.CancelFunc
	done       chan struct{}
	// ready is closed once the first LISTEN is in place.
	ready chan struct{}
}

// NewBroker starts listening on db's pool; Close stops it.
func NewBroker(ctx context.Context, db *DB, log *slog.Logger) (*Broker, error) {
	var schema string
	if err := db.pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	b := &Broker{Hub: hub.New(), pool: db.pool, channel: "mentorbook_events." + schema,
		slots: "mentorbook_slots." + schema, accounts: "mentorbook_accounts." + schema, log: log,
		cancel: cancel, done: make(chan struct{}), ready: make(chan struct{})}
	go b.listen(ctx)
	select {
	case <-b.ready:
	case <-time.After(10 * time.Second):
		b.Close()
		return nil, context.DeadlineExceeded
	}
	return b, nil
}

// WatchSlots has fn called with the users whose slot inputs changed on
// any instance (this one's own changes too, a little after their commit).
func (b *Broker) WatchSlots(fn func(userIDs []int64)) { b.onSlots.Store(&fn) }

// WatchAccounts has fn called with the users whose sessions or account
// changed on any instance (this one's own changes too).
func (b *Broker) WatchAccounts(fn func(userIDs []int64)) { b.onAccounts.Store(&fn) }

// changed calls the watcher in w, if any, with ids.
func changed(w *atomic.Pointer[func([]int64)], ids []int64) {
	if fn := w.Load(); fn != nil {
		(*fn)(ids)
	}
}

// Close stops listening.
func (b *Broker) Close() {
	b.cancel()
	<-b.done
}

// Publish notifies every instance (this one included, through its own
// listener). A failure is logged: the streams catch up at their next wake
// or heartbeat.
func (b *Broker) Publish(ctx context.Context, userIDs ...int64) {
	// A payload must stay under 8000 bytes: at most 20 digits and a comma
	// per id, 300 ids fit.
	for chunk := range slices.Chunk(userIDs, 300) {
		ids := make([]string, len(chunk))
		for i, id := range chunk {
			ids[i] = strconv.FormatInt(id, 10)
		}
		if _, err := b.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, b.channel, strings.Join(ids, ",")); err != nil {
			b.log.Warn("events: notify failed", "err", err)
		}
	}
}

func (b *Broker) listen(ctx context.Context) {
	defer close(b.done)
	first := true
	for ctx.Err() == nil {
		err := b.listenOnce(ctx, &first)
		if ctx.Err() != nil {
			return
		}
		b.log.Warn("events: listener lost, reconnecting", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// listenOnce holds one listening connection until it fails.
func (b *Broker) listenOnce(ctx context.Context, first *bool) error {
	pooled, err := b.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// A connection that listened is not handed back to the pool.
	conn := pooled.Hijack()
	defer conn.Close(context.Background())
	for _, ch := range []string{b.channel, b.slots, b.accounts} {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return err
		}
	}
	if *first {
		*first = false
		close(b.ready)
	} else {
		// Notifications sent while no one listened are lost: every
		// stream replays from the database instead, and cached slots and
		// sessions go.
		b.WakeAll()
		changed(&b.onSlots, nil)
		changed(&b.onAccounts, nil)
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var ids []int64
		for _, s := range strings.Split(n.Payload, ",") {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
		switch n.Channel {
		case b.slots:
			changed(&b.onSlots, ids)
		case b.accounts:
			changed(&b.onAccounts, ids)
		default:
			b.Wake(ids...)
		}
	}
}
