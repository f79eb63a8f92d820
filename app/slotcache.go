package app

import (
	"context"
	"hash/fnv"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// The slot cache keeps, per mentor, a snapshot of everything that decides
// their slots (profile, settings, overrides, held time) and the encoded
// answers computed from it. An answer equals the uncached computation at
// the same instant:
//
//   - every change to those inputs raises the user's version in its own
//     transaction (database triggers, migration 0014); a write on this
//     instance drops the snapshot once it committed (cacheStore), before
//     its caller answers; another instance's write arrives as a
//     notification (PostgreSQL) and, should that be lost, a snapshot
//     older than slotsRecheck is checked against the stored version
//     before use;
//   - the clock changes answers only in known ways, and each answer is
//     kept only until the first of them (answerUntil).
const (
	// slotsRecheck bounds how stale a snapshot can be when a change on
	// another instance did not notify: past it, one row is read.
	slotsRecheck = time.Second
	// A snapshot holds the held time from a day before its load to its
	// horizon plus holdsAhead, so it covers every query for snapshotLife.
	snapshotLife = 24 * time.Hour
	holdsBehind  = 24 * time.Hour
	holdsAhead   = 3 * 24 * time.Hour
	// overridesBack reaches past the grid's walk back (400 dates) from a
	// window that starts up to two months before today: a month's page
	// opened late in the month asks from its first.
	overridesBack = 410 + 62
	// Bounds on memory: mentors kept, answers (and pages) per mentor,
	// and the bytes of all answers.
	maxCachedMentors    = 10000
	maxAnswersPerMentor = 64
	maxKeptBytes        = 128 << 20
)

// lastDate is later than any override.
var lastDate = schedule.Date{Year: 9999, Month: time.December, Day: 31}

type slotCache struct {
	mu      sync.Mutex
	entries map[int64]*slotEntry
	bytes   int // of every entry's answers
	// disabled answers every query from the database (tests compare).
	disabled bool
	// Kept pages answered, and built (pagecache.go).
	pageHits, pageBuilds atomic.Int64
}

type slotEntry struct {
	gen     uint64 // raised by every invalidation
	snap    *slotSnapshot
	loading *snapshotLoad
	answers map[answerKey]*slotAnswer
	bytes   int // of answers
}

// snapshotLoad is a load in flight that later arrivals of the same
// generation wait for instead of reading the same rows again.
type snapshotLoad struct {
	gen  uint64
	done chan struct{}
	snap *slotSnapshot
	err  error
}

// slotSnapshot is what decides one user's slots, as read at version.
// Read-only once built, but for checked (under the cache's lock).
type slotSnapshot struct {
	version int64
	checked time.Time // when version was last confirmed
	staleAt time.Time
	mentor  mentorbook.Mentor
	avail   mentorbook.Availability
	loc     *time.Location
	// Loaded only for an active mentor.
	overrides          map[schedule.Date][]schedule.LocalInterval
	overridesFrom      schedule.Date
	holds              []mentorbook.Hold // sorted by start
	holdsFrom, holdsTo time.Time
}

type answerKey struct {
	from, to schedule.Date
	zone     string
	duration int
	kind     string
	// page names a kept page (pagecache.go); the rest is then zero.
	page string
}

type slotAnswer struct {
	snap *slotSnapshot
	// The answer holds for now in [at, until): a clock set back (tests
	// do) is not "later".
	at, until time.Time
	Answer
}

// Answer is an encoded answer and its entity tag.
type Answer struct {
	Body []byte
	ETag string
}

func newSlotCache() *slotCache { return &slotCache{entries: map[int64]*slotEntry{}} }

// invalidate drops what is kept for the users; nil drops everything.
func (c *slotCache) invalidate(userIDs []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if userIDs == nil {
		c.entries, c.bytes = map[int64]*slotEntry{}, 0
		return
	}
	for _, id := range userIDs {
		if e := c.entries[id]; e != nil {
			c.drop(e)
		}
	}
}

// drop forgets e's snapshot and answers. Callers hold mu.
func (c *slotCache) drop(e *slotEntry) {
	e.gen++
	e.snap, e.loading = nil, nil
	c.forget(e)
}

// forget forgets e's answers. Callers hold mu.
func (c *slotCache) forget(e *slotEntry) {
	c.bytes -= e.bytes
	e.answers, e.bytes = nil, 0
}

// keep stores a, built on e's current snapshot. Callers hold mu.
func (c *slotCache) keep(e *slotEntry, key answerKey, a *slotAnswer) {
	if e.answers == nil || len(e.answers) >= maxAnswersPerMentor {
		c.forget(e)
		e.answers = map[answerKey]*slotAnswer{}
	}
	if old := e.answers[key]; old != nil {
		e.bytes -= len(old.Body)
		c.bytes -= len(old.Body)
	}
	e.answers[key] = a
	e.bytes += len(a.Body)
	c.bytes += len(a.Body)
	if c.bytes > maxKeptBytes {
		// Forget others' answers (map order is random) down to three
		// quarters of the budget.
		for _, o := range c.entries {
			if c.bytes <= maxKeptBytes*3/4 {
				break
			}
			if o != e {
				c.forget(o)
			}
		}
	}
}

// entry returns id's entry, making room if needed. Callers hold mu.
func (c *slotCache) entry(id int64) *slotEntry {
	e := c.entries[id]
	if e == nil {
		if len(c.entries) >= maxCachedMentors {
			// Forget some (map order is random): a load in flight for one
			// of them will find its entry gone and not store.
			n := maxCachedMentors / 10
			for k, o := range c.entries {
				c.forget(o)
				delete(c.entries, k)
				if n--; n == 0 {
					break
				}
			}
		}
		e = &slotEntry{}
		c.entries[id] = e
	}
	return e
}

// slotSnapshot returns a current snapshot of mentorID's slot inputs.
func (s *core) slotSnapshot(ctx context.Context, mentorID int64, now time.Time) (*slotSnapshot, error) {
	c := s.slots
	c.mu.Lock()
	e := c.entry(mentorID)
	if sn := e.snap; sn != nil && now.Before(sn.staleAt) {
		if d := now.Sub(sn.checked); d >= 0 && d < slotsRecheck {
			c.mu.Unlock()
			return sn, nil
		}
		gen := e.gen
		c.mu.Unlock()
		v, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (int64, error) {
			return tx.Availability().SlotsVersion(ctx, mentorID)
		})
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		current := c.entries[mentorID] == e && e.gen == gen
		if v == sn.version {
			if current {
				sn.checked = now
			}
			c.mu.Unlock()
			return sn, nil
		}
		if current {
			c.drop(e)
		}
		e = c.entry(mentorID)
	} else if sn != nil {
		c.drop(e)
	}
	if l := e.loading; l != nil && l.gen == e.gen {
		c.mu.Unlock()
		select {
		case <-l.done:
			return l.snap, l.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	l := &snapshotLoad{gen: e.gen, done: make(chan struct{})}
	e.loading = l
	c.mu.Unlock()
	// Others may wait for this load: it does not end with this caller.
	l.snap, l.err = s.loadSnapshot(context.WithoutCancel(ctx), mentorID, now)
	c.mu.Lock()
	if c.entries[mentorID] == e && e.gen == l.gen && l.err == nil {
		c.forget(e)
		e.snap = l.snap
	}
	if e.loading == l {
		e.loading = nil
	}
	c.mu.Unlock()
	close(l.done)
	return l.snap, l.err
}

// loadSnapshot reads the version first: the inputs read after it are at
// least that new, so a snapshot is never older than its version says.
func (s *core) loadSnapshot(ctx context.Context, mentorID int64, now time.Time) (*slotSnapshot, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (*slotSnapshot, error) {
		v, err := tx.Availability().SlotsVersion(ctx, mentorID)
		if err != nil {
			return nil, err
		}
		m, err := mentorByID(ctx, tx, mentorID)
		if err != nil {
			return nil, err
		}
		a, err := availabilityOf(ctx, tx, mentorID, m.Timezone)
		if err != nil {
			return nil, err
		}
		loc, err := loadZone(a.Timezone)
		if err != nil {
			return nil, err
		}
		sn := &slotSnapshot{version: v, checked: now, staleAt: now.Add(snapshotLife), mentor: m, avail: a, loc: loc}
		if !m.Active {
			return sn, nil
		}
		sn.overridesFrom = schedule.DateOf(now, loc).AddDays(-overridesBack)
		ovs, err := tx.Availability().Overrides(ctx, mentorID, sn.overridesFrom, lastDate)
		if err != nil {
			return nil, err
		}
		sn.overrides = make(map[schedule.Date][]schedule.LocalInterval, len(ovs))
		for _, ov := range ovs {
			sn.overrides[ov.Date] = ov.Intervals
		}
		sn.holdsFrom = now.Add(-holdsBehind)
		sn.holdsTo = now.Add(time.Duration(a.HorizonDays)*24*time.Hour + holdsAhead)
		sn.holds, err = tx.Bookings().Holds(ctx, mentorID, sn.holdsFrom, sn.holdsTo)
		return sn, err
	})
}

// offer is the offering for window as offer() would read it at now; ok is
// false when the snapshot does not hold everything the window needs
// (a window far in the past), and the caller must read afresh.
func (sn *slotSnapshot) offer(window schedule.Interval, duration int, now time.Time) (o offering, ok bool) {
	o = newOffering(sn.mentor, sn.avail, sn.loc, window, duration, now)
	if !o.needsInputs(window) {
		return o, true
	}
	q := &o.query
	if first, _ := q.LocalDates(sn.loc); first.Before(sn.overridesFrom) {
		return o, false
	}
	from, to := blocksRange(q, window)
	// Held time outside [Earliest-before, Latest+duration+after) cannot
	// touch a slot, so only that part must be loaded.
	if maxTime(from, q.Earliest.Add(-q.BufferBefore)).Before(sn.holdsFrom) ||
		minTime(to, q.Latest.Add(q.Duration+q.BufferAfter)).After(sn.holdsTo) {
		return o, false
	}
	o.rules.Weekly, o.rules.Overrides = sn.avail.Weekly, sn.overrides
	for _, h := range sn.holds {
		if h.Start.Before(to) && h.End.After(from) && h.ActiveAt(now) {
			q.Busy = append(q.Busy, h.Interval)
		}
	}
	return o, true
}

// answerUntil is the first instant after now at which the clock alone may
// change the slots o offers in window (slots are what Slots gave at now):
// the first slot falls inside the notice, a pending hold lapses, or the
// horizon reaches a start that is free. Earlier is always safe.
func (sn *slotSnapshot) answerUntil(o offering, window schedule.Interval, slots []schedule.Interval, now time.Time) time.Time {
	until := sn.staleAt
	if !sn.mentor.Active {
		return until
	}
	q := o.query
	notice := q.Earliest.Sub(now)
	if len(slots) > 0 {
		until = minTime(until, slots[0].Start.Add(-notice))
	}
	from, to := blocksRange(&q, window)
	for _, h := range sn.holds {
		if h.Start.Before(to) && h.End.After(from) && !h.PendingUntil.IsZero() && h.PendingUntil.After(now) {
			until = minTime(until, h.PendingUntil)
		}
	}
	if q.Latest.Before(window.End) {
		// The first start the horizon still hides: it appears once the
		// horizon passes it. Held time past the snapshot is unknown here,
		// which can only make that start earlier.
		rules := schedule.Rules{Location: sn.loc, Weekly: sn.avail.Weekly, Overrides: sn.overrides}
		h := q
		h.Window.Start = maxTime(window.Start, q.Latest)
		h.Latest = window.End
		h.Busy = nil
		for _, hd := range sn.holds {
			if hd.ActiveAt(now) {
				h.Busy = append(h.Busy, hd.Interval)
			}
		}
		if next := rules.Slots(h); len(next) > 0 {
			until = minTime(until, next[0].Start.Add(-q.Latest.Sub(now)))
		}
	}
	return until
}

// cachedOffer is readOffer from the cache; snap is nil when the offering
// was read afresh.
func (s *core) cachedOffer(ctx context.Context, mentorID int64, window schedule.Interval, duration int, now time.Time) (offering, *slotSnapshot, error) {
	if s.slots.disabled {
		o, err := s.readOffer(ctx, mentorID, window, duration, now)
		return o, nil, err
	}
	sn, err := s.slotSnapshot(ctx, mentorID, now)
	if err != nil {
		return offering{}, nil, err
	}
	if o, ok := sn.offer(window, duration, now); ok {
		return o, sn, nil
	}
	o, err := s.readOffer(ctx, mentorID, window, duration, now)
	return o, nil, err
}

// SlotsAnswer is Slots encoded by encode, kept and answered again while it
// stays what Slots would give. kind names the encoding (one per encode
// function). encode must not use Slots.Horizon, which moves with the clock.
func (s *Calendar) SlotsAnswer(ctx context.Context, mentorID int64, q SlotQuery, kind string, encode func(Slots) []byte) (Answer, error) {
	w, err := s.parseSlotQuery(q)
	if err != nil {
		return Answer{}, err
	}
	now := s.clock()
	if s.slots.disabled {
		return s.freshAnswer(ctx, mentorID, w, now, encode)
	}
	sn, err := s.slotSnapshot(ctx, mentorID, now)
	if err != nil {
		return Answer{}, err
	}
	key := answerKey{from: w.from, to: w.to, zone: w.loc.String(), duration: w.duration, kind: kind}
	c := s.slots
	c.mu.Lock()
	e := c.entries[mentorID]
	if e != nil && e.snap == sn {
		if a := e.answers[key]; a != nil && a.snap == sn && !now.Before(a.at) && now.Before(a.until) {
			c.mu.Unlock()
			return a.Answer, nil
		}
	}
	c.mu.Unlock()
	o, ok := sn.offer(w.window, w.duration, now)
	if !ok {
		return s.freshAnswer(ctx, mentorID, w, now, encode)
	}
	slots := o.rules.Slots(o.query)
	a := &slotAnswer{snap: sn, at: now, until: sn.answerUntil(o, w.window, slots, now), Answer: newAnswer(encode(slotsOf(o, w, slots)))}
	c.mu.Lock()
	if e := c.entries[mentorID]; e != nil && e.snap == sn {
		c.keep(e, key, a)
	}
	c.mu.Unlock()
	return a.Answer, nil
}

// freshAnswer is the answer read afresh from the database, not kept.
func (s *Calendar) freshAnswer(ctx context.Context, mentorID int64, w viewerWindow, now time.Time, encode func(Slots) []byte) (Answer, error) {
	res, err := s.slotsIn(ctx, mentorID, w, now)
	if err != nil {
		return Answer{}, err
	}
	return newAnswer(encode(res)), nil
}

// newAnswer tags body with a hash of its bytes.
func newAnswer(body []byte) Answer {
	h := fnv.New64a()
	h.Write(body)
	tag := make([]byte, 0, 16)
	tag = append(tag, '"')
	tag = strconv.AppendUint(tag, h.Sum64(), 36)
	tag = append(tag, '"')
	return Answer{Body: body, ETag: string(tag)}
}
