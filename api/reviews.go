package api

import (
	"math"
	"net/http"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

type reviewJSON struct {
	ID           int64      `json:"id"`
	MentorID     int64      `json:"mentor_id"`
	Mentee       partyJSON  `json:"mentee"`
	MentorshipID *int64     `json:"mentorship_id"`
	BookingID    *int64     `json:"booking_id"`
	Rating       int        `json:"rating"`
	Text         string     `json:"text"`
	Reply        *string    `json:"reply"` // null until the mentor replies
	RepliedAt    *time.Time `json:"replied_at"`
	CreatedAt    time.Time  `json:"created_at"`
}

func toReview(v mentorbook.Review) reviewJSON {
	j := reviewJSON{ID: v.ID, MentorID: v.MentorID, Mentee: partyJSON{v.MenteeID, v.MenteeName}, Rating: v.Rating,
		Text: v.Text, RepliedAt: optionalTime(v.RepliedAt), CreatedAt: v.CreatedAt.UTC()}
	if v.MentorshipID != 0 {
		j.MentorshipID = &v.MentorshipID
	}
	if v.BookingID != 0 {
		j.BookingID = &v.BookingID
	}
	if !v.RepliedAt.IsZero() {
		j.Reply = &v.Reply
	}
	return j
}

func (s *server) createReview(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		MentorshipID int64  `json:"mentorship_id"`
		BookingID    int64  `json:"booking_id"`
		Rating       int    `json:"rating"`
		Text         string `json:"text"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	v, err := s.app.Reviews.Create(r.Context(), caller, app.ReviewInput{MentorshipID: in.MentorshipID, BookingID: in.BookingID,
		Rating: in.Rating, Text: in.Text})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toReview(v))
}

func (s *server) replyToReview(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "review")
	if !ok {
		return
	}
	var in struct {
		Text string `json:"text"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	v, err := s.app.Reviews.Reply(r.Context(), caller, id, in.Text)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toReview(v))
}

func (s *server) mentorReviews(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "mentor")
	if !ok {
		return
	}
	q := r.URL.Query()
	out, err := s.app.Reviews.OfMentor(r.Context(), id, q.Get("cursor"), q.Get("limit"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Reviews    []reviewJSON `json:"reviews"`
		Average    *float64     `json:"average"` // null without reviews
		Count      int          `json:"count"`
		NextCursor string       `json:"next_cursor"`
	}{list(out.Reviews, toReview), average(out.Rating), out.Count, out.Next})
}

// average is the rating to two decimals, null without reviews.
func average(r mentorbook.Rating) *float64 {
	if r.Count == 0 {
		return nil
	}
	a := math.Round(r.Average*100) / 100
	return &a
}
