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
}

func (s *server) accountPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	d := accountData{Name: me.Name, Timezone: me.Timezone, Email: me.Email}
	s.render(w, r, http.StatusOK, "account", view{Title: "Account settings", Flash: flashOf(r), Data: d})
}

// accountResult answers a settings form: back to the page with the flash,
// or the page again with the form's errors.
func (s *server) accountResult(w http.ResponseWriter, r *http.Request, me mentorbook.User, form string, err error, done string, fill func(*accountData)) {
	if err == nil {
		http.Redirect(w, r, "/me/account?done="+done, http.StatusSeeOther)
		return
	}
	d := accountData{Name: me.Name, Timezone: me.Timezone, Email: me.Email, Form: form}
	if fill != nil {
		fill(&d)
	}
	status := http.StatusUnprocessableEntity
	switch mentorbook.ErrorCode(err) {
	case mentorbook.ETOOMANY:
		status, d.Message = http.StatusTooManyRequests, mentorbook.ErrorMessage(err)
	default:
		if d.Errors, d.Message = formErrors(err); d.Errors == nil {
			s.fail(w, r, err)
			return
		}
		if mentorbook.ErrorCode(err) == mentorbook.ECONFLICT {
			status = http.StatusConflict
		}
	}
	s.render(w, r, status, "account", view{Title: "Account settings", Data: d})
}

func (s *server) saveAccount(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	name, zone := r.PostFormValue("name"), canonicalZone(r.PostFormValue("timezone"))
	_, err := s.app.Accounts.Update(r.Context(), me, app.ProfileUpdate{Name: &name, Timezone: &zone})
	s.accountResult(w, r, me, "profile", err, "account", func(d *accountData) { d.Name, d.Timezone = name, zone })
}

func (s *server) changeEmail(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	email := r.PostFormValue("email")
	_, err := s.app.Accounts.ChangeEmail(r.Context(), me, r.PostFormValue("password"), email)
	s.accountResult(w, r, me, "email", err, "email", func(d *accountData) { d.Email = email })
}

func (s *server) changePassword(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	err := s.app.Accounts.ChangePassword(r.Context(), me, viewerOf(r).token, r.PostFormValue("current_password"), r.PostFormValue("new_password"))
	s.accountResult(w, r, me, "password", err, "password", nil)
}

func (s *server) deleteAccount(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	if err := s.app.Accounts.Delete(r.Context(), me, r.PostFormValue("password")); err != nil {
		s.accountResult(w, r, me, "delete", err, "", nil)
		return
	}
	clearSessionCookie(w, r)
	http.Redirect(w, r, "/?done=deleted", http.StatusSeeOther)
}
