package web

import (
	"net/http"
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
	s.showOverrides(w, r, me, http.StatusOK, d)
}

func (s *server) showOverrides(w http.ResponseWriter, r *http.Request, me mentorbook.User, status int, d overridesData) {
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
	s.render(w, r, status, "overrides", view{Title: "Date overrides", Flash: flashOf(r), Data: d})
}

func (s *server) saveOverride(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "Bad request", "The form could not be read.")
		return
	}
	f := r.PostForm
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
	if !d.DayOff && len(ivs) == 0 {
		d.Errors["intervals"] = "give at least one start and end, or tick “Day off”"
		d.Message = "Some fields are invalid."
		s.showOverrides(w, r, me, http.StatusUnprocessableEntity, d)
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
	d.Message = msg
	placeErrors(fields, "intervals", rowOf, func(row int) map[string]string { return d.Rows[row].Errors }, d.Errors)
	s.showOverrides(w, r, me, http.StatusUnprocessableEntity, d)
}

func (s *server) deleteOverride(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	err := s.app.Availability.DeleteOverride(r.Context(), me, r.PathValue("date"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me/overrides?done=unoverride", http.StatusSeeOther)
}
