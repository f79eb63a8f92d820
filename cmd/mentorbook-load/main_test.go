package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/api"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/storetest"
	"github.com/mentorbook/mentorbook/web"
)

// childEnv marks a process started by a test (the static server that
// -phase static re-executes): it runs the program instead of the tests.
const childEnv = "MENTORBOOK_LOAD_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main()
		return
	}
	os.Setenv(childEnv, "1")
	os.Exit(m.Run())
}

// newServer serves the API and the pages on store, as mentorbook serve
// does; wrap, when not nil, sees every request first.
func newServer(t *testing.T, store mentorbook.Store, wrap func(http.Handler) http.Handler) *httptest.Server {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.New(store, app.Options{CheapPasswords: true, Logger: log})
	mux := http.NewServeMux()
	mux.Handle("/api/", api.New(svc, log))
	mux.Handle("/", web.New(svc, log, web.Options{}))
	var h http.Handler = mux
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// allRow is the "all" row of a comparison table: server req/s, static
// req/s and the ratio.
var allRow = regexp.MustCompile(`(?m)^  all +([0-9]+) +\S+ +\S+ +([0-9]+) +\S+ +\S+ +([0-9.]+)$`)

func allRows(t *testing.T, out string) [][3]float64 {
	t.Helper()
	var rows [][3]float64
	for _, m := range allRow.FindAllStringSubmatch(out, -1) {
		var r [3]float64
		for i := range r {
			r[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		rows = append(rows, r)
	}
	return rows
}

// countSlots counts a server's requests for the compared slots
// month (the ones with a viewer zone).
func countSlots(n *atomic.Int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/slots") && r.URL.Query().Get("tz") != "" {
				n.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	}
}

func TestStaticPhaseComparesTwoInstancesAndThePageWithAStaticServer(t *testing.T) {
	store := storetest.OpenSQLite(t)
	var first, second atomic.Int64
	srv1 := newServer(t, store, countSlots(&first))
	srv2 := newServer(t, store, countSlots(&second))
	var out bytes.Buffer
	err := run([]string{"-phase", "static", "-page", "-url", srv1.URL, "-url2", srv2.URL, "-duration", "1s", "-rounds", "2",
		"-concurrency", "2", "-tz", "Asia/Kathmandu"}, &out)
	t.Log(out.String())
	if err != nil {
		t.Fatal(err)
	}
	o := out.String()
	for _, want := range []string{"viewer zone Asia/Kathmandu", "\nslots: GET /api/v1/mentors/", "&tz=Asia%2FKathmandu",
		`Content-Type "application/json"`, "\nmentor page: GET /mentors/", `Content-Type "text/html; charset=utf-8"`,
		"(round robin per request)"} {
		if !strings.Contains(o, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	rows := allRows(t, o)
	if len(rows) != 2 {
		t.Fatalf("%d overall rows, want 2 (slots, mentor page)", len(rows))
	}
	for i, r := range rows {
		if r[0] <= 0 || r[1] <= 0 || r[2] <= 0 {
			t.Errorf("table %d: server %v req/s, static %v req/s, ratio %v: want all positive", i+1, r[0], r[1], r[2])
		}
	}
	if n := strings.Count(o, "wrong status 0, wrong length 0, different body 0, transport errors 0"); n != 4 {
		t.Errorf("%d targets answered without errors, want 4", n)
	}
	// Both instances served the compared month, beyond the capture.
	if first.Load() < 3 || second.Load() < 3 {
		t.Errorf("slots requests: %d on the first instance, %d on the second; want both served", first.Load(), second.Load())
	}
	m := regexp.MustCompile(`\(pid ([0-9]+)\)`).FindStringSubmatch(o)
	if m == nil {
		t.Fatal("no static server pid in the output")
	}
	if _, err := os.Stat("/proc/" + m[1]); err == nil {
		t.Errorf("static server (pid %s) still running after the phase", m[1])
	}
}

func TestStaticPhaseReportsAChangedBodyAndToleratesAPageThatVaries(t *testing.T) {
	store := storetest.OpenSQLite(t)
	var slots, pages atomic.Int64
	// After the two captures, the slots month comes back with one byte
	// changed; every page gets a different token of the same length.
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			isSlots := strings.HasSuffix(r.URL.Path, "/slots") && r.URL.Query().Get("tz") != ""
			isPage := strings.HasPrefix(r.URL.Path, "/mentors/")
			if !isSlots && !isPage {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			if isSlots && slots.Add(1) > 2 {
				body = bytes.Replace(body, []byte(`"days"`), []byte(`"dayz"`), 1)
			}
			if isPage {
				body = append(body, "<!-- "+strconv.FormatInt(1000000+pages.Add(1), 10)+" -->"...)
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	}
	srv := newServer(t, store, wrap)
	var out bytes.Buffer
	err := run([]string{"-phase", "static", "-page", "-url", srv.URL, "-duration", "1s", "-rounds", "2", "-concurrency", "2"}, &out)
	t.Log(out.String())
	if err == nil {
		t.Fatal("a changed body passed")
	}
	o := out.String()
	slotsPart, pagePart, ok := strings.Cut(o, "\nmentor page:")
	if !ok {
		t.Fatal("no mentor page table")
	}
	if !regexp.MustCompile(`server: [0-9]+ requests; wrong status 0, wrong length 0, different body [1-9]`).MatchString(slotsPart) {
		t.Error("the slots table does not count the server's changed bodies")
	}
	if !strings.Contains(slotsPart, "static: ") || !strings.Contains(slotsPart[strings.Index(slotsPart, "static: "):], "different body 0, transport errors 0") {
		t.Error("the slots table counts errors for the static server")
	}
	if !strings.Contains(pagePart, "note: the body varies per request at the same length") {
		t.Error("the page table does not say its body varies")
	}
	if n := strings.Count(pagePart, "wrong status 0, wrong length 0, different body 0, transport errors 0"); n != 2 {
		t.Errorf("%d page targets answered without errors, want 2", n)
	}
}

func TestBookingsPhaseStillReadsWritesAndFindsNoOverlaps(t *testing.T) {
	srv := newServer(t, storetest.OpenSQLite(t), nil)
	var out bytes.Buffer
	err := run([]string{"-url", srv.URL, "-duration", "500ms", "-concurrency", "4", "-mentors", "2", "-mentees", "4"}, &out)
	t.Log(out.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"setting up 2 mentors and 4 mentees at ", "\nslots reads (one mentor, 31 days): ",
		"\nbooking writes (contended): ", "overlapping pairs found: 0\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestPgbenchPhaseComparesWithPgbenchAndDropsItsTable(t *testing.T) {
	base := os.Getenv(storetest.PostgresEnv)
	if base == "" {
		t.Skip("set " + storetest.PostgresEnv + " to run pgbench against PostgreSQL")
	}
	srv := newServer(t, storetest.OpenPostgres(t), nil)
	var out bytes.Buffer
	err := run([]string{"-phase", "pgbench", "-pg", base, "-clients", "2,4", "-url", srv.URL, "-duration", "1s",
		"-mentors", "2", "-mentees", "4"}, &out)
	t.Log(out.String())
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile(`(?m)^ +([0-9]+) +([0-9]+) +([0-9]+) +([0-9.]+) +([0-9]+) +([0-9]+)$`).FindAllStringSubmatch(out.String(), -1)
	if len(rows) != 2 {
		t.Fatalf("%d result rows, want 2", len(rows))
	}
	for i, r := range rows {
		if r[1] != []string{"2", "4"}[i] {
			t.Errorf("row %d: %s clients", i+1, r[1])
		}
		for _, col := range []int{2, 3, 5} { // pgbench TPS, bookings req/s, bookings stored
			if n, _ := strconv.Atoi(r[col]); n <= 0 {
				t.Errorf("row %d: column %d is %s, want positive", i+1, col, r[col])
			}
		}
		if ratio, _ := strconv.ParseFloat(r[4], 64); ratio <= 0 {
			t.Errorf("row %d: ratio %s", i+1, r[4])
		}
		if r[6] != "0" {
			t.Errorf("row %d: %s overlapping pairs", i+1, r[6])
		}
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var left *string
	if err := conn.QueryRow(ctx, `SELECT to_regclass($1)::text`, pgbenchTable).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != nil {
		t.Errorf("table %s left behind", *left)
	}
}

func TestPgbenchPhaseWithoutPgbenchOnPathSaysSo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := run([]string{"-phase", "pgbench", "-pg", "postgres://127.0.0.1:1/none"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "pgbench is not on PATH") {
		t.Fatalf("err = %v, want pgbench is not on PATH", err)
	}
}

func TestBadFlagsAreRefusedBeforeAnyRequest(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1) }))
	defer srv.Close()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-phase", "nope"}, `-phase "nope"`},
		{[]string{"-phase", "pgbench", "-clients", "8,x", "-pg", "postgres://x"}, `-clients: "x" is not a positive number`},
		{[]string{"-phase", "pgbench", "-clients", "0"}, `-clients: "0" is not a positive number`},
		{[]string{"-phase", "pgbench"}, "needs -pg"},
		{[]string{"-phase", "static", "-rounds", "0"}, "-rounds and -concurrency must be at least 1"},
		{[]string{"-phase", "static", "-tz", "Mars/Olympus_Mons"}, "-tz: unknown time zone Mars/Olympus_Mons"},
		{[]string{"extra"}, "unexpected arguments"},
	} {
		err := run(append(tc.args, "-url", srv.URL), io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestParsePgbenchTPS(t *testing.T) {
	for _, tc := range []struct {
		name, output string
		want         float64
	}{
		{"PostgreSQL 15", `transaction type: /tmp/x.sql
number of clients: 8
number of transactions actually processed: 61234
number of failed transactions: 0 (0.000%)
latency average = 1.305 ms
initial connection time = 12.345 ms
tps = 6123.456789 (without initial connection time)
`, 6123.456789},
		{"PostgreSQL 13", `latency average = 1.305 ms
tps = 6100.000000 (including connections establishing)
tps = 6123.5 (excluding connections establishing)
`, 6123.5},
	} {
		got, err := parsePgbenchTPS(tc.output)
		if err != nil || got != tc.want {
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	if _, err := parsePgbenchTPS("pgbench: error: connection refused\n"); err == nil {
		t.Error("output without tps parsed")
	}
}
