package web

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

// boardData is the broadcasts board: open broadcasts (or closed ones),
// filtered by skill and words, and the signed-in visitor's own.
type boardData struct {
	Broadcasts []broadcastCard
	Mine       []broadcastCard
	Skill, Q   string
	Closed     bool   // showing closed broadcasts instead of open ones
	Status     string // "open" or "closed", as the list's status filter
	Next       string // cursor of the next page
	Zone       string
}

// broadcastCard is a broadcast with its time in the viewer's zone.
type broadcastCard struct {
	mentorbook.Broadcast
	Posted time.Time
}

func cards(bs []mentorbook.Broadcast, loc *time.Location) []broadcastCard {
	out := make([]broadcastCard, len(bs))
	for i, b := range bs {
		out[i] = broadcastCard{b, b.CreatedAt.In(loc)}
	}
	return out
}

// zoneOf is the zone the viewer sees times in.
func (s *server) zoneOf(w http.ResponseWriter, r *http.Request) *time.Location {
	loc, err := schedule.LoadZone(viewerZone(r).Zone) // viewerZone gives only zones that load
	if err != nil {
		return time.UTC
	}
	return loc
}

func (s *server) broadcastBoard(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := boardData{Skill: strings.TrimSpace(q.Get("skill")), Q: strings.TrimSpace(q.Get("q")), Closed: q.Get("status") == "closed"}
	loc := s.zoneOf(w, r)
	d.Zone = loc.String()
	d.Status = "open"
	if d.Closed {
		d.Status = "closed"
	}
	bs, next, err := s.app.Broadcasts.List(r.Context(), app.BroadcastQuery{Skill: d.Skill, Q: d.Q, Status: d.Status, Cursor: q.Get("cursor")})
	if mentorbook.ErrorCode(err) == mentorbook.EINVALID {
		s.render(w, r, http.StatusUnprocessableEntity, "broadcasts", view{Title: "Broadcasts", Data: d,
			Alert: "That search could not be run: " + problemText(err)})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Broadcasts, d.Next = cards(bs, loc), next
	if me := viewerOf(r).user; me != nil {
		mine, _, err := s.app.Broadcasts.List(r.Context(), app.BroadcastQuery{AuthorID: fmt.Sprint(me.ID), Limit: "100"})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Mine = cards(mine, loc)
	}
	s.render(w, r, http.StatusOK, "broadcasts", view{Title: "Broadcasts", Flash: flashOf(r), Data: d})
}

// problemText joins an error's field problems into one line, in field
// order.
func problemText(err error) string {
	fields, _ := formErrors(err)
	if len(fields) == 0 {
		return mentorbook.ErrorMessage(err)
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		parts = append(parts, k+" "+fields[k])
	}
	return strings.Join(parts, "; ") + "."
}

// broadcastFormData is the form to post a broadcast, with what was typed.
type broadcastFormData struct {
	Title, Body, Skills string
	Errors              map[string]string
}

func (s *server) newBroadcastForm(w http.ResponseWriter, r *http.Request, _ mentorbook.User) {
	var d broadcastFormData
	var alert string
	// A refused post (or one sent after the session ended) comes back as typed.
	if st, ok := formFor(w, r); ok {
		d = broadcastFormData{Title: st.Values.Get("title"), Body: st.Values.Get("body"), Skills: st.Values.Get("skills"), Errors: st.Errors}
		alert = st.whyAlert()
	}
	s.render(w, r, http.StatusOK, "broadcast_new", view{Title: "Post a broadcast", Alert: alert, Data: d})
}

func (s *server) postBroadcast(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	d := broadcastFormData{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Skills: r.PostFormValue("skills")}
	skills := splitSkills(d.Skills)
	b, err := s.app.Broadcasts.Create(r.Context(), me, app.BroadcastInput{Title: &d.Title, Body: &d.Body, Skills: &skills})
	if err != nil {
		if errs, _ := formErrors(err); errs != nil {
			refuse(w, r, "/broadcasts/new", formState{Errors: errs})
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/broadcasts/%d?done=posted", b.ID), http.StatusSeeOther)
}

// broadcastPageData is one broadcast: for its author with every response,
// for a mentor with their own response or the form to answer.
type broadcastPageData struct {
	B         broadcastCard
	Author    bool
	Mentor    bool // the viewer is an active mentor who may answer
	SignedIn  bool
	Responses []responseCard // the author's: all; a responding mentor's: theirs
	// Services are the mentor's own services an answer may propose.
	Services  []serviceCard
	Message   string // typed answer kept after a refusal
	ServiceID int64  // the service chosen in a refused answer
	Errors    map[string]string
	Zone      string
}

type responseCard struct {
	mentorbook.BroadcastResponse
	Sent  time.Time
	Price string // of the proposed service
}

func (s *server) broadcastPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	var d broadcastPageData
	var alert string
	// A refused answer comes back as typed, with why.
	if st, ok := formFor(w, r); ok {
		d.Message, d.Errors, alert = st.Values.Get("message"), st.Errors, st.Message
		d.ServiceID, _ = strconv.ParseInt(st.Values.Get("service_id"), 10, 64)
		if st.Why != "" {
			alert = st.whyAlert()
		}
	}
	s.showBroadcast(w, r, http.StatusOK, id, d, flashOf(r), alert)
}

func (s *server) showBroadcast(w http.ResponseWriter, r *http.Request, status int, id int64, d broadcastPageData, flash, alert string) {
	b, err := s.app.Broadcasts.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	loc := s.zoneOf(w, r)
	d.B, d.Zone = broadcastCard{b, b.CreatedAt.In(loc)}, loc.String()
	if me := viewerOf(r).user; me != nil {
		d.SignedIn = true
		d.Author = me.ID == b.AuthorID
		d.Mentor = me.Mentor != nil && me.Mentor.Active && !d.Author
		rs, err := s.app.Broadcasts.Responses(r.Context(), *me, id)
		if err != nil && mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
		for _, resp := range rs {
			d.Responses = append(d.Responses, responseCard{resp, resp.CreatedAt.In(loc), s.price(resp.ServicePriceMinor)})
		}
		if d.Mentor && len(rs) == 0 && b.Status == mentorbook.BroadcastOpen {
			svs, err := s.app.Services.Mine(r.Context(), *me)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			for _, sv := range svs {
				if sv.Requestable() {
					d.Services = append(d.Services, s.serviceCard(sv))
				}
			}
		}
	}
	s.render(w, r, status, "broadcast", view{Title: b.Title, Flash: flash, Alert: alert, Data: d})
}

func (s *server) respondToBroadcast(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	in := app.ResponseInput{Message: r.PostFormValue("message")}
	var serviceID int64
	if v := r.PostFormValue("service_id"); v != "" {
		// A hand-edited value that is no number is no service either.
		serviceID, _ = strconv.ParseInt(v, 10, 64)
		in.ServiceID = &serviceID
	}
	_, err := s.app.Broadcasts.Respond(r.Context(), me, id, in)
	page := fmt.Sprintf("/broadcasts/%d", id)
	switch mentorbook.ErrorCode(err) {
	case "":
		http.Redirect(w, r, fmt.Sprintf("/broadcasts/%d?done=responded", id), http.StatusSeeOther)
	case mentorbook.EINVALID:
		errs, _ := formErrors(err)
		if errs["message"] == "" && errs["service_id"] == "" {
			errs = map[string]string{"message": mentorbook.ErrorMessage(err)}
		}
		refuse(w, r, page, formState{Errors: errs})
	case mentorbook.ECONFLICT:
		refuse(w, r, page, formState{Message: mentorbook.ErrorMessage(err), Values: url.Values{}})
	case mentorbook.EFORBIDDEN:
		s.showBroadcast(w, r, http.StatusForbidden, id, broadcastPageData{}, "", mentorbook.ErrorMessage(err))
	default:
		s.fail(w, r, err)
	}
}

func (s *server) closeBroadcast(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	_, err := s.app.Broadcasts.Close(r.Context(), me, id)
	switch mentorbook.ErrorCode(err) {
	case "":
		http.Redirect(w, r, fmt.Sprintf("/broadcasts/%d?done=closed", id), http.StatusSeeOther)
	case mentorbook.ECONFLICT:
		refuse(w, r, fmt.Sprintf("/broadcasts/%d", id), formState{Message: mentorbook.ErrorMessage(err), Values: url.Values{}})
	default:
		s.fail(w, r, err)
	}
}

func (s *server) deleteBroadcast(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.app.Broadcasts.Delete(r.Context(), me, id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/broadcasts?done=broadcast-deleted", http.StatusSeeOther)
}
