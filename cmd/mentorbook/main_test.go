package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/sqlite"
	"github.com/mentorbook/mentorbook/storetest"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the program with args until the test ends, returning its base URL.
func start(t *testing.T, args []string, env map[string]string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	logs := &syncBuffer{}
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, logs, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("run returned before listening: %v\n%s", err, logs)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("server did not start")
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run after shutdown: %v", err)
		}
	})
	base := "http://" + addr
	for i := 0; ; i++ {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if i == 100 {
			t.Fatalf("healthz never answered 200: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return base, logs
}

// signupThrough signs Ada up and returns her token.
func signupThrough(t *testing.T, base string) string {
	t.Helper()
	res, err := http.Post(base+"/api/v1/signup", "application/json", strings.NewReader(
		`{"email":"ada@example.com","password":"plum-cat-9","name":"Ada","timezone":"Europe/London"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("signup: %d %s", res.StatusCode, body)
	}
	var out struct{ Token string }
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out.Token
}

func TestServeOnSQLiteMigratesAndAnswers(t *testing.T) {
	db := filepath.Join(t.TempDir(), "mb.db")
	base, logs := start(t, []string{"-addr", "127.0.0.1:0"}, map[string]string{"MENTORBOOK_DB": db})
	signupThrough(t, base)
	if !strings.Contains(logs.String(), `"msg":"listening"`) {
		t.Errorf("no structured listening log in %s", logs)
	}
	if !strings.Contains(logs.String(), `"msg":"request","method":"POST","path":"/api/v1/signup","status":201`) {
		t.Errorf("no request log for the signup in %s", logs)
	}
}

func TestServeOnPostgreSQL(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	base, _ := start(t, []string{"serve", "-addr", "127.0.0.1:0", "-db", dsn}, nil)
	signupThrough(t, base)
}

func TestMigrateCommandAndFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "mb.db")
	var out syncBuffer
	if err := run(context.Background(), []string{"migrate", "-db", db}, func(string) string { return "" }, &out, nil); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if err := run(context.Background(), []string{"migrate", "-db", db}, func(string) string { return "" }, &out, nil); err != nil {
		t.Fatalf("migrate twice: %v", err)
	}
	for _, args := range [][]string{{"frobnicate"}, {"serve", "extra"}, {"-nope"}} {
		if err := run(context.Background(), args, func(string) string { return "" }, io.Discard, nil); err == nil {
			t.Errorf("run %v: no error", args)
		}
	}
	c, err := parseConfig(nil, func(k string) string {
		return map[string]string{"MENTORBOOK_ADDR": ":9999", "MENTORBOOK_DB": "x.db"}[k]
	}, io.Discard)
	if err != nil || c.command != "serve" || c.addr != ":9999" || c.db != "x.db" {
		t.Errorf("config from env: %+v %v", c, err)
	}
	if c.currency.Code != "USD" {
		t.Errorf("default currency %+v", c.currency)
	}
	c, err = parseConfig([]string{"-addr", ":1", "-db", "y.db", "-currency", "jpy"}, func(k string) string {
		return map[string]string{"MENTORBOOK_ADDR": "ignored", "MENTORBOOK_DB": "ignored"}[k]
	}, io.Discard)
	if err != nil || c.addr != ":1" || c.db != "y.db" || c.currency.Code != "JPY" || c.currency.Decimals != 0 {
		t.Errorf("flags over env: %+v %v", c, err)
	}
	c, err = parseConfig(nil, func(k string) string { return map[string]string{"MENTORBOOK_CURRENCY": "EUR"}[k] }, io.Discard)
	if err != nil || c.currency.Code != "EUR" {
		t.Errorf("currency from env: %+v %v", c, err)
	}
	if _, err := parseConfig([]string{"-currency", "euros"}, func(string) string { return "" }, io.Discard); err == nil {
		t.Error("-currency euros: no error")
	}
	if got := redact("postgres://u:secret@h/db"); strings.Contains(got, "secret") {
		t.Errorf("redact kept the password: %s", got)
	}
}

// The server has no fixed WriteTimeout; each response gets a deadline
// instead. An ordinary response still too slow when it passes is cut, and
// a handler that streams lifts it for its own response, through the
// writers that wrap its ResponseWriter.
func TestWriteDeadlineCutsSlowResponsesUnlessLifted(t *testing.T) {
	const deadline = 200 * time.Millisecond
	rest := bytes.Repeat([]byte("x"), 1<<20) // more than any buffer holds
	for _, tc := range []struct {
		name string
		lift bool
	}{
		{"ordinary", false},
		{"lifted", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			written := make(chan error, 1)
			slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rc := http.NewResponseController(w)
				if tc.lift {
					if err := rc.SetWriteDeadline(time.Time{}); err != nil {
						written <- err
						return
					}
				}
				_, _ = w.Write([]byte("first\n"))
				_ = rc.Flush()
				time.Sleep(2 * deadline)
				_, err := w.Write(rest)
				if err == nil {
					err = rc.Flush()
				}
				written <- err
			})
			srv := httptest.NewServer(writeDeadline(deadline, logRequests(slog.New(slog.DiscardHandler), slow)))
			defer srv.Close()
			res, err := srv.Client().Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, readErr := io.ReadAll(res.Body)
			res.Body.Close()
			writeErr := <-written
			whole := len(body) == len("first\n")+len(rest)
			if tc.lift {
				if writeErr != nil || readErr != nil || !whole {
					t.Errorf("lifted: write error %v, read error %v, %d bytes; want the whole body", writeErr, readErr, len(body))
				}
				return
			}
			if !errors.Is(writeErr, os.ErrDeadlineExceeded) {
				t.Errorf("ordinary: write error %v, want the deadline exceeded", writeErr)
			}
			if readErr == nil && whole {
				t.Errorf("ordinary: the whole body arrived after the deadline")
			}
		})
	}
}

// `mentorbook jobs` lists queued, running and failed jobs with their last
// error; -status picks others.
func TestJobsCommandListsFailedJobsWithTheirError(t *testing.T) {
	db := filepath.Join(t.TempDir(), "mb.db")
	noEnv := func(string) string { return "" }
	if err := run(t.Context(), []string{"migrate", "-db", db}, noEnv, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	svc := app.New(store, app.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	svc.Jobs.Register("send-report", app.JobKind{MaxAttempts: 1, Handler: func(context.Context, mentorbook.Tx, mentorbook.Job, time.Time) error {
		return errors.New("relay refused the message")
	}})
	if err := store.Write(t.Context(), func(tx mentorbook.Tx) error {
		return svc.Jobs.Enqueue(t.Context(), tx, "send-report", "report-1", nil, svc.Now())
	}); err != nil {
		t.Fatal(err)
	}
	// Upkeep jobs are enqueued too; run until the failing one has run.
	for range 20 {
		if ran, _ := svc.Jobs.RunOnce(t.Context()); !ran {
			break
		}
	}
	store.Close()

	var out bytes.Buffer
	if err := run(t.Context(), []string{"jobs", "-db", db}, noEnv, &out, nil); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`send-report\s+report-1\s+failed\s.*1/1\s+relay refused the message`).MatchString(out.String()) {
		t.Errorf("jobs did not list the failed job with its error:\n%s", out.String())
	}
	out.Reset()
	if err := run(t.Context(), []string{"jobs", "-db", db, "-status", "queued"}, noEnv, &out, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "send-report") {
		t.Errorf("jobs -status queued listed a failed job:\n%s", out.String())
	}
}

// admin grant and revoke change who the API calls an administrator, on
// either engine; an unknown email or a missing one is an error.
func TestAdminCommandGrantsAndRevokes(t *testing.T) {
	noEnv := func(string) string { return "" }
	for _, tt := range []struct{ name, db string }{
		{"sqlite", filepath.Join(t.TempDir(), "mb.db")},
		{"postgres", storetest.PostgresDSN(t)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base, _ := start(t, []string{"serve", "-addr", "127.0.0.1:0", "-db", tt.db}, nil)
			token := signupThrough(t, base)
			isAdmin := func() bool {
				req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				var me struct{ Admin bool }
				if err := json.NewDecoder(res.Body).Decode(&me); err != nil {
					t.Fatal(err)
				}
				return me.Admin
			}
			if isAdmin() {
				t.Fatal("a new account is an administrator")
			}
			var out bytes.Buffer
			if err := run(t.Context(), []string{"admin", "grant", "-db", tt.db, "ADA@example.com"}, noEnv, &out, nil); err != nil {
				t.Fatal(err)
			}
			if !isAdmin() || !strings.Contains(out.String(), "now an administrator") {
				t.Fatalf("after grant: admin %v, said %q", isAdmin(), out.String())
			}
			if err := run(t.Context(), []string{"admin", "revoke", "-db", tt.db, "ada@example.com"}, noEnv, io.Discard, nil); err != nil {
				t.Fatal(err)
			}
			if isAdmin() {
				t.Fatal("still an administrator after revoke")
			}
			for _, args := range [][]string{{"admin", "grant", "-db", tt.db, "nobody@example.com"}, {"admin", "grant", "-db", tt.db},
				{"admin", "promote", "-db", tt.db, "ada@example.com"}, {"admin", "grant", "-db", tt.db, "a@example.com", "b@example.com"}} {
				if err := run(t.Context(), args, noEnv, io.Discard, nil); err == nil {
					t.Errorf("run %v: no error", args)
				}
			}
		})
	}
}
