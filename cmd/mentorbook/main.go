// Command mentorbook runs the Mentorbook server.
//
//	mentorbook [serve] [-addr localhost:8080] [-db mentorbook.db] [-secure-cookies]
//	                   [-base-url URL] [-smtp-url URL] [-mail-from ADDRESS]
//	                   [-meeting-url-template https://meet.example.org/{room}]
//	mentorbook migrate [-db ...]
//	mentorbook jobs [-db ...] [-status queued,running,failed]
//	mentorbook admin grant|revoke [-db ...] EMAIL
//
// -db is a file path for SQLite or a postgres:// URL for PostgreSQL;
// MENTORBOOK_ADDR, MENTORBOOK_DB, MENTORBOOK_BASE_URL, MENTORBOOK_SMTP_URL and
// MENTORBOOK_MAIL_FROM set the defaults. Without an SMTP URL, emails go to the log.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/api"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/money"
	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/smtpmail"
	"github.com/mentorbook/mentorbook/sqlite"
	"github.com/mentorbook/mentorbook/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, "mentorbook:", err)
		os.Exit(1)
	}
}

// config is what the flags and environment say.
type config struct {
	command       string
	addr          string
	db            string
	secureCookies bool
	workers       int
	jobStatus     string
	smtpURL       string
	mailFrom      string
	baseURL       string
	currency      money.Currency
	// meetingURLTemplate makes online sessions' links ("{room}").
	meetingURLTemplate string
	// admin grant|revoke: the action and the account's email.
	adminAction, adminEmail string
	// pprofAddr, when set, serves net/http/pprof there (profiling a load run).
	pprofAddr string
}

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	c := config{command: "serve"}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		c.command, args = args[0], args[1:]
	}
	if c.command != "serve" && c.command != "migrate" && c.command != "jobs" && c.command != "admin" {
		return c, fmt.Errorf("unknown command %q (want serve, migrate, jobs or admin)", c.command)
	}
	if c.command == "admin" {
		if len(args) == 0 || (args[0] != "grant" && args[0] != "revoke") {
			return c, errors.New("usage: mentorbook admin grant|revoke [-db DB] EMAIL")
		}
		c.adminAction, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("mentorbook "+c.command, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", envOr(getenv, "MENTORBOOK_ADDR", "localhost:8080"), "listen address (env MENTORBOOK_ADDR)")
	fs.StringVar(&c.db, "db", envOr(getenv, "MENTORBOOK_DB", "mentorbook.db"),
		"SQLite file path, or postgres:// URL (env MENTORBOOK_DB)")
	fs.BoolVar(&c.secureCookies, "secure-cookies", getenv("MENTORBOOK_SECURE_COOKIES") == "true",
		"mark cookies Secure: set when a proxy serves the site over HTTPS (env MENTORBOOK_SECURE_COOKIES=true)")
	fs.StringVar(&c.smtpURL, "smtp-url", getenv("MENTORBOOK_SMTP_URL"),
		"SMTP server for email: smtp+starttls://user:pass@host:587, smtps://user:pass@host:465 or smtp://host:25; "+
			"empty writes emails to the log (env MENTORBOOK_SMTP_URL)")
	fs.StringVar(&c.mailFrom, "mail-from", getenv("MENTORBOOK_MAIL_FROM"),
		"sender of emails, e.g. \"Mentorbook <no-reply@example.com>\"; default no-reply@ the base URL's host (env MENTORBOOK_MAIL_FROM)")
	fs.StringVar(&c.baseURL, "base-url", getenv("MENTORBOOK_BASE_URL"),
		"the site's public address for links in emails, e.g. https://mentorbook.example; default http:// and -addr (env MENTORBOOK_BASE_URL)")
	fs.IntVar(&c.workers, "workers", 2, "background job workers in this instance")
	fs.StringVar(&c.pprofAddr, "pprof", getenv("MENTORBOOK_PPROF"),
		"serve Go's profiler (net/http/pprof) on this address, e.g. 127.0.0.1:6060; keep it private (env MENTORBOOK_PPROF)")
	fs.StringVar(&c.jobStatus, "status", "queued,running,failed", "jobs: the statuses to list, comma-separated (done too)")
	fs.StringVar(&c.meetingURLTemplate, "meeting-url-template", getenv("MENTORBOOK_MEETING_URL_TEMPLATE"),
		"meeting link of an online session with none, {room} replaced by an unguessable room name, "+
			"e.g. https://meet.example.org/{room} (env MENTORBOOK_MEETING_URL_TEMPLATE)")
	currency := fs.String("currency", envOr(getenv, "MENTORBOOK_CURRENCY", "USD"),
		"the platform currency of every price, an ISO 4217 code (env MENTORBOOK_CURRENCY)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.command == "admin" {
		if fs.NArg() != 1 {
			return c, errors.New("usage: mentorbook admin grant|revoke [-db DB] EMAIL")
		}
		c.adminEmail = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if c.baseURL == "" {
		c.baseURL = defaultBaseURL(c.addr)
	}
	u, err := url.Parse(c.baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return c, fmt.Errorf("-base-url %q: want http(s)://host[:port], no path", c.baseURL)
	}
	c.baseURL = strings.TrimSuffix(c.baseURL, "/")
	if c.mailFrom == "" {
		c.mailFrom = "Mentorbook <no-reply@" + u.Hostname() + ">"
	}
	if c.currency, err = money.Parse(*currency); err != nil {
		return c, fmt.Errorf("-currency: %w", err)
	}
	if t := c.meetingURLTemplate; t != "" {
		if u, err := url.Parse(strings.ReplaceAll(t, "{room}", "room")); err != nil || u.Scheme != "https" || u.Host == "" || !strings.Contains(t, "{room}") {
			return c, fmt.Errorf("-meeting-url-template %q: want an https:// address containing {room}", t)
		}
	}
	return c, nil
}

// defaultBaseURL is the address a browser on this host reaches addr at.
func defaultBaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// mailer is the SMTP sender the configuration names, or nil (emails go
// to the log).
func mailer(c config) (mentorbook.Mailer, error) {
	if c.smtpURL == "" {
		return nil, nil
	}
	return smtpmail.New(c.smtpURL, smtpmail.Options{From: c.mailFrom})
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// migrator is a store that can bring its schema up to date.
type migrator interface {
	mentorbook.Store
	Migrate(ctx context.Context) error
}

// openStore opens SQLite for a path and PostgreSQL for a URL, and migrates it.
func openStore(ctx context.Context, dsn string) (mentorbook.Store, error) {
	var (
		db  migrator
		err error
	)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err = postgres.Open(ctx, dsn)
	} else {
		db, err = sqlite.Open(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return db, nil
}

// run is the whole program; ready, when not nil, receives the listening
// address once the server accepts connections (tests use it).
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer, ready chan<- string) error {
	log := slog.New(slog.NewJSONHandler(stdout, nil))
	c, err := parseConfig(args, getenv, stdout)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, c.db)
	if err != nil {
		return err
	}
	defer store.Close()
	if c.command == "migrate" {
		log.Info("migrated", "db", redact(c.db))
		return nil
	}

	m, err := mailer(c)
	if err != nil {
		return err
	}
	opts := app.Options{Logger: log, Mailer: m, BaseURL: c.baseURL, Currency: c.currency, MeetingURLTemplate: c.meetingURLTemplate}
	if pg, ok := store.(*postgres.DB); ok && c.command == "serve" {
		// Live events reach the streams of every instance.
		b, err := postgres.NewBroker(ctx, pg, log)
		if err != nil {
			return fmt.Errorf("events: %w", err)
		}
		defer b.Close()
		opts.Broker = b
	}
	svc := app.New(store, opts)
	if c.command == "jobs" {
		return listJobs(ctx, svc, c.jobStatus, stdout)
	}
	if c.command == "admin" {
		u, err := svc.Platform.SetAdmin(ctx, c.adminEmail, c.adminAction == "grant")
		if err != nil {
			return fmt.Errorf("admin %s %s: %s", c.adminAction, c.adminEmail, mentorbook.ErrorMessage(err))
		}
		fmt.Fprintf(stdout, "%s (user %d) is %s an administrator\n", u.Email, u.ID, map[bool]string{true: "now", false: "no longer"}[u.Admin])
		return nil
	}
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobsDone := make(chan struct{})
	go func() {
		defer close(jobsDone)
		svc.Jobs.Run(jobsCtx, c.workers)
	}()
	// Runs before the deferred store.Close: no job is left using it.
	defer func() {
		stopJobs()
		<-jobsDone
	}()

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	if c.pprofAddr != "" {
		if err := servePprof(c.pprofAddr, log); err != nil {
			return err
		}
	}
	// Closed at shutdown: event streams end instead of holding it up.
	closing := make(chan struct{})
	srv := &http.Server{
		Handler:           handler(svc, log, c.secureCookies, closing),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		// No WriteTimeout: a fixed one would cut every long-lived response
		// (server-sent events); handler sets a deadline per request instead.
		IdleTimeout: 2 * time.Minute,
		ErrorLog:    slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("listening", "addr", ln.Addr().String(), "db", redact(c.db), "base_url", c.baseURL,
		"smtp", redact(c.smtpURL), "mail_from", c.mailFrom)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	close(closing)
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// servePprof serves the profiler on its own listener, apart from the
// site's handler, so it is never reachable through the public address.
func servePprof(addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Info("profiler listening", "addr", ln.Addr().String())
	go func() { _ = http.Serve(ln, mux) }()
	return nil
}

// handler routes the API and the web pages.
func handler(svc *app.App, log *slog.Logger, secureCookies bool, closing <-chan struct{}) http.Handler {
	apiHandler := api.New(svc, log, api.Options{Closing: closing})
	mux := http.NewServeMux()
	mux.Handle("/api/", apiHandler)
	mux.Handle("/healthz", apiHandler)
	mux.Handle("/", web.New(svc, log, web.Options{SecureCookies: secureCookies}))
	return writeDeadline(writeTimeout, logRequests(log, mux))
}

// writeTimeout bounds how long an ordinary response may take to write, so a
// client that stops reading cannot hold a connection and its handler.
const writeTimeout = 30 * time.Second

// writeDeadline gives each response d to be written, counted from when its
// handler starts, as http.Server.WriteTimeout would, but per request: a
// handler that streams (server-sent events) lifts it for its own response
// with
//
//	http.NewResponseController(w).SetWriteDeadline(time.Time{})
//
// or moves it on as it writes. Every wrapper of the ResponseWriter on the
// way needs an Unwrap method (as statusRecorder has) for that to reach the
// connection.
func writeDeadline(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Only a writer that is no connection (a test recorder) refuses a
		// deadline, and it has none to protect.
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
		next.ServeHTTP(w, r)
	})
}

// logRequests logs one line per request (health checks aside): what was
// asked, the answer's status and how long it took.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration_ms", float64(time.Since(start).Microseconds())/1000)
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// redact hides a database URL's password in logs.
func redact(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		if at := strings.LastIndex(dsn, "@"); at > i {
			if colon := strings.Index(dsn[i+3:at], ":"); colon >= 0 {
				return dsn[:i+3+colon] + ":***" + dsn[at:]
			}
		}
	}
	return dsn
}

// listJobs prints the jobs with the given statuses, with their last error,
// for an operator.
func listJobs(ctx context.Context, svc *app.App, statuses string, w io.Writer) error {
	var want []mentorbook.JobStatus
	for _, st := range strings.Split(statuses, ",") {
		if st = strings.TrimSpace(st); st != "" {
			want = append(want, mentorbook.JobStatus(st))
		}
	}
	jobs, err := svc.Jobs.List(ctx, want, 1000)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tKEY\tSTATUS\tRUN AT\tATTEMPTS\tLAST ERROR")
	for _, j := range jobs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d/%d\t%s\n", j.ID, j.Kind, j.Key, j.Status,
			j.RunAt.Format(time.RFC3339), j.Attempts, j.MaxAttempts, j.LastError)
	}
	return tw.Flush()
}
