package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mentorbook/mentorbook/schedule"
)

// funcs are the formatting helpers templates may call. Times arrive already
// in the zone to show (the view models put them there); these only format.
var funcs = template.FuncMap{
	"clock":        clock,
	"longDate":     longDate,
	"dayLabel":     dayLabel,
	"monthLabel":   monthLabel,
	"weekdayName":  weekdayName,
	"weekdays":     func() []int { return []int{1, 2, 3, 4, 5, 6, 0} },
	"rfc3339":      func(t time.Time) string { return t.Format(time.RFC3339) },
	"zoneAbbr":     zoneAbbr,
	"sameDay":      func(a, b time.Time) bool { return a.Format("2006-01-02") == b.Format("2006-01-02") },
	"query":        query,
	"join":         strings.Join,
	"add":          func(a, b int) int { return a + b },
	"dict":         dict,
	"list":         func(n ...int) []int { return n },
	"minutes":      minutesText,
	"deref":        func(d *schedule.Date) schedule.Date { return *d },
	"zoneDatalist": zoneDatalist,
}

// zoneDatalistTemplate is the zone pickers' list of common zones, with the
// aliases static/app.js uses to put the current name in a picker when the
// browser reports an old one.
const zoneDatalistTemplate = `<datalist id="zones" data-aliases="{{.Aliases}}">{{range .Zones}}<option value="{{.}}">{{end}}</datalist>`

// zoneDatalist is zoneDatalistTemplate, the same on every page, executed
// (and so escaped by html/template) once: on every page it was some 75
// escaper calls and a JSON encoding, a tenth of a mentor page's
// allocations.
var zoneDatalist = sync.OnceValue(func() template.HTML {
	var b strings.Builder
	t := template.Must(template.New("zones").Parse(zoneDatalistTemplate))
	if err := t.Execute(&b, struct {
		Aliases string
		Zones   []string
	}{string(must(json.Marshal(zoneAliases))), commonZones}); err != nil {
		panic(err)
	}
	return template.HTML(b.String())
})

// clock is "09:30".
func clock(t time.Time) string { return t.Format("15:04") }

// longDate is "Thursday 14 May 2026".
func longDate(t time.Time) string { return t.Format("Monday 2 January 2006") }

// dayLabel is a date as "Thursday 14 May 2026".
func dayLabel(d schedule.Date) string {
	return d.Weekday().String() + " " + strconv.Itoa(d.Day) + " " + d.Month.String() + " " + strconv.Itoa(d.Year)
}

// monthLabel is "May 2026".
func monthLabel(d schedule.Date) string { return fmt.Sprintf("%s %d", d.Month, d.Year) }

// weekdayName is 0 → "Sunday"; anything else is "".
func weekdayName(n int) string {
	if n < 0 || n > 6 {
		return ""
	}
	return time.Weekday(n).String()
}

// zoneAbbr is the zone's abbreviation at t ("EST"), or its offset when the
// zone has no letters ("+0530").
func zoneAbbr(t time.Time) string {
	name, _ := t.Zone()
	if name == "" || strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-") {
		return "UTC" + t.Format("-07:00")
	}
	return name
}

// query builds "?k=v&..." from pairs, leaving out empty values.
func query(pairs ...string) template.URL {
	q := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			q.Set(pairs[i], pairs[i+1])
		}
	}
	if len(q) == 0 {
		return ""
	}
	return template.URL("?" + q.Encode())
}

// dict makes a map for passing several values to a partial template.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
