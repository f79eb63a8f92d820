package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

// intervalRow is one start–end row of the override form, as typed.
type intervalRow struct {
	Start, End string
	Errors     map[string]string
}

// overrideLine is an existing override, formatted.
type overrideLine struct {
	Date  string
	Label string
	Hours []string // "09:00–12:00"; empty = day off
}

type overridesData struct {
	Timezone  string
	Overrides []overrideLine
	Date      string
	DayOff    bool
	Rows      []intervalRow
	Errors    map[string]string
	Message   string
}

// Blank is the row static/app.js adds.
func (overridesData) Blank() intervalRow { return intervalRow{} }

func (s *server) overridesPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	d := overridesData{Rows: make([]intervalRow, blankRows)}
	var alert string
	if st, ok := formFor(w, r); ok {
		alert = st.whyAlert()
		if st.Action == "/me/overrides" {
			var rowOf []int
			d, _, rowOf = overrideFromForm(st.Values)
			d.Message = st.Message
			placeErrors(st.Errors, "intervals", rowOf, func(row int) map[string]string { return d.Rows[row].Errors }, d.Errors)
		}
	}
	s.showOverrides(w, r, me, d, alert)
}

func (s *server) showOverrides(w http.ResponseWriter, r *http.Request, me mentorbook.User, d overridesData, alert string) {
	a, err := s.app.Availability.Get(r.Context(), me)
	if mentorbook.ErrorCode(err) == mentorbook.EFORBIDDEN {
		http.Redirect(w, r, "/me/profile", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	os, err := s.app.Availability.Overrides(r.Context(), me, "", "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Timezone = a.Timezone
	for _, o := range os {
		line := overrideLine{Date: o.Date.String(), Label: dayLabel(o.Date)}
		for _, iv := range o.Intervals {
			line.Hours = append(line.Hours, formClock(iv.Start)+"–"+formClock(iv.End))
		}
		d.Overrides = append(d.Overrides, line)
	}
	s.render(w, r, http.StatusOK, "overrides", view{Title: "Date overrides", Alert: alert, Data: d})
}

// overrideFromForm reads the override form as typed: the page's rows, the
// use case's intervals, and rowOf, which maps intervals[i] to its row.
func overrideFromForm(f url.Values) (overridesData, []app.IntervalInput, []int) {
	d := overridesData{Date: strings.TrimSpace(f.Get("date")), DayOff: f.Get("day_off") == "on", Errors: map[string]string{}}
	var ivs []app.IntervalInput
	var rowOf []int
	starts, ends := f["start"], f["end"]
	for i := range starts {
		row := intervalRow{Start: strings.TrimSpace(starts[i]), Errors: map[string]string{}}
		if i < len(ends) {
			row.End = strings.TrimSpace(ends[i])
		}
		d.Rows = append(d.Rows, row)
		if d.DayOff || (row.Start == "" && row.End == "") {
			continue
		}
		rowOf = append(rowOf, len(d.Rows)-1)
		ivs = append(ivs, app.IntervalInput{Start: row.Start, End: midnightEnd(row.End)})
	}
	return d, ivs, rowOf
}

func (s *server) saveOverride(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	d, ivs, _ := overrideFromForm(r.PostForm)
	if !d.DayOff && len(ivs) == 0 {
		refuse(w, r, "/me/overrides", formState{Message: "Some fields are invalid.",
			Errors: map[string]string{"intervals": "give at least one start and end, or tick “Day off”"}})
		return
	}
	_, err := s.app.Availability.PutOverride(r.Context(), me, d.Date, ivs)
	if err == nil {
		http.Redirect(w, r, "/me/overrides?done=override", http.StatusSeeOther)
		return
	}
	fields, msg := formErrors(err)
	if fields == nil {
		s.fail(w, r, err)
		return
	}
	refuse(w, r, "/me/overrides", formState{Errors: fields, Message: msg})
}

func (s *server) deleteOverride(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	err := s.app.Availability.DeleteOverride(r.Context(), me, r.PathValue("date"))
	switch mentorbook.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/me/overrides?done=unoverride", http.StatusSeeOther)
	case mentorbook.EINVALID, mentorbook.ENOTFOUND, mentorbook.ECONFLICT:
		refuse(w, r, "/me/overrides", formState{Alert: mentorbook.ErrorMessage(err)})
	default:
		s.fail(w, r, err)
	}
}
