package api

import (
	"net/http"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

type personJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type broadcastJSON struct {
	ID             int64      `json:"id"`
	Author         personJSON `json:"author"`
	Title          string     `json:"title"`
	Body           string     `json:"body"`
	Skills         []string   `json:"skills"`
	Status         string     `json:"status"`
	ResponsesCount int        `json:"responses_count"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

func toBroadcast(b mentorbook.Broadcast) broadcastJSON {
	return broadcastJSON{ID: b.ID, Author: personJSON{b.AuthorID, b.AuthorName}, Title: b.Title, Body: b.Body,
		Skills: nonNil(b.Skills), Status: string(b.Status), ResponsesCount: b.ResponsesCount,
		CreatedAt: b.CreatedAt.UTC(), UpdatedAt: b.UpdatedAt.UTC()}
}

type responseJSON struct {
	ID          int64      `json:"id"`
	BroadcastID int64      `json:"broadcast_id"`
	Mentor      personJSON `json:"mentor"`
	Message     string     `json:"message"`
	ServiceID   *int64     `json:"service_id"`
	CreatedAt   time.Time  `json:"created_at"`
}

func toResponse(r mentorbook.BroadcastResponse) responseJSON {
	j := responseJSON{ID: r.ID, BroadcastID: r.BroadcastID, Mentor: personJSON{r.MentorID, r.MentorName},
		Message: r.Message, CreatedAt: r.CreatedAt.UTC()}
	if r.ServiceID != 0 {
		j.ServiceID = &r.ServiceID
	}
	return j
}

// broadcastBody is POST's and PATCH's body; PATCH leaves absent fields.
type broadcastBody struct {
	Title  *string   `json:"title"`
	Body   *string   `json:"body"`
	Skills *[]string `json:"skills"`
}

func (b broadcastBody) input() app.BroadcastInput {
	return app.BroadcastInput{Title: b.Title, Body: b.Body, Skills: b.Skills}
}

func (s *server) createBroadcast(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in broadcastBody
	if !decode(w, r, &in, false) {
		return
	}
	if in.Title == nil {
		in.Title = new(string)
	}
	if in.Body == nil {
		in.Body = new(string)
	}
	b, err := s.app.Broadcasts.Create(r.Context(), caller, in.input())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toBroadcast(b))
}

func (s *server) listBroadcasts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	bs, next, err := s.app.Broadcasts.List(r.Context(), app.BroadcastQuery{
		Skill: q.Get("skill"), Q: q.Get("q"), Status: q.Get("status"), AuthorID: q.Get("author_id"),
		Cursor: q.Get("cursor"), Limit: q.Get("limit"),
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Broadcasts []broadcastJSON `json:"broadcasts"`
		NextCursor string          `json:"next_cursor"`
	}{Broadcasts: []broadcastJSON{}, NextCursor: next}
	for _, b := range bs {
		out.Broadcasts = append(out.Broadcasts, toBroadcast(b))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) getBroadcast(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "broadcast")
	if !ok {
		return
	}
	b, err := s.app.Broadcasts.Get(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toBroadcast(b))
}

func (s *server) patchBroadcast(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "broadcast")
	if !ok {
		return
	}
	var in broadcastBody
	if !decode(w, r, &in, false) {
		return
	}
	b, err := s.app.Broadcasts.Update(r.Context(), caller, id, in.input())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toBroadcast(b))
}

func (s *server) closeBroadcast(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "broadcast")
	if !ok || !decode(w, r, &struct{}{}, true) {
		return
	}
	b, err := s.app.Broadcasts.Close(r.Context(), caller, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toBroadcast(b))
}

func (s *server) deleteBroadcast(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "broadcast")
	if !ok {
		return
	}
	if err := s.app.Broadcasts.Delete(r.Context(), caller, id); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) respondToBroadcast(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "broadcast")
	if !ok {
		return
	}
	var in struct {
		Message   string `json:"message"`
		ServiceID *int64 `json:"service_id"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	resp, err := s.app.Broadcasts.Respond(r.Context(), caller, id, app.ResponseInput{Message: in.Message, ServiceID: in.ServiceID})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toResponse(resp))
}

func (s *server) listResponses(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "broadcast")
	if !ok {
		return
	}
	rs, err := s.app.Broadcasts.Responses(r.Context(), caller, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Responses []responseJSON `json:"responses"`
	}{Responses: []responseJSON{}}
	for _, resp := range rs {
		out.Responses = append(out.Responses, toResponse(resp))
	}
	writeJSON(w, http.StatusOK, out)
}
