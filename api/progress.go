package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

type taskJSON struct {
	ID           int64      `json:"id"`
	MentorshipID int64      `json:"mentorship_id"`
	Title        string     `json:"title"`
	Done         bool       `json:"done"`
	AddedBy      partyJSON  `json:"added_by"`
	DoneBy       *int64     `json:"done_by"`
	DoneAt       *time.Time `json:"done_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

func toTask(t mentorbook.Task) taskJSON {
	j := taskJSON{ID: t.ID, MentorshipID: t.MentorshipID, Title: t.Title, Done: t.Done(),
		AddedBy: partyJSON{t.CreatedBy, t.CreatorName}, DoneAt: optionalTime(t.DoneAt),
		CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC()}
	if t.DoneBy != 0 {
		j.DoneBy = &t.DoneBy
	}
	return j
}

type noteJSON struct {
	ID           int64     `json:"id"`
	MentorshipID int64     `json:"mentorship_id"`
	Author       partyJSON `json:"author"`
	BookingID    *int64    `json:"booking_id"`
	Body         string    `json:"body"`
	Shared       bool      `json:"shared"`
	CreatedAt    time.Time `json:"created_at"`
}

func toNote(n mentorbook.Note) noteJSON {
	j := noteJSON{ID: n.ID, MentorshipID: n.MentorshipID, Author: partyJSON{n.AuthorID, n.AuthorName}, Body: n.Body,
		Shared: n.Shared, CreatedAt: n.CreatedAt.UTC()}
	if n.BookingID != 0 {
		j.BookingID = &n.BookingID
	}
	return j
}

type timeEntryJSON struct {
	ID        int64     `json:"id"`
	Minutes   int       `json:"minutes"`
	Date      string    `json:"date"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

func toTimeEntry(e mentorbook.TimeEntry) timeEntryJSON {
	return timeEntryJSON{ID: e.ID, Minutes: e.Minutes, Date: e.Date.String(), Note: e.Note, CreatedAt: e.CreatedAt.UTC()}
}

// list maps items to their wire form, never null.
func list[T, J any](items []T, to func(T) J) []J {
	out := make([]J, 0, len(items))
	for _, it := range items {
		out = append(out, to(it))
	}
	return out
}

// taskPath parses {id} and {task_id}.
func (s *server) taskPath(w http.ResponseWriter, r *http.Request) (int64, int64, bool) {
	id, ok := s.pathID(w, r, "mentorship")
	if !ok {
		return 0, 0, false
	}
	task, err := strconv.ParseInt(r.PathValue("task_id"), 10, 64)
	if err != nil || task <= 0 {
		s.writeError(w, r, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such task."))
		return 0, 0, false
	}
	return id, task, true
}

func (s *server) listTasks(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "mentorship")
	if !ok {
		return
	}
	ts, err := s.app.Progress.Tasks(r.Context(), caller, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Tasks []taskJSON `json:"tasks"`
	}{list(ts, toTask)})
}

func (s *server) addTask(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "mentorship")
	if !ok {
		return
	}
	var in struct {
		Title string `json:"title"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	t, err := s.app.Progress.AddTask(r.Context(), caller, id, in.Title)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toTask(t))
}

func (s *server) updateTask(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, task, ok := s.taskPath(w, r)
	if !ok {
		return
	}
	var in struct {
		Title *string `json:"title"`
		Done  *bool   `json:"done"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	t, err := s.app.Progress.UpdateTask(r.Context(), caller, id, task, app.TaskChange{Title: in.Title, Done: in.Done})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toTask(t))
}

func (s *server) deleteTask(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, task, ok := s.taskPath(w, r)
	if !ok {
		return
	}
	if err := s.app.Progress.DeleteTask(r.Context(), caller, id, task); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) listNotes(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "mentorship")
	if !ok {
		return
	}
	ns, err := s.app.Progress.Notes(r.Context(), caller, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Notes []noteJSON `json:"notes"`
	}{list(ns, toNote)})
}

func (s *server) addNote(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "mentorship")
	if !ok {
		return
	}
	var in struct {
		Body      string `json:"body"`
		Shared    *bool  `json:"shared"`
		BookingID *int64 `json:"booking_id"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	// shared is required: a note's audience is never guessed.
	if in.Shared == nil {
		s.writeError(w, r, mentorbook.Validation{"shared": "is required: true (both see it) or false (only you)"}.Err())
		return
	}
	note := app.NoteInput{Body: in.Body, Shared: *in.Shared}
	if in.BookingID != nil {
		note.BookingID = *in.BookingID
		if note.BookingID == 0 {
			note.BookingID = -1 // not a booking: refused by the use case
		}
	}
	n, err := s.app.Progress.AddNote(r.Context(), caller, id, note)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toNote(n))
}

func (s *server) logTime(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "mentorship")
	if !ok {
		return
	}
	var in struct {
		Minutes int    `json:"minutes"`
		Date    string `json:"date"`
		Note    string `json:"note"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	e, err := s.app.Progress.LogTime(r.Context(), caller, id, app.TimeInput{Minutes: in.Minutes, Date: in.Date, Note: in.Note})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toTimeEntry(e))
}

type monthJSON struct {
	Month   string `json:"month"`
	Minutes int    `json:"minutes"`
}

func (s *server) getTime(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "mentorship")
	if !ok {
		return
	}
	log, err := s.app.Progress.Time(r.Context(), caller, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Entries      []timeEntryJSON `json:"entries"`
		TotalMinutes int             `json:"total_minutes"`
		ByMonth      []monthJSON     `json:"by_month"`
	}{list(log.Entries, toTimeEntry), log.Total, list(log.ByMonth, func(m app.MonthMinutes) monthJSON { return monthJSON(m) })})
}
