package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgbenchTable is pgbench's scratch table, created for the run and dropped
// at its end.
const pgbenchTable = "load_pgbench"

// pgbenchScript inserts one row per transaction, with random values.
const pgbenchScript = `\set a random(1, 1000000000)
\set s random(0, 86400000)
INSERT INTO ` + pgbenchTable + ` (a, b, c) VALUES (:a, now() + :s * interval '1 millisecond', 'load ' || :a);
`

// runPgbench runs, for each client count, pgbench inserting single rows on
// dsn's server and then the contended booking phase at the same
// concurrency and duration, with fresh users, and prints both rates.
func runPgbench(c config, dsn string, clients []int, out io.Writer) error {
	if dsn == "" {
		return errors.New("-phase pgbench needs -pg, a postgres:// URL of a database on the server's PostgreSQL")
	}
	bin, err := exec.LookPath("pgbench")
	if err != nil {
		return errors.New("pgbench is not on PATH: install PostgreSQL's client programs (Debian: apt-get install postgresql-client)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("-pg: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+pgbenchTable+` (id bigserial primary key, a bigint, b timestamptz, c text)`); err != nil {
		return fmt.Errorf("create %s: %w", pgbenchTable, err)
	}
	defer func() {
		if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS `+pgbenchTable); err != nil {
			fmt.Fprintf(out, "drop %s: %v\n", pgbenchTable, err)
		}
	}()
	script, err := os.CreateTemp("", "mentorbook-load-pgbench-*.sql")
	if err != nil {
		return err
	}
	defer os.Remove(script.Name())
	_, err = script.WriteString(pgbenchScript)
	if cerr := script.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}

	secs := max(1, int(math.Ceil(c.duration.Seconds())))
	phaseDuration := time.Duration(secs) * time.Second
	fmt.Fprintf(out, "pgbench -n -j 2 -T %d (one-row INSERT per transaction) next to contended booking requests for %v at %s, %d mentors, %d mentees each time\n",
		secs, phaseDuration, c.url, c.mentors, c.mentees)
	type result struct {
		clients         int
		pgTPS           float64
		booking         stats
		stored, overlap int
	}
	var results []result
	for _, n := range clients {
		pg, err := exec.Command(bin, "-n", "-c", strconv.Itoa(n), "-j", "2", "-T", strconv.Itoa(secs), "-f", script.Name(), dsn).CombinedOutput()
		if err != nil {
			return fmt.Errorf("pgbench -c %d: %v\n%s", n, err, pg)
		}
		tps, err := parsePgbenchTPS(string(pg))
		if err != nil {
			return fmt.Errorf("pgbench -c %d: %w\n%s", n, err, pg)
		}
		fmt.Fprintf(out, "clients %d: pgbench %.0f TPS\n", n, tps)

		// Fresh users, so every mentor's calendar starts empty.
		cl := newClient(c.url, n)
		run := rand.Int64()
		mentors, err := setupUsers(cl, run, "mentor", c.mentors, true)
		if err != nil {
			return err
		}
		mentees, err := setupUsers(cl, run, "mentee", c.mentees, false)
		if err != nil {
			return err
		}
		bc := c
		bc.concurrency, bc.duration = n, phaseDuration
		writes, err := contendedBookings(bc, cl, mentors, mentees)
		if err != nil {
			return err
		}
		writes.print(out, fmt.Sprintf("clients %d: booking writes (contended)", n))
		overlaps, total, err := countOverlaps(cl, mentors, mentees)
		if err != nil {
			return err
		}
		results = append(results, result{n, tps, writes, total, overlaps})
	}

	fmt.Fprintf(out, "\n%7s  %12s  %14s  %16s  %15s  %16s\n", "clients", "pgbench TPS", "bookings req/s", "bookings/pgbench", "bookings stored", "overlapping pairs")
	failed, overlaps := 0, 0
	for _, r := range results {
		rate := float64(len(r.booking.latencies)) / r.booking.elapsed.Seconds()
		fmt.Fprintf(out, "%7d  %12.0f  %14.0f  %16.3f  %15d  %16d\n", r.clients, r.pgTPS, rate, rate/r.pgTPS, r.stored, r.overlap)
		failed += r.booking.errors
		overlaps += r.overlap
	}
	switch {
	case overlaps > 0:
		return fmt.Errorf("%d overlapping bookings", overlaps)
	case failed > 0:
		return fmt.Errorf("%d booking requests failed", failed)
	}
	return nil
}

// pgbenchTPS matches pgbench's rate without connection set-up: "tps =
// 1234.5 (without initial connection time)" since PostgreSQL 14,
// "(excluding connections establishing)" before.
var pgbenchTPS = regexp.MustCompile(`(?m)^tps = ([0-9]+(?:\.[0-9]+)?) \((?:without initial connection time|excluding connections establishing)\)`)

func parsePgbenchTPS(output string) (float64, error) {
	m := pgbenchTPS.FindStringSubmatch(output)
	if m == nil {
		return 0, errors.New("no \"tps = ... (without initial connection time)\" line in pgbench's output")
	}
	return strconv.ParseFloat(m[1], 64)
}

// parseCounts reads a comma-separated list of positive integers.
func parseCounts(s string) ([]int, error) {
	var counts []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		counts = append(counts, n)
	}
	return counts, nil
}
