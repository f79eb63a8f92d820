// Command mentorbook-load drives a running Mentorbook server through its
// JSON API: a phase of slot reads, then a phase of contended booking
// writes. It prints throughput and p50/p99 latency per phase, then reads
// every booking back and counts overlapping pairs, which must be 0.
//
//	go run ./cmd/mentorbook-load -url http://localhost:8080 -duration 10s -concurrency 32
//
// It creates its own users, so point it at a server with a scratch
// database. Every loop is bounded by -duration.
//
// -phase streams holds event streams open instead and times messages from
// commit to arrival, on one instance or, with -url2, across two
// (streams.go):
//
//	go run ./cmd/mentorbook-load -phase streams -streams 2000 -url http://localhost:8080 -url2 http://localhost:8081 -pids 123,456
//
// -phase static compares the slots endpoint (and, with -page, the mentor
// page) with a static server of the same bytes, in interleaved rounds
// (static.go); -phase pgbench compares contended bookings with pgbench
// inserting one row per transaction at the same concurrency (pgbench.go):
//
//	go run ./cmd/mentorbook-load -phase static -page -url http://localhost:8080 [-url2 http://localhost:8081]
//	go run ./cmd/mentorbook-load -phase pgbench -pg postgres://... -clients 8,32 -url http://localhost:8080
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mentorbook-load:", err)
		os.Exit(1)
	}
}

type config struct {
	url         string
	duration    time.Duration
	concurrency int
	mentors     int
	mentees     int
	// An administrator's account (mentorbook admin grant) for the
	// payments phase; without it the phase is skipped.
	adminEmail, adminPassword string
}

func run(args []string, out io.Writer) error {
	var c config
	fs := flag.NewFlagSet("mentorbook-load", flag.ContinueOnError)
	fs.StringVar(&c.url, "url", "http://localhost:8080", "server base URL")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "length of each phase")
	fs.IntVar(&c.concurrency, "concurrency", 32, "concurrent clients")
	fs.IntVar(&c.mentors, "mentors", 4, "mentors to create (fewer = more contention)")
	fs.IntVar(&c.mentees, "mentees", 32, "mentees to create")
	phaseName := fs.String("phase", "bookings", "bookings (slot reads, then booking writes), streams, static or pgbench")
	url2 := fs.String("url2", "", "streams, static: a second instance on the same database")
	streams := fs.Int("streams", 2000, "streams: event streams to hold open")
	messages := fs.Int("messages", 200, "streams: messages to send")
	pids := fs.String("pids", "", "streams: the servers' process ids, comma-separated, to read their memory")
	fs.StringVar(&c.adminEmail, "admin-email", "", "an administrator's email (mentorbook admin grant): runs the payments phase")
	fs.StringVar(&c.adminPassword, "admin-password", "", "that administrator's password")
	rounds := fs.Int("rounds", 6, "static: rounds per target, each -duration/rounds long")
	tz := fs.String("tz", "America/New_York", "static: the viewer's time zone")
	page := fs.Bool("page", false, "static: compare the HTML mentor page too")
	pgDSN := fs.String("pg", "", "pgbench: a database on the server's PostgreSQL, for pgbench's scratch table")
	clients := fs.String("clients", "8,32", "pgbench: client counts, comma-separated")
	if len(args) > 0 && args[0] == "-serve-static" {
		// Hidden: the static server that -phase static starts (static.go).
		return serveStatic(args[1:], out)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	switch *phaseName {
	case "bookings", "streams":
	case "static":
		if *rounds < 1 || c.concurrency < 1 {
			return errors.New("-rounds and -concurrency must be at least 1")
		}
		return runStatic(staticConfig{config: c, url2: *url2, rounds: *rounds, tz: *tz, page: *page}, out)
	case "pgbench":
		counts, err := parseCounts(*clients)
		if err != nil {
			return fmt.Errorf("-clients: %w", err)
		}
		return runPgbench(c, *pgDSN, counts, out)
	default:
		return fmt.Errorf("-phase %q: want bookings, streams, static or pgbench", *phaseName)
	}
	if *phaseName == "streams" {
		sc := streamsConfig{urls: []string{c.url}, streams: *streams, mentees: min(c.mentees, 20), messages: *messages}
		if *url2 != "" {
			sc.urls = append(sc.urls, *url2)
		}
		for _, p := range strings.Split(*pids, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(p)); err == nil {
				sc.pids = append(sc.pids, n)
			}
		}
		return runStreams(sc, out)
	}
	cl := newClient(c.url, c.concurrency)
	fmt.Fprintf(out, "setting up %d mentors and %d mentees at %s\n", c.mentors, c.mentees, c.url)
	run := rand.Int64()
	mentors, err := setupUsers(cl, run, "mentor", c.mentors, true)
	if err != nil {
		return err
	}
	mentees, err := setupUsers(cl, run, "mentee", c.mentees, false)
	if err != nil {
		return err
	}
	zones := []string{"UTC", "America/New_York", "Europe/Berlin", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham"}
	from := time.Now().UTC()
	to := from.AddDate(0, 0, 30)

	reads := phase(c, func(w int, r *rand.Rand) (int, error) {
		m := mentors[r.IntN(len(mentors))]
		var s slotsJSON
		return cl.do("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?from=%s&to=%s&tz=%s", m.id,
			from.Format(time.DateOnly), to.Format(time.DateOnly), zones[r.IntN(len(zones))]), "", nil, &s)
	})
	reads.print(out, "slots reads (one mentor, 31 days)")

	writes, err := contendedBookings(c, cl, mentors, mentees)
	if err != nil {
		return err
	}
	writes.print(out, "booking writes (contended)")

	overlaps, total, err := countOverlaps(cl, mentors, mentees)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "bookings stored: %d; overlapping pairs found: %d\n", total, overlaps)
	if overlaps > 0 {
		return fmt.Errorf("%d overlapping bookings", overlaps)
	}
	if reads.errors+writes.errors > 0 {
		return fmt.Errorf("%d requests failed", reads.errors+writes.errors)
	}
	if c.adminEmail == "" {
		return nil
	}
	return paymentsPhase(c, cl, out, mentors, mentees)
}

// newClient is the load's HTTP client: keep-alive, with idle connections
// for every concurrent client.
func newClient(base string, concurrency int) *client {
	return &client{base: base, http: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: concurrency * 2},
	}}
}

// contendedBookings runs c.concurrency clients requesting bookings for
// c.duration. They aim at the first 200 free slots of each mentor (over
// the next 31 days), so many collide.
func contendedBookings(c config, cl *client, mentors, mentees []user) (stats, error) {
	from := time.Now().UTC()
	to := from.AddDate(0, 0, 30)
	starts := make([][]string, len(mentors))
	for i, m := range mentors {
		var s slotsJSON
		if _, err := cl.do("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?from=%s&to=%s", m.id,
			from.Format(time.DateOnly), to.Format(time.DateOnly)), "", nil, &s); err != nil {
			return stats{}, err
		}
		for _, d := range s.Days {
			for _, sl := range d.Slots {
				starts[i] = append(starts[i], sl.Start)
			}
		}
	}
	return phase(c, func(w int, r *rand.Rand) (int, error) {
		i := r.IntN(len(mentors))
		if len(starts[i]) == 0 {
			return 0, errors.New("mentor has no slots")
		}
		window := min(len(starts[i]), 200)
		body := map[string]any{"mentor_id": mentors[i].id, "start": starts[i][r.IntN(window)],
			"duration_minutes": []int{30, 60, 90}[r.IntN(3)], "message": "load"}
		return cl.do("POST", "/api/v1/bookings", mentees[r.IntN(len(mentees))].token, body, nil)
	}), nil
}

type user struct {
	id    int64
	token string
}

func setupUsers(cl *client, run int64, kind string, n int, mentor bool) ([]user, error) {
	users := make([]user, n)
	for i := range users {
		var out struct {
			User  struct{ ID int64 }
			Token string
		}
		_, err := cl.do("POST", "/api/v1/signup", "", map[string]string{
			"email": fmt.Sprintf("load-%x-%s%d@example.com", uint64(run), kind, i), "password": "load test password",
			"name": fmt.Sprintf("Load %s %d", kind, i), "timezone": "UTC",
		}, &out)
		if err != nil {
			return nil, fmt.Errorf("signup: %w", err)
		}
		users[i] = user{out.User.ID, out.Token}
		if !mentor {
			continue
		}
		if _, err := cl.do("PUT", "/api/v1/me/mentor", out.Token, map[string]any{"headline": "Load mentor", "skills": []string{"load"}}, nil); err != nil {
			return nil, err
		}
		if _, err := cl.do("PUT", "/api/v1/me/availability", out.Token, mentorAvailability(), nil); err != nil {
			return nil, err
		}
	}
	return users, nil
}

// mentorAvailability is every load mentor's availability: every day
// 08:00–12:00 and 13:00–20:00 in Berlin, 60-minute sessions every 30
// minutes, a 10-minute buffer after.
func mentorAvailability() map[string]any {
	var weekly []map[string]any
	for d := 0; d < 7; d++ {
		weekly = append(weekly, map[string]any{"weekday": d, "start": "08:00", "end": "12:00"},
			map[string]any{"weekday": d, "start": "13:00", "end": "20:00"})
	}
	return map[string]any{
		"timezone": "Europe/Berlin", "weekly": weekly, "session_minutes": 60, "slot_interval_minutes": 30,
		"min_notice_minutes": 0, "buffer_after_minutes": 10,
	}
}

type slotsJSON struct {
	Days []struct {
		Slots []struct{ Start string }
	}
}

// stats are one phase's results.
type stats struct {
	elapsed   time.Duration
	latencies []time.Duration
	byStatus  map[int]int
	errors    int
}

func (s stats) print(out io.Writer, name string) {
	slices.Sort(s.latencies)
	n := len(s.latencies)
	if n == 0 {
		fmt.Fprintf(out, "%s: no requests\n", name)
		return
	}
	q := func(p float64) time.Duration { return s.latencies[min(n-1, int(p*float64(n)))] }
	codes := make([]int, 0, len(s.byStatus))
	for c := range s.byStatus {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	fmt.Fprintf(out, "%s: %d requests in %.1fs = %.0f req/s; p50 %v, p99 %v; statuses", name, n,
		s.elapsed.Seconds(), float64(n)/s.elapsed.Seconds(), q(0.50).Round(10*time.Microsecond), q(0.99).Round(10*time.Microsecond))
	for _, c := range codes {
		fmt.Fprintf(out, " %d×%d", c, s.byStatus[c])
	}
	fmt.Fprintf(out, "; errors %d\n", s.errors)
}

// phase runs f from c.concurrency workers until c.duration has passed.
// A 201, 200 or 409 is an expected answer; anything else is an error.
func phase(c config, f func(worker int, r *rand.Rand) (int, error)) stats {
	ctx, cancel := context.WithTimeout(context.Background(), c.duration)
	defer cancel()
	var mu sync.Mutex
	s := stats{byStatus: map[int]int{}}
	var wg sync.WaitGroup
	begin := time.Now()
	for w := range c.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), uint64(begin.UnixNano())))
			for ctx.Err() == nil {
				t0 := time.Now()
				status, err := f(w, r)
				d := time.Since(t0)
				mu.Lock()
				s.latencies = append(s.latencies, d)
				s.byStatus[status]++
				if err != nil && status != http.StatusConflict {
					s.errors++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	s.elapsed = time.Since(begin)
	return s
}

type booking struct {
	ID       int64
	Status   string
	MentorID int64 `json:"mentor_id"`
	MenteeID int64 `json:"mentee_id"`
	Start    time.Time
	End      time.Time
}

// countOverlaps reads every active booking back through the API and counts
// pairs that overlap for a mentor (with the 10-minute buffer) or a mentee.
func countOverlaps(cl *client, mentors, mentees []user) (overlaps, total int, err error) {
	check := func(u user, role string, buffer time.Duration) error {
		var all []booking
		cursor := ""
		for {
			var page struct {
				Bookings   []booking
				NextCursor string `json:"next_cursor"`
			}
			if _, err := cl.do("GET", "/api/v1/bookings?limit=100&status=pending,confirmed&role="+role+"&cursor="+cursor, u.token, nil, &page); err != nil {
				return err
			}
			all = append(all, page.Bookings...)
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if role == "mentor" {
			total += len(all)
		}
		// Sorted by start: compare each with the following ones that start before it ends.
		for i := range all {
			for j := i + 1; j < len(all) && all[j].Start.Before(all[i].End.Add(buffer)); j++ {
				overlaps++
			}
		}
		return nil
	}
	for _, m := range mentors {
		if err := check(m, "mentor", 10*time.Minute); err != nil {
			return 0, 0, err
		}
	}
	for _, m := range mentees {
		if err := check(m, "mentee", 0); err != nil {
			return 0, 0, err
		}
	}
	return overlaps, total, nil
}

type client struct {
	base string
	http *http.Client
}

// do sends a JSON request and decodes a 2xx answer into out. Any non-2xx
// status is returned with an error.
func (c *client) do(method, path, token string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if res.StatusCode/100 != 2 {
		return res.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil {
		return res.StatusCode, json.Unmarshal(data, out)
	}
	return res.StatusCode, nil
}
