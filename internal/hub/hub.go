// Package hub wakes the live streams of one instance. It carries no
// events, only "this user has new ones": each stream then reads what it
// has not sent from the database, so a wake can be merged with another or
// lost to a dropped connection without losing an event.
package hub

import "sync"

// Hub is a set of per-user wake channels.
type Hub struct {
	mu   sync.Mutex
	subs map[int64]map[chan struct{}]struct{}
}

// New returns an empty hub.
func New() *Hub { return &Hub{subs: map[int64]map[chan struct{}]struct{}{}} }

// Subscribe returns a channel that receives when userID has new events,
// and the function that ends the subscription. The channel holds one
// wake: a stream busy writing to a slow client misses none, as its next
// read from the database covers every wake merged into it, and a
// publisher never waits for a stream.
func (h *Hub) Subscribe(userID int64) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs[userID] == nil {
		h.subs[userID] = map[chan struct{}]struct{}{}
	}
	h.subs[userID][ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs[userID], ch)
		if len(h.subs[userID]) == 0 {
			delete(h.subs, userID)
		}
		h.mu.Unlock()
	}
}

// Wake wakes every stream of the users.
func (h *Hub) Wake(userIDs ...int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, id := range userIDs {
		for ch := range h.subs[id] {
			wake(ch)
		}
	}
}

// WakeAll wakes every stream, after notifications may have been lost.
func (h *Hub) WakeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, chans := range h.subs {
		for ch := range chans {
			wake(ch)
		}
	}
}

// Streams counts the open subscriptions.
func (h *Hub) Streams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, chans := range h.subs {
		n += len(chans)
	}
	return n
}

func wake(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default: // a wake is already pending
	}
}
