package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

// dashboardData is the dashboard: every part a list, counted by its
// length, times in the viewer's zone.
type dashboardData struct {
	Zone             string
	WaitingForMe     []requestView
	WaitingForOthers []requestView
	Upcoming         []sessionView
	Active           []activeView
	History          []pastView
	Connections      []app.Connection
	Notifications    []mentorbook.Notification
	Messages         []app.MessageItem
	Mentor           *app.MentorDashboard
	// Money is the mentor's money part with amounts in the currency's format.
	Money []moneyLine
}

type moneyLine struct{ Kind, Label, Amount string }

// requestView is a booking or mentorship request in words.
type requestView struct {
	Kind, Title, Other, Link, State string
	At                              time.Time // a booking's start; zero for a mentorship
	Deadline                        time.Time // zero when none
}

type sessionView struct {
	mentorbook.Booking
	Other    string
	Start    time.Time
	Location string
}

type activeView struct {
	mentorshipView
	Summary app.Summary
	Time    string
}

type pastView struct {
	Kind, Title, Other, Link, State string
	When                            time.Time
	MentorshipID, BookingID         int64
	Reviewable                      bool
}

func otherName(meID, mentorID int64, mentor, mentee string) string {
	if meID == mentorID {
		return mentee
	}
	return mentor
}

func (s *server) dashboardPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	d, err := s.app.Dashboard.Get(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	loc := viewerLocation(w, r, me)
	in := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(loc)
	}
	v := dashboardData{Zone: loc.String(), Connections: d.Connections, Notifications: d.Notifications, Messages: d.Messages, Mentor: d.Mentor}
	if d.Mentor != nil {
		for _, m := range d.Mentor.Money {
			v.Money = append(v.Money, moneyLine{m.Kind, m.Label, s.app.Services.Currency().Format(m.AmountMinor)})
		}
	}
	request := func(q app.Request) requestView {
		if b := q.Booking; b != nil {
			return requestView{Kind: "booking", Title: "Free consultation", Other: otherName(me.ID, b.MentorID, b.MentorName, b.MenteeName),
				Link: "/bookings#booking-" + strconv.FormatInt(b.ID, 10), State: "Pending", At: in(b.Start), Deadline: in(b.ExpiresAt)}
		}
		m := q.Mentorship
		return requestView{Kind: "mentorship", Title: m.Title, Other: otherName(me.ID, m.MentorID, m.MentorName, m.MenteeName),
			Link: "/mentorships/" + strconv.FormatInt(m.ID, 10), State: statusTexts[m.Status], Deadline: in(m.ExpiresAt)}
	}
	for _, q := range d.WaitingForMe {
		v.WaitingForMe = append(v.WaitingForMe, request(q))
	}
	for _, q := range d.WaitingForOthers {
		v.WaitingForOthers = append(v.WaitingForOthers, request(q))
	}
	for _, u := range d.Upcoming {
		v.Upcoming = append(v.Upcoming, sessionView{u.Booking, otherName(me.ID, u.Booking.MentorID, u.Booking.MentorName, u.Booking.MenteeName),
			in(u.Booking.Start), u.Location})
	}
	for _, a := range d.Active {
		v.Active = append(v.Active, activeView{s.mentorshipView(me, a.Mentorship, loc), a.Summary, minutesText(a.Summary.Minutes)})
	}
	for _, p := range d.History {
		if b := p.Booking; b != nil {
			title := "Free consultation"
			if b.MentorshipID != 0 {
				title = "Session of a mentorship"
			}
			v.History = append(v.History, pastView{Kind: "booking", Title: title, Other: otherName(me.ID, b.MentorID, b.MentorName, b.MenteeName),
				Link: "/bookings", State: "Held", When: in(b.Start), BookingID: b.ID, Reviewable: p.Reviewable})
			continue
		}
		m := p.Mentorship
		v.History = append(v.History, pastView{Kind: "mentorship", Title: m.Title, Other: otherName(me.ID, m.MentorID, m.MentorName, m.MenteeName),
			Link: "/mentorships/" + strconv.FormatInt(m.ID, 10), State: statusTexts[m.Status], When: in(m.UpdatedAt),
			MentorshipID: m.ID, Reviewable: p.Reviewable})
	}
	page := view{Title: "Dashboard", Flash: flashOf(r), Data: v}
	if st, ok := formFor(w, r); ok {
		page.Alert = st.Message
	}
	s.render(w, r, http.StatusOK, "dashboard", page)
}

// switchAvailability turns the mentor's profile on or off in one click.
func (s *server) switchAvailability(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	on := r.PostFormValue("active") == "1"
	if _, err := s.app.Mentors.SetActive(r.Context(), me, on); err != nil {
		s.fail(w, r, err)
		return
	}
	done := "availability-off"
	if on {
		done = "availability-on"
	}
	http.Redirect(w, r, "/dashboard?done="+done, http.StatusSeeOther)
}
