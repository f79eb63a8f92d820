package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

// streamWriteTimeout bounds one write to an event stream: a client that
// stops reading loses its stream then, and its reconnection replays what
// it missed from the database (Last-Event-ID).
const streamWriteTimeout = 10 * time.Second

// streamAuthed is authed for the event stream, which a browser's
// EventSource opens with the session cookie (it cannot send a header).
func (s *server) streamAuthed(h authedHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			if c, err := r.Cookie(app.SessionCookie); err == nil {
				r.Header.Set("Authorization", "Bearer "+c.Value)
			}
		}
		s.authed(h)(w, r)
	}
}

// events is GET /api/v1/events: the caller's server-sent events. Each
// event's id is the caller's event ID; a reconnection's Last-Event-ID
// replays every later one from the database, so nothing is missed or sent
// twice. Without it the stream starts with what happens next.
func (s *server) events(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	ctx := r.Context()
	var last int64
	lastID := r.Header.Get("Last-Event-ID")
	if lastID == "" {
		lastID = r.URL.Query().Get("last_event_id")
	}
	if lastID != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(lastID), 10, 64)
		if err != nil || n < 0 {
			s.writeError(w, r, mentorbook.Validation{"Last-Event-ID": "must be an event ID this server sent"}.Err())
			return
		}
		last = n
	}
	// Subscribe before reading, so an event committed in between wakes
	// the loop below instead of falling between the two.
	wake, stop := s.app.Events.Subscribe(caller)
	defer stop()
	if lastID == "" {
		n, err := s.app.Events.LastID(ctx, caller)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		last = n
	}
	rc := http.NewResponseController(w)
	// The stream outlives the per-request write deadline; each write
	// below gets its own.
	if err := rc.SetWriteDeadline(time.Time{}); err != nil {
		s.writeError(w, r, fmt.Errorf("api: event stream needs a connection: %w", err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(text string) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
		if _, err := w.Write([]byte(text)); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	// The client waits 2 s before reconnecting after a drop.
	if !write("retry: 2000\n\n") {
		return
	}
	heartbeat := time.NewTicker(s.heartbeat)
	defer heartbeat.Stop()
	for {
		// Send everything after last, a batch at a time.
		for {
			evs, err := s.app.Events.After(ctx, caller, last)
			if err != nil {
				if ctx.Err() == nil {
					logError(s.log, r, err)
				}
				return
			}
			var b strings.Builder
			for _, e := range evs {
				fmt.Fprintf(&b, "id: %d\nevent: %s\ndata: %s\n\n", e.ID, e.Kind, e.Data)
				last = e.ID
			}
			if len(evs) > 0 && !write(b.String()) {
				return
			}
			if len(evs) < app.MaxEventBatch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-s.closing:
			return
		case <-wake:
		case <-heartbeat.C:
			if !write(": heartbeat\n\n") {
				return
			}
		}
	}
}
