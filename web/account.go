package web

import (
	"net/http"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

// accountData is the account settings page: one form per change, each
// with its own errors.
type accountData struct {
	Name, Timezone, Email string
	// Form names the form Errors and Message belong to.
	Form    string
	Errors  map[string]string
	Message string
	// FeedURL is the address of the user's personal calendar feed.
	FeedURL string
}

func (s *server) accountPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	d := accountData{Name: me.Name, Timezone: me.Timezone, Email: me.Email}
	var err error
	if d.FeedURL, err = s.app.Accounts.CalendarFeedURL(r.Context(), me); err != nil {
		s.fail(w, r, err)
		return
	}
	var alert string
	// A refused change (or one sent after the session ended) comes back
	// in its own form, with what was typed but never a password.
	if st, ok := formFor(w, r); ok {
		alert, d.Form, d.Errors, d.Message = st.whyAlert(), accountForms[st.Action], st.Errors, st.Message
		for _, f := range []struct {
			field string
			to    *string
		}{{"name", &d.Name}, {"timezone", &d.Timezone}, {"email", &d.Email}} {
			if v, ok := st.Values[f.field]; ok && len(v) > 0 {
				*f.to = v[0]
			}
		}
	}
	s.render(w, r, http.StatusOK, "account", view{Title: "Account settings", Alert: alert, Data: d})
}

// accountForms names the form of the page each settings post comes from.
var accountForms = map[string]string{
	"/me/account": "profile", "/me/email": "email", "/me/password": "password", "/me/delete": "delete",
}

// accountResult answers a settings form: back to the page with the flash,
// or with the form's errors (post/redirect/get either way).
func (s *server) accountResult(w http.ResponseWriter, r *http.Request, err error, done string) {
	if err == nil {
		http.Redirect(w, r, "/me/account?done="+done, http.StatusSeeOther)
		return
	}
	var st formState
	if mentorbook.ErrorCode(err) == mentorbook.ETOOMANY {
		st.Message = mentorbook.ErrorMessage(err)
	} else if st.Errors, st.Message = formErrors(err); st.Errors == nil {
		s.fail(w, r, err)
		return
	}
	refuse(w, r, "/me/account", st)
}

func (s *server) saveAccount(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	name, zone := r.PostFormValue("name"), canonicalZone(r.PostFormValue("timezone"))
	_, err := s.app.Accounts.Update(r.Context(), me, app.ProfileUpdate{Name: &name, Timezone: &zone})
	s.accountResult(w, r, err, "account")
}

func (s *server) changeEmail(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	email := r.PostFormValue("email")
	_, err := s.app.Accounts.ChangeEmail(r.Context(), me, r.PostFormValue("password"), email)
	s.accountResult(w, r, err, "email")
}

func (s *server) changePassword(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	err := s.app.Accounts.ChangePassword(r.Context(), me, viewerOf(r).token, r.PostFormValue("current_password"), r.PostFormValue("new_password"))
	s.accountResult(w, r, err, "password")
}

func (s *server) deleteAccount(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	if err := s.app.Accounts.Delete(r.Context(), me, r.PostFormValue("password")); err != nil {
		s.accountResult(w, r, err, "")
		return
	}
	clearSessionCookie(w, r)
	http.Redirect(w, r, "/?done=deleted", http.StatusSeeOther)
}

func (s *server) regenerateFeed(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	if _, err := s.app.Accounts.RegenerateCalendarFeed(r.Context(), me); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me/account?done=feed#calendar-heading", http.StatusSeeOther)
}
