package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

// part is one part of the dashboard: its count is always its length.
type part[T any] struct {
	Count int `json:"count"`
	Items []T `json:"items"`
}

func partOf[T, J any](items []T, to func(T) J) part[J] {
	l := list(items, to)
	return part[J]{len(l), l}
}

// requestJSON is a booking or a mentorship waiting for someone.
type requestJSON struct {
	Kind      string     `json:"kind"` // "booking" or "mentorship"
	ID        int64      `json:"id"`
	Title     string     `json:"title"`
	Status    string     `json:"status"`
	Mentor    partyJSON  `json:"mentor"`
	Mentee    partyJSON  `json:"mentee"`
	Start     *time.Time `json:"start"` // a booking's
	ExpiresAt *time.Time `json:"expires_at"`
	Link      string     `json:"link"`
}

func toRequest(q app.Request) requestJSON {
	if b := q.Booking; b != nil {
		start := b.Start.UTC()
		return requestJSON{Kind: "booking", ID: b.ID, Title: "Free consultation", Status: string(b.Status),
			Mentor: partyJSON{b.MentorID, b.MentorName}, Mentee: partyJSON{b.MenteeID, b.MenteeName}, Start: &start,
			ExpiresAt: optionalTime(b.ExpiresAt), Link: "/bookings"}
	}
	m := q.Mentorship
	return requestJSON{Kind: "mentorship", ID: m.ID, Title: m.Title, Status: string(m.Status),
		Mentor: partyJSON{m.MentorID, m.MentorName}, Mentee: partyJSON{m.MenteeID, m.MenteeName},
		ExpiresAt: optionalTime(m.ExpiresAt), Link: "/mentorships/" + strconv.FormatInt(m.ID, 10)}
}

type upcomingJSON struct {
	bookingJSON
	// Location is where the session happens ("" for none, or while the
	// caller may not see it); it reads as the booking's own location.
	Location string `json:"location"`
}

type progressJSON struct {
	SessionsUsed     int `json:"sessions_used"`
	SessionsIncluded int `json:"sessions_included"`
	TasksDone        int `json:"tasks_done"`
	TasksTotal       int `json:"tasks_total"`
	TotalMinutes     int `json:"total_minutes"`
}

func toProgress(s app.Summary) progressJSON {
	return progressJSON{s.SessionsUsed, s.SessionsIncluded, s.TasksDone, s.TasksTotal, s.Minutes}
}

type activeJSON struct {
	mentorshipJSON
	Progress progressJSON `json:"progress"`
}

type pastJSON struct {
	Kind       string          `json:"kind"` // "booking" (a held session) or "mentorship"
	Booking    *bookingJSON    `json:"booking,omitempty"`
	Mentorship *mentorshipJSON `json:"mentorship,omitempty"`
	Reviewable bool            `json:"reviewable"`
}

type connectionJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// MessageURL opens the conversation with them.
	MessageURL string `json:"message_url"`
}

type moneyJSON struct {
	Kind        string `json:"kind"`
	Label       string `json:"label"`
	AmountMinor int64  `json:"amount_minor"`
}

type messageJSON struct {
	From connectionJSON `json:"from"`
	Text string         `json:"text"`
}

func toConnection(c app.Connection) connectionJSON {
	return connectionJSON{c.ID, c.Name, "/messages?with=" + strconv.FormatInt(c.ID, 10)}
}

func (s *server) dashboard(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	now := s.app.Now()
	d, err := s.app.Dashboard.Get(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	type mentorPart struct {
		// Active is the availability switch: taking requests or not.
		Active bool            `json:"active"`
		Money  part[moneyJSON] `json:"money"`
	}
	out := struct {
		WaitingForMe     part[requestJSON]      `json:"waiting_for_me"`
		WaitingForOthers part[requestJSON]      `json:"waiting_for_others"`
		Upcoming         part[upcomingJSON]     `json:"upcoming"`
		Active           part[activeJSON]       `json:"active_mentorships"`
		History          part[pastJSON]         `json:"history"`
		Connections      part[connectionJSON]   `json:"connections"`
		Notifications    part[notificationJSON] `json:"unread_notifications"`
		Messages         part[messageJSON]      `json:"unread_messages"`
		Mentor           *mentorPart            `json:"mentor"` // null for a user who is not a mentor
	}{
		WaitingForMe:     partOf(d.WaitingForMe, toRequest),
		WaitingForOthers: partOf(d.WaitingForOthers, toRequest),
		Upcoming: partOf(d.Upcoming, func(u app.Upcoming) upcomingJSON {
			return upcomingJSON{toBooking(u.Booking, now), u.Location}
		}),
		Active: partOf(d.Active, func(a app.ActiveMentorship) activeJSON {
			return activeJSON{toMentorship(a.Mentorship), toProgress(a.Summary)}
		}),
		History: partOf(d.History, func(p app.Past) pastJSON {
			if p.Booking != nil {
				b := toBooking(*p.Booking, now)
				return pastJSON{Kind: "booking", Booking: &b, Reviewable: p.Reviewable}
			}
			m := toMentorship(*p.Mentorship)
			return pastJSON{Kind: "mentorship", Mentorship: &m, Reviewable: p.Reviewable}
		}),
		Connections:   partOf(d.Connections, toConnection),
		Notifications: partOf(d.Notifications, toNotification),
		Messages: partOf(d.Messages, func(m app.MessageItem) messageJSON {
			return messageJSON{toConnection(m.From), m.Text}
		}),
	}
	if d.Mentor != nil {
		out.Mentor = &mentorPart{Active: d.Mentor.Active, Money: partOf(d.Mentor.Money, func(m app.MoneyItem) moneyJSON {
			return moneyJSON(m)
		})}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) setMentorActive(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		Active *bool `json:"active"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	if in.Active == nil {
		s.writeError(w, r, mentorbook.Validation{"active": "is required: true or false"}.Err())
		return
	}
	p, err := s.app.Mentors.SetActive(r.Context(), caller, *in.Active)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toProfile(p))
}
