package sqlstore

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook/schedule"
)

// Instants are timestamptz on PostgreSQL and integer unix microseconds on
// SQLite, where the driver writes a time.Time parameter so
// (_time_integer_format=unix_micro) and reads the column back as int64.

// instant scans either form into a UTC time; NULL is the zero time.
type instant struct{ t *time.Time }

func at(t *time.Time) instant { return instant{t} }

func (i instant) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*i.t = time.Time{}
	case time.Time:
		*i.t = v.UTC()
	case int64:
		*i.t = time.UnixMicro(v).UTC()
	default:
		return fmt.Errorf("sqlstore: cannot read %T as an instant", src)
	}
	return nil
}

// optional scans a nullable instant into a pointer: nil for NULL.
type optional struct{ t **time.Time }

func atOpt(t **time.Time) optional { return optional{t} }

func (o optional) Scan(src any) error {
	if src == nil {
		*o.t = nil
		return nil
	}
	var t time.Time
	if err := at(&t).Scan(src); err != nil {
		return err
	}
	*o.t = &t
	return nil
}

// nullable stores the zero time as NULL.
func nullable(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// Dates are date on PostgreSQL, 'YYYY-MM-DD' text on SQLite: both take the
// text as a parameter and compare and sort the same.
type dateCol struct{ d *schedule.Date }

func (c dateCol) Scan(src any) error {
	var err error
	switch v := src.(type) {
	case time.Time:
		*c.d = schedule.DateOf(v, time.UTC)
	case string:
		*c.d, err = schedule.ParseDate(v)
	case []byte:
		*c.d, err = schedule.ParseDate(string(v))
	default:
		err = fmt.Errorf("sqlstore: cannot read %T as a date", src)
	}
	return err
}

// nullInt64 stores 0 as NULL, for optional references.
func nullInt64(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// int64Or0 scans an optional reference; NULL is 0.
type int64Or0 struct{ n *int64 }

func (c int64Or0) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.n = 0
	case int64:
		*c.n = v
	default:
		return fmt.Errorf("sqlstore: cannot read %T as an integer", src)
	}
	return nil
}

// rowScanner is a reusable destination for one kind of row: dest binds
// the columns to the scanner's own fields (once per query), value builds
// a row's value after each Scan. Scanning every row into the same fields
// costs one allocation per query, where a function scanning into its
// locals costs several per row (each destination escapes, and so does the
// variadic argument list). Every Scan overwrites every destination, so
// nothing carries over from one row to the next; value must not return
// anything that aliases the scanner.
type rowScanner[T any] interface {
	dest() []any
	value() (T, error)
}

// scanRows reads every row through s and closes rows.
func scanRows[T any](rows *sql.Rows, s rowScanner[T]) ([]T, error) {
	defer rows.Close()
	dest := s.dest()
	out := []T{}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		v, err := s.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// scanRow reads one row through s.
func scanRow[T any](row *sql.Row, s rowScanner[T]) (T, error) {
	if err := row.Scan(s.dest()...); err != nil {
		var zero T
		return zero, err
	}
	return s.value()
}

// intervalScan reads (start, end) instants.
type intervalScan struct {
	iv schedule.Interval
	d  [2]any
}

func (s *intervalScan) dest() []any {
	s.d = [2]any{at(&s.iv.Start), at(&s.iv.End)}
	return s.d[:]
}

func (s *intervalScan) value() (schedule.Interval, error) { return s.iv, nil }

// IDs reads a one-column result of IDs and closes rows; the engines'
// dialect statements that report what they changed use it.
func IDs(rows *sql.Rows) ([]int64, error) {
	return collect(rows, func(row interface{ Scan(...any) error }) (int64, error) {
		var id int64
		err := row.Scan(&id)
		return id, err
	})
}

// where builds a condition whose values bind as $1, $2, … in order.
type where struct {
	conds []string
	args  []any
}

// arg binds v and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

// and adds a condition.
func (w *where) and(cond string) { w.conds = append(w.conds, cond) }

func (w *where) String() string {
	if len(w.conds) == 0 {
		return "1 = 1"
	}
	return strings.Join(w.conds, " AND ")
}
