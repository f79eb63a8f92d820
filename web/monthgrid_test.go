package web

import (
	"bytes"
	"html/template"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

// gridTemplate is how templates/mentor.html wrote the month's rows before
// monthGrid: the reference monthGrid must match byte for byte.
const gridTemplate = `{{with .Data}}{{$tz := .TZParam}}{{$month := .Month}}{{$ms := .MentorshipParam}}<tbody>
    {{- range .Cal.Weeks}}
      <tr>
      {{- range .}}
        {{- if not .InMonth}}<td class="pad"></td>
        {{- else if .Slots}}{{$d := .Date.String}}
        <td class="free{{if eq $d $.Data.Day}} chosen{{end}}{{if .Today}} today{{end}}"><a href="{{query "month" $month "day" $d "tz" $tz "mentorship" $ms}}" hx-get="{{query "month" $month "day" $d "tz" $tz "mentorship" $ms}}" data-date="{{$d}}" id="day-{{$d}}"
          aria-label="{{dayLabel .Date}}, {{.Slots}} free {{if eq .Slots 1}}time{{else}}times{{end}}"{{if eq $d $.Data.Day}} aria-current="date"{{end}}>{{.Date.Day}}</a></td>
        {{- else}}
        <td class="{{if .Today}}today{{end}}"><span aria-label="{{dayLabel .Date}}, no free times">{{.Date.Day}}</span></td>
        {{- end}}
      {{- end}}
      </tr>
    {{- end}}
    </tbody>{{end}}`

// monthGrid writes what the template wrote, for random months (padding
// before and after, days with none, one or many free times, today and the
// chosen day inside the month or not) and the parameters links carry,
// including ones that need escaping in a URL and in an attribute.
func TestMonthGridEqualsTheTemplate(t *testing.T) {
	ref := template.Must(template.New("grid").Funcs(funcs).Parse(gridTemplate))
	r := rand.New(rand.NewPCG(4, 2026))
	tzs := []string{"", "America/New_York", "Etc/GMT+5", "Asia/Kathmandu", `odd "<tz>" & 'x' + ü` + "\x00"}
	mentorships := []string{"", "17", "a b&c=d+e/<f>"}
	for range 400 {
		first := schedule.Date{Year: 1990 + r.IntN(80), Month: time.Month(1 + r.IntN(12)), Day: 1}
		last := nextMonth(first).AddDays(-1)
		slots := app.Slots{Location: time.UTC}
		for d := first; !d.After(last); d = d.AddDays(1) {
			n := []int{0, 0, 1, 2, 7, 13}[r.IntN(6)]
			slots.Days = append(slots.Days, app.DaySlots{Date: d, Slots: make([]schedule.Interval, n)})
		}
		today := first.AddDays(r.IntN(45) - 7)
		var chosen *schedule.Date
		if r.IntN(3) > 0 {
			c := first.AddDays(r.IntN(40) - 4)
			chosen = &c
		}
		cal := layoutMonth(first, today, chosen, slots, time.UTC)
		d := mentorPageData{Cal: cal, Month: first.String()[:7], TZParam: tzs[r.IntN(len(tzs))],
			MentorshipParam: mentorships[r.IntN(len(mentorships))]}
		if cal.Day != nil {
			d.Day = cal.Day.String()
		}
		var want bytes.Buffer
		if err := ref.Execute(&want, struct{ Data mentorPageData }{d}); err != nil {
			t.Fatal(err)
		}
		got := "<tbody>" + string(monthGrid(cal.Weeks, d.Month, d.Day, d.TZParam, d.MentorshipParam)) + "\n    </tbody>"
		if got != want.String() {
			t.Fatalf("month %s, today %s, chosen %v, tz %q, mentorship %q:\n got %s\nwant %s",
				first, today, chosen, d.TZParam, d.MentorshipParam, got, want.String())
		}
	}
}
