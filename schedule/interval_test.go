package schedule

import (
	"testing"
	"time"
)

var base = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

// m builds intervals from minute offsets: m(1,3, 5,8) = {[1,3), [5,8)}.
func m(bounds ...int) []Interval {
	var out []Interval
	for i := 0; i+1 < len(bounds); i += 2 {
		out = append(out, Interval{
			base.Add(time.Duration(bounds[i]) * time.Minute),
			base.Add(time.Duration(bounds[i+1]) * time.Minute),
		})
	}
	return out
}

func TestIntervalPredicates(t *testing.T) {
	iv := m(10, 20)[0]
	tests := []struct {
		name string
		o    Interval
		want bool
	}{
		{"inside", m(12, 15)[0], true},
		{"same", m(10, 20)[0], true},
		{"covers", m(0, 30)[0], true},
		{"overlaps start", m(5, 11)[0], true},
		{"overlaps end", m(19, 25)[0], true},
		{"touches start", m(0, 10)[0], false},
		{"touches end", m(20, 30)[0], false},
		{"before", m(0, 5)[0], false},
		{"empty inside", m(15, 15)[0], false},
		{"reversed", m(15, 12)[0], false},
	}
	for _, tt := range tests {
		if got := iv.Overlaps(tt.o); got != tt.want {
			t.Errorf("Overlaps %s = %v, want %v", tt.name, got, tt.want)
		}
		if got := tt.o.Overlaps(iv); got != tt.want {
			t.Errorf("Overlaps %s (swapped) = %v, want %v", tt.name, got, tt.want)
		}
	}
	at := func(min int) time.Time { return base.Add(time.Duration(min) * time.Minute) }
	if !iv.Contains(at(10)) || !iv.Contains(at(19)) || iv.Contains(at(20)) || iv.Contains(at(9)) {
		t.Error("Contains is not half-open [Start, End)")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name    string
		in, out []Interval
	}{
		{"nil", nil, nil},
		{"only empty", m(5, 5, 9, 3), nil},
		{"sorted disjoint", m(0, 1, 2, 3), m(0, 1, 2, 3)},
		{"unsorted", m(5, 6, 0, 1), m(0, 1, 5, 6)},
		{"overlap", m(0, 5, 3, 8), m(0, 8)},
		{"touching merge", m(0, 5, 5, 8), m(0, 8)},
		{"contained", m(0, 10, 2, 3), m(0, 10)},
		{"chain", m(6, 9, 0, 3, 3, 6, 12, 13), m(0, 9, 12, 13)},
		{"duplicates", m(1, 2, 1, 2, 1, 2), m(1, 2)},
		{"drops empty between", m(0, 2, 2, 2, 4, 5), m(0, 2, 4, 5)},
	}
	for _, tt := range tests {
		got := Normalize(tt.in)
		if !equalIntervals(got, tt.out) {
			t.Errorf("%s: Normalize = %s, want %s", tt.name, fmtIntervals(got), fmtIntervals(tt.out))
		}
	}
	// Normalize must not reorder or modify its input.
	in := m(5, 6, 0, 1)
	Normalize(in)
	if !equalIntervals(in, m(5, 6, 0, 1)) {
		t.Error("Normalize modified its input")
	}
}

func TestSubtract(t *testing.T) {
	tests := []struct {
		name       string
		a, b, want []Interval
	}{
		{"nothing removed", m(0, 10), nil, m(0, 10)},
		{"from nothing", nil, m(0, 10), nil},
		{"middle", m(0, 10), m(3, 5), m(0, 3, 5, 10)},
		{"start", m(0, 10), m(0, 4), m(4, 10)},
		{"end", m(0, 10), m(6, 12), m(0, 6)},
		{"all", m(0, 10), m(-5, 15), nil},
		{"touching only", m(0, 10), m(-5, 0, 10, 15), m(0, 10)},
		{"several holes", m(0, 10), m(1, 2, 4, 5, 7, 8), m(0, 1, 2, 4, 5, 7, 8, 10)},
		{"one b spans two a", m(0, 5, 8, 12), m(3, 10), m(0, 3, 10, 12)},
		{"unnormalized inputs", m(8, 12, 0, 5, 4, 6), m(5, 9, 3, 4), m(0, 3, 4, 5, 9, 12)},
		{"adjacent holes", m(0, 10), m(2, 4, 4, 6), m(0, 2, 6, 10)},
	}
	for _, tt := range tests {
		got := Subtract(tt.a, tt.b)
		if !equalIntervals(got, tt.want) {
			t.Errorf("%s: Subtract = %s, want %s", tt.name, fmtIntervals(got), fmtIntervals(tt.want))
		}
	}
}

func TestIntersect(t *testing.T) {
	tests := []struct {
		name       string
		a, b, want []Interval
	}{
		{"nil", nil, m(0, 1), nil},
		{"same", m(0, 10), m(0, 10), m(0, 10)},
		{"partial", m(0, 10), m(5, 15), m(5, 10)},
		{"touching only", m(0, 10), m(10, 20), nil},
		{"many pieces", m(0, 10, 20, 30), m(5, 25), m(5, 10, 20, 25)},
		{"b splits", m(0, 30), m(1, 2, 5, 6, 29, 40), m(1, 2, 5, 6, 29, 30)},
		{"unnormalized", m(5, 10, 0, 6), m(2, 3, 3, 4, 8, 20), m(2, 4, 8, 10)},
		{"empty ignored", m(0, 10), m(3, 3), nil},
	}
	for _, tt := range tests {
		got := Intersect(tt.a, tt.b)
		if !equalIntervals(got, tt.want) {
			t.Errorf("%s: Intersect = %s, want %s", tt.name, fmtIntervals(got), fmtIntervals(tt.want))
		}
		if got2 := Intersect(tt.b, tt.a); !equalIntervals(got2, tt.want) {
			t.Errorf("%s: Intersect swapped = %s, want %s", tt.name, fmtIntervals(got2), fmtIntervals(tt.want))
		}
	}
}
