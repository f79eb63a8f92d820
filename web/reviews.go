package web

import (
	"net/http"
	"strconv"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

// reviewsView is a mentor's reviews as their page shows them.
type reviewsView struct {
	Count   int
	Average string // "4.5", "" without reviews
	Reviews []mentorbook.Review
	Own     bool // the mentor's own page: they may reply
}

func reviewsOf(rs app.MentorReviews, own bool) reviewsView {
	v := reviewsView{Count: rs.Count, Reviews: rs.Reviews, Own: own}
	if rs.Count > 0 {
		v.Average = strconv.FormatFloat(rs.Average, 'f', 1, 64)
	}
	return v
}

// createReview publishes a review from the mentorship page or the
// dashboard and shows it on the mentor's page.
func (s *server) createReview(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	mid, _ := strconv.ParseInt(r.PostFormValue("mentorship_id"), 10, 64)
	bid, _ := strconv.ParseInt(r.PostFormValue("booking_id"), 10, 64)
	rating, err := strconv.Atoi(r.PostFormValue("rating"))
	if err != nil {
		rating = 0 // refused by the use case in its own words
	}
	v, err := s.app.Reviews.Create(r.Context(), me, app.ReviewInput{MentorshipID: mid, BookingID: bid, Rating: rating,
		Text: r.PostFormValue("text")})
	back := "/dashboard"
	if mid != 0 {
		back = "/mentorships/" + strconv.FormatInt(mid, 10)
	}
	switch mentorbook.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/mentors/"+strconv.FormatInt(v.MentorID, 10)+"?done=review#reviews", http.StatusSeeOther)
	case mentorbook.EINVALID, mentorbook.ECONFLICT, mentorbook.EFORBIDDEN:
		refuse(w, r, back, formState{Message: refusal(err, "The review was not published: its")})
	default:
		s.fail(w, r, err)
	}
}

// replyToReview publishes the mentor's reply on their page.
func (s *server) replyToReview(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	page := "/mentors/" + strconv.FormatInt(me.ID, 10)
	_, err := s.app.Reviews.Reply(r.Context(), me, id, r.PostFormValue("text"))
	switch mentorbook.ErrorCode(err) {
	case "":
		http.Redirect(w, r, page+"?done=reply#reviews", http.StatusSeeOther)
	case mentorbook.EINVALID, mentorbook.ECONFLICT:
		refuse(w, r, page, formState{Alert: refusal(err, "The reply was not published: its")})
	default:
		s.fail(w, r, err)
	}
}
