package web

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

type mentorListData struct {
	Mentors []mentorbook.Mentor
	Skill   string
	Next    string // cursor of the next page
}

func (s *server) mentorList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := mentorListData{Skill: strings.TrimSpace(q.Get("skill"))}
	ms, next, err := s.app.Mentors.List(r.Context(), app.MentorQuery{Skill: d.Skill, Cursor: q.Get("cursor")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Mentors, d.Next = ms, next
	s.render(w, r, http.StatusOK, "mentors", view{Title: "Mentors", Data: d})
}

// mentorPageData is a mentor's public page: profile, calendar and the
// request form for the chosen day.
type mentorPageData struct {
	Cal      monthCalendar
	Zone     zoneChoice
	TZParam  string // tz for links, when the zone is known
	Month    string // "YYYY-MM" shown
	Day      string // the chosen day, "" for none
	Start    string // the slot chosen in a refused request
	Message  string // typed message kept after a refused request
	Errors   map[string]string
	Taken    bool // the request lost a race for its slot
	SignedIn bool
	// RequestKey is the form's Idempotency-Key: a double-submitted request
	// answers like the first instead of losing the slot to itself.
	RequestKey string
	// Services are the mentor's active services as cards.
	Services []serviceCard
	// ProgramsOnly: the free consultation is inactive, so the calendar
	// takes no direct requests.
	ProgramsOnly bool
	Own          bool // the viewer is this mentor
	// A refused service request: which service, what was typed, why.
	ServiceID      int64
	ServiceMessage string
	ServiceError   string
}

func (s *server) mentorPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	q := r.URL.Query()
	s.showMentor(w, r, http.StatusOK, id, q.Get("month"), q.Get("day"), mentorPageData{})
}

// showMentor renders the mentor page for a month and day; d carries what a
// refused request needs shown again.
func (s *server) showMentor(w http.ResponseWriter, r *http.Request, status int, id int64, month, day string, d mentorPageData) {
	d.Zone = viewerZone(w, r)
	loc, err := schedule.LoadZone(d.Zone.Zone) // viewerZone gives only zones that load
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cal, err := s.mentorMonth(r.Context(), id, month, day, loc)
	if mentorbook.ErrorCode(err) == mentorbook.EINVALID {
		// A hand-edited month or day: show the current month instead.
		cal, err = s.mentorMonth(r.Context(), id, "", "", loc)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Cal = cal
	d.Month = fmt.Sprintf("%04d-%02d", cal.Month.Year, int(cal.Month.Month))
	if cal.Day != nil {
		d.Day = cal.Day.String()
	}
	if d.Zone.Known {
		d.TZParam = d.Zone.Zone
	}
	d.SignedIn = viewerOf(r).user != nil
	d.Own = d.SignedIn && viewerOf(r).user.ID == id
	svs, err := s.app.Services.Offered(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.ProgramsOnly = true
	for _, sv := range svs {
		d.Services = append(d.Services, s.serviceCard(sv))
		if sv.IsDefault {
			d.ProgramsOnly = false
		}
	}
	d.RequestKey = rand.Text()
	v := view{Title: cal.Mentor.Name, Data: d, TZUnknown: !d.Zone.Known}
	if d.Zone.Invalid != "" {
		v.Alert = fmt.Sprintf("%q is not a time zone we know; times are shown in %s.", d.Zone.Invalid, d.Zone.Zone)
	}
	s.render(w, r, status, "mentor", v)
}

func (s *server) requestSlot(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	in := app.BookingInput{MentorID: id, Start: r.PostFormValue("start"), Message: r.PostFormValue("message")}
	month, day := r.PostFormValue("month"), r.PostFormValue("day")
	_, err := s.app.Bookings.Request(r.Context(), me, in, r.PostFormValue("request_key"))
	switch mentorbook.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/bookings?done=requested", http.StatusSeeOther)
	case mentorbook.ECONFLICT:
		s.showMentor(w, r, http.StatusConflict, id, month, day, mentorPageData{Taken: true, Message: in.Message})
	case mentorbook.EINVALID:
		fields, _ := formErrors(err)
		errs := make(map[string]string, len(fields))
		for k, v := range fields {
			errs[k] = v
		}
		if in.Start == "" {
			errs["start"] = "choose a time first"
		}
		s.showMentor(w, r, http.StatusUnprocessableEntity, id, month, day,
			mentorPageData{Errors: errs, Message: in.Message, Start: in.Start})
	default:
		s.fail(w, r, err)
	}
}

// pathID parses the {id} path value; a malformed id is simply not found.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}
