package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// bookingsData is the bookings page: the mentor's inbox and the mentee's
// bookings. A refused answer names its booking, action and problem.
type bookingsData struct {
	Inbox    inbox
	Zone     string
	FailedID int64
	Action   string // "decline" or "cancel"
	Reason   string // typed reason kept
	Problem  string
}

func (s *server) bookingsPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	var d bookingsData
	var alert string
	// A refused answer, or one sent after the session ended, comes back
	// next to its booking: "/bookings/{id}/{action}".
	if st, ok := formFor(w, r); ok {
		alert = st.whyAlert()
		parts := strings.Split(st.Action, "/") // "", "bookings", id, action
		if id, err := strconv.ParseInt(parts[min(2, len(parts)-1)], 10, 64); err == nil && len(parts) == 4 {
			d.FailedID, d.Action, d.Reason = id, parts[3], st.Values.Get("reason")
			if p := st.Errors["reason"]; p != "" {
				d.Problem = "Reason " + p + "."
			}
		}
	}
	s.showBookings(w, r, me, d, alert)
}

func (s *server) showBookings(w http.ResponseWriter, r *http.Request, me mentorbook.User, d bookingsData, alert string) {
	zc := viewerZone(r)
	zone := zc.Zone
	if !zc.Known {
		zone = me.Timezone
	}
	loc, err := schedule.LoadZone(zone)
	if err != nil {
		s.fail(w, r, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{"tz": "must be an IANA time zone like Europe/Berlin"}})
		return
	}
	moving, _ := strconv.ParseInt(r.URL.Query().Get("move"), 10, 64)
	in, err := s.inboxOf(r.Context(), me, loc, moving)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Inbox, d.Zone = in, loc.String()
	s.render(w, r, http.StatusOK, "bookings", view{Title: "Bookings", Alert: alert, Data: d})
}

func (s *server) acceptBooking(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	s.answer(w, r, me, "accepted", func(id int64, _ string) error {
		_, err := s.app.Bookings.Accept(r.Context(), me, id)
		return err
	})
}

func (s *server) declineBooking(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	s.answer(w, r, me, "declined", func(id int64, reason string) error {
		_, err := s.app.Bookings.Decline(r.Context(), me, id, reason)
		return err
	})
}

func (s *server) cancelBooking(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	s.answer(w, r, me, "cancelled", func(id int64, reason string) error {
		_, err := s.app.Bookings.Cancel(r.Context(), me, id, reason)
		return err
	})
}

func (s *server) rescheduleBooking(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	s.answer(w, r, me, "rescheduled", func(id int64, _ string) error {
		_, err := s.app.Bookings.Reschedule(r.Context(), me, id, r.PostFormValue("start"))
		return err
	})
}

func (s *server) setBookingLocation(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	s.answer(w, r, me, "location", func(id int64, _ string) error {
		_, err := s.app.Bookings.SetLocation(r.Context(), me, id, r.PostFormValue("location"))
		return err
	})
}

func (s *server) reportAttendance(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	s.answer(w, r, me, "attendance", func(id int64, _ string) error {
		var came *bool
		switch r.PostFormValue("other_attended") {
		case "yes":
			came = new(true)
		case "no":
			came = new(false)
		}
		_, err := s.app.Bookings.ReportAttendance(r.Context(), me, id, came)
		return err
	})
}

// answer applies a booking transition and shows the outcome: back to the
// list with a confirmation, the form's problem next to it, or the reason
// the booking could not change.
func (s *server) answer(w http.ResponseWriter, r *http.Request, me mentorbook.User, done string, do func(id int64, reason string) error) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	err := do(id, r.PostFormValue("reason"))
	switch mentorbook.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/bookings?done="+done, http.StatusSeeOther)
	case mentorbook.EINVALID:
		fields, _ := formErrors(err)
		st := formState{Errors: fields}
		if _, ok := fields["reason"]; !ok {
			// Another form's field (a place, a time): said at the top.
			for f, problem := range fields {
				st.Alert = strings.ReplaceAll(f, "_", " ") + " " + problem + "."
			}
		}
		refuse(w, r, "/bookings", st)
	case mentorbook.ECONFLICT:
		refuse(w, r, "/bookings", formState{Alert: mentorbook.ErrorMessage(err)})
	default:
		s.fail(w, r, err)
	}
}

// calendarFeed serves a personal calendar feed: no sign-in, the secret
// token in the address is the authority (calendar programs fetch it).
func (s *server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || token == "" {
		s.notFound(w, r)
		return
	}
	data, err := s.app.Accounts.CalendarFeed(r.Context(), token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeCalendar(w, data, "mentorbook.ics")
}

// bookingCalendar is "Add to calendar": one booking as a file.
func (s *server) bookingCalendar(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	data, err := s.app.Bookings.CalendarFile(r.Context(), me, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeCalendar(w, data, "booking-"+strconv.FormatInt(id, 10)+".ics")
}

func writeCalendar(w http.ResponseWriter, data []byte, filename string) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	_, _ = w.Write(data)
}
