package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

// weeklyRow is one row of the weekly hours editor, as typed.
type weeklyRow struct {
	Weekday    int
	Start, End string
	Errors     map[string]string // "weekday", "start", "end"
}

// setting is one numeric setting field, as typed.
type setting struct {
	Name, Label, Help string
	Min, Max, Step    int
	Value             string
}

type availabilityData struct {
	MentorID int64
	Timezone string
	Rows     []weeklyRow
	Settings []setting
	Errors   map[string]string
	Message  string
}

// Blank is the row static/app.js adds.
func (availabilityData) Blank() weeklyRow { return weeklyRow{Weekday: 1} }

// blankRows are offered for new hours; without JavaScript they are the way
// to add rows, and clearing a row's times removes it.
const blankRows = 2

// settingFields lists the numeric settings in the order the form shows them.
func settingFields(a mentorbook.Availability) []setting {
	field := func(l app.SettingLimit, label, help string, value int) setting {
		return setting{Name: l.Field, Label: label, Help: help, Min: l.Min, Max: l.Max,
			Step: max(l.Multiple, 1), Value: strconv.Itoa(value)}
	}
	return []setting{
		field(app.SessionLimit, "Session length (minutes)", "15 to 480, a multiple of 5.", a.SessionMinutes),
		field(app.SlotIntervalLimit, "Start a slot every (minutes)", "0 means back to back, one session length apart.", a.SlotIntervalMinutes),
		field(app.NoticeLimit, "Minimum notice (minutes)", "How soon before a session it can still be requested. 240 = 4 hours.", a.MinNoticeMinutes),
		field(app.HorizonLimit, "Booking horizon (days)", "How far ahead mentees can book.", a.HorizonDays),
		field(app.BufferBeforeLimit, "Buffer before (minutes)", "Free time kept before each session.", a.BufferBeforeMinutes),
		field(app.BufferAfterLimit, "Buffer after (minutes)", "Free time kept after each session.", a.BufferAfterMinutes),
		field(app.ExpiryLimit, "Answer requests within (hours)", "Unanswered requests expire after this.", a.PendingExpiryHours),
	}
}

func (s *server) availabilityForm(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	a, err := s.app.Availability.Get(r.Context(), me)
	if mentorbook.ErrorCode(err) == mentorbook.EFORBIDDEN {
		http.Redirect(w, r, "/me/profile", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := availabilityData{MentorID: me.ID, Timezone: a.Timezone, Settings: settingFields(a)}
	for _, wk := range a.Weekly {
		d.Rows = append(d.Rows, weeklyRow{Weekday: int(wk.Weekday), Start: formClock(wk.Start), End: formClock(wk.End)})
	}
	d.Rows = append(d.Rows, blankWeeklyRows()...)
	var alert string
	if st, ok := formFor(w, r); ok {
		d, alert = carriedAvailability(st, me), st.whyAlert()
	}
	s.render(w, r, http.StatusOK, "availability", view{Title: "Availability", Alert: alert, Data: d})
}

func (s *server) saveAvailability(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	d, in, _ := availabilityFromForm(r.PostForm, me)
	if len(d.Errors) > 0 {
		refuse(w, r, "/me/availability", formState{Errors: d.Errors, Message: "Some fields are invalid."})
		return
	}
	_, err := s.app.Availability.Put(r.Context(), me, in)
	if err == nil {
		http.Redirect(w, r, "/me/availability?done=hours", http.StatusSeeOther)
		return
	}
	fields, msg := formErrors(err)
	if fields == nil {
		s.fail(w, r, err)
		return
	}
	refuse(w, r, "/me/availability", formState{Errors: fields, Message: msg})
}

// availabilityFromForm reads the hours form as typed: the page's rows and
// settings, the use case's input, and rowOf, which maps the input's
// weekly[i] back to its form row. A setting that is not a number is an
// error here; the rest is the use case's to judge.
func availabilityFromForm(f url.Values, me mentorbook.User) (availabilityData, app.AvailabilityInput, []int) {
	d := availabilityData{MentorID: me.ID, Timezone: canonicalZone(f.Get("timezone")), Errors: map[string]string{}}
	in := app.AvailabilityInput{Timezone: d.Timezone}

	// Rows: index-aligned weekday/start/end lists; fully blank rows are
	// dropped.
	days, starts, ends := f["weekday"], f["start"], f["end"]
	var rowOf []int
	for i := range starts {
		row := weeklyRow{Start: strings.TrimSpace(starts[i]), Errors: map[string]string{}}
		if i < len(ends) {
			row.End = strings.TrimSpace(ends[i])
		}
		if i < len(days) {
			wd, err := strconv.Atoi(days[i])
			if err != nil {
				wd = -1
			}
			row.Weekday = wd
		}
		d.Rows = append(d.Rows, row)
		if row.Start == "" && row.End == "" {
			continue
		}
		rowOf = append(rowOf, len(d.Rows)-1)
		in.Weekly = append(in.Weekly, app.WeeklyInput{Weekday: row.Weekday, Start: row.Start, End: midnightEnd(row.End)})
	}

	d.Settings = settingFields(mentorbook.DefaultAvailability(me.ID, ""))
	targets := map[string]**int{
		"session_minutes": &in.SessionMinutes, "slot_interval_minutes": &in.SlotIntervalMinutes,
		"min_notice_minutes": &in.MinNoticeMinutes, "horizon_days": &in.HorizonDays,
		"buffer_before_minutes": &in.BufferBeforeMinutes, "buffer_after_minutes": &in.BufferAfterMinutes,
		"pending_expiry_hours": &in.PendingExpiryHours,
	}
	for i := range d.Settings {
		st := &d.Settings[i]
		st.Value = strings.TrimSpace(f.Get(st.Name))
		if st.Value == "" {
			continue
		}
		n, err := strconv.Atoi(st.Value)
		if err != nil {
			d.Errors[st.Name] = "must be a whole number"
			continue
		}
		*targets[st.Name] = &n
	}
	return d, in, rowOf
}

// carriedAvailability is the hours form as a refused or interrupted post
// left it, with each problem next to its field.
func carriedAvailability(st formState, me mentorbook.User) availabilityData {
	d, _, rowOf := availabilityFromForm(st.Values, me)
	d.Message = st.Message
	placeErrors(st.Errors, "weekly", rowOf, func(row int) map[string]string { return d.Rows[row].Errors }, d.Errors)
	if len(d.Rows) == 0 || d.Rows[len(d.Rows)-1].Start != "" || d.Rows[len(d.Rows)-1].End != "" {
		d.Rows = append(d.Rows, blankWeeklyRows()[:1]...)
	}
	return d
}

func blankWeeklyRows() []weeklyRow {
	rows := make([]weeklyRow, blankRows)
	for i := range rows {
		rows[i].Weekday = 1
	}
	return rows
}

// formClock formats minutes for an <input type=time>, which cannot hold
// "24:00": the end of the day is shown as 00:00.
func formClock(min int) string {
	if min == schedule.MinutesPerDay {
		return "00:00"
	}
	return schedule.FormatClock(min)
}

// midnightEnd reads an end time of 00:00 as the end of the day, the only
// thing it can mean for an end (see formClock).
func midnightEnd(end string) string {
	if end == "00:00" {
		return "24:00"
	}
	return end
}
