package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

type serviceJSON struct {
	ID             int64      `json:"id"`
	MentorID       int64      `json:"mentor_id"`
	IsDefault      bool       `json:"is_default"`
	Title          string     `json:"title"`
	Description    string     `json:"description"`
	PriceMinor     int64      `json:"price_minor"`
	Currency       string     `json:"currency"`
	Format         string     `json:"format"`
	Sessions       *int       `json:"sessions"`
	SessionMinutes *int       `json:"session_minutes"`
	Days           *int       `json:"days"`
	Mode           *string    `json:"mode"`
	Location       *string    `json:"location"`
	Active         bool       `json:"active"`
	ArchivedAt     *time.Time `json:"archived_at"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// toService writes the terms of the service's format and null for the
// other format's.
func (s *server) toService(sv mentorbook.Service) serviceJSON {
	j := serviceJSON{ID: sv.ID, MentorID: sv.MentorID, IsDefault: sv.IsDefault, Title: sv.Title,
		Description: sv.Description, PriceMinor: sv.PriceMinor, Currency: s.app.Services.Currency().Code,
		Format: string(sv.Format), Active: sv.Active, CreatedAt: sv.CreatedAt.UTC(), UpdatedAt: sv.UpdatedAt.UTC()}
	if sv.Format == mentorbook.FormatSessions {
		j.Sessions, j.SessionMinutes, j.Mode, j.Location = &sv.Sessions, &sv.SessionMinutes, &sv.Mode, &sv.Location
	} else {
		j.Days = &sv.Days
	}
	if sv.Archived() {
		t := sv.ArchivedAt.UTC()
		j.ArchivedAt = &t
	}
	return j
}

func (s *server) toServices(svs []mentorbook.Service) any {
	out := struct {
		Services []serviceJSON `json:"services"`
	}{Services: []serviceJSON{}}
	for _, sv := range svs {
		out.Services = append(out.Services, s.toService(sv))
	}
	return out
}

// decodeService reads a service body. price_minor is kept as the raw
// number so the use case sees exactly what was sent (a fraction, an
// exponent, a sign or a string is 422, not silently converted).
func decodeService(w http.ResponseWriter, r *http.Request) (app.ServiceInput, bool) {
	var in struct {
		Title          *string         `json:"title"`
		Description    *string         `json:"description"`
		PriceMinor     json.RawMessage `json:"price_minor"`
		Format         *string         `json:"format"`
		Sessions       *int            `json:"sessions"`
		SessionMinutes *int            `json:"session_minutes"`
		Days           *int            `json:"days"`
		Mode           *string         `json:"mode"`
		Location       *string         `json:"location"`
		Active         *bool           `json:"active"`
	}
	if !decode(w, r, &in, false) {
		return app.ServiceInput{}, false
	}
	out := app.ServiceInput{Title: in.Title, Description: in.Description, Format: in.Format, Sessions: in.Sessions,
		SessionMinutes: in.SessionMinutes, Days: in.Days, Mode: in.Mode, Location: in.Location, Active: in.Active}
	if len(in.PriceMinor) > 0 && string(in.PriceMinor) != "null" {
		p := string(in.PriceMinor)
		out.PriceMinor = &p
	}
	return out, true
}

func (s *server) listMyServices(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	svs, err := s.app.Services.Mine(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.toServices(svs))
}

func (s *server) createService(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	in, ok := decodeService(w, r)
	if !ok {
		return
	}
	sv, err := s.app.Services.Create(r.Context(), caller, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.toService(sv))
}

func (s *server) updateService(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "service")
	if !ok {
		return
	}
	in, ok := decodeService(w, r)
	if !ok {
		return
	}
	sv, err := s.app.Services.Update(r.Context(), caller, id, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.toService(sv))
}

func (s *server) archiveService(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "service")
	if !ok {
		return
	}
	if err := s.app.Services.Archive(r.Context(), caller, id); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) mentorServices(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "mentor")
	if !ok {
		return
	}
	svs, err := s.app.Services.Offered(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.toServices(svs))
}
