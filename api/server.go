// Package api serves Mentorbook's JSON API under /api/v1 and /healthz.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

// healthTimeout bounds /healthz's database check.
const healthTimeout = 900 * time.Millisecond

type server struct {
	app *app.App
	log *slog.Logger
	// heartbeat is how often an idle event stream sends a comment.
	heartbeat time.Duration
	closing   <-chan struct{}
}

// Options tune the API; the zero value is production-ready.
type Options struct {
	// Heartbeat is how often an idle event stream sends a comment line
	// (default 20 s: within the 15–30 s that keeps proxies from closing it).
	Heartbeat time.Duration
	// Closing, once closed, ends every event stream, so a graceful
	// shutdown does not wait for them.
	Closing <-chan struct{}
}

// New returns the API handler.
func New(svc *app.App, log *slog.Logger, opts ...Options) http.Handler {
	s := &server{app: svc, log: log, heartbeat: 20 * time.Second}
	if len(opts) > 0 {
		if opts[0].Heartbeat > 0 {
			s.heartbeat = opts[0].Heartbeat
		}
		s.closing = opts[0].Closing
	}
	mux := http.NewServeMux()
	s.routes(mux)
	return noStoreWithCredentials(mux)
}

// noStoreWithCredentials keeps every answer to a request that carries
// credentials out of caches: a token or a cookie in the headers, or, in
// any request that is not a read, perhaps a password in the body. Routes
// for a signed-in caller say no-store themselves (authed); only public
// reads, the same for everyone, may be cached.
func noStoreWithCredentials(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		read := r.Method == http.MethodGet || r.Method == http.MethodHead
		if !read || r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != "" {
			w.Header().Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// routes lists every route of the API.
func (s *server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", s.healthz)

	mux.HandleFunc("POST /api/v1/signup", s.signup)
	mux.HandleFunc("POST /api/v1/login", s.login)
	mux.HandleFunc("POST /api/v1/logout", s.authed(s.logout))
	mux.HandleFunc("POST /api/v1/password-reset", s.requestPasswordReset)
	mux.HandleFunc("POST /api/v1/password-reset/confirm", s.confirmPasswordReset)
	mux.HandleFunc("GET /api/v1/me", s.authed(s.me))
	mux.HandleFunc("PATCH /api/v1/me", s.authed(s.patchMe))
	mux.HandleFunc("DELETE /api/v1/me", s.authed(s.deleteMe))
	mux.HandleFunc("POST /api/v1/me/password", s.authed(s.changePassword))
	mux.HandleFunc("POST /api/v1/me/email", s.authed(s.changeEmail))
	mux.HandleFunc("PUT /api/v1/me/mentor", s.authed(s.putMentor))

	mux.HandleFunc("GET /api/v1/mentors", s.listMentors)
	mux.HandleFunc("GET /api/v1/mentors/{id}", s.getMentor)
	mux.HandleFunc("GET /api/v1/mentors/{id}/slots", s.slots)
	mux.HandleFunc("GET /api/v1/mentors/{id}/busy", s.busy)
	mux.HandleFunc("GET /api/v1/mentors/{id}/services", s.mentorServices)

	mux.HandleFunc("GET /api/v1/me/services", s.authed(s.listMyServices))
	mux.HandleFunc("POST /api/v1/me/services", s.authed(s.createService))
	mux.HandleFunc("PATCH /api/v1/me/services/{id}", s.authed(s.updateService))
	mux.HandleFunc("DELETE /api/v1/me/services/{id}", s.authed(s.archiveService))

	mux.HandleFunc("GET /api/v1/me/availability", s.authed(s.getAvailability))
	mux.HandleFunc("PUT /api/v1/me/availability", s.authed(s.putAvailability))
	mux.HandleFunc("GET /api/v1/me/availability/overrides", s.authed(s.listOverrides))
	mux.HandleFunc("PUT /api/v1/me/availability/overrides/{date}", s.authed(s.putOverride))
	mux.HandleFunc("DELETE /api/v1/me/availability/overrides/{date}", s.authed(s.deleteOverride))

	mux.HandleFunc("POST /api/v1/bookings", s.authed(s.createBooking))
	mux.HandleFunc("GET /api/v1/bookings", s.authed(s.listBookings))
	mux.HandleFunc("GET /api/v1/bookings/{id}", s.authed(s.getBooking))
	mux.HandleFunc("POST /api/v1/bookings/{id}/accept", s.authed(s.acceptBooking))
	mux.HandleFunc("POST /api/v1/bookings/{id}/decline", s.authed(s.declineBooking))
	mux.HandleFunc("POST /api/v1/bookings/{id}/cancel", s.authed(s.cancelBooking))
	mux.HandleFunc("PATCH /api/v1/bookings/{id}", s.authed(s.patchBooking))
	mux.HandleFunc("POST /api/v1/bookings/{id}/reschedule", s.authed(s.rescheduleBooking))
	mux.HandleFunc("POST /api/v1/bookings/{id}/attendance", s.authed(s.reportAttendance))
	mux.HandleFunc("GET /api/v1/bookings/{id}/calendar.ics", s.authed(s.bookingCalendar))
	mux.HandleFunc("GET /api/v1/me/calendar-feed", s.authed(s.getCalendarFeed))
	mux.HandleFunc("POST /api/v1/me/calendar-feed", s.authed(s.regenerateCalendarFeed))

	mux.HandleFunc("GET /api/v1/notifications", s.authed(s.listNotifications))
	mux.HandleFunc("GET /api/v1/notifications/unread-count", s.authed(s.unreadCount))
	mux.HandleFunc("POST /api/v1/notifications/read", s.authed(s.markNotificationsRead))
	mux.HandleFunc("GET /api/v1/me/notification-settings", s.authed(s.getNotificationSettings))
	mux.HandleFunc("PUT /api/v1/me/notification-settings", s.authed(s.putNotificationSettings))
	mux.HandleFunc("POST /api/v1/mentorships", s.authed(s.requestMentorship))
	mux.HandleFunc("GET /api/v1/mentorships", s.authed(s.listMentorships))
	mux.HandleFunc("GET /api/v1/mentorships/{id}", s.authed(s.getMentorship))
	for _, a := range []app.MentorshipAction{app.ActionAccept, app.ActionDecline, app.ActionWithdraw, app.ActionCancel, app.ActionComplete} {
		mux.HandleFunc("POST /api/v1/mentorships/{id}/"+string(a), s.authed(s.actOnMentorship(a)))
	}

	mux.HandleFunc("POST /api/v1/conversations", s.authed(s.openConversation))
	mux.HandleFunc("GET /api/v1/conversations", s.authed(s.listConversations))
	mux.HandleFunc("GET /api/v1/conversations/unread-count", s.authed(s.unreadMessages))
	mux.HandleFunc("GET /api/v1/conversations/{id}/messages", s.authed(s.listMessages))
	mux.HandleFunc("POST /api/v1/conversations/{id}/messages", s.authed(s.sendMessage))
	mux.HandleFunc("POST /api/v1/conversations/{id}/read", s.authed(s.readConversation))
	mux.HandleFunc("POST /api/v1/users/{id}/block", s.authed(s.block(true)))
	mux.HandleFunc("DELETE /api/v1/users/{id}/block", s.authed(s.block(false)))
	mux.HandleFunc("POST /api/v1/messages/{id}/report", s.authed(s.reportMessage))
	mux.HandleFunc("GET /api/v1/admin/reports", s.authed(s.listReports))
	mux.HandleFunc("GET /api/v1/events", s.streamAuthed(s.events))
	// Progress, reviews and the dashboard (issue 10).
	mux.HandleFunc("GET /api/v1/mentorships/{id}/tasks", s.authed(s.listTasks))
	mux.HandleFunc("POST /api/v1/mentorships/{id}/tasks", s.authed(s.addTask))
	mux.HandleFunc("PATCH /api/v1/mentorships/{id}/tasks/{task_id}", s.authed(s.updateTask))
	mux.HandleFunc("DELETE /api/v1/mentorships/{id}/tasks/{task_id}", s.authed(s.deleteTask))
	mux.HandleFunc("GET /api/v1/mentorships/{id}/notes", s.authed(s.listNotes))
	mux.HandleFunc("POST /api/v1/mentorships/{id}/notes", s.authed(s.addNote))
	mux.HandleFunc("GET /api/v1/mentorships/{id}/time", s.authed(s.getTime))
	mux.HandleFunc("POST /api/v1/mentorships/{id}/time", s.authed(s.logTime))
	mux.HandleFunc("POST /api/v1/reviews", s.authed(s.createReview))
	mux.HandleFunc("POST /api/v1/reviews/{id}/reply", s.authed(s.replyToReview))
	mux.HandleFunc("GET /api/v1/mentors/{id}/reviews", s.mentorReviews)
	mux.HandleFunc("GET /api/v1/me/dashboard", s.authed(s.dashboard))
	mux.HandleFunc("PUT /api/v1/me/mentor/active", s.authed(s.setMentorActive))
	mux.HandleFunc("POST /api/v1/broadcasts", s.authed(s.createBroadcast))
	mux.HandleFunc("GET /api/v1/broadcasts", s.listBroadcasts)
	mux.HandleFunc("GET /api/v1/broadcasts/{id}", s.getBroadcast)
	mux.HandleFunc("PATCH /api/v1/broadcasts/{id}", s.authed(s.patchBroadcast))
	mux.HandleFunc("DELETE /api/v1/broadcasts/{id}", s.authed(s.deleteBroadcast))
	mux.HandleFunc("POST /api/v1/broadcasts/{id}/close", s.authed(s.closeBroadcast))
	mux.HandleFunc("POST /api/v1/broadcasts/{id}/responses", s.authed(s.respondToBroadcast))
	mux.HandleFunc("GET /api/v1/broadcasts/{id}/responses", s.authed(s.listResponses))
	s.moneyRoutes(mux)

	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such API endpoint."))
	})
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	// A load balancer waits for this answer: a database that does not
	// answer within a second counts as down.
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if err := s.app.Ping(ctx); err != nil {
		logError(s.log, r, err)
		w.Header().Set("Retry-After", "5")
		http.Error(w, "database unreachable or not writable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// authedHandler is a handler for a signed-in caller.
type authedHandler func(w http.ResponseWriter, r *http.Request, caller mentorbook.User)

// authed resolves the bearer token and answers 401 without a valid one.
// Its answers are the caller's own, so no cache may keep them.
func (s *server) authed(h authedHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		u, err := s.app.Accounts.Authenticate(r.Context(), bearerToken(r))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="mentorbook"`)
			s.writeError(w, r, err)
			return
		}
		h(w, r, u)
	}
}

func bearerToken(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// pathID parses the {id} path value; a malformed id is simply not found.
func (s *server) pathID(w http.ResponseWriter, r *http.Request, what string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.writeError(w, r, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such %s.", what))
		return 0, false
	}
	return id, true
}
