package sqlstore

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// Search runs in two steps: this statement selects the keys of one page
// (ID, relevance, price) without building profiles, and ByIDs then reads
// the profiles of that page only.
func (r mentors) Search(ctx context.Context, f mentorbook.MentorSearch) ([]mentorbook.MentorKey, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	var q query
	where := []string{"p.active"}
	score := "0"
	// Skills first: an indexed lookup that can drive the query and spares
	// the LIKE scans most rows.
	for _, sk := range f.Skills {
		where = append(where, `p.user_id IN (SELECT k.mentor_id FROM mentor_skills k WHERE k.skill = `+q.arg(sk)+`)`)
	}
	for _, w := range f.Words {
		n := q.arg("%" + likeEscaper.Replace(strings.ToLower(w)) + "%")
		where = append(where, `p.search_text LIKE `+n+` ESCAPE '\'`)
		score += ` + CASE WHEN p.search_title LIKE ` + n + ` ESCAPE '\' THEN 1 ELSE 0 END`
	}
	const freeOpen = `EXISTS (SELECT 1 FROM services s WHERE s.mentor_id = p.user_id AND s.is_default AND s.active)`
	switch {
	case f.MaxPriceMinor == nil:
	case *f.MaxPriceMinor == 0:
		where = append(where, freeOpen)
	default:
		where = append(where, `EXISTS (SELECT 1 FROM services s WHERE s.mentor_id = p.user_id AND s.active
			AND s.archived_at IS NULL AND s.price_minor <= `+q.arg(*f.MaxPriceMinor)+`)`)
	}
	if !f.Window.Start.IsZero() {
		where = append(where, freeOpen, mayOffer(&q, f.Window, f.Now))
	}
	priceKey := `coalesce((SELECT min(s.price_minor) FROM services s
			WHERE s.mentor_id = m.id AND s.active AND s.archived_at IS NULL), ` + strconv.FormatInt(mentorbook.NoPrice, 10) + `)`
	// The price is computed for every match only when it orders them;
	// otherwise, like the free consultation's state, for the page alone:
	// the page is a subquery with a LIMIT, which the engines do not fold
	// into the outer query.
	inner := `SELECT p.user_id AS id, ` + score + ` AS score
		FROM mentor_profiles p
		LEFT JOIN availability a ON a.mentor_id = p.user_id
		WHERE ` + strings.Join(where, "\n\t\t\tAND ")
	if f.Order == mentorbook.ByPrice {
		inner = `SELECT m.id, m.score, ` + priceKey + ` AS price_key FROM (` + inner + `) m`
	}
	var after, order string
	switch f.Order {
	case mentorbook.ByRelevance:
		order = `score DESC, id`
		if c := f.After; c != nil {
			s, id := q.arg(c.Score), q.arg(c.ID)
			after = `score < ` + s + ` OR (score = ` + s + ` AND id > ` + id + `)`
		}
	case mentorbook.ByPrice:
		order = `price_key, id`
		if c := f.After; c != nil {
			p, id := q.arg(c.PriceKey), q.arg(c.ID)
			after = `price_key > ` + p + ` OR (price_key = ` + p + ` AND id > ` + id + `)`
		}
	default:
		order = `id`
		if c := f.After; c != nil {
			after = `id > ` + q.arg(c.ID)
		}
	}
	page := `SELECT * FROM (` + inner + `) m`
	if after != "" {
		page += ` WHERE ` + after
	}
	page += ` ORDER BY ` + order + ` ` + limitClause(q.arg(f.Limit))
	stmt := `SELECT m.id, m.score, ` + priceKey + `,
			EXISTS (SELECT 1 FROM services s WHERE s.mentor_id = m.id AND s.is_default AND s.active)
		FROM (` + page + `) m
		ORDER BY ` + order
	rows, err := r.query(ctx, stmt, q.args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (mentorbook.MentorKey, error) {
		var k mentorbook.MentorKey
		err := row.Scan(&k.ID, &k.Score, &k.PriceKey, &k.FreeOpen)
		return k, err
	})
}

// mayOffer is the condition that mentor p may offer a slot starting in
// window at now: the window meets [now + notice, now + horizon), and the
// mentor's weekly hours (mapped onto the UTC week, widened by their zone's
// offsets) or an override with hours on a date near the window meet it.
// Settings saved before the week was indexed always may. Mentors without
// settings have the defaults: no weekly hours, 4 hours' notice, 60 days.
func mayOffer(q *query, window schedule.Interval, now time.Time) string {
	toStart := int64(window.Start.Sub(now) / time.Minute) // rounded towards zero: never excludes
	toEnd := int64((window.End.Sub(now) + time.Minute - 1) / time.Minute)
	var spans []string
	for _, sp := range schedule.WeekSpansOf(window) {
		spans = append(spans, `(w.start_minute < `+q.arg(sp.End)+` AND w.end_minute > `+q.arg(sp.Start)+`)`)
	}
	// A start's local date is its UTC date moved by the zone's offset,
	// which lies between -12 and +14 hours.
	first := schedule.DateOf(window.Start.Add(-14*time.Hour), time.UTC)
	last := schedule.DateOf(window.End.Add(14*time.Hour), time.UTC)
	return `coalesce(a.horizon_days, 60) * 1440 > ` + q.arg(toStart) + `
			AND coalesce(a.min_notice_minutes, 240) < ` + q.arg(toEnd) + `
			AND ((a.mentor_id IS NOT NULL AND NOT a.week_indexed)
				OR p.user_id IN (SELECT w.mentor_id FROM availability_week w WHERE ` + strings.Join(spans, " OR ") + `)
				OR EXISTS (SELECT 1 FROM availability_overrides o WHERE o.mentor_id = p.user_id
					AND o.date >= ` + q.arg(first.String()) + ` AND o.date <= ` + q.arg(last.String()) + ` AND o.intervals <> '[]'))`
}

// query collects the arguments of a statement built in pieces.
type query struct{ args []any }

// arg adds v and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (r mentors) ByIDs(ctx context.Context, ids []int64) ([]mentorbook.Mentor, error) {
	if len(ids) == 0 {
		return []mentorbook.Mentor{}, nil
	}
	var q query
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = q.arg(id)
	}
	rows, err := r.query(ctx, mentorSelect+` WHERE p.user_id IN (`+strings.Join(marks, ", ")+`)`, q.args...)
	if err != nil {
		return nil, err
	}
	return scanRows(rows, &mentorScan{})
}
