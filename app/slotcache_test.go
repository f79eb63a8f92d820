package app_test

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/internal/cachetest"
	"github.com/mentorbook/mentorbook/schedule"
)

var (
	cacheSeed = flag.Uint64("slotcache.seed", 4, "seed of the slot cache's random run")
	cacheOps  = flag.Int("slotcache.ops", 200, "operations per slot cache run")
)

// TestSlotCacheAnswersEqualUncached drives random bookings, cancellations,
// availability and override edits, profile, service, review and account
// changes and clock moves (across notice boundaries and daylight-saving
// changes) through two cached instances (internal/cachetest) and compares
// every cached answer with the uncached computation at the same instant.
func TestSlotCacheAnswersEqualUncached(t *testing.T) {
	for _, e := range cachetest.Engines {
		t.Run(cachetest.Name(e.Engine, e.Notified), func(t *testing.T) {
			s := cachetest.Open(t, e.Engine, 2)
			w := &cacheWorld{World: cachetest.New(t, s[0], s[1], e.Notified, *cacheSeed)}
			for i := range *cacheOps {
				what, remote := w.Step()
				w.check(fmt.Sprintf("op %d (%s on %s, now %s)", i, what, map[bool]string{false: "a", true: "b"}[remote], w.Now().Format(time.RFC3339)), remote)
			}
		})
	}
}

// cacheWorld is the shared world with the queries asked again and again.
type cacheWorld struct {
	*cachetest.World
	queries []cacheQuery
}

// check compares a's answers with the reference for every mentor in
// random windows, zones and durations.
func (w *cacheWorld) check(after string, remote bool) {
	ctx := w.T.Context()
	if remote && !w.Notified {
		w.Advance(time.Second) // the version check's bound (slotsRecheck)
	}
	// The same queries again and again, so cached answers meet the
	// clock's moves, and a few new ones each time.
	if w.queries == nil {
		for _, m := range w.Mentors {
			for range 6 {
				w.queries = append(w.queries, w.randomQuery(m.ID))
			}
		}
	}
	qs := append([]cacheQuery{}, w.queries...)
	for _, m := range w.Mentors {
		qs = append(qs, w.randomQuery(m.ID))
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, q := range qs {
		for {
			diff := w.compare(ctx, q.mentor, q.q)
			if diff == "" {
				break
			}
			if !(remote && w.Notified) || time.Now().After(deadline) {
				w.T.Fatalf("after %s: mentor %d %+v: %s", after, q.mentor, q.q, diff)
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
	zone := cachetest.Zones[w.Rng.IntN(len(cachetest.Zones))]
	loc, _ := schedule.LoadZone(zone)
	from := schedule.DateOf(w.Now(), loc).AddDays(w.Rng.IntN(50) - 3)
	q := app.SlotQuery{From: from.String(), To: from.AddDays(w.Rng.IntN(42)).String(), TZ: zone}
	if w.Rng.IntN(4) == 0 {
		q.Duration = fmt.Sprint(15 * (1 + w.Rng.IntN(8)))
	}
	if w.Rng.IntN(5) == 0 {
		q = app.SlotQuery{TZ: zone} // today and the week after
	}
	return cacheQuery{mentor, q}
}

func (w *cacheWorld) compare(ctx context.Context, mentor int64, q app.SlotQuery) string {
	want, err := w.Ref.Calendar.Slots(ctx, mentor, q)
	if err != nil {
		w.T.Fatal(err)
	}
	got, err := w.A.Calendar.Slots(ctx, mentor, q)
	if err != nil {
		w.T.Fatal(err)
	}
	if g, wt := slotsText(got), slotsText(want); g != wt {
		return "cached slots differ:\n" + cachetest.LineDiff(g, wt)
	}
	ans, err := w.A.Calendar.SlotsAnswer(ctx, mentor, q, "text", func(s app.Slots) []byte { return []byte(slotsText(s)) })
	if err != nil {
		w.T.Fatal(err)
	}
	if g, wt := string(ans.Body), slotsText(want); g != wt {
		return "cached answer differs:\n" + cachetest.LineDiff(g, wt)
	}
	wantBusy, err := w.Ref.Calendar.Busy(ctx, mentor, q)
	if err != nil {
		w.T.Fatal(err)
	}
	gotBusy, err := w.A.Calendar.Busy(ctx, mentor, q)
	if err != nil {
		w.T.Fatal(err)
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
