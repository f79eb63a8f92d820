package app_test

import (
	"context"
	"flag"
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

var (
	cacheSeed = flag.Uint64("slotcache.seed", 4, "seed of the slot cache's random run")
	cacheOps  = flag.Int("slotcache.ops", 200, "operations per slot cache run")
)

// cacheWorld is one database seen by three apps on a shared fake clock:
// a (cached; every answer is checked here), b (cached: another instance
// whose writes a learns of by notification or by its version check) and
// ref (uncached: the answer a must give).
type cacheWorld struct {
	t        *testing.T
	rng      *rand.Rand
	clock    *atomic.Int64
	a, b     *app.App
	ref      *app.App
	mentors  []mentorbook.User
	mentees  []mentorbook.User
	bookings []mentorbook.Booking
	// notified: b's changes reach a by notification (PostgreSQL brokers):
	// a is polled until it agrees. Otherwise the test moves the clock past
	// the recheck bound, after which a must agree at once.
	notified bool
	queries  []cacheQuery
}

func (w *cacheWorld) now() time.Time { return time.UnixMicro(w.clock.Load()).UTC() }

func (w *cacheWorld) advance(d time.Duration) { w.clock.Add(d.Microseconds()) }

// TestSlotCacheAnswersEqualUncached drives random bookings, cancellations,
// availability and override edits, profile and zone changes and clock
// moves (across notice boundaries and daylight-saving changes) through
// two cached instances and compares every cached answer with the
// uncached computation at the same instant.
func TestSlotCacheAnswersEqualUncached(t *testing.T) {
	forEachInstances(t, "version-check", func(t *testing.T, engine string, notified bool) {
		stores := openInstances(t, engine, 2)
		w := newCacheWorld(t, stores[0], stores[1], notified)
		w.run(*cacheOps)
	})
}

// forEachInstances runs fn as a subtest for instances of each engine:
// without notifications ("engine/"+without) and, on PostgreSQL, with them
// ("engine/notifications").
func forEachInstances(t *testing.T, without string, fn func(t *testing.T, engine string, notified bool)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, notified := range []bool{false, true} {
			if notified && engine == "sqlite" {
				continue // SQLite instances share no notifications
			}
			name := engine + "/" + without
			if notified {
				name = engine + "/notifications"
			}
			t.Run(name, func(t *testing.T) { fn(t, engine, notified) })
		}
	}
}

// openInstances opens n stores on one new database of engine ("sqlite"
// or "postgres"), as n instances of the server would.
func openInstances(t *testing.T, engine string, n int) []mentorbook.Store {
	var path, dsn string
	if engine == "sqlite" {
		path = filepath.Join(t.TempDir(), "mentorbook.db")
	} else {
		dsn = storetest.PostgresDSN(t)
	}
	stores := make([]mentorbook.Store, n)
	for i := range stores {
		var db interface {
			mentorbook.Store
			Migrate(context.Context) error
		}
		var err error
		if engine == "sqlite" {
			db, err = sqlite.Open(context.Background(), path, sqlite.Options{Timeout: 30 * time.Second})
		} else {
			db, err = postgres.Open(context.Background(), dsn)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		stores[i] = db
	}
	return stores
}

// newBroker is the PostgreSQL broker of an instance on store.
func newBroker(t *testing.T, store mentorbook.Store, log *slog.Logger) mentorbook.Broker {
	b, err := postgres.NewBroker(context.Background(), store.(*postgres.DB), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

func newCacheWorld(t *testing.T, sa, sb mentorbook.Store, notified bool) *cacheWorld {
	seed := *cacheSeed
	t.Logf("seed %d (rerun with -slotcache.seed=%d)", seed, seed)
	w := &cacheWorld{t: t, rng: rand.New(rand.NewPCG(seed, 11)), clock: &atomic.Int64{}, notified: notified}
	// Start the day before Europe's spring change, 2027-03-28.
	w.clock.Store(time.Date(2027, 3, 26, 9, 0, 0, 0, time.UTC).UnixMicro())
	opts := func(store mentorbook.Store, noCache bool) app.Options {
		o := app.Options{CheapPasswords: true, Now: w.now, NoSlotCache: noCache,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if notified {
			o.Broker = newBroker(t, store, o.Logger)
		}
		return o
	}
	w.a = app.New(sa, opts(sa, false))
	w.b = app.New(sb, opts(sb, false))
	w.ref = app.New(sa, app.Options{CheapPasswords: true, Now: w.now, NoSlotCache: true})
	ctx := t.Context()
	zones := []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe"}
	for i, zone := range zones {
		u, _, err := w.a.Accounts.Signup(ctx, app.SignupInput{Email: fmt.Sprintf("m%d@example.com", i), Password: "a long password", Name: "M", Timezone: zone})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.a.Mentors.PutProfile(ctx, u, app.ProfileInput{Headline: "h", Skills: []string{"go"}, Active: true}); err != nil {
			t.Fatal(err)
		}
		u.Mentor = &mentorbook.MentorProfile{UserID: u.ID, Active: true}
		w.mentors = append(w.mentors, u)
		w.putAvailability(w.a, u)
	}
	for i := range 3 {
		u, _, err := w.a.Accounts.Signup(ctx, app.SignupInput{Email: fmt.Sprintf("e%d@example.com", i), Password: "a long password", Name: "E", Timezone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		w.mentees = append(w.mentees, u)
	}
	return w
}

// instance picks where a write happens: mostly a, often b.
func (w *cacheWorld) instance() (*app.App, bool) {
	if w.rng.IntN(3) == 0 {
		return w.b, true
	}
	return w.a, false
}

func (w *cacheWorld) putAvailability(on *app.App, m mentorbook.User) {
	num := func(v int) *int { return &v }
	var weekly []app.WeeklyInput
	for wd := 0; wd < 7; wd++ {
		for _, h := range randHours(w.rng) {
			weekly = append(weekly, app.WeeklyInput{Weekday: wd, Start: h.Start, End: h.End})
		}
	}
	if _, err := on.Availability.Put(w.t.Context(), m, app.AvailabilityInput{Weekly: weekly,
		SessionMinutes: num(30 + 15*w.rng.IntN(4)), SlotIntervalMinutes: num(15 * w.rng.IntN(4)),
		MinNoticeMinutes: num(30 * w.rng.IntN(8)), HorizonDays: num(3 + w.rng.IntN(40)),
		BufferBeforeMinutes: num(5 * w.rng.IntN(4)), BufferAfterMinutes: num(5 * w.rng.IntN(4)),
		PendingExpiryHours: num(1 + w.rng.IntN(30))}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *cacheWorld) run(ops int) {
	ctx := w.t.Context()
	for i := range ops {
		on, remote := w.instance()
		m := w.mentors[w.rng.IntN(len(w.mentors))]
		var what string
		switch op := w.rng.IntN(20); {
		case op < 7:
			what = w.book(on)
		case op < 10:
			what = w.changeBooking(on)
		case op < 11:
			what = "availability"
			w.putAvailability(on, m)
		case op < 13:
			loc, _ := schedule.LoadZone(w.zoneOf(m))
			d := schedule.DateOf(w.now(), loc).AddDays(w.rng.IntN(30) - 2)
			if w.rng.IntN(3) == 0 {
				what = "delete override"
				_ = on.Availability.DeleteOverride(ctx, m, d.String())
			} else {
				what = "override"
				if _, err := on.Availability.PutOverride(ctx, m, d.String(), randHours(w.rng)); err != nil {
					w.t.Fatal(err)
				}
			}
		case op < 14:
			what = "active"
			active := w.rng.IntN(3) > 0
			if _, err := on.Mentors.PutProfile(ctx, m, app.ProfileInput{Headline: "h", Skills: []string{"go"}, Active: active}); err != nil {
				w.t.Fatal(err)
			}
		case op < 15:
			what = "account zone"
			zone := appPropZones[w.rng.IntN(len(appPropZones))]
			if _, err := on.Accounts.Update(ctx, m, app.ProfileUpdate{Timezone: &zone}); err != nil {
				w.t.Fatal(err)
			}
		default:
			remote = false
			what = w.moveClock()
		}
		w.check(fmt.Sprintf("op %d (%s on %s, now %s)", i, what, map[bool]string{false: "a", true: "b"}[remote], w.now().Format(time.RFC3339)), remote)
	}
}

func (w *cacheWorld) zoneOf(m mentorbook.User) string {
	a, err := w.ref.Availability.Get(w.t.Context(), m)
	if err != nil {
		w.t.Fatal(err)
	}
	return a.Timezone
}

// book requests, through on, a slot the reference offers (mostly) or a
// time it does not: the request must fail exactly when it is not offered
// (or when the mentee's own calendar or limits refuse it).
func (w *cacheWorld) book(on *app.App) string {
	ctx := w.t.Context()
	m := w.mentors[w.rng.IntN(len(w.mentors))]
	// Mentors book each other too: their own bookings hold their time.
	people := append(append([]mentorbook.User{}, w.mentees...), w.mentors...)
	who := people[w.rng.IntN(len(people))]
	if who.ID == m.ID {
		return "no booking"
	}
	res, err := w.ref.Calendar.Slots(ctx, m.ID, app.SlotQuery{To: schedule.DateOf(w.now(), time.UTC).AddDays(20).String()})
	if err != nil {
		w.t.Fatal(err)
	}
	var offered []time.Time
	for _, d := range res.Days {
		for _, s := range d.Slots {
			offered = append(offered, s.Start)
		}
	}
	start := w.now().Add(time.Duration(w.rng.IntN(20*24*4)) * 15 * time.Minute).Truncate(15 * time.Minute)
	if len(offered) > 0 && w.rng.IntN(4) > 0 {
		start = offered[w.rng.IntN(len(offered))]
	}
	isOffered := false
	for _, s := range offered {
		isOffered = isOffered || s.Equal(start)
	}
	b, err := on.Bookings.Request(ctx, who, app.BookingInput{MentorID: m.ID, Start: start.Format(time.RFC3339)}, "")
	switch {
	case err == nil && !isOffered:
		w.t.Fatalf("booking %v of mentor %d succeeded but the uncached slots do not offer it", start, m.ID)
	case err == nil:
		w.bookings = append(w.bookings, b)
		return "booking"
	case isOffered:
		// Refused although offered: only the requester's own calendar or
		// limits may say no, so the uncached use case must refuse too.
		if b, rerr := w.ref.Bookings.Request(ctx, who, app.BookingInput{MentorID: m.ID, Start: start.Format(time.RFC3339)}, ""); rerr == nil {
			w.t.Fatalf("booking %v of mentor %d refused (%v) but the uncached use case accepts it (%d)", start, m.ID, err, b.ID)
		}
	}
	return "refused booking"
}

func (w *cacheWorld) changeBooking(on *app.App) string {
	if len(w.bookings) == 0 {
		return "no change"
	}
	ctx := w.t.Context()
	b := w.bookings[w.rng.IntN(len(w.bookings))]
	mentor, mentee := mentorbook.User{ID: b.MentorID}, mentorbook.User{ID: b.MenteeID}
	switch w.rng.IntN(3) {
	case 0:
		_, _ = on.Bookings.Accept(ctx, mentor, b.ID)
		return "accept"
	case 1:
		_, _ = on.Bookings.Decline(ctx, mentor, b.ID, "no")
		return "decline"
	}
	_, _ = on.Bookings.Cancel(ctx, mentee, b.ID, "changed plans")
	return "cancel"
}

func (w *cacheWorld) moveClock() string {
	switch w.rng.IntN(5) {
	case 0:
		w.advance(time.Duration(1+w.rng.IntN(180)) * time.Minute)
		return "minutes"
	case 1:
		w.advance(time.Duration(1+w.rng.IntN(72)) * time.Hour)
		return "hours"
	case 2:
		// Just past where the first offered slot falls inside the notice.
		m := w.mentors[w.rng.IntN(len(w.mentors))]
		res, err := w.ref.Calendar.Slots(w.t.Context(), m.ID, app.SlotQuery{})
		a, _ := w.ref.Availability.Get(w.t.Context(), m)
		if err == nil {
			for _, d := range res.Days {
				if len(d.Slots) > 0 {
					edge := d.Slots[0].Start.Add(-time.Duration(a.MinNoticeMinutes) * time.Minute)
					if edge.After(w.now()) {
						w.clock.Store(edge.Add(time.Duration(w.rng.IntN(3)-1) * time.Microsecond).UnixMicro())
					}
					return "notice boundary"
				}
			}
		}
		return "no notice boundary"
	case 3:
		// Just past the next daylight-saving change of a mentor's zone
		// (within a year of the start: beyond 2037 zones are slow rules).
		if w.now().After(time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)) {
			return "no daylight-saving change"
		}
		loc, _ := schedule.LoadZone(w.zoneOf(w.mentors[w.rng.IntN(len(w.mentors))]))
		_, off := w.now().In(loc).Zone()
		for h := 1; h < 24*200; h++ {
			if _, o := w.now().Add(time.Duration(h) * time.Hour).In(loc).Zone(); o != off {
				w.advance(time.Duration(h)*time.Hour + time.Duration(w.rng.IntN(60))*time.Minute)
				return "daylight-saving change"
			}
		}
		return "no daylight-saving change"
	}
	w.advance(time.Duration(w.rng.IntN(1000)) * time.Millisecond)
	return "a moment"
}

// check compares a's answers with the reference for every mentor in
// random windows, zones and durations.
func (w *cacheWorld) check(after string, remote bool) {
	ctx := w.t.Context()
	if remote && !w.notified {
		w.advance(time.Second) // the version check's bound (slotsRecheck)
	}
	// The same queries again and again, so cached answers meet the
	// clock's moves, and a few new ones each time.
	if w.queries == nil {
		for _, m := range w.mentors {
			for range 6 {
				w.queries = append(w.queries, w.randomQuery(m.ID))
			}
		}
	}
	qs := append([]cacheQuery{}, w.queries...)
	for _, m := range w.mentors {
		qs = append(qs, w.randomQuery(m.ID))
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, q := range qs {
		for {
			diff := w.compare(ctx, q.mentor, q.q)
			if diff == "" {
				break
			}
			if !(remote && w.notified) || time.Now().After(deadline) {
				w.t.Fatalf("after %s: mentor %d %+v: %s", after, q.mentor, q.q, diff)
			}
			time.Sleep(5 * time.Millisecond) // the notification is on its way
		}
	}
}

type cacheQuery struct {
	mentor int64
	q      app.SlotQuery
}

func (w *cacheWorld) randomQuery(mentor int64) cacheQuery {
	zone := appPropZones[w.rng.IntN(len(appPropZones))]
	loc, _ := schedule.LoadZone(zone)
	from := schedule.DateOf(w.now(), loc).AddDays(w.rng.IntN(50) - 3)
	q := app.SlotQuery{From: from.String(), To: from.AddDays(w.rng.IntN(42)).String(), TZ: zone}
	if w.rng.IntN(4) == 0 {
		q.Duration = fmt.Sprint(15 * (1 + w.rng.IntN(8)))
	}
	if w.rng.IntN(5) == 0 {
		q = app.SlotQuery{TZ: zone} // today and the week after
	}
	return cacheQuery{mentor, q}
}

func (w *cacheWorld) compare(ctx context.Context, mentor int64, q app.SlotQuery) string {
	want, err := w.ref.Calendar.Slots(ctx, mentor, q)
	if err != nil {
		w.t.Fatal(err)
	}
	got, err := w.a.Calendar.Slots(ctx, mentor, q)
	if err != nil {
		w.t.Fatal(err)
	}
	if g, wt := slotsText(got), slotsText(want); g != wt {
		return "cached slots differ:\n" + lineDiff(g, wt)
	}
	ans, err := w.a.Calendar.SlotsAnswer(ctx, mentor, q, "text", func(s app.Slots) []byte { return []byte(slotsText(s)) })
	if err != nil {
		w.t.Fatal(err)
	}
	if g, wt := string(ans.Body), slotsText(want); g != wt {
		return "cached answer differs:\n" + lineDiff(g, wt)
	}
	wantBusy, err := w.ref.Calendar.Busy(ctx, mentor, q)
	if err != nil {
		w.t.Fatal(err)
	}
	gotBusy, err := w.a.Calendar.Busy(ctx, mentor, q)
	if err != nil {
		w.t.Fatal(err)
	}
	if g, wt := fmt.Sprint(gotBusy.Busy), fmt.Sprint(wantBusy.Busy); g != wt {
		return fmt.Sprintf("cached busy %s, want %s", g, wt)
	}
	return ""
}

func slotsText(s app.Slots) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d\n", s.Location, s.DurationMinutes)
	for _, d := range s.Days {
		fmt.Fprintf(&b, "%s:", d.Date)
		for _, sl := range d.Slots {
			fmt.Fprintf(&b, " %s-%s", sl.Start.Format(time.RFC3339), sl.End.Format("15:04"))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// lineDiff shows the lines of got and want that differ.
func lineDiff(got, want string) string {
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
