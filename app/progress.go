package app

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
)

// Limits of what progress holds.
const (
	maxTaskTitle = 200
	maxNoteBody  = 10000
	maxTimeNote  = 1000
	maxMinutes   = 24 * 60
)

// partyMentorship reads a mentorship the caller is a party of; others'
// are not found.
func partyMentorship(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, id int64, now time.Time, lock bool) (mentorbook.Mentorship, error) {
	get := tx.Mentorships().Get
	if lock {
		get = tx.Mentorships().Lock
	}
	m, err := get(ctx, id, now)
	return partyOf(m, err, caller)
}

// activeMentorship is partyMentorship for a change: the mentorship's row
// is locked (its changes take turns with a cancel or completion) and must
// be active.
func activeMentorship(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, id int64, now time.Time) (mentorbook.Mentorship, error) {
	m, err := partyMentorship(ctx, tx, caller, id, now, true)
	if err != nil {
		return m, err
	}
	return m, requireActive(m)
}

func requireActive(m mentorbook.Mentorship) error {
	if m.Status != mentorbook.MentorshipActive {
		return mentorbook.Errorf(mentorbook.ECONFLICT, "The mentorship is %s, not active: its progress cannot change.",
			strings.ReplaceAll(string(m.Status), "_", " "))
	}
	return nil
}

// checkLength records a problem with a text of min (0 or 1) to max characters.
func checkLength(v mentorbook.Validation, field, s string, min, max int) {
	checkText(v, field, s)
	n := utf8.RuneCountInString(s)
	switch {
	case n < min:
		v.Add(field, "is required")
	case n > max:
		v.Add(field, fmt.Sprintf("must be at most %d characters", max))
	}
}

// Tasks lists a mentorship's tasks, for either party, in any state.
func (s *Progress) Tasks(ctx context.Context, caller mentorbook.User, mentorshipID int64) ([]mentorbook.Task, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Task, error) {
		if _, err := partyMentorship(ctx, tx, caller, mentorshipID, s.clock(), false); err != nil {
			return nil, err
		}
		return tx.Progress().Tasks(ctx, mentorshipID)
	})
}

// AddTask adds a task to an active mentorship; either party may.
func (s *Progress) AddTask(ctx context.Context, caller mentorbook.User, mentorshipID int64, title string) (mentorbook.Task, error) {
	title = strings.TrimSpace(title)
	v := mentorbook.Validation{}
	checkLength(v, "title", title, 1, maxTaskTitle)
	if err := v.Err(); err != nil {
		return mentorbook.Task{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Task, error) {
		if _, err := activeMentorship(ctx, tx, caller, mentorshipID, now); err != nil {
			return mentorbook.Task{}, err
		}
		return tx.Progress().AddTask(ctx, mentorbook.Task{MentorshipID: mentorshipID, Title: title, CreatedBy: caller.ID,
			CreatedAt: now, UpdatedAt: now})
	})
}

// TaskChange is a task's new title or state; nil keeps it.
type TaskChange struct {
	Title *string
	Done  *bool
}

// UpdateTask renames a task or marks it done or not; either party may.
// Marking a done task done again keeps who did it and when.
func (s *Progress) UpdateTask(ctx context.Context, caller mentorbook.User, mentorshipID, taskID int64, c TaskChange) (mentorbook.Task, error) {
	v := mentorbook.Validation{}
	if c.Title != nil {
		t := strings.TrimSpace(*c.Title)
		c.Title = &t
		checkLength(v, "title", t, 1, maxTaskTitle)
	}
	if err := v.Err(); err != nil {
		return mentorbook.Task{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Task, error) {
		if _, err := activeMentorship(ctx, tx, caller, mentorshipID, now); err != nil {
			return mentorbook.Task{}, err
		}
		t, err := tx.Progress().Task(ctx, mentorshipID, taskID)
		if err != nil {
			return t, err
		}
		if c.Title != nil {
			t.Title = *c.Title
		}
		switch {
		case c.Done == nil:
		case *c.Done && !t.Done():
			t.DoneBy, t.DoneAt = caller.ID, now
		case !*c.Done:
			t.DoneBy, t.DoneAt = 0, time.Time{}
		}
		t.UpdatedAt = now
		return tx.Progress().SaveTask(ctx, t)
	})
}

// DeleteTask removes a task of an active mentorship; either party may.
func (s *Progress) DeleteTask(ctx context.Context, caller mentorbook.User, mentorshipID, taskID int64) error {
	now := s.clock()
	return s.store.Write(ctx, func(tx mentorbook.Tx) error {
		if _, err := activeMentorship(ctx, tx, caller, mentorshipID, now); err != nil {
			return err
		}
		return tx.Progress().DeleteTask(ctx, mentorshipID, taskID)
	})
}

// Notes lists the notes of a mentorship the caller may read: the shared
// ones and their own private ones.
func (s *Progress) Notes(ctx context.Context, caller mentorbook.User, mentorshipID int64) ([]mentorbook.Note, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Note, error) {
		if _, err := partyMentorship(ctx, tx, caller, mentorshipID, s.clock(), false); err != nil {
			return nil, err
		}
		return tx.Progress().Notes(ctx, mentorshipID, caller.ID)
	})
}

// NoteInput is a note as typed; BookingID 0 is about no session.
type NoteInput struct {
	Body      string
	Shared    bool
	BookingID int64
}

// AddNote adds a note to an active mentorship; either party may. A note
// about a session names one of the mentorship's own bookings.
func (s *Progress) AddNote(ctx context.Context, caller mentorbook.User, mentorshipID int64, in NoteInput) (mentorbook.Note, error) {
	body := strings.TrimSpace(in.Body)
	v := mentorbook.Validation{}
	checkLength(v, "body", body, 1, maxNoteBody)
	if in.BookingID < 0 {
		v.Add("booking_id", "is not a session of this mentorship")
	}
	if err := v.Err(); err != nil {
		return mentorbook.Note{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Note, error) {
		if _, err := activeMentorship(ctx, tx, caller, mentorshipID, now); err != nil {
			return mentorbook.Note{}, err
		}
		if in.BookingID != 0 {
			b, err := tx.Bookings().Get(ctx, in.BookingID, now)
			if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND || (err == nil && b.MentorshipID != mentorshipID) {
				return mentorbook.Note{}, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
					Fields: map[string]string{"booking_id": "is not a session of this mentorship"}}
			} else if err != nil {
				return mentorbook.Note{}, err
			}
		}
		return tx.Progress().AddNote(ctx, mentorbook.Note{MentorshipID: mentorshipID, AuthorID: caller.ID,
			BookingID: in.BookingID, Body: body, Shared: in.Shared, CreatedAt: now})
	})
}

// TimeInput is logged time as typed: Date is "YYYY-MM-DD".
type TimeInput struct {
	Minutes int
	Date    string
	Note    string
}

// LogTime records time the mentor spent on an active mentorship; only
// its mentor may (the mentee: EFORBIDDEN).
func (s *Progress) LogTime(ctx context.Context, caller mentorbook.User, mentorshipID int64, in TimeInput) (mentorbook.TimeEntry, error) {
	v := mentorbook.Validation{}
	if in.Minutes < 1 || in.Minutes > maxMinutes {
		v.Add("minutes", "must be a whole number from 1 to 1440")
	}
	d, ok := parseDay(in.Date)
	if !ok {
		v.Add("date", "must be a date like 2026-06-01")
	}
	note := strings.TrimSpace(in.Note)
	checkLength(v, "note", note, 0, maxTimeNote)
	if err := v.Err(); err != nil {
		return mentorbook.TimeEntry{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.TimeEntry, error) {
		m, err := partyMentorship(ctx, tx, caller, mentorshipID, now, true)
		if err != nil {
			return mentorbook.TimeEntry{}, err
		}
		if m.MentorID != caller.ID {
			return mentorbook.TimeEntry{}, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only the mentor logs time.")
		}
		if err := requireActive(m); err != nil {
			return mentorbook.TimeEntry{}, err
		}
		return tx.Progress().AddTime(ctx, mentorbook.TimeEntry{MentorshipID: mentorshipID, MentorID: caller.ID,
			Minutes: in.Minutes, Date: d, Note: note, CreatedAt: now})
	})
}

// TimeLog is a mentorship's logged time: every entry by date, the total
// and the sum of each month.
type TimeLog struct {
	Entries []mentorbook.TimeEntry
	Total   int
	ByMonth []MonthMinutes // oldest month first
}

// MonthMinutes is the time logged in one month, "YYYY-MM".
type MonthMinutes struct {
	Month   string
	Minutes int
}

// Time returns a mentorship's logged time; either party may read it.
func (s *Progress) Time(ctx context.Context, caller mentorbook.User, mentorshipID int64) (TimeLog, error) {
	es, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.TimeEntry, error) {
		if _, err := partyMentorship(ctx, tx, caller, mentorshipID, s.clock(), false); err != nil {
			return nil, err
		}
		return tx.Progress().Time(ctx, mentorshipID)
	})
	if err != nil {
		return TimeLog{}, err
	}
	return sumTime(es), nil
}

// sumTime totals entries sorted by date, per month.
func sumTime(es []mentorbook.TimeEntry) TimeLog {
	log := TimeLog{Entries: es, ByMonth: []MonthMinutes{}}
	for _, e := range es {
		log.Total += e.Minutes
		month := fmt.Sprintf("%04d-%02d", e.Date.Year, int(e.Date.Month))
		if n := len(log.ByMonth); n > 0 && log.ByMonth[n-1].Month == month {
			log.ByMonth[n-1].Minutes += e.Minutes
		} else {
			log.ByMonth = append(log.ByMonth, MonthMinutes{month, e.Minutes})
		}
	}
	return log
}

// Summary is what a mentorship's page shows of its progress.
type Summary struct {
	mentorbook.Progress
	SessionsUsed, SessionsIncluded int
}

// Summary sums up a mentorship's progress for either party.
func (s *Progress) Summary(ctx context.Context, caller mentorbook.User, mentorshipID int64) (Summary, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (Summary, error) {
		m, err := partyMentorship(ctx, tx, caller, mentorshipID, s.clock(), false)
		if err != nil {
			return Summary{}, err
		}
		return summaryOf(ctx, tx, m)
	})
}

func summaryOf(ctx context.Context, tx mentorbook.Tx, m mentorbook.Mentorship) (Summary, error) {
	p, err := tx.Progress().Progress(ctx, m.ID)
	return Summary{Progress: p, SessionsUsed: m.SessionsUsed, SessionsIncluded: m.SessionsIncluded}, err
}
