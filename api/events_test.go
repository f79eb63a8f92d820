package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/api"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/storetest"
)

// streamServer is an API instance on store with broker (nil: in memory),
// its handler wrapped by wrap when set.
func (e *env) streamServer(store mentorbook.Store, broker mentorbook.Broker, heartbeat time.Duration, wrap func(http.Handler) http.Handler) *httptest.Server {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(store, app.Options{Now: e.clock.Now, CheapPasswords: true, Logger: log, Broker: broker})
	h := api.New(svc, log, api.Options{Heartbeat: heartbeat})
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	e.t.Cleanup(srv.Close)
	return srv
}

type sseEvent struct {
	ID   int64
	Kind string
	Data string
}

// stream is a client of GET /api/v1/events.
type stream struct {
	events   chan sseEvent
	comments chan string
	closed   chan struct{}
	cancel   context.CancelFunc
}

func openStream(t *testing.T, srv *httptest.Server, token, lastID string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/v1/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &stream{events: make(chan sseEvent, 1000), comments: make(chan string, 100), closed: make(chan struct{}), cancel: cancel}
	t.Cleanup(s.close)
	go func() {
		defer close(s.closed)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Kind != "" {
					s.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, ":"):
				select {
				case s.comments <- line:
				default:
				}
			case strings.HasPrefix(line, "id: "):
				ev.ID, _ = strconv.ParseInt(line[4:], 10, 64)
			case strings.HasPrefix(line, "event: "):
				ev.Kind = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.Data = line[6:]
			}
		}
	}()
	return s
}

func (s *stream) close() {
	s.cancel()
	<-s.closed
}

// next waits for the stream's next event.
func (s *stream) next(t *testing.T) sseEvent {
	t.Helper()
	select {
	case ev := <-s.events:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
		return sseEvent{}
	}
}

// until reads events until one of kind, and returns it.
func (s *stream) until(t *testing.T, kind string) sseEvent {
	t.Helper()
	for {
		if ev := s.next(t); ev.Kind == kind {
			return ev
		}
	}
}

// quiet fails if an event arrives within d.
func (s *stream) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case ev := <-s.events:
		t.Fatalf("unexpected event %+v", ev)
	case <-time.After(d):
	}
}

func wantMessage(t *testing.T, ev sseEvent, body string) {
	t.Helper()
	var m messageOut
	if err := json.Unmarshal([]byte(ev.Data), &m); err != nil || ev.Kind != "message" || m.Body != body {
		t.Fatalf("event %+v, want the message %q", ev, body)
	}
}

func TestAMessageReachesBothPartiesStreams(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.talkers()
		conv := e.mustOpen(p.a, p.m.ID).ID
		toMentor := openStream(t, e.srv, p.m.Token, "")
		toMentee := openStream(t, e.srv, p.a.Token, "")

		sent := e.mustSend(p.a, conv, "Running five minutes late")
		ev := toMentor.next(t)
		wantMessage(t, ev, "Running five minutes late")
		if n := toMentor.next(t); n.Kind != "notification" || !strings.Contains(n.Data, fmt.Sprintf(`"link":"/messages/%d"`, conv)) {
			t.Fatalf("then %+v, want the notification", n)
		}
		var u app.Unread
		un := toMentor.next(t)
		if err := json.Unmarshal([]byte(un.Data), &u); err != nil || un.Kind != "unread" || u.Messages != 1 || u.Notifications != e.unread(p.m) {
			t.Fatalf("then %+v, want 1 unread message and %d notifications", un, e.unread(p.m))
		}
		wantMessage(t, toMentee.next(t), "Running five minutes late")

		// Reading tells both, and the reader's counts drop.
		want(t, e.read(p.m, conv, sent.ID), http.StatusOK)
		if r := toMentor.next(t); r.Kind != "read" || !strings.Contains(r.Data, fmt.Sprintf(`"message_id":%d`, sent.ID)) {
			t.Fatalf("read event %+v", r)
		}
		un = toMentor.next(t)
		if err := json.Unmarshal([]byte(un.Data), &u); err != nil || un.Kind != "unread" || u.Messages != 0 {
			t.Fatalf("then %+v, want no unread message", un)
		}
		if r := toMentee.next(t); r.Kind != "read" {
			t.Fatalf("the sender sees %+v, want the read receipt", r)
		}
		toMentee.quiet(t, 100*time.Millisecond)
	})
}

func TestReconnectingWithLastEventIDReplaysExactlyTheMissedEvents(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.talkers()
		conv := e.mustOpen(p.a, p.m.ID).ID
		s := openStream(t, e.srv, p.m.Token, "")
		e.mustSend(p.a, conv, "before the drop")
		seen := []sseEvent{s.next(t), s.next(t), s.next(t)} // message, notification, unread
		s.close()

		// Missed while away: 5 messages, 3 events each.
		for i := range 5 {
			e.mustSend(p.a, conv, "missed "+strconv.Itoa(i))
		}
		last := seen[2].ID
		s = openStream(t, e.srv, p.m.Token, strconv.FormatInt(last, 10))
		var missed []sseEvent
		for range 15 {
			missed = append(missed, s.next(t))
		}
		for i, ev := range missed {
			if ev.ID != last+int64(i)+1 {
				t.Fatalf("replayed event %d has id %d, want %d", i, ev.ID, last+int64(i)+1)
			}
		}
		var bodies []string
		for _, ev := range missed {
			if ev.Kind == "message" {
				var m messageOut
				_ = json.Unmarshal([]byte(ev.Data), &m)
				bodies = append(bodies, m.Body)
			}
		}
		if got := strings.Join(bodies, ","); got != "missed 0,missed 1,missed 2,missed 3,missed 4" {
			t.Fatalf("replayed messages %q", got)
		}
		// Nothing twice: the stream goes on with what happens next.
		s.quiet(t, 200*time.Millisecond)
		e.mustSend(p.a, conv, "live again")
		next := s.next(t)
		wantMessage(t, next, "live again")
		if next.ID != last+16 {
			t.Fatalf("live event id %d, want %d", next.ID, last+16)
		}
		want(t, e.call("GET", "/api/v1/events", p.m.Token, nil, "Last-Event-ID", "x"), http.StatusUnprocessableEntity)
	})
}

func TestAStreamOutlivesTheRequestWriteDeadline(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		// As cmd/mentorbook does, with a deadline short enough to pass.
		deadline := func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
				next.ServeHTTP(w, r)
			})
		}
		srv := e.streamServer(store, nil, 100*time.Millisecond, deadline)
		p := e.talkers()
		conv := e.mustOpen(p.a, p.m.ID).ID
		s := openStream(t, srv, p.m.Token, "")
		time.Sleep(600 * time.Millisecond)
		// Heartbeats kept coming, and an event still arrives.
		if n := len(s.comments); n < 3 {
			t.Fatalf("%d heartbeats in 600 ms at one per 100 ms", n)
		}
		e.mustSend(p.a, conv, "still there?")
		wantMessage(t, s.next(t), "still there?")
	})
}

func TestEventsReachStreamsOnAnotherInstance(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	var stores [2]*postgres.DB
	var servers [2]*httptest.Server
	var brokers [2]*postgres.Broker
	e := &env{t: t, clock: &clock{t: testNow}}
	for i := range stores {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		b, err := postgres.NewBroker(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(b.Close)
		stores[i], brokers[i] = db, b
		servers[i] = e.streamServer(db, b, time.Second, nil)
	}
	e.store, e.srv = stores[0], servers[0]
	p := e.talkers()
	conv := e.mustOpen(p.a, p.m.ID).ID
	onOther := openStream(t, servers[1], p.m.Token, "")
	onSame := openStream(t, servers[0], p.m.Token, "")

	e.mustSend(p.a, conv, "across instances")
	wantMessage(t, onOther.next(t), "across instances")
	wantMessage(t, onSame.next(t), "across instances")

	// The second instance's listening connection drops: it reconnects and
	// its streams replay from the database what was sent meanwhile.
	for range 2 {
		onOther.next(t) // the notification and the counts
	}
	// Both instances' listeners: each waits a second before listening
	// again, so the next NOTIFY reaches neither.
	var killed int
	if err := stores[1].Pool().QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE query IN ('LISTEN ' || quote_ident('mentorbook_events.' || current_schema()),
			'LISTEN ' || quote_ident('mentorbook_slots.' || current_schema()),
			'LISTEN ' || quote_ident('mentorbook_accounts.' || current_schema()))`).Scan(&killed); err != nil || killed != 2 {
		t.Fatalf("terminated %d listeners (%v), want 2", killed, err)
	}
	e.mustSend(p.a, conv, "during the reconnection")
	wantMessage(t, onOther.until(t, "message"), "during the reconnection")
}

// TestIdleStreamMemory measures what an idle stream costs the server: its
// goroutine, buffers and subscription. The clients are bare connections
// that read the stream's first line and then nothing, so they add little
// beyond a socket each.
func TestIdleStreamMemory(t *testing.T) {
	store := storetest.OpenSQLite(t)
	e := newEnv(t, store)
	u := e.signup("UTC")
	const n = 300
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	before := heapAndStacks()
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		fmt.Fprintf(c, "GET /api/v1/events HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer %s\r\n\r\n", u.Token)
		r := bufio.NewReaderSize(c, 16)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(line, "retry:") {
				break
			}
		}
	}
	after := heapAndStacks()
	per := (int64(after) - int64(before)) / n
	t.Logf("%d idle streams: %d bytes of heap and stack each", n, per)
	if per <= 0 || per > 256<<10 {
		t.Fatalf("%d bytes per idle stream: measurement broken or a leak", per)
	}
}

func heapAndStacks() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc + m.StackInuse
}

// A transaction that concerns many users publishes them all, in payloads
// PostgreSQL accepts.
func TestAPublishOfManyUsersReachesThemAll(t *testing.T) {
	db := storetest.OpenPostgres(t)
	b, err := postgres.NewBroker(t.Context(), db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	const n = 1000
	ids := make([]int64, n)
	waits := make([]<-chan struct{}, n)
	for i := range ids {
		ids[i] = 1_000_000_000_000 + int64(i) // long ids: the largest payloads
		var stop func()
		waits[i], stop = b.Subscribe(ids[i])
		t.Cleanup(stop)
	}
	b.Publish(t.Context(), ids...)
	for i, w := range waits {
		select {
		case <-w:
		case <-time.After(10 * time.Second):
			t.Fatalf("user %d of %d was not woken", i, n)
		}
	}
}
