package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/schedule"
)

// authForm is the signup and login forms' typed values and problems.
type authForm struct {
	Name, Email, Timezone string
	Next                  string
	// Why says why the visitor was sent here with a form waiting:
	// "session" or "login" (see toLogin); links between login and signup
	// keep it.
	Why     string
	Errors  map[string]string
	Message string
}

// whyLogin are the lines the login and signup pages show for ?why=.
var whyLogin = map[string]string{
	"session": "Your session ended. Log in again and the form you were filling in comes back as you left it.",
	"login":   "Log in, or sign up, to send your request: the time and message you chose are kept.",
}

// knownWhy is why if the pages know it, else "".
func knownWhy(why string) string {
	if _, ok := whyLogin[why]; ok {
		return why
	}
	return ""
}

// home is the dashboard for a signed-in user (also at /dashboard), the
// welcome page for others.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	if u := viewerOf(r).user; u != nil {
		s.dashboardPage(w, r, *u)
		return
	}
	s.render(w, r, http.StatusOK, "home", view{})
}

// authFormOf is the signup or login form for this address, with what a
// refused attempt carried back.
func authFormOf(w http.ResponseWriter, r *http.Request) authForm {
	q := r.URL.Query()
	f := authForm{Next: localPath(q.Get("next"))}
	f.Why = knownWhy(q.Get("why"))
	if st, ok := formFor(w, r); ok {
		f.Name, f.Email, f.Timezone = st.Values.Get("name"), st.Values.Get("email"), st.Values.Get("timezone")
		f.Errors, f.Message = st.Errors, st.Message
	}
	return f
}

// again is the address a refused signup or login goes back to.
func (f authForm) again(page string) string {
	next := f.Next
	if next == "/" {
		next = "" // the default
	}
	return page + string(query("next", next, "why", f.Why))
}

func (s *server) signupForm(w http.ResponseWriter, r *http.Request) {
	f := authFormOf(w, r)
	s.render(w, r, http.StatusOK, "signup", view{Title: "Sign up", Alert: whyLogin[f.Why], Data: f})
}

func (s *server) signup(w http.ResponseWriter, r *http.Request) {
	f := authForm{
		Name: r.PostFormValue("name"), Email: r.PostFormValue("email"),
		Timezone: canonicalZone(r.PostFormValue("timezone")), Next: localPath(r.PostFormValue("next")),
		Why: knownWhy(r.PostFormValue("why")),
	}
	_, token, err := s.app.Accounts.Signup(r.Context(), app.SignupInput{
		Email: f.Email, Password: r.PostFormValue("password"), Name: f.Name, Timezone: f.Timezone,
	})
	if err != nil {
		if f.Errors, f.Message = formErrors(err); f.Errors != nil {
			refuse(w, r, f.again("/signup"), formState{Errors: f.Errors, Message: f.Message})
			return
		}
		s.fail(w, r, err)
		return
	}
	setSessionCookie(w, r, token)
	http.Redirect(w, r, withDone(f.Next, "signup"), http.StatusSeeOther)
}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request) {
	f := authFormOf(w, r)
	s.render(w, r, http.StatusOK, "login", view{Title: "Log in", Alert: whyLogin[f.Why], Data: f})
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	f := authForm{Email: r.PostFormValue("email"), Next: localPath(r.PostFormValue("next")), Why: knownWhy(r.PostFormValue("why"))}
	_, token, err := s.app.Accounts.Login(r.Context(), f.Email, r.PostFormValue("password"))
	switch mentorbook.ErrorCode(err) {
	case "":
	case mentorbook.EUNAUTHORIZED, mentorbook.ETOOMANY, mentorbook.EINVALID:
		msg := mentorbook.ErrorMessage(err)
		if wait := retryAfter(err); wait > 0 {
			loc, err := schedule.LoadZone(viewerZone(r).Zone)
			if err != nil {
				loc = time.UTC
			}
			msg = fmt.Sprintf("Too many failed logins for this account. Try again after %s (%s).",
				s.app.Now().Add(wait).In(loc).Format("15:04"), loc)
		}
		refuse(w, r, f.again("/login"), formState{Message: msg})
		return
	default:
		s.fail(w, r, err)
		return
	}
	// A login always gets a new session token; drop the old one, if any.
	if old := viewerOf(r).token; old != "" {
		if err := s.app.Accounts.Logout(r.Context(), old); err != nil {
			s.log.Warn("drop old session", "err", err)
		}
	}
	setSessionCookie(w, r, token)
	http.Redirect(w, r, f.Next, http.StatusSeeOther)
}

func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	if token := viewerOf(r).token; token != "" {
		if err := s.app.Accounts.Logout(r.Context(), token); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	clearSessionCookie(w, r)
	// A form waiting for this session's login is no longer anyone's.
	dropCookie(w, r, draftCookie)
	http.Redirect(w, r, "/login?done=logout", http.StatusSeeOther)
}

// retryAfter is how long an error asks to wait, if it does.
func retryAfter(err error) time.Duration {
	var e *mentorbook.Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// formErrors returns the field problems of a validation or conflict error
// that names fields, with its message; (nil, "") for other errors, which
// are not the form's to show.
func formErrors(err error) (map[string]string, string) {
	var e *mentorbook.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return nil, ""
	}
	if e.Code != mentorbook.EINVALID && e.Code != mentorbook.ECONFLICT {
		return nil, ""
	}
	return e.Fields, e.Message
}

// placeErrors shows each field error of a form with rows next to its field:
// "list[i].name" goes to the errors of form row rowOf[i] (the use case
// numbers only the rows that were filled in), anything else to other.
func placeErrors(fields map[string]string, list string, rowOf []int, rowErrors func(row int) map[string]string, other map[string]string) {
	for k, v := range fields {
		var i int
		var name string
		if n, _ := fmt.Sscanf(k, list+"[%d].%s", &i, &name); n == 2 && i >= 0 && i < len(rowOf) {
			rowErrors(rowOf[i])[name] = v
			continue
		}
		other[k] = v
	}
}

// withDone adds ?done=key to a local path, for the flash of the next page.
func withDone(path, key string) string {
	u, err := url.Parse(path)
	if err != nil {
		return "/?done=" + key
	}
	q := u.Query()
	q.Set("done", key)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}
