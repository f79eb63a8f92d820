package mentorbook

import (
	"context"
	"time"

	"github.com/mentorbook/mentorbook/schedule"
)

// Task is a to-do item either party of a mentorship added.
type Task struct {
	ID           int64
	MentorshipID int64
	Title        string
	CreatedBy    int64
	CreatorName  string
	DoneBy       int64     // 0 while not done
	DoneAt       time.Time // zero while not done
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Done reports whether the task is done.
func (t Task) Done() bool { return !t.DoneAt.IsZero() }

// Note is a party's note on a mentorship, perhaps about one session.
// A shared note is seen by both parties, another only by its author.
type Note struct {
	ID           int64
	MentorshipID int64
	AuthorID     int64
	AuthorName   string
	BookingID    int64 // 0: about no session in particular
	Body         string
	Shared       bool
	CreatedAt    time.Time
}

// TimeEntry is time a mentor spent on a mentorship on a day.
type TimeEntry struct {
	ID           int64
	MentorshipID int64
	MentorID     int64
	Minutes      int
	Date         schedule.Date
	Note         string
	CreatedAt    time.Time
}

// Progress sums up a mentorship's tasks and logged time.
type Progress struct {
	TasksDone, TasksTotal int
	Minutes               int
}

// Progresses holds the tasks, notes and time of mentorships. Who may see
// or change them is the use case's.
type Progresses interface {
	AddTask(ctx context.Context, t Task) (Task, error)
	// Task is ENOTFOUND unless the task belongs to the mentorship.
	Task(ctx context.Context, mentorshipID, id int64) (Task, error)
	// SaveTask writes t's title, DoneBy, DoneAt and UpdatedAt.
	SaveTask(ctx context.Context, t Task) (Task, error)
	DeleteTask(ctx context.Context, mentorshipID, id int64) error
	// Tasks lists a mentorship's tasks in the order they were added.
	Tasks(ctx context.Context, mentorshipID int64) ([]Task, error)

	AddNote(ctx context.Context, n Note) (Note, error)
	// Notes lists the notes of a mentorship that viewerID may read (shared
	// ones and their own), oldest first.
	Notes(ctx context.Context, mentorshipID, viewerID int64) ([]Note, error)

	AddTime(ctx context.Context, e TimeEntry) (TimeEntry, error)
	// Time lists a mentorship's time entries by date, then ID.
	Time(ctx context.Context, mentorshipID int64) ([]TimeEntry, error)

	// Progress sums up a mentorship's tasks and time in one query.
	Progress(ctx context.Context, mentorshipID int64) (Progress, error)
}

// Review is a mentee's review of a mentorship or of a free consultation
// (exactly one of MentorshipID and BookingID is set), and the mentor's
// one reply.
type Review struct {
	ID           int64
	MentorID     int64
	MenteeID     int64
	MenteeName   string
	MentorshipID int64
	BookingID    int64
	Rating       int
	Text         string
	Reply        string
	RepliedAt    time.Time // zero: no reply yet
	CreatedAt    time.Time
}

// Rating is a mentor's reviews summed up.
type Rating struct {
	Count   int
	Average float64 // 0 when Count is 0
}

// Reviews holds reviews. One per mentorship and one per booking is held
// by unique keys: a second is ECONFLICT.
type Reviews interface {
	Create(ctx context.Context, r Review) (Review, error)
	Get(ctx context.Context, id int64) (Review, error)
	// Reply records the reply of a review that has none; one that already
	// has a reply is ECONFLICT.
	Reply(ctx context.Context, id int64, text string, at time.Time) (Review, error)
	// ByMentor lists a mentor's reviews newest first (ID descending),
	// those with an ID below beforeID when it is not 0.
	ByMentor(ctx context.Context, mentorID, beforeID int64, limit int) ([]Review, error)
	// Rating is the count and average of a mentor's reviews, one
	// aggregate over an index.
	Rating(ctx context.Context, mentorID int64) (Rating, error)
	// Of returns the review of a mentorship or a booking (one of the IDs
	// 0); ENOTFOUND when there is none.
	Of(ctx context.Context, mentorshipID, bookingID int64) (Review, error)
	// ReviewedBy lists the mentors the user reviewed: their pages show
	// the user's name.
	ReviewedBy(ctx context.Context, menteeID int64) ([]int64, error)
}
