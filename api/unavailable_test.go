package api_test

import (
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/sqlite"
	"github.com/mentorbook/mentorbook/storetest"
)

// stallProxy forwards TCP to target until stall is called; from then on it
// accepts and reads but never answers, like a PostgreSQL server that was
// stopped (SIGSTOP), not shut down.
type stallProxy struct {
	ln      net.Listener
	mu      sync.Mutex
	stalled bool
	conns   []net.Conn
}

func newStallProxy(t *testing.T, target string) *stallProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{ln: ln}
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, c)
			stalled := p.stalled
			p.mu.Unlock()
			if stalled {
				go io.Copy(io.Discard, c) // hold it open, never reply
				continue
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, up)
			p.mu.Unlock()
			go p.pipe(up, c)
			go p.pipe(c, up)
		}
	}()
	return p
}

// pipe copies until stalled, then swallows what arrives.
func (p *stallProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		p.mu.Lock()
		stalled := p.stalled
		p.mu.Unlock()
		if stalled {
			continue
		}
		if _, err := dst.Write(buf[:n]); err != nil {
			return
		}
	}
}

func (p *stallProxy) stall() {
	p.mu.Lock()
	p.stalled = true
	p.mu.Unlock()
}

// A database that stops answering gives 503 with Retry-After, quickly:
// within a second from /healthz, within the store's deadline from the API.
func TestStalledDatabaseAnswers503(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newStallProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	db, err := postgres.Open(t.Context(), u.String(), postgres.Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, db)
	m := e.mentor("Europe/Berlin", nil)
	if r := e.call("GET", "/healthz", "", nil); r.Status != http.StatusOK {
		t.Fatalf("healthz before the stall: %d", r.Status)
	}

	proxy.stall()
	for _, c := range []struct {
		path  string
		token string
		bound time.Duration
	}{
		{"/healthz", "", 1500 * time.Millisecond},
		{"/api/v1/mentors", "", 3 * time.Second},
		{"/api/v1/me", m.Token, 3 * time.Second},
	} {
		start := time.Now()
		r := e.call("GET", c.path, c.token, nil)
		took := time.Since(start)
		t.Logf("%s: %d in %v", c.path, r.Status, took)
		if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s with the database stalled: %d, Retry-After %q; want 503 with Retry-After", c.path, r.Status, r.Header.Get("Retry-After"))
		}
		if took > c.bound {
			t.Errorf("%s took %v with the database stalled, want at most %v", c.path, took, c.bound)
		}
		if strings.HasPrefix(c.path, "/api/") {
			r.problem(t)
		}
	}
}

// /healthz checks that the database can still be written, not only read:
// a SQLite file whose write lock another process holds, and a PostgreSQL
// that only takes read-only transactions (as a failover onto a standby
// presents), both answer 503 within a second while reads go on working.
func TestUnwritableDatabaseFailsHealthz(t *testing.T) {
	check := func(t *testing.T, e *env, wantHealth int) {
		t.Helper()
		start := time.Now()
		r := e.call("GET", "/healthz", "", nil)
		if took := time.Since(start); r.Status != wantHealth || took > 1500*time.Millisecond {
			t.Errorf("healthz: %d in %v, want %d within a second", r.Status, took, wantHealth)
		}
		if r := e.call("GET", "/api/v1/mentors", "", nil); r.Status != http.StatusOK {
			t.Errorf("reads while the database takes no writes: %d, want 200", r.Status)
		}
	}

	t.Run("sqlite write lock held elsewhere", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "held.db")
		db, err := sqlite.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, db)
		check(t, e, http.StatusOK)

		other, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		conn, err := other.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(t.Context(), "BEGIN IMMEDIATE"); err != nil {
			t.Fatal(err)
		}
		check(t, e, http.StatusServiceUnavailable)
		if _, err := conn.ExecContext(t.Context(), "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		check(t, e, http.StatusOK)
	})

	t.Run("postgres read-only", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		rw, err := postgres.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer rw.Close()
		if err := rw.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		// pgx reads "+" in the query as itself, so the space is %20.
		u.RawQuery += "&options=-c%20default_transaction_read_only%3Don"
		ro, err := postgres.Open(t.Context(), u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ro.Close() })
		check(t, newEnv(t, ro), http.StatusServiceUnavailable)
	})
}
