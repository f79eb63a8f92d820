package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

// mentorshipView is a mentorship as the viewer sees it: their role, the
// other party, the price formatted, deadlines in the viewer's zone, and
// what the viewer may do now.
type mentorshipView struct {
	mentorbook.Mentorship
	Role       string // the viewer's: "mentor" or "mentee"
	OtherName  string
	Price      string
	Terms      string
	StatusText string
	ExpiresAt  time.Time // in the viewer's zone; zero when none
	StartedAt  time.Time
	EndsAt     time.Time
	CreatedAt  time.Time
	// Actions the viewer may take, by name ("accept", "decline", ...).
	Can map[string]bool
	// CanBook: the mentee of an active sessions mentorship with a session left.
	CanBook bool
}

// statusTexts say each status in words.
var statusTexts = map[mentorbook.MentorshipStatus]string{
	mentorbook.MentorshipPending:         "Pending: waiting for the mentor’s answer",
	mentorbook.MentorshipAwaitingPayment: "Accepted, awaiting payment",
	mentorbook.MentorshipActive:          "Active",
	mentorbook.MentorshipDeclined:        "Declined",
	mentorbook.MentorshipWithdrawn:       "Withdrawn",
	mentorbook.MentorshipExpired:         "Expired",
	mentorbook.MentorshipCompleted:       "Completed",
	mentorbook.MentorshipCancelled:       "Cancelled",
}

func (s *server) mentorshipView(me mentorbook.User, m mentorbook.Mentorship, loc *time.Location) mentorshipView {
	v := mentorshipView{Mentorship: m, Role: "mentee", OtherName: m.MentorName, Price: s.price(m.PriceMinor),
		Terms: serviceTerms(m.Format, m.SessionsIncluded, m.SessionMinutes, m.Days, m.Mode), StatusText: statusTexts[m.Status],
		CreatedAt: m.CreatedAt.In(loc), Can: map[string]bool{}}
	if m.MentorID == me.ID {
		v.Role, v.OtherName = "mentor", m.MenteeName
	}
	if m.Status == mentorbook.MentorshipPending || m.Status == mentorbook.MentorshipAwaitingPayment {
		v.ExpiresAt = m.ExpiresAt.In(loc)
	}
	if !m.StartedAt.IsZero() {
		v.StartedAt = m.StartedAt.In(loc)
	}
	if !m.EndsAt.IsZero() {
		v.EndsAt = m.EndsAt.In(loc)
	}
	for _, a := range []app.MentorshipAction{app.ActionAccept, app.ActionDecline, app.ActionWithdraw, app.ActionCancel, app.ActionComplete} {
		v.Can[string(a)] = a.Allowed(m, me.ID)
	}
	v.CanBook = v.Role == "mentee" && m.Status == mentorbook.MentorshipActive && m.Format == mentorbook.FormatSessions &&
		m.SessionsUsed < m.SessionsIncluded
	return v
}

// mentorshipsData is the mentorships page: requests waiting for the
// viewer's answer, the viewer's own requests, those going on, and past ones.
type mentorshipsData struct {
	Zone     string
	Incoming []mentorshipView
	Outgoing []mentorshipView
	Current  []mentorshipView // awaiting payment or active, either role
	Past     []mentorshipView
}

// viewerLocation is the zone a signed-in viewer's pages use: one chosen
// on a page, else the account's.
func viewerLocation(w http.ResponseWriter, r *http.Request, me mentorbook.User) *time.Location {
	zone := me.Timezone
	if zc := viewerZone(r); zc.Known {
		zone = zc.Zone
	}
	loc, err := schedule.LoadZone(zone)
	if err != nil {
		return time.UTC
	}
	return loc
}

func (s *server) mentorshipsPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	loc := viewerLocation(w, r, me)
	d := mentorshipsData{Zone: loc.String()}
	// The newest 100 of each kind: an old history cannot push a request
	// waiting for an answer off the page.
	for _, q := range []struct {
		role, status string
		into         *[]mentorshipView
	}{
		{"mentor", "pending", &d.Incoming},
		{"mentee", "pending", &d.Outgoing},
		{"", "awaiting_payment,active", &d.Current},
		{"", "declined,withdrawn,expired,completed,cancelled", &d.Past},
	} {
		ms, _, err := s.app.Mentorships.List(r.Context(), me, app.MentorshipQuery{Role: q.role, Status: q.status, Limit: "100"})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, m := range ms {
			*q.into = append(*q.into, s.mentorshipView(me, m, loc))
		}
	}
	s.render(w, r, http.StatusOK, "mentorships", view{Title: "Mentorships", Flash: flashOf(r), Data: d})
}

type mentorshipData struct {
	M        mentorshipView
	Zone     string
	Progress progressView
	// Payment of a paid mentorship once accepted; nil otherwise.
	Payment *paymentView
}

func (s *server) mentorshipPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	m, err := s.app.Mentorships.Get(r.Context(), me, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	loc := viewerLocation(w, r, me)
	p, err := s.progressOf(r, me, m, loc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := mentorshipData{M: s.mentorshipView(me, m, loc), Zone: loc.String(), Progress: p}
	if p, err := s.app.Payments.ForMentorship(r.Context(), me, m.ID); err == nil {
		pv := s.paymentView(p, loc)
		d.Payment = &pv
	} else if mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	v := view{Title: m.Title, Flash: flashOf(r), Data: d}
	// A refused action (a missing reason, a state that moved on) says why.
	v.Alert = alertOf(w, r)
	s.render(w, r, http.StatusOK, "mentorship", v)
}

// actOnMentorship applies the action named in the path and goes back to
// the mentorship's page.
func (s *server) actOnMentorship(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	action := app.MentorshipAction(r.PathValue("action"))
	if _, err := s.app.Mentorships.Act(r.Context(), me, id, action, r.PostFormValue("reason")); err != nil {
		switch mentorbook.ErrorCode(err) {
		case mentorbook.EINVALID, mentorbook.ECONFLICT:
			msg := mentorbook.ErrorMessage(err)
			if fields, _ := formErrors(err); fields["reason"] != "" {
				msg = "A reason " + fields["reason"] + "."
			}
			refuse(w, r, "/mentorships/"+strconv.FormatInt(id, 10), formState{Message: msg})
		default:
			s.fail(w, r, err)
		}
		return
	}
	http.Redirect(w, r, "/mentorships/"+strconv.FormatInt(id, 10)+"?done=mentorship-"+string(action), http.StatusSeeOther)
}

// requestService sends a mentorship request from a service card; a
// refused one shows the mentor page again with the message and the reason.
func (s *server) requestService(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	message := r.PostFormValue("message")
	m, err := s.app.Mentorships.Request(r.Context(), me, app.MentorshipInput{ServiceID: id, Message: message}, r.PostFormValue("request_key"))
	if err == nil {
		http.Redirect(w, r, "/mentorships/"+strconv.FormatInt(m.ID, 10)+"?done=mentorship-requested", http.StatusSeeOther)
		return
	}
	code := mentorbook.ErrorCode(err)
	if code != mentorbook.EINVALID && code != mentorbook.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	sv, gerr := s.app.Services.Public(r.Context(), id)
	if gerr != nil {
		s.fail(w, r, err)
		return
	}
	msg := mentorbook.ErrorMessage(err)
	if fields, _ := formErrors(err); fields != nil {
		msg = fields["message"]
		if msg == "" {
			msg = "This service " + fields["service_id"] + "."
		}
	}
	// Back to the mentor page (post/redirect/get), where the service's
	// card shows the problem and what was typed.
	refuse(w, r, fmt.Sprintf("/mentors/%d", sv.MentorID), formState{Message: msg})
}
