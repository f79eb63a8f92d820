package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// mustWrite runs fn as its own write unit of work, failing the test on error.
func mustWrite[T any](t *testing.T, s Ops, fn func(tx mentorbook.Tx) (T, error)) T {
	t.Helper()
	v, err := mentorbook.WriteValue(t.Context(), s, fn)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// mustRead runs fn as a read, failing the test on error.
func mustRead[T any](t *testing.T, s Ops, fn func(tx mentorbook.Tx) (T, error)) T {
	t.Helper()
	v, err := mentorbook.ReadValue(t.Context(), s, fn)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// activeMentorshipOf is an active mentorship of a new mentee with mentor m.
func activeMentorshipOf(t *testing.T, s Ops, m mentorbook.User, mentee string) mentorbook.Mentorship {
	t.Helper()
	e := mustUser(t, s, mentee)
	r := requested(s.CreateService(t, program(m.ID, "Go", 0)), e.ID)
	r.Status, r.ExpiresAt, r.StartedAt = mentorbook.MentorshipActive, time.Time{}, now
	return s.CreateMentorship(t, r)
}

var progressTests = []test{
	{"tasks are added, done, undone, renamed and deleted within their mentorship", func(t *testing.T, s Ops) {
		m := mustMentor(t, s, "ada")
		ms := activeMentorshipOf(t, s, m, "eve")
		other := activeMentorshipOf(t, s, m, "bob")
		add := func(mid, by int64, title string) mentorbook.Task {
			return mustWrite(t, s, func(tx mentorbook.Tx) (mentorbook.Task, error) {
				return tx.Progress().AddTask(t.Context(), mentorbook.Task{MentorshipID: mid, Title: title, CreatedBy: by, CreatedAt: now, UpdatedAt: now})
			})
		}
		t1, t2 := add(ms.ID, m.ID, "Read"), add(ms.ID, ms.MenteeID, "Write")
		add(other.ID, m.ID, "Elsewhere")
		if t1.ID == 0 || t1.Title != "Read" || t1.CreatorName != "ada" || t1.Done() || t1.DoneBy != 0 || t2.CreatorName != "eve" {
			t.Fatalf("added %+v %+v", t1, t2)
		}
		wantTime(t, "CreatedAt", t1.CreatedAt, now)
		done := t1
		done.Title, done.DoneBy, done.DoneAt, done.UpdatedAt = "Read it all", ms.MenteeID, now.Add(time.Hour), now.Add(time.Hour)
		got := mustWrite(t, s, func(tx mentorbook.Tx) (mentorbook.Task, error) { return tx.Progress().SaveTask(t.Context(), done) })
		if got.Title != "Read it all" || !got.Done() || got.DoneBy != ms.MenteeID {
			t.Errorf("saved %+v", got)
		}
		wantTime(t, "DoneAt", got.DoneAt, now.Add(time.Hour))
		p := mustRead(t, s, func(tx mentorbook.Tx) (mentorbook.Progress, error) { return tx.Progress().Progress(t.Context(), ms.ID) })
		if p != (mentorbook.Progress{TasksDone: 1, TasksTotal: 2}) {
			t.Errorf("progress %+v", p)
		}
		// Through another mentorship a task is not found.
		_, err := mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Task, error) {
			return tx.Progress().Task(t.Context(), other.ID, t1.ID)
		})
		wantCode(t, "Task of another mentorship", err, mentorbook.ENOTFOUND)
		wantCode(t, "Delete through another mentorship", s.Write(t.Context(), func(tx mentorbook.Tx) error {
			return tx.Progress().DeleteTask(t.Context(), other.ID, t1.ID)
		}), mentorbook.ENOTFOUND)
		undone := got
		undone.DoneBy, undone.DoneAt = 0, time.Time{}
		if got := mustWrite(t, s, func(tx mentorbook.Tx) (mentorbook.Task, error) { return tx.Progress().SaveTask(t.Context(), undone) }); got.Done() || got.DoneBy != 0 {
			t.Errorf("undone %+v", got)
		}
		if err := s.Write(t.Context(), func(tx mentorbook.Tx) error { return tx.Progress().DeleteTask(t.Context(), ms.ID, t2.ID) }); err != nil {
			t.Fatal(err)
		}
		ts := mustRead(t, s, func(tx mentorbook.Tx) ([]mentorbook.Task, error) { return tx.Progress().Tasks(t.Context(), ms.ID) })
		if len(ts) != 1 || ts[0].ID != t1.ID {
			t.Errorf("tasks after delete %+v", ts)
		}
		// A title the database cannot hold is refused by it too.
		_, err = mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Task, error) {
			return tx.Progress().AddTask(t.Context(), mentorbook.Task{MentorshipID: ms.ID, Title: "", CreatedBy: m.ID, CreatedAt: now, UpdatedAt: now})
		})
		wantCode(t, "empty title", err, mentorbook.EINVALID)
	}},

	{"notes: shared ones for both parties, private ones for their author only", func(t *testing.T, s Ops) {
		m := mustMentor(t, s, "ada")
		ms := activeMentorshipOf(t, s, m, "eve")
		b := mustBook(t, s, pending(m.ID, ms.MenteeID, t0, time.Hour))
		add := func(n mentorbook.Note) mentorbook.Note {
			n.MentorshipID, n.CreatedAt = ms.ID, now
			return mustWrite(t, s, func(tx mentorbook.Tx) (mentorbook.Note, error) { return tx.Progress().AddNote(t.Context(), n) })
		}
		shared := add(mentorbook.Note{AuthorID: m.ID, Body: "agenda", Shared: true, BookingID: b.ID})
		add(mentorbook.Note{AuthorID: m.ID, Body: "mentor only"})
		add(mentorbook.Note{AuthorID: ms.MenteeID, Body: "mentee only"})
		if shared.AuthorName != "ada" || shared.BookingID != b.ID || !shared.Shared {
			t.Errorf("note %+v", shared)
		}
		bodies := func(viewer int64) []string {
			ns := mustRead(t, s, func(tx mentorbook.Tx) ([]mentorbook.Note, error) {
				return tx.Progress().Notes(t.Context(), ms.ID, viewer)
			})
			var out []string
			for _, n := range ns {
				out = append(out, n.Body)
			}
			return out
		}
		for viewer, want := range map[int64][]string{m.ID: {"agenda", "mentor only"}, ms.MenteeID: {"agenda", "mentee only"}} {
			if got := bodies(viewer); !slices.Equal(got, want) {
				t.Errorf("user %d reads %q, want %q", viewer, got, want)
			}
		}
	}},

	{"time entries list by date and sum up with the tasks in one progress", func(t *testing.T, s Ops) {
		m := mustMentor(t, s, "ada")
		ms := activeMentorshipOf(t, s, m, "eve")
		for _, e := range []struct {
			min  int
			date string
		}{{30, "2030-03-05"}, {1440, "2030-02-28"}, {1, "2030-03-01"}} {
			d, _ := schedule.ParseDate(e.date)
			mustWrite(t, s, func(tx mentorbook.Tx) (mentorbook.TimeEntry, error) {
				return tx.Progress().AddTime(t.Context(), mentorbook.TimeEntry{MentorshipID: ms.ID, MentorID: m.ID, Minutes: e.min, Date: d, CreatedAt: now})
			})
		}
		es := mustRead(t, s, func(tx mentorbook.Tx) ([]mentorbook.TimeEntry, error) { return tx.Progress().Time(t.Context(), ms.ID) })
		var dates []string
		for _, e := range es {
			dates = append(dates, e.Date.String())
		}
		if !slices.Equal(dates, []string{"2030-02-28", "2030-03-01", "2030-03-05"}) || es[0].Minutes != 1440 {
			t.Errorf("entries %+v", es)
		}
		p := mustRead(t, s, func(tx mentorbook.Tx) (mentorbook.Progress, error) { return tx.Progress().Progress(t.Context(), ms.ID) })
		if p.Minutes != 1471 || p.TasksTotal != 0 {
			t.Errorf("progress %+v", p)
		}
		for _, bad := range []int{0, 1441} {
			_, err := mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.TimeEntry, error) {
				return tx.Progress().AddTime(t.Context(), mentorbook.TimeEntry{MentorshipID: ms.ID, MentorID: m.ID, Minutes: bad,
					Date: schedule.Date{Year: 2030, Month: 3, Day: 1}, CreatedAt: now})
			})
			wantCode(t, "minutes out of range", err, mentorbook.EINVALID)
		}
	}},

	{"one review per mentorship and per booking, one reply, newest first with their average", func(t *testing.T, s Ops) {
		m := mustMentor(t, s, "ada")
		ms := activeMentorshipOf(t, s, m, "eve")
		b := mustBook(t, s, pending(m.ID, ms.MenteeID, t0, time.Hour))
		create := func(v mentorbook.Review) (mentorbook.Review, error) {
			v.MentorID, v.MenteeID, v.CreatedAt = m.ID, ms.MenteeID, now
			return mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Review, error) { return tx.Reviews().Create(t.Context(), v) })
		}
		first, err := create(mentorbook.Review{MentorshipID: ms.ID, Rating: 4, Text: "good"})
		if err != nil {
			t.Fatal(err)
		}
		if first.MenteeName != "eve" || first.MentorshipID != ms.ID || first.BookingID != 0 || first.Rating != 4 || !first.RepliedAt.IsZero() {
			t.Errorf("review %+v", first)
		}
		_, err = create(mentorbook.Review{MentorshipID: ms.ID, Rating: 1})
		wantCode(t, "second review of a mentorship", err, mentorbook.ECONFLICT)
		second, err := create(mentorbook.Review{BookingID: b.ID, Rating: 1})
		if err != nil {
			t.Fatal(err)
		}
		_, err = create(mentorbook.Review{BookingID: b.ID, Rating: 5})
		wantCode(t, "second review of a booking", err, mentorbook.ECONFLICT)
		_, err = create(mentorbook.Review{BookingID: b.ID + 100, MentorshipID: ms.ID + 100, Rating: 5})
		if err == nil {
			t.Error("a review of both a mentorship and a booking was stored")
		}
		_, err = create(mentorbook.Review{MentorshipID: activeMentorshipOf(t, s, m, "bob").ID, Rating: 6})
		wantCode(t, "rating 6", err, mentorbook.EINVALID)

		replied := mustWrite(t, s, func(tx mentorbook.Tx) (mentorbook.Review, error) {
			return tx.Reviews().Reply(t.Context(), first.ID, "thanks", now.Add(time.Hour))
		})
		if replied.Reply != "thanks" {
			t.Errorf("reply %+v", replied)
		}
		wantTime(t, "RepliedAt", replied.RepliedAt, now.Add(time.Hour))
		_, err = mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Review, error) {
			return tx.Reviews().Reply(t.Context(), first.ID, "again", now.Add(2*time.Hour))
		})
		wantCode(t, "second reply", err, mentorbook.ECONFLICT)
		if got := mustRead(t, s, func(tx mentorbook.Tx) (mentorbook.Review, error) { return tx.Reviews().Get(t.Context(), first.ID) }); got.Reply != "thanks" {
			t.Errorf("after a second reply %+v", got)
		}

		list := mustRead(t, s, func(tx mentorbook.Tx) ([]mentorbook.Review, error) {
			return tx.Reviews().ByMentor(t.Context(), m.ID, 0, 10)
		})
		if len(list) != 2 || list[0].ID != second.ID || list[1].ID != first.ID {
			t.Errorf("by mentor %+v", list)
		}
		older := mustRead(t, s, func(tx mentorbook.Tx) ([]mentorbook.Review, error) {
			return tx.Reviews().ByMentor(t.Context(), m.ID, second.ID, 10)
		})
		if len(older) != 1 || older[0].ID != first.ID {
			t.Errorf("before %d: %+v", second.ID, older)
		}
		if rt := mustRead(t, s, func(tx mentorbook.Tx) (mentorbook.Rating, error) { return tx.Reviews().Rating(t.Context(), m.ID) }); rt.Count != 2 || rt.Average != 2.5 {
			t.Errorf("rating %+v", rt)
		}
		if rt := mustRead(t, s, func(tx mentorbook.Tx) (mentorbook.Rating, error) {
			return tx.Reviews().Rating(t.Context(), ms.MenteeID)
		}); rt.Count != 0 || rt.Average != 0 {
			t.Errorf("rating of nobody reviewed %+v", rt)
		}
		if got := mustRead(t, s, func(tx mentorbook.Tx) (mentorbook.Review, error) { return tx.Reviews().Of(t.Context(), 0, b.ID) }); got.ID != second.ID {
			t.Errorf("Of booking %+v", got)
		}
		_, err = mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Review, error) { return tx.Reviews().Of(t.Context(), ms.ID+100, 0) })
		wantCode(t, "Of unreviewed", err, mentorbook.ENOTFOUND)
	}},

	{"a mentor profile keeps its links, languages and years of experience", func(t *testing.T, s Ops) {
		u := mustUser(t, s, "ada")
		creds := mentorbook.Credentials{Links: []string{"https://ada.dev", "https://github.com/ada"}, Languages: []string{"English", "Français"}, YearsExperience: 12}
		if _, err := s.PutMentorProfile(t.Context(), mentorbook.MentorProfile{UserID: u.ID, Headline: "h", Active: true, Credentials: creds, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		got, err := s.UserByID(t.Context(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := s.MentorByID(t.Context(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []mentorbook.Credentials{got.Mentor.Credentials, pub.Credentials} {
			if !slices.Equal(c.Links, creds.Links) || !slices.Equal(c.Languages, creds.Languages) || c.YearsExperience != 12 {
				t.Errorf("credentials %+v, want %+v", c, creds)
			}
		}
		// A profile without them reads empty lists, not nil.
		other := mustMentor(t, s, "bob")
		if c := other.Mentor.Credentials; c.Links == nil || len(c.Links) != 0 || c.Languages == nil || c.YearsExperience != 0 {
			t.Errorf("empty credentials %+v", c)
		}
		_, err = s.PutMentorProfile(t.Context(), mentorbook.MentorProfile{UserID: u.ID, Headline: "h", Credentials: mentorbook.Credentials{YearsExperience: 81}, UpdatedAt: now})
		wantCode(t, "81 years", err, mentorbook.EINVALID)
	}},
}
