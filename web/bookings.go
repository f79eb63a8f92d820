package web

import (
	"net/http"

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
	s.showBookings(w, r, me, http.StatusOK, bookingsData{}, flashOf(r), "")
}

func (s *server) showBookings(w http.ResponseWriter, r *http.Request, me mentorbook.User, status int, d bookingsData, flash, alert string) {
	zc := viewerZone(w, r)
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
	in, err := s.inboxOf(r.Context(), me, loc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Inbox, d.Zone = in, loc.String()
	s.render(w, r, status, "bookings", view{Title: "Bookings", Flash: flash, Alert: alert, Data: d})
}

func (s *server) acceptBooking(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	s.answer(w, r, me, "accept", "accepted", func(id int64, _ string) error {
		_, err := s.app.Bookings.Accept(r.Context(), me, id)
		return err
	})
}

func (s *server) declineBooking(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	s.answer(w, r, me, "decline", "declined", func(id int64, reason string) error {
		_, err := s.app.Bookings.Decline(r.Context(), me, id, reason)
		return err
	})
}

func (s *server) cancelBooking(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	s.answer(w, r, me, "cancel", "cancelled", func(id int64, reason string) error {
		_, err := s.app.Bookings.Cancel(r.Context(), me, id, reason)
		return err
	})
}

// answer applies a booking transition and shows the outcome: back to the
// list with a confirmation, the form's problem next to it, or the reason
// the booking could not change.
func (s *server) answer(w http.ResponseWriter, r *http.Request, me mentorbook.User, action, done string, do func(id int64, reason string) error) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	reason := r.PostFormValue("reason")
	err := do(id, reason)
	switch mentorbook.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/bookings?done="+done, http.StatusSeeOther)
	case mentorbook.EINVALID:
		fields, _ := formErrors(err)
		s.showBookings(w, r, me, http.StatusUnprocessableEntity,
			bookingsData{FailedID: id, Action: action, Reason: reason, Problem: "Reason " + fields["reason"] + "."}, "", "")
	case mentorbook.ECONFLICT:
		s.showBookings(w, r, me, http.StatusConflict, bookingsData{}, "", mentorbook.ErrorMessage(err))
	default:
		s.fail(w, r, err)
	}
}
