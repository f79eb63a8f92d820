package app_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
	"github.com/mentorbook/mentorbook/sqlite"
)

// benchNow is a Monday; "next week" starts a week later.
var benchNow = time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC)

// directory is a SQLite store with 10,000 active mentors, each with weekly
// hours in one of eight zones, four skills, a bio, the free consultation
// and one or two programs; every third has two confirmed sessions next week.
// It is seeded in one write transaction through the repositories, so the
// search columns are what the store writes.
func directory(b *testing.B) *app.App {
	b.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{Timeout: 10 * time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if err := db.Write(ctx, func(tx mentorbook.Tx) error { return seedDirectory(ctx, tx, 10000) }); err != nil {
		b.Fatal(err)
	}
	return app.New(db, app.Options{Now: func() time.Time { return benchNow }, CheapPasswords: true})
}

var (
	benchZones = []string{"Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "America/Los_Angeles",
		"Asia/Tokyo", "Australia/Sydney", "Europe/London"}
	benchWords = strings.Fields(`kubernetes postgres career leadership frontend react backend distributed systems
		testing security cloud aws design product startup interviews algorithms data machine learning python
		rust java mobile ios android devops observability performance architecture mentoring management hiring
		writing speaking open source compilers databases networking embedded games graphics accessibility`)
)

func seedDirectory(ctx context.Context, tx mentorbook.Tx, n int) error {
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range n {
		zone := benchZones[i%len(benchZones)]
		u, err := tx.Users().Create(ctx, mentorbook.User{Email: fmt.Sprintf("m%d@example.com", i), Name: fmt.Sprintf("Mentor %d", i),
			Timezone: zone, CreatedAt: benchNow}, "x")
		if err != nil {
			return err
		}
		skills := []string{}
		for range 3 {
			skills = append(skills, benchWords[rng.IntN(len(benchWords))])
		}
		skills = append(skills, []string{"go", "python", "java", "rust"}[i%4])
		var bio []string
		for range 60 {
			bio = append(bio, benchWords[rng.IntN(len(benchWords))])
		}
		if _, err := tx.Mentors().PutProfile(ctx, mentorbook.MentorProfile{UserID: u.ID,
			Headline: "Engineer: " + skills[0] + " and " + skills[1], Bio: strings.Join(bio, " "),
			Skills: normalized(skills), Active: true, UpdatedAt: benchNow}); err != nil {
			return err
		}
		if _, err := tx.Services().EnsureDefault(ctx, u.ID, benchNow); err != nil {
			return err
		}
		for range 1 + rng.IntN(2) {
			if _, err := tx.Services().Create(ctx, mentorbook.Service{MentorID: u.ID, Title: "Program", PriceMinor: int64(1000 * (1 + rng.IntN(50))),
				Format: mentorbook.FormatSessions, Sessions: 4, SessionMinutes: 60, Mode: mentorbook.ModeOnline, Active: true,
				CreatedAt: benchNow, UpdatedAt: benchNow}); err != nil {
				return err
			}
		}
		a := mentorbook.DefaultAvailability(u.ID, zone)
		start := 7*60 + 30*rng.IntN(10)
		for d := time.Monday; d <= time.Friday; d++ {
			a.Weekly = append(a.Weekly, schedule.WeeklyInterval{Weekday: d, Start: start, End: start + 60*(3+rng.IntN(5))})
		}
		a.UpdatedAt = benchNow
		if err := tx.Availability().Put(ctx, a); err != nil {
			return err
		}
		if i%3 == 0 {
			mentee, err := tx.Users().Create(ctx, mentorbook.User{Email: fmt.Sprintf("e%d@example.com", i), Name: "Mentee",
				Timezone: "UTC", CreatedAt: benchNow}, "x")
			if err != nil {
				return err
			}
			loc, _ := schedule.LoadZone(zone)
			for _, day := range []int{8, 9} { // next Monday and Tuesday
				at := schedule.Resolve(loc, schedule.Date{Year: 2026, Month: time.June, Day: day}, start)
				if _, err := tx.Bookings().Create(ctx, mentorbook.Booking{MentorID: u.ID, MenteeID: mentee.ID,
					Status: mentorbook.StatusConfirmed, Start: at, End: at.Add(time.Hour), CreatedAt: benchNow, UpdatedAt: benchNow}, benchNow); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func normalized(skills []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range skills {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// BenchmarkSearchText is a text-plus-skill search, first page.
func BenchmarkSearchText(b *testing.B) {
	a := directory(b)
	benchSearch(b, a, app.MentorSearchQuery{Q: "kubernetes postgres", Skills: []string{"go"}})
}

// BenchmarkSearchAvailability is a three-hour window next week, first page.
func BenchmarkSearchAvailability(b *testing.B) {
	a := directory(b)
	from := time.Date(2026, 6, 9, 13, 0, 0, 0, time.UTC) // next Tuesday
	benchSearch(b, a, app.MentorSearchQuery{
		AvailableFrom: from.Format(time.RFC3339), AvailableTo: from.Add(3 * time.Hour).Format(time.RFC3339)})
}

// benchSearch runs q and reports, besides the wall time, the process's CPU
// time per search: on a shared machine the wall time also counts waiting
// for a core.
func benchSearch(b *testing.B, a *app.App, q app.MentorSearchQuery) {
	ctx := context.Background()
	n := 0
	// One search first, so statements are prepared before the clock runs.
	if _, _, err := a.Mentors.Search(ctx, q); err != nil {
		b.Fatal(err)
	}
	cpu := cpuTime()
	for b.Loop() {
		ms, _, err := a.Mentors.Search(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		n = len(ms)
	}
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(n), "results")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
