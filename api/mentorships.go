package api

import (
	"net/http"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

type partyJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type mentorshipServiceJSON struct {
	ID             int64   `json:"id"`
	Title          string  `json:"title"`
	Format         string  `json:"format"`
	Sessions       *int    `json:"sessions"`
	SessionMinutes *int    `json:"session_minutes"`
	Days           *int    `json:"days"`
	Mode           *string `json:"mode"`
	Location       *string `json:"location"`
}

type mentorshipJSON struct {
	ID               int64                 `json:"id"`
	Status           string                `json:"status"`
	Service          mentorshipServiceJSON `json:"service"`
	Mentor           partyJSON             `json:"mentor"`
	Mentee           partyJSON             `json:"mentee"`
	PriceMinor       int64                 `json:"price_minor"`
	Currency         string                `json:"currency"`
	Message          string                `json:"message"`
	Reason           string                `json:"reason"`
	CancelledBy      *int64                `json:"cancelled_by"`
	ExpiresAt        *time.Time            `json:"expires_at"`
	AcceptedAt       *time.Time            `json:"accepted_at"`
	StartedAt        *time.Time            `json:"started_at"`
	EndsAt           *time.Time            `json:"ends_at"`
	SessionsIncluded *int                  `json:"sessions_included"`
	SessionsUsed     *int                  `json:"sessions_used"`
	CreatedAt        time.Time             `json:"created_at"`
	UpdatedAt        time.Time             `json:"updated_at"`
}

// optionalTime is null for the zero time.
func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// toMentorship writes the terms of its format and null for the other's.
func toMentorship(m mentorbook.Mentorship) mentorshipJSON {
	j := mentorshipJSON{ID: m.ID, Status: string(m.Status),
		Service: mentorshipServiceJSON{ID: m.ServiceID, Title: m.Title, Format: string(m.Format)},
		Mentor:  partyJSON{m.MentorID, m.MentorName}, Mentee: partyJSON{m.MenteeID, m.MenteeName},
		PriceMinor: m.PriceMinor, Currency: m.Currency, Message: m.Message, Reason: m.Reason,
		ExpiresAt: optionalTime(m.ExpiresAt), AcceptedAt: optionalTime(m.AcceptedAt), StartedAt: optionalTime(m.StartedAt),
		EndsAt: optionalTime(m.EndsAt), CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC()}
	if m.CancelledBy != 0 {
		j.CancelledBy = &m.CancelledBy
	}
	if m.Format == mentorbook.FormatSessions {
		j.Service.Sessions, j.Service.SessionMinutes, j.Service.Mode, j.Service.Location = &m.SessionsIncluded, &m.SessionMinutes, &m.Mode, &m.Location
		j.SessionsIncluded, j.SessionsUsed = &m.SessionsIncluded, &m.SessionsUsed
	} else {
		j.Service.Days = &m.Days
	}
	return j
}

func (s *server) requestMentorship(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		ServiceID int64  `json:"service_id"`
		Message   string `json:"message"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	m, err := s.app.Mentorships.Request(r.Context(), caller, app.MentorshipInput{ServiceID: in.ServiceID, Message: in.Message},
		r.Header.Get("Idempotency-Key"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toMentorship(m))
}

func (s *server) listMentorships(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	q := r.URL.Query()
	ms, next, err := s.app.Mentorships.List(r.Context(), caller, app.MentorshipQuery{
		Role: q.Get("role"), Status: q.Get("status"), Cursor: q.Get("cursor"), Limit: q.Get("limit"),
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Mentorships []mentorshipJSON `json:"mentorships"`
		NextCursor  string           `json:"next_cursor"`
	}{Mentorships: []mentorshipJSON{}, NextCursor: next}
	for _, m := range ms {
		out.Mentorships = append(out.Mentorships, toMentorship(m))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) getMentorship(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "mentorship")
	if !ok {
		return
	}
	m, err := s.app.Mentorships.Get(r.Context(), caller, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toMentorship(m))
}

// actOnMentorship reads the optional {reason} body and applies the
// action named in the path.
func (s *server) actOnMentorship(action app.MentorshipAction) authedHandler {
	return func(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
		id, ok := s.pathID(w, r, "mentorship")
		if !ok {
			return
		}
		var in struct {
			Reason string `json:"reason"`
		}
		if !decode(w, r, &in, true) {
			return
		}
		m, err := s.app.Mentorships.Act(r.Context(), caller, id, action, in.Reason)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, toMentorship(m))
	}
}
