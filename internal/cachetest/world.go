// Package cachetest drives random changes to everything the slot cache
// and the kept mentor pages depend on, through the use cases of two app
// instances on one database with a shared fake clock, so tests can compare
// what a cached instance answers with an uncached reference after every
// step (app's slot answers, web's pages).
package cachetest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/schedule"
	"github.com/mentorbook/mentorbook/sqlite"
	"github.com/mentorbook/mentorbook/storetest"
)

// Zones are viewers' and mentors' zones with unusual rules: half-hour
// and 45-minute offsets, daylight-saving changes of 30 minutes, southern
// summers.
var Zones = []string{"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
	"America/Santiago", "Pacific/Chatham", "Asia/Kathmandu", "America/Nuuk"}

func clockStr(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// RandHours is a day's hours: all day, the edges of the day, none, or one
// random span on a five-minute grid.
func RandHours(rng *rand.Rand) []app.IntervalInput {
	switch rng.IntN(6) {
	case 0, 1:
		return []app.IntervalInput{{Start: "00:00", End: "24:00"}}
	case 2:
		return []app.IntervalInput{{Start: "00:00", End: "00:30"}, {Start: "23:30", End: "24:00"}}
	case 3:
		return nil
	}
	a, b := 5*rng.IntN(289), 5*rng.IntN(289)
	if a > b {
		a, b = b, a
	}
	if a == b {
		return nil
	}
	return []app.IntervalInput{{Start: clockStr(a), End: clockStr(b)}}
}

// Engines are the engines to run on, with whether instances notify each
// other: SQLite once (the version check), PostgreSQL with both.
var Engines = []struct {
	Engine   string
	Notified bool
}{{"sqlite", false}, {"postgres", false}, {"postgres", true}}

// Name is a subtest's name for an engine and notification setting.
func Name(engine string, notified bool) string {
	if notified {
		return engine + "/notifications"
	}
	return engine + "/version-check"
}

// Open returns n stores on one new database of the engine ("sqlite" or
// "postgres"), as n instances would hold.
func Open(t *testing.T, engine string, n int) []mentorbook.Store {
	dbs := make([]mentorbook.Store, n)
	var dsn, path string
	if engine == "postgres" {
		dsn = storetest.PostgresDSN(t)
	} else {
		path = filepath.Join(t.TempDir(), "mentorbook.db")
	}
	for i := range dbs {
		var db interface {
			mentorbook.Store
			Migrate(context.Context) error
			Close() error
		}
		var err error
		if engine == "postgres" {
			db, err = postgres.Open(context.Background(), dsn)
		} else {
			db, err = sqlite.Open(context.Background(), path, sqlite.Options{Timeout: 30 * time.Second})
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		dbs[i] = db
	}
	return dbs
}

// NewBroker is a PostgreSQL broker on store, closed when t ends.
func NewBroker(t *testing.T, store mentorbook.Store, log *slog.Logger) mentorbook.Broker {
	b, err := postgres.NewBroker(context.Background(), store.(*postgres.DB), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// World is one database seen by three apps on a shared fake clock: A
// (cached; tests check its answers), B (cached: another instance whose
// writes A learns of by notification or by its version check) and Ref
// (uncached: what A must answer).
type World struct {
	T        *testing.T
	Rng      *rand.Rand
	clock    *atomic.Int64
	A, B     *app.App
	Ref      *app.App
	Mentors  []mentorbook.User
	Mentees  []mentorbook.User
	bookings []mentorbook.Booking
	services []mentorbook.Service
	reviews  []mentorbook.Review
	// Notified: B's changes reach A by notification (PostgreSQL
	// brokers), so a test polls A until it agrees. Otherwise a test moves
	// the clock past the recheck bound, after which A must agree at once.
	Notified bool
}

// Now is the shared clock.
func (w *World) Now() time.Time { return time.UnixMicro(w.clock.Load()).UTC() }

// Set sets the shared clock.
func (w *World) Set(t time.Time) { w.clock.Store(t.UnixMicro()) }

// PutAvailability saves the mentor's hours through A.
func (w *World) PutAvailability(m mentorbook.User, in app.AvailabilityInput) {
	if _, err := w.A.Availability.Put(w.T.Context(), m, in); err != nil {
		w.T.Fatal(err)
	}
}

// Advance moves the shared clock on.
func (w *World) Advance(d time.Duration) { w.clock.Add(d.Microseconds()) }

// New makes three mentors with random hours and three mentees on sa
// (A's and Ref's store) and sb (B's).
func New(t *testing.T, sa, sb mentorbook.Store, notified bool, seed uint64) *World {
	t.Logf("seed %d", seed)
	w := &World{T: t, Rng: rand.New(rand.NewPCG(seed, 11)), clock: &atomic.Int64{}, Notified: notified}
	// Start the day before Europe's spring change, 2027-03-28.
	w.clock.Store(time.Date(2027, 3, 26, 9, 0, 0, 0, time.UTC).UnixMicro())
	opts := func(store mentorbook.Store, noCache bool) app.Options {
		o := app.Options{CheapPasswords: true, Now: w.Now, NoSlotCache: noCache,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if notified {
			o.Broker = NewBroker(t, store, o.Logger)
		}
		return o
	}
	w.A = app.New(sa, opts(sa, false))
	w.B = app.New(sb, opts(sb, false))
	w.Ref = app.New(sa, app.Options{CheapPasswords: true, Now: w.Now, NoSlotCache: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ctx := t.Context()
	zones := []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe"}
	for i, zone := range zones {
		u, _, err := w.A.Accounts.Signup(ctx, app.SignupInput{Email: fmt.Sprintf("m%d@example.com", i), Password: "a long password", Name: "M", Timezone: zone})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.A.Mentors.PutProfile(ctx, u, app.ProfileInput{Headline: "h", Skills: []string{"go"}, Active: true}); err != nil {
			t.Fatal(err)
		}
		u.Mentor = &mentorbook.MentorProfile{UserID: u.ID, Active: true}
		w.Mentors = append(w.Mentors, u)
		w.putAvailability(w.A, u)
	}
	for i := range 3 {
		u, _, err := w.A.Accounts.Signup(ctx, app.SignupInput{Email: fmt.Sprintf("e%d@example.com", i), Password: "a long password", Name: "E", Timezone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		w.Mentees = append(w.Mentees, u)
	}
	return w
}

// instance picks where a write happens: mostly A, often B.
func (w *World) instance() (*app.App, bool) {
	if w.Rng.IntN(3) == 0 {
		return w.B, true
	}
	return w.A, false
}

func (w *World) putAvailability(on *app.App, m mentorbook.User) {
	num := func(v int) *int { return &v }
	var weekly []app.WeeklyInput
	for wd := 0; wd < 7; wd++ {
		for _, h := range RandHours(w.Rng) {
			weekly = append(weekly, app.WeeklyInput{Weekday: wd, Start: h.Start, End: h.End})
		}
	}
	if _, err := on.Availability.Put(w.T.Context(), m, app.AvailabilityInput{Weekly: weekly,
		SessionMinutes: num(30 + 15*w.Rng.IntN(4)), SlotIntervalMinutes: num(15 * w.Rng.IntN(4)),
		MinNoticeMinutes: num(30 * w.Rng.IntN(8)), HorizonDays: num(3 + w.Rng.IntN(40)),
		BufferBeforeMinutes: num(5 * w.Rng.IntN(4)), BufferAfterMinutes: num(5 * w.Rng.IntN(4)),
		PendingExpiryHours: num(1 + w.Rng.IntN(30))}); err != nil {
		w.T.Fatal(err)
	}
}

// Step makes one random change, on A or B (remote), or moves the clock,
// and says what it did.
func (w *World) Step() (what string, remote bool) {
	ctx := w.T.Context()
	on, remote := w.instance()
	m := w.Mentors[w.Rng.IntN(len(w.Mentors))]
	switch op := w.Rng.IntN(26); {
	case op < 7:
		what = w.book(on)
	case op < 10:
		what = w.changeBooking(on)
	case op < 11:
		what = "availability"
		w.putAvailability(on, m)
	case op < 13:
		loc, _ := schedule.LoadZone(w.ZoneOf(m))
		d := schedule.DateOf(w.Now(), loc).AddDays(w.Rng.IntN(30) - 2)
		if w.Rng.IntN(3) == 0 {
			what = "delete override"
			_ = on.Availability.DeleteOverride(ctx, m, d.String())
		} else {
			what = "override"
			if _, err := on.Availability.PutOverride(ctx, m, d.String(), RandHours(w.Rng)); err != nil {
				w.T.Fatal(err)
			}
		}
	case op < 14:
		what = "profile"
		skills := [][]string{{"go"}, {"go", "sql"}, {"rust"}}[w.Rng.IntN(3)]
		in := app.ProfileInput{Headline: fmt.Sprintf("h%d", w.Rng.IntN(3)), Bio: fmt.Sprintf("bio %d", w.Rng.IntN(3)),
			Skills: skills, Active: w.Rng.IntN(3) > 0}
		if _, err := on.Mentors.PutProfile(ctx, m, in); err != nil {
			w.T.Fatal(err)
		}
	case op < 15:
		what = "account zone"
		zone := Zones[w.Rng.IntN(len(Zones))]
		if _, err := on.Accounts.Update(ctx, w.fresh(m), app.ProfileUpdate{Timezone: &zone}); err != nil {
			w.T.Fatal(err)
		}
	case op < 16:
		what = "rename"
		people := append(append([]mentorbook.User{}, w.Mentors...), w.Mentees...)
		who := people[w.Rng.IntN(len(people))]
		if len(w.reviews) > 0 && w.Rng.IntN(2) == 0 {
			// A reviewer: their name is on the mentor's page.
			who, what = mentorbook.User{ID: w.reviews[w.Rng.IntN(len(w.reviews))].MenteeID}, "reviewer rename"
		}
		name := fmt.Sprintf("Name %d", w.Rng.IntN(100))
		if _, err := on.Accounts.Update(ctx, w.fresh(who), app.ProfileUpdate{Name: &name}); err != nil {
			w.T.Fatal(err)
		}
	case op < 18:
		what = w.service(on, m)
	case op < 21:
		what = w.review(on)
	default:
		remote = false
		what = w.moveClock()
	}
	return what, remote
}

// fresh is u as stored now: updates start from the caller's name and zone.
func (w *World) fresh(u mentorbook.User) mentorbook.User {
	u, err := w.Ref.Accounts.Me(w.T.Context(), u)
	if err != nil {
		w.T.Fatal(err)
	}
	return u
}

// ZoneOf is the zone of a mentor's hours.
func (w *World) ZoneOf(m mentorbook.User) string {
	a, err := w.Ref.Availability.Get(w.T.Context(), m)
	if err != nil {
		w.T.Fatal(err)
	}
	return a.Timezone
}

// book requests, through on, a slot the reference offers (mostly) or a
// time it does not: the request must fail exactly when it is not offered
// (or when the mentee's own calendar or limits refuse it).
func (w *World) book(on *app.App) string {
	ctx := w.T.Context()
	m := w.Mentors[w.Rng.IntN(len(w.Mentors))]
	// Mentors book each other too: their own bookings hold their time.
	people := append(append([]mentorbook.User{}, w.Mentees...), w.Mentors...)
	who := people[w.Rng.IntN(len(people))]
	if who.ID == m.ID {
		return "no booking"
	}
	res, err := w.Ref.Calendar.Slots(ctx, m.ID, app.SlotQuery{To: schedule.DateOf(w.Now(), time.UTC).AddDays(20).String()})
	if err != nil {
		w.T.Fatal(err)
	}
	var offered []time.Time
	for _, d := range res.Days {
		for _, s := range d.Slots {
			offered = append(offered, s.Start)
		}
	}
	start := w.Now().Add(time.Duration(w.Rng.IntN(20*24*4)) * 15 * time.Minute).Truncate(15 * time.Minute)
	if len(offered) > 0 && w.Rng.IntN(4) > 0 {
		start = offered[w.Rng.IntN(len(offered))]
	}
	isOffered := false
	for _, s := range offered {
		isOffered = isOffered || s.Equal(start)
	}
	b, err := on.Bookings.Request(ctx, who, app.BookingInput{MentorID: m.ID, Start: start.Format(time.RFC3339)}, "")
	switch {
	case err == nil && !isOffered:
		w.T.Fatalf("booking %v of mentor %d succeeded but the uncached slots do not offer it", start, m.ID)
	case err == nil:
		w.bookings = append(w.bookings, b)
		return "booking"
	case isOffered:
		// Refused although offered: only the requester's own calendar or
		// limits may say no, so the uncached use case must refuse too.
		if b, rerr := w.Ref.Bookings.Request(ctx, who, app.BookingInput{MentorID: m.ID, Start: start.Format(time.RFC3339)}, ""); rerr == nil {
			w.T.Fatalf("booking %v of mentor %d refused (%v) but the uncached use case accepts it (%d)", start, m.ID, err, b.ID)
		}
	}
	return "refused booking"
}

func (w *World) changeBooking(on *app.App) string {
	if len(w.bookings) == 0 {
		return "no change"
	}
	ctx := w.T.Context()
	b := w.bookings[w.Rng.IntN(len(w.bookings))]
	mentor, mentee := mentorbook.User{ID: b.MentorID}, mentorbook.User{ID: b.MenteeID}
	switch w.Rng.IntN(5) {
	case 0, 1, 2:
		_, _ = on.Bookings.Accept(ctx, mentor, b.ID)
		return "accept"
	case 3:
		_, _ = on.Bookings.Decline(ctx, mentor, b.ID, "no")
		return "decline"
	}
	_, _ = on.Bookings.Cancel(ctx, mentee, b.ID, "changed plans")
	return "cancel"
}

// service creates one of the mentor's services or changes one.
func (w *World) service(on *app.App, m mentorbook.User) string {
	ctx := w.T.Context()
	title := fmt.Sprintf("Program %d", w.Rng.IntN(5))
	price := fmt.Sprint(w.Rng.IntN(3) * 2500)
	active := w.Rng.IntN(4) > 0
	in := app.ServiceInput{Title: &title, PriceMinor: &price, Active: &active}
	var mine []mentorbook.Service
	for _, sv := range w.services {
		if sv.MentorID == m.ID {
			mine = append(mine, sv)
		}
	}
	if len(mine) > 0 && w.Rng.IntN(2) == 0 {
		sv, err := on.Services.Update(ctx, w.fresh(m), mine[w.Rng.IntN(len(mine))].ID, in)
		if err != nil {
			w.T.Fatal(err)
		}
		_ = sv
		return "service changed"
	}
	format, sessions, minutes := "sessions", 1+w.Rng.IntN(4), 30*(1+w.Rng.IntN(3))
	in.Format, in.Sessions, in.SessionMinutes = &format, &sessions, &minutes
	sv, err := on.Services.Create(ctx, w.fresh(m), in)
	if err != nil {
		// The mentor may be inactive or their profile hidden: then the
		// reference refuses too.
		return "service refused"
	}
	w.services = append(w.services, sv)
	return "service"
}

// review has a mentee review a held session, a mentor reply to a review,
// or a party report attendance.
func (w *World) review(on *app.App) string {
	ctx := w.T.Context()
	if len(w.reviews) > 0 && w.Rng.IntN(3) == 0 {
		v := w.reviews[w.Rng.IntN(len(w.reviews))]
		if _, err := on.Reviews.Reply(ctx, mentorbook.User{ID: v.MentorID}, v.ID, fmt.Sprintf("thanks %d", w.Rng.IntN(9))); err == nil {
			return "reply"
		}
		return "no reply"
	}
	// Confirmed sessions still to end, and those that ended within the
	// week attendance can be reported in.
	var ahead, recent []mentorbook.Booking
	for _, b := range w.bookings {
		b, err := w.Ref.Bookings.Get(ctx, mentorbook.User{ID: b.MentorID}, b.ID)
		switch {
		case err != nil || b.Status != mentorbook.StatusConfirmed:
		case b.End.After(w.Now()):
			ahead = append(ahead, b)
		case b.End.After(w.Now().Add(-6 * 24 * time.Hour)):
			recent = append(recent, b)
		}
	}
	if len(ahead) > 0 && (len(recent) == 0 || w.Rng.IntN(3) == 0) {
		// To the end of a session, where it starts to count as held.
		b := ahead[w.Rng.IntN(len(ahead))]
		w.clock.Store(b.End.Add(time.Duration(w.Rng.IntN(3)-1) * time.Microsecond).UnixMicro())
		return "session end"
	}
	if len(recent) == 0 {
		return w.changeBooking(on) // confirm one for later
	}
	b := recent[w.Rng.IntN(len(recent))]
	if w.Rng.IntN(2) == 0 {
		came := w.Rng.IntN(3) > 0
		who := mentorbook.User{ID: b.MenteeID}
		if w.Rng.IntN(2) == 0 {
			who = mentorbook.User{ID: b.MentorID}
		}
		if _, err := on.Bookings.ReportAttendance(ctx, who, b.ID, &came); err == nil {
			return "attendance"
		}
		return "no attendance"
	}
	v, err := on.Reviews.Create(ctx, mentorbook.User{ID: b.MenteeID}, app.ReviewInput{BookingID: b.ID, Rating: 1 + w.Rng.IntN(5), Text: "good"})
	if err != nil {
		return "no review"
	}
	w.reviews = append(w.reviews, v)
	return "review"
}

func (w *World) moveClock() string {
	switch w.Rng.IntN(5) {
	case 0:
		w.Advance(time.Duration(1+w.Rng.IntN(180)) * time.Minute)
		return "minutes"
	case 1:
		w.Advance(time.Duration(1+w.Rng.IntN(72)) * time.Hour)
		return "hours"
	case 2:
		// Just past where the first offered slot falls inside the notice.
		m := w.Mentors[w.Rng.IntN(len(w.Mentors))]
		res, err := w.Ref.Calendar.Slots(w.T.Context(), m.ID, app.SlotQuery{})
		a, _ := w.Ref.Availability.Get(w.T.Context(), m)
		if err == nil {
			for _, d := range res.Days {
				if len(d.Slots) > 0 {
					edge := d.Slots[0].Start.Add(-time.Duration(a.MinNoticeMinutes) * time.Minute)
					if edge.After(w.Now()) {
						w.clock.Store(edge.Add(time.Duration(w.Rng.IntN(3)-1) * time.Microsecond).UnixMicro())
					}
					return "notice boundary"
				}
			}
		}
		return "no notice boundary"
	case 3:
		// Just past the next daylight-saving change of a mentor's zone
		// (within a year of the start: beyond 2037 zones are slow rules).
		if w.Now().After(time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)) {
			return "no daylight-saving change"
		}
		loc, _ := schedule.LoadZone(w.ZoneOf(w.Mentors[w.Rng.IntN(len(w.Mentors))]))
		_, off := w.Now().In(loc).Zone()
		for h := 1; h < 24*200; h++ {
			if _, o := w.Now().Add(time.Duration(h) * time.Hour).In(loc).Zone(); o != off {
				w.Advance(time.Duration(h)*time.Hour + time.Duration(w.Rng.IntN(60))*time.Minute)
				return "daylight-saving change"
			}
		}
		return "no daylight-saving change"
	}
	w.Advance(time.Duration(w.Rng.IntN(1000)) * time.Millisecond)
	return "a moment"
}

// LineDiff shows the lines of got and want that differ.
func LineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			fmt.Fprintf(&b, "got  %s\nwant %s\n", gl, wl)
		}
	}
	return b.String()
}
