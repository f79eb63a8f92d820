package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/mentorbook/mentorbook"
)

// pages holds one template set per page: the layout, the shared partials
// and the page's own file.
type pages map[string]*template.Template

func mustParsePages() pages {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	p := pages{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "base" || name == "partials" {
			continue
		}
		t := template.New(name).Funcs(funcs)
		p[name] = template.Must(t.ParseFS(templateFS, "templates/base.html", "templates/partials.html", f))
	}
	return p
}

// view is what every page template gets: the layout's needs, and the
// page's own Data.
type view struct {
	Title   string
	User    *mentorbook.User
	Pending int // requests waiting for the user's answer as mentor
	// PendingMentorships are mentorship requests waiting for that answer.
	PendingMentorships int
	Unread             int // the user's unread notifications, for the bell
	UnreadMessages     int // the user's unread messages
	// EventsFrom is the user's latest event ID, read before the counts:
	// the page's event stream starts after it, so nothing that changes
	// between rendering and connecting is missed.
	EventsFrom int64
	Path       string // the current page, for login's next
	Flash      string // a one-line confirmation
	Alert      string // a one-line problem
	// TZUnknown marks a page that shows times in UTC only because the
	// visitor's zone is not known yet: static/app.js reports it and reloads.
	TZUnknown bool
	Data      any
}

// render writes a page. The template runs into a buffer first, so a
// template error becomes a clean error page rather than half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	body, err := s.renderPage(r, name, v)
	if err != nil {
		s.log.Error("render", "page", name, "method", r.Method, "path", r.URL.Path, "err", err)
		writeBare500(w)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// Pages show private data: never keep them in a cache, so the back
	// button after logout asks the server (and lands on the login page).
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// renderPage runs a page's template with the layout's needs filled in.
func (s *server) renderPage(r *http.Request, name string, v view) ([]byte, error) {
	t, ok := s.pages[name]
	if !ok {
		return nil, fmt.Errorf("web: no page template %q", name)
	}
	if vw := viewerOf(r); vw.user != nil {
		v.User = vw.user
		var err error
		if v.EventsFrom, err = s.app.Events.LastID(r.Context(), *vw.user); err != nil {
			s.log.Error("last event id", "err", err)
		}
		if vw.user.Mentor != nil {
			n, err := s.app.Bookings.PendingCount(r.Context(), *vw.user)
			if err != nil {
				s.log.Error("pending count", "err", err)
			}
			v.Pending = n
			if v.PendingMentorships, err = s.app.Mentorships.PendingCount(r.Context(), *vw.user); err != nil {
				s.log.Error("pending mentorships count", "err", err)
			}
		}
		n, err := s.app.Notifications.UnreadCount(r.Context(), *vw.user)
		if err != nil {
			s.log.Error("unread count", "err", err)
		}
		v.Unread = n
		if v.UnreadMessages, err = s.app.Conversations.UnreadCount(r.Context(), *vw.user); err != nil {
			s.log.Error("unread messages count", "err", err)
		}
	}
	if v.Flash == "" {
		v.Flash = flashOf(r)
	}
	v.Path = r.URL.RequestURI()
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// errorData is what the error page shows.
type errorData struct {
	Status  int
	Heading string
	Message string
}

// fail answers with the page that fits err's code. Messages of app errors
// are written for users; internal errors are logged and shown generically.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	msg := mentorbook.ErrorMessage(err)
	switch mentorbook.ErrorCode(err) {
	case mentorbook.EUNAUTHORIZED:
		clearSessionCookie(w, r)
		if r.Method == http.MethodPost {
			toLogin(w, r, "session")
			return
		}
		http.Redirect(w, r, "/login?next="+urlQueryEscape(localPath(r.URL.RequestURI())), http.StatusSeeOther)
	case mentorbook.ENOTFOUND:
		s.errorPage(w, r, http.StatusNotFound, "Not found", msg)
	case mentorbook.EFORBIDDEN:
		s.errorPage(w, r, http.StatusForbidden, "Not allowed", msg)
	case mentorbook.ECONFLICT:
		s.errorPage(w, r, http.StatusConflict, "That could not be done", msg)
	case mentorbook.ETOOMANY:
		s.errorPage(w, r, http.StatusTooManyRequests, "Too many attempts", msg)
	case mentorbook.EUNAVAILABLE:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "5")
		s.errorPage(w, r, http.StatusServiceUnavailable, "Briefly unavailable", msg)
	case mentorbook.EINVALID:
		s.errorPage(w, r, http.StatusUnprocessableEntity, "Please check the request", msg)
	default:
		s.serverError(w, r, err)
	}
}

func (s *server) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	s.render(w, r, status, "error", view{Title: heading, Data: errorData{status, heading, msg}})
}

// serverError logs err with the request and shows a page with no details.
func (s *server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong",
		"Sorry, something went wrong on our side. Please try again in a moment.")
}

func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "Page not found", "There is no page at this address.")
}

func (s *server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	s.log.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path,
		"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
	s.errorPage(w, r, http.StatusForbidden, "Request refused",
		"This form was sent from another site, so it was refused. Open the page on this site and try again.")
}

// recoverer turns a panic into the generic error page.
func (s *server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.serverError(w, r, fmt.Errorf("panic: %v", p))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func writeBare500(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte("Something went wrong on our side. Please try again in a moment.\n"))
}

// contentSecurityPolicy allows only this site's own scripts and styles, and
// no inline ones.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// securityHeaders sets the headers every web response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}
