package app

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// MentorSearchQuery is a search of the mentor directory, as typed.
type MentorSearchQuery struct {
	Q      string
	Skills []string
	// MaxPriceMinor keeps mentors with an active service at or below it;
	// "0" keeps those with an active free consultation.
	MaxPriceMinor string
	// AvailableFrom and AvailableTo (RFC 3339, both or neither) keep
	// mentors with a free-consultation slot starting in [from, to).
	AvailableFrom, AvailableTo string
	Sort                       string // "relevance" (default), "price" or "next_available"
	Cursor, Limit              string
}

// MentorResult is one mentor of a search with what the directory shows.
type MentorResult struct {
	mentorbook.Mentor
	FromPriceMinor *int64     // the lowest active service price; nil without one
	NextAvailable  *time.Time // the first offered free-consultation slot within NextAvailableDays
}

const (
	// NextAvailableDays bounds the look-ahead of a result's next available
	// time: a mentor with nothing free sooner shows none.
	NextAvailableDays = 14
	maxSearchSkills   = 10
	maxWindowDays     = 42
	maxPriceMinor     = 1_000_000_000_000
	// searchBatch is how many candidates an availability search reads at
	// a time before checking them with the slot rules.
	searchBatch = 64
)

// parsed is a validated search.
type parsed struct {
	f      mentorbook.MentorSearch
	window schedule.Interval // zero: no availability filter
	sort   string
	after  *searchCursor
	limit  int
}

func (s *Mentors) parseSearch(q MentorSearchQuery, now time.Time) (parsed, error) {
	v := mentorbook.Validation{}
	p := parsed{f: mentorbook.MentorSearch{Words: queryWords("q", q.Q, v), Now: now}}
	for _, sk := range q.Skills {
		checkText(v, "skill", sk)
		if sk = normalizeSkill(sk); sk != "" && !slices.Contains(p.f.Skills, sk) {
			p.f.Skills = append(p.f.Skills, sk)
		}
	}
	if len(p.f.Skills) > maxSearchSkills {
		v.Add("skill", "at most 10 skills")
	}
	if q.MaxPriceMinor != "" {
		n, err := strconv.ParseInt(q.MaxPriceMinor, 10, 64)
		if err != nil || n < 0 || n > maxPriceMinor || strings.TrimLeft(q.MaxPriceMinor, "0123456789") != "" {
			v.Add("max_price_minor", "must be a whole number of minor units from 0 to 1000000000000")
		} else {
			p.f.MaxPriceMinor = &n
		}
	}
	switch {
	case q.AvailableFrom == "" && q.AvailableTo == "":
	case q.AvailableFrom == "":
		v.Add("available_from", "is required with available_to")
	case q.AvailableTo == "":
		v.Add("available_to", "is required with available_from")
	default:
		from, ok1 := parseInstant(q.AvailableFrom)
		to, ok2 := parseInstant(q.AvailableTo)
		switch {
		case !ok1:
			v.Add("available_from", "must be an RFC 3339 time")
		case !ok2:
			v.Add("available_to", "must be an RFC 3339 time")
		case !to.After(from):
			v.Add("available_to", "must be after available_from")
		case to.Sub(from) > maxWindowDays*24*time.Hour:
			v.Add("available_to", "must be at most 42 days after available_from")
		default:
			p.window = schedule.Interval{Start: from.UTC(), End: to.UTC()}
		}
	}
	p.sort = q.Sort
	switch q.Sort {
	case "", "relevance":
		p.sort, p.f.Order = "relevance", mentorbook.ByRelevance
	case "price":
		p.f.Order = mentorbook.ByPrice
	case "next_available":
		p.f.Order = mentorbook.ByID
	default:
		v.Add("sort", "must be relevance, price or next_available")
	}
	if q.Cursor != "" {
		c, err := decodeSearchCursor(q.Cursor)
		if err != nil || c.sort != p.sort {
			v.Add("cursor", "is not a cursor this server gave out for this sort")
		}
		p.after = &c
	}
	p.limit = pageSize(q.Limit, v)
	return p, v.Err()
}

// Search finds active mentors. The store narrows the candidates in SQL;
// with an availability window, each candidate is then checked with the
// same offer and slot rules as the slots endpoint, only as many as the
// page needs. Next available times are computed for the page's mentors
// only, NextAvailableDays ahead.
func (s *Mentors) Search(ctx context.Context, q MentorSearchQuery) ([]MentorResult, string, error) {
	now := s.clock()
	p, err := s.parseSearch(q, now)
	if err != nil {
		return nil, "", err
	}
	if p.sort == "next_available" {
		return s.searchByNextAvailable(ctx, p, now)
	}
	if p.after != nil {
		p.f.After = &p.after.key
	}
	var keys []mentorbook.MentorKey
	known := map[int64]*time.Time{}
	for len(keys) <= p.limit {
		batch := p.limit + 1
		if !p.window.Start.IsZero() {
			p.f.Window = p.window
			batch = max(batch, searchBatch)
		}
		p.f.Limit = batch
		found, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.MentorKey, error) {
			return tx.Mentors().Search(ctx, p.f)
		})
		if err != nil {
			return nil, "", err
		}
		for _, k := range found {
			p.f.After = &k
			ok, next, knowsNext, err := s.offersIn(ctx, k.ID, p.window, now)
			if err != nil {
				return nil, "", err
			} else if !ok {
				continue
			}
			if knowsNext {
				known[k.ID] = next
			}
			if keys = append(keys, k); len(keys) > p.limit {
				break
			}
		}
		if len(found) < batch {
			break
		}
	}
	next := ""
	if len(keys) > p.limit {
		keys = keys[:p.limit]
		next = searchCursor{sort: p.sort, key: keys[p.limit-1]}.encode()
	}
	out, err := s.results(ctx, keys, now, known)
	return out, next, err
}

// searchByNextAvailable orders by the next available time, which only
// the slot rules know: it computes it for every mentor the filters keep
// that may offer a slot within NextAvailableDays (the store narrows), and
// puts the others last by ID. Its cost grows with the number of such
// mentors; filters keep it small.
func (s *Mentors) searchByNextAvailable(ctx context.Context, p parsed, now time.Time) ([]MentorResult, string, error) {
	all, err := s.allKeys(ctx, p.f, p.window)
	if err != nil {
		return nil, "", err
	}
	soon := schedule.Interval{Start: now, End: now.AddDate(0, 0, NextAvailableDays)}
	near, err := s.allKeys(ctx, p.f, soon)
	if err != nil {
		return nil, "", err
	}
	mayBeSoon := map[int64]bool{}
	for _, k := range near {
		mayBeSoon[k.ID] = true
	}
	type ranked struct {
		key  mentorbook.MentorKey
		next *time.Time
	}
	var rs []ranked
	for _, k := range all {
		ok, next, knowsNext, err := s.offersIn(ctx, k.ID, p.window, now)
		if err != nil {
			return nil, "", err
		} else if !ok {
			continue
		}
		r := ranked{key: k}
		switch {
		case knowsNext:
			r.next = next
		case mayBeSoon[k.ID]:
			if r.next, err = s.nextAvailable(ctx, k.ID, now); err != nil {
				return nil, "", err
			}
		}
		rs = append(rs, r)
	}
	// Mentors with nothing soon sort last, as if at the end of time.
	at := func(t *time.Time) int64 {
		if t == nil {
			return noNext
		}
		return t.UnixMicro()
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(at(a.next), at(b.next)), cmp.Compare(a.key.ID, b.key.ID))
	})
	if c := p.after; c != nil {
		i, _ := slices.BinarySearchFunc(rs, c, func(r ranked, c *searchCursor) int {
			return cmp.Or(cmp.Compare(at(r.next), c.next), cmp.Compare(r.key.ID, c.key.ID+1))
		})
		rs = rs[i:]
	}
	next := ""
	if len(rs) > p.limit {
		rs = rs[:p.limit]
		last := rs[p.limit-1]
		next = searchCursor{sort: p.sort, key: last.key, next: at(last.next)}.encode()
	}
	keys := make([]mentorbook.MentorKey, len(rs))
	known := map[int64]*time.Time{}
	for i, r := range rs {
		keys[i], known[r.key.ID] = r.key, r.next
	}
	out, err := s.results(ctx, keys, now, known)
	return out, next, err
}

// noNext is the sort key of "no next available time".
const noNext = int64(1) << 62

// allKeys reads every key f selects, narrowed to window when it is set.
func (s *Mentors) allKeys(ctx context.Context, f mentorbook.MentorSearch, window schedule.Interval) ([]mentorbook.MentorKey, error) {
	f.Order, f.Window, f.After, f.Limit = mentorbook.ByID, window, nil, 1000
	var all []mentorbook.MentorKey
	for {
		found, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.MentorKey, error) {
			return tx.Mentors().Search(ctx, f)
		})
		if err != nil {
			return nil, err
		}
		all = append(all, found...)
		if len(found) < f.Limit {
			return all, nil
		}
		f.After = &found[len(found)-1]
	}
}

// results reads the profiles of keys, in order, with their prices and
// next available times (from known, else computed).
func (s *Mentors) results(ctx context.Context, keys []mentorbook.MentorKey, now time.Time, known map[int64]*time.Time) ([]MentorResult, error) {
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	ms, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Mentor, error) {
		return tx.Mentors().ByIDs(ctx, ids)
	})
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]mentorbook.Mentor, len(ms))
	for _, m := range ms {
		byID[m.ID] = m
	}
	out := make([]MentorResult, 0, len(keys))
	for _, k := range keys {
		r := MentorResult{Mentor: byID[k.ID]}
		if k.PriceKey != mentorbook.NoPrice {
			r.FromPriceMinor = &k.PriceKey
		}
		if t, ok := known[k.ID]; ok {
			r.NextAvailable = t
		} else if k.FreeOpen {
			if r.NextAvailable, err = s.nextAvailable(ctx, k.ID, now); err != nil {
				return nil, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// offersIn reports whether the mentor offers a free-consultation slot
// starting in window, by the slots endpoint's own rules; with no window,
// every mentor does. When the window lies within two months, the same
// offer also gives the next available time (knowsNext).
func (s *Mentors) offersIn(ctx context.Context, mentorID int64, window schedule.Interval, now time.Time) (ok bool, next *time.Time, knowsNext bool, err error) {
	if window.Start.IsZero() {
		return true, nil, false, nil
	}
	soon := now.AddDate(0, 0, NextAvailableDays)
	span := window
	together := window.End.Before(now.AddDate(0, 2, 0))
	if together {
		// One offer over both: loading it costs more than its slots.
		span = schedule.Interval{Start: minTime(window.Start, now), End: maxTime(window.End, soon)}
	}
	o, err := s.readOffer(ctx, mentorID, span, 0, now)
	if err != nil {
		return false, nil, false, err
	}
	for _, sl := range o.rules.Slots(o.query) {
		if next == nil && !sl.Start.Before(now) && sl.Start.Before(soon) {
			t := sl.Start.UTC()
			next = &t
		}
		if !sl.Start.Before(window.Start) && sl.Start.Before(window.End) {
			ok = true
		}
		if ok && (next != nil || !together) {
			break
		}
	}
	return ok, next, together, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// nextAvailable is the start of the mentor's first offered slot within
// NextAvailableDays of now, by the slots endpoint's own rules, or nil.
func (s *Mentors) nextAvailable(ctx context.Context, mentorID int64, now time.Time) (*time.Time, error) {
	o, err := s.readOffer(ctx, mentorID, schedule.Interval{Start: now, End: now.AddDate(0, 0, NextAvailableDays)}, 0, now)
	if err != nil {
		return nil, err
	}
	if slots := o.rules.Slots(o.query); len(slots) > 0 {
		t := slots[0].Start.UTC()
		return &t, nil
	}
	return nil, nil
}

// searchCursor is a position in one sort's order.
type searchCursor struct {
	sort string
	key  mentorbook.MentorKey
	next int64 // next_available's key: unix µs, or noNext
}

func (c searchCursor) encode() string {
	var s string
	switch c.sort {
	case "relevance":
		s = fmt.Sprintf("relevance:%d:%d", c.key.Score, c.key.ID)
	case "price":
		s = fmt.Sprintf("price:%d:%d", c.key.PriceKey, c.key.ID)
	default:
		s = fmt.Sprintf("next_available:%d:%d", c.next, c.key.ID)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeSearchCursor(s string) (searchCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return searchCursor{}, err
	}
	parts := strings.Split(string(b), ":")
	if len(parts) != 3 {
		return searchCursor{}, fmt.Errorf("malformed cursor")
	}
	v, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || id < 0 {
		return searchCursor{}, fmt.Errorf("malformed cursor")
	}
	c := searchCursor{sort: parts[0], key: mentorbook.MentorKey{ID: id}}
	switch c.sort {
	case "relevance":
		c.key.Score = int(v)
	case "price":
		c.key.PriceKey = v
	case "next_available":
		c.next = v
	default:
		return searchCursor{}, fmt.Errorf("malformed cursor")
	}
	return c, nil
}
