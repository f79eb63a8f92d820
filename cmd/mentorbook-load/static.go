package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// staticConfig is the -phase static run: the slots endpoint (and, with
// page, the mentor page) against a static server of the same bytes.
type staticConfig struct {
	config
	url2   string // a second instance: server requests alternate between url and url2
	rounds int
	tz     string
	page   bool
}

// capturedHeaders are the response headers the static server repeats.
// Content-Length only when the server sent one: without it both answers
// are chunked alike.
var capturedHeaders = []string{"Content-Type", "Content-Length", "Cache-Control", "ETag", "Last-Modified",
	"Vary", "Content-Encoding", "X-Content-Type-Options"}

// capture is one answer as the static server repeats it.
type capture struct {
	Path    string            `json:"path"` // with the query
	Status  int               `json:"status"`
	Header  map[string]string `json:"header"`
	Body    []byte            `json:"body"`
	varies  string            // why the body is not compared byte for byte, "" when it is
	lenOnly bool              // the body's length is compared (not its bytes)
}

func runStatic(c staticConfig, out io.Writer) error {
	loc, err := time.LoadLocation(c.tz)
	if err != nil {
		return fmt.Errorf("-tz: %w", err)
	}
	cl := newClient(c.url, c.concurrency)
	tr := cl.http.Transport.(*http.Transport)
	// Raw bytes, read in large pieces: the less the client spends per
	// answer, the more of the difference between targets is theirs.
	tr.DisableCompression, tr.ReadBufferSize = true, 64<<10
	run := rand.Int64()
	mentors, err := setupUsers(cl, run, "mentor", 1, true)
	if err != nil {
		return err
	}
	mentor := mentors[0]
	// The answers must stay the same for the whole run, so the window
	// starts tomorrow (none of its slots passes meanwhile), and the page
	// shows next month (no "today", no slot passing) within a horizon of
	// a year (its far end does not move into the month).
	av := mentorAvailability()
	av["horizon_days"] = 365
	if _, err := cl.do("PUT", "/api/v1/me/availability", mentor.token, av, nil); err != nil {
		return err
	}
	mentees, err := setupUsers(cl, run, "mentee", 4, false)
	if err != nil {
		return err
	}
	from := time.Now().UTC().AddDate(0, 0, 1)
	to := from.AddDate(0, 0, 30)
	now := time.Now().In(loc)
	month := time.Date(now.Year(), now.Month()+1, 1, 12, 0, 0, 0, loc).Format("2006-01")
	window := fmt.Sprintf("from=%s&to=%s", from.Format(time.DateOnly), to.Format(time.DateOnly))
	// A few bookings spread over the month, so its days are not all alike.
	var s slotsJSON
	if _, err := cl.do("GET", fmt.Sprintf("/api/v1/mentors/%d/slots?%s", mentor.id, window), "", nil, &s); err != nil {
		return err
	}
	var starts []string
	for _, d := range s.Days {
		for _, sl := range d.Slots {
			starts = append(starts, sl.Start)
		}
	}
	const bookings = 8
	if len(starts) < 2*bookings {
		return fmt.Errorf("only %d free slots in the month", len(starts))
	}
	for i := range bookings {
		if _, err := cl.do("POST", "/api/v1/bookings", mentees[i%len(mentees)].token, map[string]any{
			"mentor_id": mentor.id, "start": starts[i*len(starts)/bookings], "message": "load"}, nil); err != nil {
			return err
		}
	}

	targets := []struct{ name, path string }{
		{"slots", fmt.Sprintf("/api/v1/mentors/%d/slots?%s&tz=%s", mentor.id, window, url.QueryEscape(c.tz))},
	}
	if c.page {
		targets = append(targets, struct{ name, path string }{"mentor page",
			fmt.Sprintf("/mentors/%d?month=%s&tz=%s", mentor.id, month, url.QueryEscape(c.tz))})
	}
	captures := make([]capture, len(targets))
	for i, t := range targets {
		if captures[i], err = captureAnswer(cl.http, c.url, t.path); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	st, err := startStatic(captures)
	if err != nil {
		return err
	}
	defer st.stop()

	fmt.Fprintf(out, "static comparison: one mentor with %d bookings, %s to %s, viewer zone %s\n",
		bookings, from.Format(time.DateOnly), to.Format(time.DateOnly), c.tz)
	servers := c.url
	if c.url2 != "" {
		servers += " and " + c.url2 + " (round robin per request)"
	}
	fmt.Fprintf(out, "server: %s; static: %s (pid %d); %d rounds of %v per target, %d concurrent clients, one client and transport\n",
		servers, st.base, st.cmd.Process.Pid, c.rounds, (c.duration / time.Duration(c.rounds)).Round(time.Millisecond), c.concurrency)
	failed := 0
	for i, t := range targets {
		failed += compare(c, cl.http, st.base, t.name, captures[i], out)
	}
	if failed > 0 {
		return fmt.Errorf("%d requests failed or answered differently", failed)
	}
	return nil
}

// captureAnswer GETs path twice: the first answer is what the static
// server repeats; a second that differs says the body varies per request.
func captureAnswer(hc *http.Client, base, path string) (capture, error) {
	var got [2]capture
	for i := range got {
		res, err := hc.Get(base + path)
		if err != nil {
			return capture{}, err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return capture{}, err
		}
		if res.StatusCode != http.StatusOK {
			return capture{}, fmt.Errorf("GET %s: %d %s", path, res.StatusCode, bytes.TrimSpace(body))
		}
		got[i] = capture{Path: path, Status: res.StatusCode, Header: map[string]string{}, Body: body}
		for _, h := range capturedHeaders {
			if v := res.Header.Get(h); v != "" {
				got[i].Header[h] = v
			}
		}
	}
	c, again := got[0], got[1]
	switch {
	case bytes.Equal(c.Body, again.Body):
	case len(c.Body) == len(again.Body):
		c.lenOnly = true
		c.varies = "the body varies per request at the same length (first difference: " + difference(c.Body, again.Body) +
			"); compared status and length only"
	default:
		c.varies = fmt.Sprintf("the body varies per request, even in length (%d, then %d bytes; first difference: %s); compared status only",
			len(c.Body), len(again.Body), difference(c.Body, again.Body))
	}
	return c, nil
}

// difference quotes the first differing part of a and b, with a little
// of what comes before it.
func difference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from, to := max(0, i-40), min(len(a), i+30)
	return fmt.Sprintf("byte %d, %q", i, a[from:to])
}

// target is one side of a comparison.
type target struct {
	name  string
	bases []string // requests go round robin over these
	next  atomic.Uint64
	// Wrong answers, by kind.
	status, length, body, transport atomic.Int64
	all                             stats
}

func (t *target) errors() int64 {
	return t.status.Load() + t.length.Load() + t.body.Load() + t.transport.Load()
}

// get sends one request and checks its answer against want. buf is the
// worker's own, reused so that reading a body costs the client little.
func (t *target) get(hc *http.Client, want capture, buf *bytes.Buffer) (int, error) {
	base := t.bases[(t.next.Add(1)-1)%uint64(len(t.bases))]
	res, err := hc.Get(base + want.Path)
	if err != nil {
		t.transport.Add(1)
		return 0, err
	}
	buf.Reset()
	_, err = buf.ReadFrom(res.Body)
	res.Body.Close()
	body := buf.Bytes()
	switch {
	case err != nil:
		t.transport.Add(1)
	case res.StatusCode != want.Status:
		t.status.Add(1)
		err = fmt.Errorf("status %d", res.StatusCode)
	case want.varies != "" && !want.lenOnly:
	case len(body) != len(want.Body):
		t.length.Add(1)
		err = fmt.Errorf("%d bytes, want %d", len(body), len(want.Body))
	case want.varies == "" && !bytes.Equal(body, want.Body):
		t.body.Add(1)
		err = errors.New("body differs from the captured one")
	}
	return res.StatusCode, err
}

// compare runs the rounds, server first in each, and prints the table. It
// returns the number of failed requests.
func compare(c staticConfig, hc *http.Client, staticBase, name string, want capture, out io.Writer) int {
	server := &target{name: "server", bases: []string{c.url}}
	if c.url2 != "" {
		server.bases = append(server.bases, c.url2)
	}
	static := &target{name: "static", bases: []string{staticBase}}
	fmt.Fprintf(out, "\n%s: GET %s\n  answer: %d, %d bytes", name, want.Path, want.Status, len(want.Body))
	for _, h := range []string{"Content-Type", "Cache-Control", "ETag", "Content-Length"} {
		if v, ok := want.Header[h]; ok {
			fmt.Fprintf(out, ", %s %q", h, v)
		} else {
			fmt.Fprintf(out, ", no %s", h)
		}
	}
	fmt.Fprintln(out)
	if want.varies != "" {
		fmt.Fprintf(out, "  note: %s\n", want.varies)
	}

	rc := c.config
	rc.duration = c.duration / time.Duration(c.rounds)
	bufs := make([]bytes.Buffer, c.concurrency)
	// A short warm-up opens the connections; it is not counted.
	warm := rc
	warm.duration = min(rc.duration, 500*time.Millisecond)
	for _, t := range []*target{server, static} {
		phase(warm, func(w int, _ *rand.Rand) (int, error) { return t.get(hc, want, &bufs[w]) })
		t.status.Store(0)
		t.length.Store(0)
		t.body.Store(0)
		t.transport.Store(0)
	}

	fmt.Fprintf(out, "  %-5s  %12s %9s %9s  %12s %9s %9s  %13s\n", "round", "server req/s", "p50", "p99", "static req/s", "p50", "p99", "server/static")
	for round := 1; round <= c.rounds; round++ {
		var rs [2]stats
		for i, t := range []*target{server, static} {
			rs[i] = phase(rc, func(w int, _ *rand.Rand) (int, error) { return t.get(hc, want, &bufs[w]) })
			t.all.latencies = append(t.all.latencies, rs[i].latencies...)
			t.all.elapsed += rs[i].elapsed
		}
		printRow(out, fmt.Sprint(round), rs[0], rs[1])
	}
	printRow(out, "all", server.all, static.all)
	for _, t := range []*target{server, static} {
		fmt.Fprintf(out, "  %s: %d requests; wrong status %d, wrong length %d, different body %d, transport errors %d\n",
			t.name, len(t.all.latencies), t.status.Load(), t.length.Load(), t.body.Load(), t.transport.Load())
	}
	return int(server.errors() + static.errors())
}

// printRow prints one round (or all of them) of a comparison.
func printRow(out io.Writer, label string, server, static stats) {
	rate := func(s stats) float64 { return float64(len(s.latencies)) / s.elapsed.Seconds() }
	q := func(s stats, p float64) string {
		l := slices.Sorted(slices.Values(s.latencies))
		if len(l) == 0 {
			return "-"
		}
		return l[min(len(l)-1, int(p*float64(len(l))))].Round(10 * time.Microsecond).String()
	}
	ratio := "-"
	if r := rate(static); r > 0 {
		ratio = fmt.Sprintf("%.3f", rate(server)/r)
	}
	fmt.Fprintf(out, "  %-5s  %12.0f %9s %9s  %12.0f %9s %9s  %13s\n", label,
		rate(server), q(server, 0.50), q(server, 0.99), rate(static), q(static, 0.50), q(static, 0.99), ratio)
}

// staticProcess is the static server, a child process.
type staticProcess struct {
	cmd   *exec.Cmd
	stdin io.Closer
	file  string
	base  string
}

// startStatic writes the captured answers to a file and starts this
// program again as the static server for them, reading the address it
// listens on from its first line of output.
func startStatic(captures []capture) (*staticProcess, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp("", "mentorbook-load-static-*.json")
	if err != nil {
		return nil, err
	}
	err = json.NewEncoder(f).Encode(captures)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, err
	}
	p := &staticProcess{cmd: exec.Command(exe, "-serve-static", f.Name(), "-static-addr", "127.0.0.1:0"), file: f.Name()}
	p.cmd.Stderr = os.Stderr
	stdin, err := p.cmd.StdinPipe()
	if err != nil {
		os.Remove(p.file)
		return nil, err
	}
	p.stdin = stdin
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		os.Remove(p.file)
		return nil, err
	}
	if err := p.cmd.Start(); err != nil {
		os.Remove(p.file)
		return nil, fmt.Errorf("static server: %w", err)
	}
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- strings.TrimSpace(l)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case l := <-line:
		if addr, ok := strings.CutPrefix(l, "listening on "); ok {
			p.base = "http://" + addr
			return p, nil
		}
		p.stop()
		return nil, fmt.Errorf("static server: said %q, want its address", l)
	case <-time.After(10 * time.Second):
		p.stop()
		return nil, errors.New("static server: no address within 10 s")
	}
}

func (p *staticProcess) stop() {
	p.stdin.Close()
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	os.Remove(p.file)
}

// serveStatic is the static server: for each captured answer, a plain
// handler that sets its headers and writes its bytes. It prints the
// address it listens on and serves until its input closes (the parent
// stopped or died).
func serveStatic(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("mentorbook-load -serve-static", flag.ContinueOnError)
	addr := fs.String("static-addr", "127.0.0.1:0", "listen address")
	if len(args) == 0 {
		return errors.New("usage: mentorbook-load -serve-static FILE [-static-addr ADDR]")
	}
	file := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var captures []capture
	if err := json.Unmarshal(data, &captures); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	mux := http.NewServeMux()
	for _, c := range captures {
		u, err := url.Parse(c.Path)
		if err != nil {
			return err
		}
		mux.HandleFunc("GET "+u.Path, func(w http.ResponseWriter, r *http.Request) {
			for k, v := range c.Header {
				w.Header().Set(k, v)
			}
			w.WriteHeader(c.Status)
			_, _ = w.Write(c.Body)
		})
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "listening on %s\n", ln.Addr())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	return http.Serve(ln, mux)
}
