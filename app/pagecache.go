package app

import (
	"context"
	"time"
)

// A mentor's public page as a visitor sees it is kept like a slots answer
// (slotcache.go), by the same rules: it is built only from PageReads at
// one instant, each read lowering the instant until which the clock alone
// leaves what it read unchanged, and it is kept with the slot snapshot it
// was built on. Migration 0017 makes that snapshot's version cover every
// input of the page (profile, skills, services, reviews, names, bookings'
// status and attendance), so any change drops the page as it drops the
// slots: here once the write committed, elsewhere by notification or the
// version check.

// PageReads are the reads a mentor's public page is built from, all at
// one instant. Live reads (Mentors.Reads) keep nothing; inside KeptPage
// they also record until when the page built from them stays right.
type PageReads struct {
	c        *core
	mentorID int64
	now      time.Time
	sn       *slotSnapshot // nil: live
	until    time.Time
}

// Reads returns live reads of the mentor's page at the current instant.
func (s *Mentors) Reads(mentorID int64) *PageReads {
	return &PageReads{c: s.core, mentorID: mentorID, now: s.clock()}
}

// Now is the instant of every read.
func (r *PageReads) Now() time.Time { return r.now }

// Until tells that what was built may change at t by the clock alone (the
// page's own rules: a new day, a month reached by the horizon). Live reads
// ignore it.
func (r *PageReads) Until(t time.Time) {
	if r.sn != nil && t.Before(r.until) {
		r.until = t
	}
}

// Page is Mentors.Page at Now.
func (r *PageReads) Page(ctx context.Context) (MentorPage, error) {
	p, next, err := r.c.page(ctx, r.mentorID, r.now)
	if !next.IsZero() {
		r.Until(next) // a session ends: one more held
	}
	return p, err
}

// Slots is Calendar.Slots at Now.
func (r *PageReads) Slots(ctx context.Context, q SlotQuery) (Slots, error) {
	w, err := (&Calendar{r.c}).parseSlotQuery(q)
	if err != nil {
		return Slots{}, err
	}
	if r.sn == nil {
		o, _, err := r.c.cachedOffer(ctx, r.mentorID, w.window, w.duration, r.now)
		if err != nil {
			return Slots{}, err
		}
		return slotsOf(o, w, o.rules.Slots(o.query)), nil
	}
	o, ok := r.sn.offer(w.window, w.duration, r.now)
	if !ok {
		r.Until(r.now) // beyond the snapshot: read afresh, and keep nothing
		return r.c.slotsIn(ctx, r.mentorID, w, r.now)
	}
	slots := o.rules.Slots(o.query)
	r.Until(r.sn.answerUntil(o, w.window, slots, r.now))
	return slotsOf(o, w, slots), nil
}

// KeptPage returns the page that build makes from reads of the mentor's
// page, kept under key (which must name everything else the page depends
// on) and built again only once its inputs changed or the clock reached
// the instant its reads gave. An error is not kept.
func (s *Mentors) KeptPage(ctx context.Context, mentorID int64, key string, build func(*PageReads) ([]byte, error)) ([]byte, error) {
	now := s.clock()
	if s.slots.disabled {
		return build(&PageReads{c: s.core, mentorID: mentorID, now: now})
	}
	sn, err := s.slotSnapshot(ctx, mentorID, now)
	if err != nil {
		return nil, err
	}
	k := answerKey{page: key}
	c := s.slots
	c.mu.Lock()
	if e := c.entries[mentorID]; e != nil && e.snap == sn {
		if a := e.answers[k]; a != nil && a.snap == sn && !now.Before(a.at) && now.Before(a.until) {
			c.mu.Unlock()
			c.pageHits.Add(1)
			return a.Body, nil
		}
	}
	c.mu.Unlock()
	r := &PageReads{c: s.core, mentorID: mentorID, now: now, sn: sn, until: sn.staleAt}
	c.pageBuilds.Add(1)
	body, err := build(r)
	if err != nil || !now.Before(r.until) {
		return body, err
	}
	c.mu.Lock()
	if e := c.entries[mentorID]; e != nil && e.snap == sn {
		c.keep(e, k, &slotAnswer{snap: sn, at: now, until: r.until, Answer: Answer{Body: body}})
	}
	c.mu.Unlock()
	return body, nil
}

// KeptPageStats counts the kept pages answered from memory and built.
func (s *Mentors) KeptPageStats() (hits, builds int64) {
	return s.slots.pageHits.Load(), s.slots.pageBuilds.Load()
}
