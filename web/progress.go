package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

// progressView is a mentorship's progress as its page shows it: the
// summary, tasks, notes and logged time, times in the viewer's zone.
type progressView struct {
	Summary    app.Summary
	Total      string // logged time in words
	ByMonth    []monthView
	Entries    []timeEntryView
	Tasks      []taskView
	Notes      []noteView
	CanChange  bool // active: tasks, notes and time may be added
	CanLogTime bool // the mentor of an active mentorship
	Reviewable bool // the mentee may review it now
	Today      string
}

type monthView struct{ Month, Time string }

type timeEntryView struct {
	mentorbook.TimeEntry
	Time string
}

type taskView struct {
	mentorbook.Task
	DoneAt time.Time // in the viewer's zone
}

type noteView struct {
	mentorbook.Note
	CreatedAt time.Time
}

// minutesText is "2 h 05 min", "45 min".
func minutesText(n int) string {
	if n < 60 {
		return fmt.Sprintf("%d min", n)
	}
	return fmt.Sprintf("%d h %02d min", n/60, n%60)
}

// progressOf reads what the mentorship page shows of m's progress.
func (s *server) progressOf(r *http.Request, me mentorbook.User, m mentorbook.Mentorship, loc *time.Location) (progressView, error) {
	ctx := r.Context()
	var p progressView
	var err error
	if p.Summary, err = s.app.Progress.Summary(ctx, me, m.ID); err != nil {
		return p, err
	}
	log, err := s.app.Progress.Time(ctx, me, m.ID)
	if err != nil {
		return p, err
	}
	p.Total = minutesText(log.Total)
	for _, mm := range log.ByMonth {
		p.ByMonth = append(p.ByMonth, monthView{mm.Month, minutesText(mm.Minutes)})
	}
	for _, e := range log.Entries {
		p.Entries = append(p.Entries, timeEntryView{e, minutesText(e.Minutes)})
	}
	tasks, err := s.app.Progress.Tasks(ctx, me, m.ID)
	if err != nil {
		return p, err
	}
	for _, t := range tasks {
		p.Tasks = append(p.Tasks, taskView{t, t.DoneAt.In(loc)})
	}
	notes, err := s.app.Progress.Notes(ctx, me, m.ID)
	if err != nil {
		return p, err
	}
	for _, n := range notes {
		p.Notes = append(p.Notes, noteView{n, n.CreatedAt.In(loc)})
	}
	p.CanChange = m.Status == mentorbook.MentorshipActive
	p.CanLogTime = p.CanChange && m.MentorID == me.ID
	if p.Reviewable, err = s.app.Reviews.Reviewable(ctx, me, m.ID, 0); err != nil {
		return p, err
	}
	p.Today = s.app.Now().In(loc).Format("2006-01-02")
	return p, nil
}

// progressDone sends the browser back to the mentorship's page after a
// change of its progress: with a confirmation, or with the refused form.
func (s *server) progressDone(w http.ResponseWriter, r *http.Request, id int64, done string, err error) {
	page := "/mentorships/" + strconv.FormatInt(id, 10)
	switch mentorbook.ErrorCode(err) {
	case "":
		http.Redirect(w, r, page+"?done="+done+"#progress", http.StatusSeeOther)
	case mentorbook.EINVALID, mentorbook.ECONFLICT, mentorbook.EFORBIDDEN:
		refuse(w, r, page, formState{Message: refusal(err, "Not saved: the")})
	default:
		s.fail(w, r, err)
	}
}

// refusal says why a one-field form was refused: the use case's message,
// or lead followed by the field and its problem.
func refusal(err error, lead string) string {
	msg := mentorbook.ErrorMessage(err)
	fields, _ := formErrors(err)
	for k, f := range fields {
		msg = lead + " " + strings.ReplaceAll(k, "_", " ") + " " + f + "."
	}
	return msg
}

func (s *server) addTask(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	_, err := s.app.Progress.AddTask(r.Context(), me, id, r.PostFormValue("title"))
	s.progressDone(w, r, id, "task", err)
}

// changeTask marks a task done or not (done=1 or 0), or deletes it
// (delete=1).
func (s *server) changeTask(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	task, err := strconv.ParseInt(r.PathValue("task_id"), 10, 64)
	if !ok || err != nil {
		s.notFound(w, r)
		return
	}
	if r.PostFormValue("delete") == "1" {
		s.progressDone(w, r, id, "task-deleted", s.app.Progress.DeleteTask(r.Context(), me, id, task))
		return
	}
	done := r.PostFormValue("done") == "1"
	_, err = s.app.Progress.UpdateTask(r.Context(), me, id, task, app.TaskChange{Done: &done})
	s.progressDone(w, r, id, "task", err)
}

func (s *server) addNote(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	_, err := s.app.Progress.AddNote(r.Context(), me, id, app.NoteInput{Body: r.PostFormValue("body"),
		Shared: r.PostFormValue("shared") == "on"})
	s.progressDone(w, r, id, "note", err)
}

func (s *server) logTime(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	minutes, err := strconv.Atoi(r.PostFormValue("minutes"))
	if err != nil {
		minutes = 0 // refused by the use case in its own words
	}
	_, err = s.app.Progress.LogTime(r.Context(), me, id, app.TimeInput{Minutes: minutes, Date: r.PostFormValue("date"),
		Note: r.PostFormValue("note")})
	s.progressDone(w, r, id, "time", err)
}
