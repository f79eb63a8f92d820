package api_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

type reviewOut struct {
	ID           int64
	MentorID     int64  `json:"mentor_id"`
	MentorshipID *int64 `json:"mentorship_id"`
	BookingID    *int64 `json:"booking_id"`
	Rating       int
	Text         string
	Reply        *string
	Mentee       struct{ ID int64 }
}

type reviewsOut struct {
	Reviews []reviewOut
	Average *float64
	Count   int
}

func (e *env) reviews(mentorID int64) reviewsOut {
	e.t.Helper()
	var out reviewsOut
	want(e.t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/reviews", mentorID), "", nil), http.StatusOK).decode(e.t, &out)
	return out
}

func TestReviewsOfAFreeConsultationAndAMentorshipWithOneReply(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		a, stranger := e.signup("UTC"), e.signup("UTC")
		b := e.mustBook(a, m.ID, mon10)
		post := func(u user, body map[string]any) response { return e.call("POST", "/api/v1/reviews", u.Token, body) }
		review := map[string]any{"booking_id": b.ID, "rating": 5, "text": "Clear and kind."}

		// Pending, then confirmed but not yet over: not held.
		want(t, post(a, review), http.StatusConflict)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/bookings/%d/accept", b.ID), m.Token, nil), http.StatusOK)
		e.clock.Advance(b.End.Sub(testNow) - time.Minute)
		want(t, post(a, review), http.StatusConflict)
		e.clock.Advance(time.Minute)

		// Refusals change nothing.
		for _, c := range []struct {
			u      user
			body   map[string]any
			status int
		}{
			{a, map[string]any{"booking_id": b.ID, "rating": 0}, http.StatusUnprocessableEntity},
			{a, map[string]any{"booking_id": b.ID, "rating": 6}, http.StatusUnprocessableEntity},
			{a, map[string]any{"booking_id": b.ID, "rating": 4, "text": strings.Repeat("t", 2001)}, http.StatusUnprocessableEntity},
			{a, map[string]any{"rating": 4}, http.StatusUnprocessableEntity},
			{a, map[string]any{"booking_id": b.ID, "mentorship_id": 1, "rating": 4}, http.StatusUnprocessableEntity},
			{m, review, http.StatusForbidden},
			{stranger, review, http.StatusNotFound},
			{user{}, review, http.StatusUnauthorized},
		} {
			res := post(c.u, c.body)
			if res.Status != c.status {
				t.Errorf("%v: %d, want %d (%s)", c.body, res.Status, c.status, res.Body)
			}
			res.problem(t)
		}
		if got := e.reviews(m.ID); got.Count != 0 || got.Average != nil || len(got.Reviews) != 0 {
			t.Fatalf("after refusals %+v", got)
		}

		var r reviewOut
		want(t, post(a, review), http.StatusCreated).decode(t, &r)
		if r.Rating != 5 || r.Text != "Clear and kind." || r.BookingID == nil || *r.BookingID != b.ID || r.MentorshipID != nil ||
			r.MentorID != m.ID || r.Mentee.ID != a.ID || r.Reply != nil {
			t.Fatalf("review %+v", r)
		}
		want(t, post(a, map[string]any{"booking_id": b.ID, "rating": 1}), http.StatusConflict)

		// The mentor replies once; nobody else may.
		reply := fmt.Sprintf("/api/v1/reviews/%d/reply", r.ID)
		want(t, e.call("POST", reply, a.Token, map[string]string{"text": "Me too"}), http.StatusForbidden)
		want(t, e.call("POST", reply, stranger.Token, map[string]string{"text": "Me too"}), http.StatusForbidden)
		want(t, e.call("POST", reply, "", map[string]string{"text": "Me too"}), http.StatusUnauthorized)
		want(t, e.call("POST", reply, m.Token, map[string]string{"text": " "}), http.StatusUnprocessableEntity)
		want(t, e.call("POST", reply, m.Token, map[string]string{"text": strings.Repeat("t", 2001)}), http.StatusUnprocessableEntity)
		want(t, e.call("POST", "/api/v1/reviews/999999/reply", m.Token, map[string]string{"text": "Hi"}), http.StatusNotFound)
		if got := e.reviews(m.ID); got.Reviews[0].Reply != nil {
			t.Fatalf("a refused reply was kept: %+v", got.Reviews[0])
		}
		want(t, e.call("POST", reply, m.Token, map[string]string{"text": "Thank you!"}), http.StatusOK)
		want(t, e.call("POST", reply, m.Token, map[string]string{"text": "Again"}), http.StatusConflict)

		// A mentorship: not before a session is held or it is completed.
		sv := e.mustService(m, asyncReview())
		ms := e.mustMentorship(stranger, sv.ID)
		mreview := map[string]any{"mentorship_id": ms.ID, "rating": 2, "text": "Slow answers."}
		want(t, post(stranger, mreview), http.StatusConflict)
		want(t, e.act(m, ms.ID, "accept", nil), http.StatusOK)
		want(t, post(stranger, mreview), http.StatusConflict)
		want(t, post(m, mreview), http.StatusForbidden)
		want(t, post(a, mreview), http.StatusNotFound)
		want(t, e.act(stranger, ms.ID, "complete", nil), http.StatusOK)
		want(t, post(stranger, mreview), http.StatusCreated)
		want(t, post(stranger, mreview), http.StatusConflict)

		got := e.reviews(m.ID)
		if got.Count != 2 || got.Average == nil || *got.Average != 3.5 || len(got.Reviews) != 2 || got.Reviews[0].Rating != 2 ||
			got.Reviews[1].Reply == nil || *got.Reviews[1].Reply != "Thank you!" {
			t.Fatalf("mentor reviews %+v", got)
		}
		want(t, e.call("GET", "/api/v1/mentors/999999/reviews", "", nil), http.StatusNotFound)
		var page struct {
			Reviews    []reviewOut
			NextCursor string `json:"next_cursor"`
		}
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/reviews?limit=1", m.ID), "", nil), http.StatusOK).decode(t, &page)
		if len(page.Reviews) != 1 || page.NextCursor == "" {
			t.Fatalf("first page %+v", page)
		}
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentors/%d/reviews?limit=1&cursor=%s", m.ID, page.NextCursor), "", nil), http.StatusOK).decode(t, &page)
		if len(page.Reviews) != 1 || page.Reviews[0].Rating != 5 || page.NextCursor != "" {
			t.Fatalf("second page %+v", page)
		}

		// The mentor page's one read gives what the three use cases give.
		ctx := t.Context()
		p, err := e.svc.Mentors.Page(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		mentor, err1 := e.svc.Mentors.Get(ctx, m.ID)
		services, err2 := e.svc.Services.Offered(ctx, m.ID)
		reviews, err3 := e.svc.Reviews.OfMentor(ctx, m.ID, "", "")
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(p, app.MentorPage{Mentor: mentor, Services: services, Reviews: reviews}) || len(p.Services) != 2 || p.Reviews.Count != 2 {
			t.Fatalf("page %+v\nwant %+v, %+v, %+v", p, mentor, services, reviews)
		}
		if _, err := e.svc.Mentors.Page(ctx, 999999); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			t.Fatalf("page of no mentor: %v", err)
		}
	})
}

func TestAMentorshipWithAHeldSessionCanBeReviewedButNotItsSession(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		r, a := e.activeMentorship(m)
		var s bookingOut
		want(t, e.call("POST", "/api/v1/bookings", a.Token, map[string]any{"mentor_id": m.ID, "start": mon10.Format(time.RFC3339),
			"mentorship_id": r.ID}), http.StatusCreated).decode(t, &s)
		want(t, e.call("POST", "/api/v1/reviews", a.Token, map[string]any{"mentorship_id": r.ID, "rating": 4}), http.StatusConflict)
		e.clock.Advance(s.End.Sub(testNow))
		want(t, e.call("POST", "/api/v1/reviews", a.Token, map[string]any{"booking_id": s.ID, "rating": 4}), http.StatusUnprocessableEntity)
		want(t, e.call("POST", "/api/v1/reviews", a.Token, map[string]any{"mentorship_id": r.ID, "rating": 4}), http.StatusCreated)
	})
}

func TestMentorCredibilityFields(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		put := func(extra map[string]any) response {
			body := map[string]any{"headline": "Go mentor", "active": true}
			for k, v := range extra {
				body[k] = v
			}
			return e.call("PUT", "/api/v1/me/mentor", m.Token, body)
		}
		want(t, put(map[string]any{"links": []string{"https://github.com/maria", " https://maria.dev/ "},
			"languages": []string{"English", " Deutsch ", "english"}, "years_experience": 12}), http.StatusOK)
		profile := fmt.Sprintf("/api/v1/mentors/%d", m.ID)
		type credsOut struct {
			Links           []string
			Languages       []string
			YearsExperience int `json:"years_experience"`
		}
		var got credsOut
		want(t, e.call("GET", profile, "", nil), http.StatusOK).decode(t, &got)
		if fmt.Sprint(got) != "{[https://github.com/maria https://maria.dev/] [English Deutsch] 12}" {
			t.Fatalf("public profile %+v", got)
		}
		before := string(want(t, e.call("GET", profile, "", nil), http.StatusOK).Body)
		for _, body := range []map[string]any{
			{"links": []string{"http://maria.dev"}},
			{"links": []string{"javascript:alert(1)"}},
			{"links": []string{"https://"}},
			{"links": []string{"https://a.dev/1", "https://a.dev/2", "https://a.dev/3", "https://a.dev/4", "https://a.dev/5", "https://a.dev/6"}},
			{"years_experience": -1},
			{"years_experience": 81},
			{"languages": []string{strings.Repeat("x", 41)}},
		} {
			res := want(t, put(body), http.StatusUnprocessableEntity)
			if p := res.problem(t); len(p.Fields) != 1 {
				t.Errorf("%v: fields %v", body, p.Fields)
			}
		}
		e.sameAnswer(user{}, profile, before)
		// Omitted fields keep their values; an empty list clears.
		want(t, put(map[string]any{"links": []string{}}), http.StatusOK)
		want(t, e.call("GET", profile, "", nil), http.StatusOK).decode(t, &got)
		if len(got.Links) != 0 || len(got.Languages) != 2 || got.YearsExperience != 12 {
			t.Errorf("after clearing links %+v", got)
		}
		var me struct{ Mentor json.RawMessage }
		want(t, e.call("GET", "/api/v1/me", m.Token, nil), http.StatusOK).decode(t, &me)
		if !strings.Contains(string(me.Mentor), `"languages":["English","Deutsch"]`) {
			t.Errorf("me %s", me.Mentor)
		}
	})
}
