package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook/app"
)

// searchResultJSON is a mentor of the directory: the public profile, the
// lowest active service price and the next free time.
type searchResultJSON struct {
	mentorJSON
	FromPriceMinor *int64     `json:"from_price_minor"`
	Currency       string     `json:"currency"`
	NextAvailable  *time.Time `json:"next_available"`
}

func (s *server) listMentors(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ms, next, err := s.app.Mentors.Search(r.Context(), app.MentorSearchQuery{
		Q: q.Get("q"), Skills: q["skill"], MaxPriceMinor: q.Get("max_price_minor"),
		AvailableFrom: q.Get("available_from"), AvailableTo: q.Get("available_to"),
		Sort: q.Get("sort"), Cursor: q.Get("cursor"), Limit: q.Get("limit"),
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Mentors    []searchResultJSON `json:"mentors"`
		NextCursor string             `json:"next_cursor"`
	}{Mentors: []searchResultJSON{}, NextCursor: next}
	for _, m := range ms {
		out.Mentors = append(out.Mentors, searchResultJSON{mentorJSON: toMentor(m.Mentor), FromPriceMinor: m.FromPriceMinor,
			Currency: s.app.Services.Currency().Code, NextAvailable: m.NextAvailable})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) getMentor(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "mentor")
	if !ok {
		return
	}
	m, err := s.app.Mentors.Get(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := toMentor(m)
	out.SessionsHeld = &m.SessionsHeld
	// A public read; a caller who sends a valid token may be one who sees
	// the mentor's meeting link (the answer is then no-store).
	if token := bearerToken(r); token != "" {
		if viewer, err := s.app.Accounts.Authenticate(r.Context(), token); err == nil {
			if out.MeetingURL, err = s.app.Mentors.MeetingURLFor(r.Context(), viewer, id); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func slotQuery(r *http.Request) app.SlotQuery {
	q := r.URL.Query()
	return app.SlotQuery{From: q.Get("from"), To: q.Get("to"), TZ: q.Get("tz"), Duration: q.Get("duration")}
}

func (s *server) slots(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "mentor")
	if !ok {
		return
	}
	a, err := s.app.Calendar.SlotsAnswer(r.Context(), id, slotQuery(r), "json", encodeSlots)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", a.ETag)
	if etagMatches(r.Header.Get("If-None-Match"), a.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(a.Body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(a.Body)
}

// encodeSlots is the slots answer's JSON (slotsjson.go).
func encodeSlots(res app.Slots) []byte {
	return appendSlotsJSON(make([]byte, 0, slotsJSONSize(res)), res)
}

// etagMatches reports whether an If-None-Match header names tag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatches(header, tag string) bool {
	for header != "" {
		var t string
		t, header, _ = strings.Cut(header, ",")
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

func (s *server) busy(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "mentor")
	if !ok {
		return
	}
	res, err := s.app.Calendar.Busy(r.Context(), id, slotQuery(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Timezone string         `json:"timezone"`
		Busy     []intervalJSON `json:"busy"`
	}{res.Location.String(), toInstants(res.Busy)})
}
