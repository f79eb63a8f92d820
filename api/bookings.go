package api

import (
	"fmt"
	"net/http"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

func (s *server) createBooking(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		MentorID        int64  `json:"mentor_id"`
		Start           string `json:"start"`
		DurationMinutes *int   `json:"duration_minutes"`
		Message         string `json:"message"`
		MentorshipID    int64  `json:"mentorship_id"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	b, err := s.app.Bookings.Request(r.Context(), caller, app.BookingInput{
		MentorID: in.MentorID, Start: in.Start, DurationMinutes: in.DurationMinutes, Message: in.Message,
		MentorshipID: in.MentorshipID,
	}, r.Header.Get("Idempotency-Key"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toBooking(b, s.app.Now()))
}

func (s *server) listBookings(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	q := r.URL.Query()
	bs, next, err := s.app.Bookings.List(r.Context(), caller, app.BookingQuery{
		Role: q.Get("role"), Status: q.Get("status"), From: q.Get("from"), To: q.Get("to"),
		Cursor: q.Get("cursor"), Limit: q.Get("limit"),
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Bookings   []bookingJSON `json:"bookings"`
		NextCursor string        `json:"next_cursor"`
	}{Bookings: []bookingJSON{}, NextCursor: next}
	for _, b := range bs {
		out.Bookings = append(out.Bookings, toBooking(b, s.app.Now()))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) getBooking(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "booking")
	if !ok {
		return
	}
	b, err := s.app.Bookings.Get(r.Context(), caller, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toBooking(b, s.app.Now()))
}

func (s *server) acceptBooking(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	s.changeBooking(w, r, caller, func(id int64, _ string) (mentorbook.Booking, error) {
		return s.app.Bookings.Accept(r.Context(), caller, id)
	})
}

func (s *server) declineBooking(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	s.changeBooking(w, r, caller, func(id int64, reason string) (mentorbook.Booking, error) {
		return s.app.Bookings.Decline(r.Context(), caller, id, reason)
	})
}

func (s *server) cancelBooking(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	s.changeBooking(w, r, caller, func(id int64, reason string) (mentorbook.Booking, error) {
		return s.app.Bookings.Cancel(r.Context(), caller, id, reason)
	})
}

// changeBooking reads the optional {reason} body and applies a transition.
func (s *server) changeBooking(w http.ResponseWriter, r *http.Request, _ mentorbook.User, do func(id int64, reason string) (mentorbook.Booking, error)) {
	id, ok := s.pathID(w, r, "booking")
	if !ok {
		return
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if !decode(w, r, &in, true) {
		return
	}
	b, err := do(id, in.Reason)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toBooking(b, s.app.Now()))
}

func (s *server) patchBooking(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "booking")
	if !ok {
		return
	}
	var in struct {
		Location *string `json:"location"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	if in.Location == nil {
		s.writeError(w, r, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{"location": "is required"}})
		return
	}
	b, err := s.app.Bookings.SetLocation(r.Context(), caller, id, *in.Location)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toBooking(b, s.app.Now()))
}

func (s *server) rescheduleBooking(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "booking")
	if !ok {
		return
	}
	var in struct {
		Start string `json:"start"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	b, err := s.app.Bookings.Reschedule(r.Context(), caller, id, in.Start)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toBooking(b, s.app.Now()))
}

func (s *server) reportAttendance(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "booking")
	if !ok {
		return
	}
	var in struct {
		OtherAttended *bool `json:"other_attended"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	b, err := s.app.Bookings.ReportAttendance(r.Context(), caller, id, in.OtherAttended)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toBooking(b, s.app.Now()))
}

func (s *server) bookingCalendar(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "booking")
	if !ok {
		return
	}
	data, err := s.app.Bookings.CalendarFile(r.Context(), caller, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeCalendar(w, data, fmt.Sprintf("booking-%d.ics", id))
}

// writeCalendar answers an iCalendar file to download.
func writeCalendar(w http.ResponseWriter, data []byte, filename string) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	_, _ = w.Write(data)
}

func (s *server) getCalendarFeed(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	u, err := s.app.Accounts.CalendarFeedURL(r.Context(), caller)
	s.writeFeed(w, r, u, err)
}

func (s *server) regenerateCalendarFeed(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct{}
	if !decode(w, r, &in, true) {
		return
	}
	u, err := s.app.Accounts.RegenerateCalendarFeed(r.Context(), caller)
	s.writeFeed(w, r, u, err)
}

func (s *server) writeFeed(w http.ResponseWriter, r *http.Request, url string, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		URL string `json:"url"`
	}{url})
}
