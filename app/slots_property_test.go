package app_test

import (
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/internal/cachetest"
	"github.com/mentorbook/mentorbook/schedule"
	"github.com/mentorbook/mentorbook/storetest"
)

// TestSlotsOfferedAreBookable: through the use cases and a real store,
// every slot the slots query shows can be requested right away or up to
// 48 hours later while it is still beyond the notice.
func TestSlotsOfferedAreBookable(t *testing.T) {
	// A fixed seed keeps CI repeatable; change it locally to explore.
	const seed = 20261121
	rng := rand.New(rand.NewPCG(seed, 2))
	for sc := 0; sc < 25; sc++ {
		var clock atomic.Int64
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(700*24)) * time.Hour)
		clock.Store(base.UnixMicro())
		svc := app.New(storetest.OpenSQLite(t), app.Options{CheapPasswords: true, Now: func() time.Time { return time.UnixMicro(clock.Load()) }})
		ctx := t.Context()
		zone := cachetest.Zones[rng.IntN(len(cachetest.Zones))]
		m, _, err := svc.Accounts.Signup(ctx, app.SignupInput{Email: fmt.Sprintf("m%d@example.com", sc), Password: "a long password", Name: "M", Timezone: zone})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Mentors.PutProfile(ctx, m, app.ProfileInput{Headline: "h", Skills: []string{"go"}, Active: true}); err != nil {
			t.Fatal(err)
		}
		m.Mentor = &mentorbook.MentorProfile{}
		var weekly []app.WeeklyInput
		for wd := 0; wd < 7; wd++ {
			for _, h := range cachetest.RandHours(rng) {
				weekly = append(weekly, app.WeeklyInput{Weekday: wd, Start: h.Start, End: h.End})
			}
		}
		num := func(v int) *int { return &v }
		if _, err := svc.Availability.Put(ctx, m, app.AvailabilityInput{Weekly: weekly,
			SessionMinutes: num(15 + 5*rng.IntN(40)), SlotIntervalMinutes: num(5 * rng.IntN(20)),
			MinNoticeMinutes: num(60 * rng.IntN(6)), HorizonDays: num(5 + rng.IntN(40)),
			BufferBeforeMinutes: num(5 * rng.IntN(4)), BufferAfterMinutes: num(5 * rng.IntN(4))}); err != nil {
			t.Fatal(err)
		}
		loc, _ := schedule.LoadZone(zone)
		today := schedule.DateOf(base, loc)
		for n := rng.IntN(6); n > 0; n-- {
			d := today.AddDays(rng.IntN(40) - 5)
			if _, err := svc.Availability.PutOverride(ctx, m, d.String(), cachetest.RandHours(rng)); err != nil {
				t.Fatal(err)
			}
		}
		e, _, err := svc.Accounts.Signup(ctx, app.SignupInput{Email: fmt.Sprintf("e%d@example.com", sc), Password: "a long password", Name: "E", Timezone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		viewer := cachetest.Zones[rng.IntN(len(cachetest.Zones))]
		vloc, _ := schedule.LoadZone(viewer)
		from := schedule.DateOf(base, vloc).AddDays(rng.IntN(5) - 1)
		q := app.SlotQuery{From: from.String(), To: from.AddDays(rng.IntN(30)).String(), TZ: viewer}
		res, err := svc.Calendar.Slots(ctx, m.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		busy, err := svc.Calendar.Busy(ctx, m.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := svc.Availability.Get(ctx, m)
		var all []schedule.Interval
		for _, d := range res.Days {
			all = append(all, d.Slots...)
		}
		for _, s := range all {
			for _, b := range busy.Busy {
				if b.Contains(s.Start) {
					t.Fatalf("scenario %d: slot %v lies in busy %v", sc, s.Start, b)
				}
			}
		}
		for tries := 0; tries < 6 && len(all) > 0; tries++ {
			s := all[rng.IntN(len(all))]
			k := time.Duration(rng.IntN(49)) * time.Hour
			if s.Start.Before(base.Add(k + time.Duration(a.MinNoticeMinutes)*time.Minute)) {
				k = 0
			}
			clock.Store(base.Add(k).UnixMicro())
			b, err := svc.Bookings.Request(ctx, e, app.BookingInput{MentorID: m.ID, Start: s.Start.Format(time.RFC3339)}, "")
			if err != nil {
				t.Fatalf("scenario %d (%s, viewer %s, %+v): slot %v shown at %v refused %v later: %v", sc, zone, viewer, a, s.Start, base, k, err)
			}
			if _, err := svc.Bookings.Cancel(ctx, e, b.ID, "property test"); err != nil {
				t.Fatal(err)
			}
			clock.Store(base.UnixMicro())
		}
	}
}
