package web_test

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/internal/cachetest"
	"github.com/mentorbook/mentorbook/schedule"
	"github.com/mentorbook/mentorbook/web"
)

const defaultPageSeed = 7

var (
	pageSeed = flag.Uint64("pagecache.seed", defaultPageSeed, "seed of the kept mentor pages' random run")
	pageOps  = flag.Int("pagecache.ops", 150, "operations per kept mentor pages run")
)

// TestKeptMentorPageEqualsLive drives the random changes of
// internal/cachetest (bookings, hours, overrides, profiles, services,
// reviews, replies, attendance, names, zones, and the clock across
// midnights, notice boundaries and daylight-saving changes) through two
// cached instances, and after each compares the pages a visitor gets from
// instance A with the live pages of an uncached app at the same instant:
// equal byte for byte but for each answer's own request key.
func TestKeptMentorPageEqualsLive(t *testing.T) {
	for _, e := range cachetest.Engines {
		t.Run(cachetest.Name(e.Engine, e.Notified), func(t *testing.T) {
			s := cachetest.Open(t, e.Engine, 2)
			w := cachetest.New(t, s[0], s[1], e.Notified, *pageSeed)
			p := newPageCheck(t, w)
			done := map[string]int{}
			for i := range *pageOps {
				what, remote := w.Step()
				done[what]++
				p.check(fmt.Sprintf("op %d (%s, remote %t, now %s)", i, what, remote, w.Now().Format(time.RFC3339)), remote)
			}
			hits, builds := w.A.Mentors.KeptPageStats()
			t.Logf("operations: %v; pages compared: %d; kept pages answered %d, built %d", done, p.compared, hits, builds)
			if hits < builds {
				t.Errorf("kept pages answered %d times and built %d: most should be answered from memory", hits, builds)
			}
			// The default run must reach every kind of change; another seed
			// may need more operations to.
			report := t.Errorf
			if *pageSeed != defaultPageSeed {
				report = t.Logf
			}
			for _, op := range []string{"review", "reply", "attendance", "service", "rename", "profile", "accept"} {
				if done[op] == 0 {
					report("the run made no %q: the pages were not compared after one", op)
				}
			}
		})
	}
}

// TestKeptMentorPageNextArrowComesWithTheHorizon: the arrow to the next
// month appears when the booking horizon reaches that month's first
// midnight, which a daylight-saving change before it puts an hour away
// from any midnight of the viewer's: the kept page must not wait for one.
func TestKeptMentorPageNextArrowComesWithTheHorizon(t *testing.T) {
	p, m := mondayMentor(t, 10)
	w := p.World
	// November 1 00:00 in Berlin (winter time) is 2027-10-31 23:00 UTC;
	// ten days before is 2027-10-21 23:00 UTC, 01:00 in Berlin (summer
	// time): the arrow comes an hour after midnight.
	berlin, _ := time.LoadLocation("Europe/Berlin")
	rq := pageRequest{path: fmt.Sprintf("/mentors/%d?month=2027-10&tz=Europe%%2FBerlin", m.ID)}
	w.Set(time.Date(2027, 10, 22, 0, 30, 0, 0, berlin))
	before := p.get(p.kept, rq)
	if strings.Contains(before, `id="next-month"`) {
		t.Fatal("the next month is beyond the horizon, yet its arrow shows")
	}
	w.Advance(20 * time.Minute)
	hits, _ := w.A.Mentors.KeptPageStats()
	if again := p.get(p.kept, rq); again != before {
		t.Fatalf("20 minutes later the page changed:\n%s", cachetest.LineDiff(again, before))
	}
	if h, _ := w.A.Mentors.KeptPageStats(); h != hits+1 {
		t.Fatal("the page was built again, not kept")
	}
	w.Set(time.Date(2027, 10, 22, 1, 30, 0, 0, berlin))
	p.check("the horizon reached November", false)
	if got := p.get(p.kept, rq); !strings.Contains(got, `id="next-month"`) {
		t.Fatal("the horizon reached November, yet the kept page shows no arrow to it")
	}
}

// TestKeptMentorPageGivesEachAnswerItsOwnRequestKey: the request form's
// idempotency key is the one part of a kept page that is not kept.
func TestKeptMentorPageGivesEachAnswerItsOwnRequestKey(t *testing.T) {
	p, m := mondayMentor(t, 30)
	w := p.World
	w.Set(time.Date(2027, 4, 1, 12, 0, 0, 0, time.UTC))
	rq := pageRequest{path: fmt.Sprintf("/mentors/%d?day=2027-04-05&tz=UTC", m.ID)}
	key := regexp.MustCompile(`name="request_key" value="([^"]*)"`)
	seen := map[string]bool{}
	hits, _ := w.A.Mentors.KeptPageStats()
	for range 3 {
		k := key.FindStringSubmatch(p.getRaw(p.kept, rq))
		if k == nil || len(k[1]) != 26 || seen[k[1]] {
			t.Fatalf("request key %q (seen %v): want a new one of 26 characters each time", k, seen)
		}
		seen[k[1]] = true
	}
	if h, _ := w.A.Mentors.KeptPageStats(); h != hits+2 {
		t.Fatalf("%d of 3 answers came from memory, want 2", h-hits)
	}
}

// mondayMentor is a world on SQLite whose first mentor (Berlin) has hours
// on Mondays 09:00–17:00 only, hour-long sessions and a horizon of the
// given days, served kept and live.
func mondayMentor(t *testing.T, horizonDays int) (*pageCheck, mentorbook.User) {
	s := cachetest.Open(t, "sqlite", 2)
	w := cachetest.New(t, s[0], s[1], false, 1)
	num := func(v int) *int { return &v }
	m := w.Mentors[0]
	w.PutAvailability(m, app.AvailabilityInput{Weekly: []app.WeeklyInput{{Weekday: 1, Start: "09:00", End: "17:00"}},
		SessionMinutes: num(60), HorizonDays: num(horizonDays)})
	return newPageCheck(t, w), m
}

// newPageCheck serves the world's instance A (kept pages) and its
// uncached reference (live pages).
func newPageCheck(t *testing.T, w *cachetest.World) *pageCheck {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	kept := httptest.NewServer(web.New(w.A, quiet, web.Options{}))
	t.Cleanup(kept.Close)
	live := httptest.NewServer(web.New(w.Ref, quiet, web.Options{}))
	t.Cleanup(live.Close)
	return &pageCheck{World: w, kept: kept.URL, live: live.URL}
}

type pageCheck struct {
	*cachetest.World
	kept, live string
	// paths are asked again and again, so kept pages meet the changes.
	paths    []pageRequest
	compared int
}

type pageRequest struct {
	path string
	tz   string // the tz cookie, "" for none
}

// requestKey is each answer's own: the one part of a page that differs.
var requestKey = regexp.MustCompile(`name="request_key" value="[^"]*"`)

func (p *pageCheck) check(after string, remote bool) {
	if remote && !p.Notified {
		p.Advance(time.Second) // the version check's bound (slotsRecheck)
	}
	if p.paths == nil {
		for range 6 {
			for _, m := range p.Mentors {
				p.paths = append(p.paths, p.randomRequest(m.ID))
			}
		}
	}
	reqs := slices.Clone(p.paths)
	for _, m := range p.Mentors {
		reqs = append(reqs, p.randomRequest(m.ID))
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, rq := range reqs {
		for {
			got, want := p.get(p.kept, rq), p.get(p.live, rq)
			if got == want {
				p.compared++
				break
			}
			if !(remote && p.Notified) || time.Now().After(deadline) {
				p.T.Fatalf("after %s: %s (tz cookie %q): the kept page differs from the live one:\n%s", after, rq.path, rq.tz, cachetest.LineDiff(got, want))
			}
			time.Sleep(5 * time.Millisecond) // the notification is on its way
		}
	}
}

// randomRequest is a visitor's view of a mentor's page: no month, a
// month near now, a day; in a zone asked for, a cookie's zone or none.
func (p *pageCheck) randomRequest(mentor int64) pageRequest {
	q := url.Values{}
	zone := cachetest.Zones[p.Rng.IntN(len(cachetest.Zones))]
	loc, _ := schedule.LoadZone(zone)
	day := schedule.DateOf(p.Now(), loc).AddDays(p.Rng.IntN(70) - 5)
	switch p.Rng.IntN(4) {
	case 0:
	case 1:
		q.Set("month", fmt.Sprintf("%04d-%02d", day.Year, int(day.Month)))
	default:
		q.Set("day", day.String())
	}
	rq := pageRequest{}
	switch p.Rng.IntN(3) {
	case 0:
		q.Set("tz", zone)
	case 1:
		rq.tz = zone
	}
	rq.path = fmt.Sprintf("/mentors/%d", mentor)
	if len(q) > 0 {
		rq.path += "?" + q.Encode()
	}
	return rq
}

func (p *pageCheck) get(base string, rq pageRequest) string {
	return requestKey.ReplaceAllString(p.getRaw(base, rq), `name="request_key" value="…"`)
}

// getRaw is the status, headers (but Date) and body of an answer.
func (p *pageCheck) getRaw(base string, rq pageRequest) string {
	req, err := http.NewRequestWithContext(p.T.Context(), http.MethodGet, base+rq.path, nil)
	if err != nil {
		p.T.Fatal(err)
	}
	if rq.tz != "" {
		req.AddCookie(&http.Cookie{Name: "tz", Value: url.PathEscape(rq.tz)})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		p.T.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		p.T.Fatal(err)
	}
	var h strings.Builder
	for _, k := range slices.Sorted(maps.Keys(res.Header)) {
		if k != "Date" {
			fmt.Fprintf(&h, "%s: %s\n", k, res.Header[k])
		}
	}
	return fmt.Sprintf("%d\n%s\n%s", res.StatusCode, h.String(), body)
}
