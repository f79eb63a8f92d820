package web

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

// mentorListData is the mentor directory with its filters as typed. The
// "free in this window" filter is a date and two times in the viewer's
// zone.
type mentorListData struct {
	Mentors                   []mentorCard
	Q, Skills, MaxPrice, Sort string
	Date, From, To            string // the window: YYYY-MM-DD, HH:MM, HH:MM
	Zone                      string
	Currency                  string
	Errors                    map[string]string
	Next                      string // cursor of the next page
	Filtered                  bool
}

// mentorCard is a search result as the directory shows it.
type mentorCard struct {
	mentorbook.Mentor
	FromPrice string     // "" when no service is offered
	Next      *time.Time // next available time in the viewer's zone
}

func (s *server) mentorList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := mentorListData{Q: strings.TrimSpace(q.Get("q")), Skills: q.Get("skill"), MaxPrice: strings.TrimSpace(q.Get("max_price")),
		Sort: q.Get("sort"), Date: q.Get("date"), From: q.Get("from"), To: q.Get("to"), Errors: map[string]string{},
		Currency: s.app.Services.Currency().Code}
	loc := s.zoneOf(w, r)
	d.Zone = loc.String()
	in := app.MentorSearchQuery{Q: d.Q, Skills: splitSkills(d.Skills), Sort: d.Sort, Cursor: q.Get("cursor")}
	if d.MaxPrice != "" {
		if minor, err := s.app.Services.Currency().ParseAmount(d.MaxPrice); err != nil {
			d.Errors["max_price"] = "must be an amount like 50 or 49.99"
		} else {
			in.MaxPriceMinor = strconv.FormatInt(minor, 10)
		}
	}
	if d.Date != "" || d.From != "" || d.To != "" {
		from, to, problem := localWindow(loc, d.Date, d.From, d.To)
		if problem != "" {
			d.Errors["window"] = problem
		} else {
			in.AvailableFrom, in.AvailableTo = from.Format(time.RFC3339), to.Format(time.RFC3339)
		}
	}
	d.Filtered = d.Q != "" || d.Skills != "" || d.MaxPrice != "" || d.Date != ""
	status := http.StatusOK
	if len(d.Errors) == 0 {
		ms, next, err := s.app.Mentors.Search(r.Context(), in)
		switch {
		case mentorbook.ErrorCode(err) == mentorbook.EINVALID:
			fields, _ := formErrors(err)
			for k, v := range fields {
				d.Errors[searchField[k]] = v
			}
		case err != nil:
			s.fail(w, r, err)
			return
		}
		for _, m := range ms {
			c := mentorCard{Mentor: m.Mentor}
			if m.FromPriceMinor != nil {
				c.FromPrice = s.price(*m.FromPriceMinor)
			}
			if m.NextAvailable != nil {
				t := m.NextAvailable.In(loc)
				c.Next = &t
			}
			d.Mentors = append(d.Mentors, c)
		}
		d.Next = next
	}
	if len(d.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "mentors", view{Title: "Mentors", Data: d})
}

// searchField is the form field of each field the search use case names.
var searchField = map[string]string{
	"q": "q", "skill": "skills", "max_price_minor": "max_price", "sort": "sort", "cursor": "q", "limit": "q",
	"available_from": "window", "available_to": "window",
}

// localWindow reads a date and two wall times in loc as instants; "to"
// 00:00 or before "from" means the next day's.
func localWindow(loc *time.Location, date, from, to string) (time.Time, time.Time, string) {
	d, err := schedule.ParseDate(date)
	if err != nil {
		return time.Time{}, time.Time{}, "choose a date"
	}
	if from == "" {
		from = "00:00"
	}
	if to == "" {
		to = "24:00"
	}
	start, err1 := schedule.ParseClock(from)
	end, err2 := schedule.ParseClock(to)
	if err1 != nil || err2 != nil {
		return time.Time{}, time.Time{}, "times must be like 09:00"
	}
	endDate := d
	if end <= start {
		endDate = d.AddDays(1)
	}
	return schedule.Resolve(loc, d, start), schedule.Resolve(loc, endDate, end), ""
}

// mentorPageData is a mentor's public page: profile, calendar and the
// request form for the chosen day.
type mentorPageData struct {
	Cal      monthCalendar
	Grid     template.HTML // Cal's weeks as table rows (monthGrid)
	Zone     zoneChoice
	TZParam  string // tz for links, when the page was asked for in a zone
	FormTZ   string // tz the request form sends: TZParam, or the zone a visitor sees
	Month    string // "YYYY-MM" shown
	Day      string // the chosen day, "" for none
	Start    string // the slot chosen in a refused or carried request
	Message  string // typed message kept after a refused or carried request
	Errors   map[string]string
	Taken    bool // the request lost a race for its slot
	SignedIn bool
	// Own is the mentor looking at their own page: they see what mentees
	// see, without a request form they could not use.
	Own bool
	// RequestKey is the form's Idempotency-Key: a double-submitted request
	// answers like the first instead of losing the slot to itself.
	RequestKey string
	// Services are the mentor's active services as cards.
	Services []serviceCard
	// ProgramsOnly: the free consultation is inactive, so the calendar
	// takes no direct requests.
	ProgramsOnly bool
	// A refused service request: which service, what was typed, why.
	ServiceID      int64
	ServiceMessage string
	ServiceError   string
	// Session is the viewer's mentorship whose session the calendar books
	// (?mentorship=ID), nil for a free consultation.
	Session         *mentorshipView
	MentorshipParam string
	// Reviews are the mentor's reviews, with the reply form on their own page.
	Reviews reviewsView
	// MeetingURL is the mentor's personal meeting link, for the mentor
	// and their confirmed mentees only ("" for others).
	MeetingURL string
}

func (s *server) mentorPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	q := r.URL.Query()
	month, day, tz := q.Get("month"), q.Get("day"), q.Get("tz")
	var d mentorPageData
	var alert string
	// A refused request, or one sent before logging in, comes back here
	// with the zone, day, time and message chosen.
	st, carried := formFor(w, r)
	if carried && strings.HasPrefix(st.Action, "/services/") {
		// A refused request for a service: its card shows why.
		d.ServiceID, _ = strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(st.Action, "/services/"), "/request"), 10, 64)
		d.ServiceMessage, d.ServiceError = st.Values.Get("message"), st.Message
		alert = st.whyAlert()
	} else if carried {
		month, day = st.Values.Get("month"), st.Values.Get("day")
		if z := st.Values.Get("tz"); z != "" && tz == "" {
			tz = z
		}
		d.Start, d.Message, d.Errors, d.Taken = st.Values.Get("start"), st.Values.Get("message"), st.Errors, st.Taken
		d.MentorshipParam = st.Values.Get("mentorship_id")
		alert = st.whyAlert()
	}
	if !carried && viewerOf(r).user == nil && flashOf(r) == "" && q.Get("mentorship") == "" {
		// What every visitor sees, the same for all: kept.
		s.keptMentorPage(w, r, id, month, day, tz)
		return
	}
	v, err := s.mentorView(r, s.app.Mentors.Reads(id), id, month, day, tz, d, alert)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "mentor", v)
}

// requestKeyMark stands for the request form's key in a kept page: each
// answer gets its own key in its place.
var requestKeyMark = []byte(rand.Text())

// keptMentorPage answers a visitor's mentor page from app.KeptPage. The
// page depends on the request only through its address (the layout shows
// it) and the zone: the key names both.
func (s *server) keptMentorPage(w http.ResponseWriter, r *http.Request, id int64, month, day, tz string) {
	zone := zoneFor(r, tz)
	key := fmt.Sprintf("%s\x00%s\x00%t%t%s", r.URL.RequestURI(), zone.Zone, zone.Known, zone.Chosen, zone.Invalid)
	body, err := s.app.Mentors.KeptPage(r.Context(), id, key, func(rd *app.PageReads) ([]byte, error) {
		v, err := s.mentorView(r, rd, id, month, day, tz, mentorPageData{}, "")
		if err != nil {
			return nil, err
		}
		d := v.Data.(mentorPageData)
		d.RequestKey = string(requestKeyMark)
		v.Data = d
		return s.renderPage(r, "mentor", v)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body))) // a key is as long as its mark
	w.WriteHeader(http.StatusOK)
	for {
		i := bytes.Index(body, requestKeyMark)
		if i < 0 {
			break
		}
		_, _ = w.Write(body[:i])
		_, _ = w.Write([]byte(rand.Text()))
		body = body[i+len(requestKeyMark):]
	}
	_, _ = w.Write(body)
}

// mentorView is the mentor page for a month and day, read through rd; d
// carries what a refused request needs shown again.
func (s *server) mentorView(r *http.Request, rd *app.PageReads, id int64, month, day, tz string, d mentorPageData, alert string) (view, error) {
	ctx := r.Context()
	d.Zone = zoneFor(r, tz)
	loc, err := schedule.LoadZone(d.Zone.Zone) // viewerZone gives only zones that load
	if err != nil {
		return view{}, err
	}
	if d.MentorshipParam == "" {
		d.MentorshipParam = r.URL.Query().Get("mentorship")
	}
	duration := 0
	if d.MentorshipParam != "" {
		if sv, ok := s.sessionMode(r, id, d.MentorshipParam, loc); ok {
			d.Session, duration = &sv, sv.SessionMinutes
		} else {
			d.MentorshipParam = ""
			alert = "That mentorship has no sessions to book with this mentor now; the calendar shows free consultations."
		}
	}
	page, err := rd.Page(ctx)
	if err != nil {
		return view{}, err
	}
	cal, err := mentorMonth(ctx, rd, page.Mentor, month, day, loc, duration)
	if mentorbook.ErrorCode(err) == mentorbook.EINVALID {
		// A hand-edited month or day: show the current month instead.
		cal, err = mentorMonth(ctx, rd, page.Mentor, "", "", loc, duration)
	}
	if err != nil {
		return view{}, err
	}
	d.Cal = cal
	d.Month = fmt.Sprintf("%04d-%02d", cal.Month.Year, int(cal.Month.Month))
	if cal.Day != nil {
		d.Day = cal.Day.String()
	}
	me := viewerOf(r).user
	if d.Zone.Chosen {
		d.TZParam, d.FormTZ = d.Zone.Zone, d.Zone.Zone
	}
	d.Grid = monthGrid(cal.Weeks, d.Month, d.Day, d.TZParam, d.MentorshipParam)
	if me == nil && d.Zone.Known {
		// A visitor's request form carries the zone they see, so after
		// logging in (the account may say another) the same day comes back.
		d.FormTZ = d.Zone.Zone
	}
	if t, err := time.Parse(time.RFC3339, d.Start); err == nil {
		d.Start = t.In(loc).Format(time.RFC3339) // as the form's values are written
	}
	d.SignedIn = me != nil
	d.Own = me != nil && me.ID == cal.Mentor.ID
	if me != nil {
		if d.MeetingURL, err = s.app.Mentors.MeetingURLFor(ctx, *me, id); err != nil {
			return view{}, err
		}
	}
	d.ProgramsOnly = true
	for _, sv := range page.Services {
		d.Services = append(d.Services, s.serviceCard(sv))
		if sv.IsDefault {
			d.ProgramsOnly = false
		}
	}
	d.Reviews = reviewsOf(page.Reviews, d.Own)
	d.RequestKey = rand.Text()
	v := view{Title: cal.Mentor.Name, Data: d, TZUnknown: !d.Zone.Known, Alert: alert}
	if d.Zone.Invalid != "" {
		v.Alert = fmt.Sprintf("%q is not a time zone we know; times are shown in %s.", d.Zone.Invalid, d.Zone.Zone)
	}
	return v, nil
}

func (s *server) requestSlot(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	in := app.BookingInput{MentorID: id, Start: r.PostFormValue("start"), Message: r.PostFormValue("message")}
	session := r.PostFormValue("mentorship_id")
	if session != "" {
		var err error
		if in.MentorshipID, err = strconv.ParseInt(session, 10, 64); err != nil {
			s.notFound(w, r)
			return
		}
	}
	_, err := s.app.Bookings.Request(r.Context(), me, in, r.PostFormValue("request_key"))
	// A refused request goes back to the page it came from: the same
	// month, day and zone, with the time and message kept.
	page := fmt.Sprintf("/mentors/%d%s", id, query("month", r.PostFormValue("month"), "day", r.PostFormValue("day"),
		"tz", r.PostFormValue("tz"), "mentorship", session))
	switch mentorbook.ErrorCode(err) {
	case "":
		if in.MentorshipID != 0 {
			http.Redirect(w, r, "/mentorships/"+session+"?done=session", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/bookings?done=requested", http.StatusSeeOther)
	case mentorbook.ECONFLICT:
		refuse(w, r, page, formState{Taken: true})
	case mentorbook.EINVALID:
		fields, _ := formErrors(err)
		errs := make(map[string]string, len(fields))
		for k, v := range fields {
			errs[k] = v
		}
		if in.Start == "" {
			errs["start"] = "choose a time first"
		}
		refuse(w, r, page, formState{Errors: errs})
	default:
		s.fail(w, r, err)
	}
}

// sessionMode reads the mentorship a calendar books a session of: the
// viewer's own, as its mentee, with this mentor, with a session left.
func (s *server) sessionMode(r *http.Request, mentorID int64, param string, loc *time.Location) (mentorshipView, bool) {
	me := viewerOf(r).user
	id, err := strconv.ParseInt(param, 10, 64)
	if me == nil || err != nil {
		return mentorshipView{}, false
	}
	m, err := s.app.Mentorships.Get(r.Context(), *me, id)
	if err != nil || m.MentorID != mentorID {
		return mentorshipView{}, false
	}
	v := s.mentorshipView(*me, m, loc)
	return v, v.CanBook
}

// pathID parses the {id} path value; a malformed id is simply not found.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}
