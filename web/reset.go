package web

import (
	"net/http"
	"net/url"

	"github.com/mentorbook/mentorbook"
)

// resetData is the password reset pages: asking for a link, and choosing a
// new password with the link's token.
type resetData struct {
	Email, Token string
	Sent         bool
	Errors       map[string]string
	Message      string
}

// refusedReset fills d from a refused form carried back to this page.
func refusedReset(w http.ResponseWriter, r *http.Request, d *resetData) {
	if st, ok := formFor(w, r); ok {
		d.Errors, d.Message = st.Errors, st.Message
		d.Email = st.Values.Get("email")
	}
}

func (s *server) resetForm(w http.ResponseWriter, r *http.Request) {
	d := resetData{Sent: r.URL.Query().Get("sent") == "1"}
	refusedReset(w, r, &d)
	s.render(w, r, http.StatusOK, "reset", view{Title: "Reset your password", Data: d})
}

func (s *server) requestReset(w http.ResponseWriter, r *http.Request) {
	err := s.app.Accounts.RequestPasswordReset(r.Context(), r.PostFormValue("email"))
	if err == nil {
		http.Redirect(w, r, "/password-reset?sent=1", http.StatusSeeOther)
		return
	}
	s.refuseReset(w, r, err, "/password-reset")
}

func (s *server) newPasswordForm(w http.ResponseWriter, r *http.Request) {
	d := resetData{Token: r.URL.Query().Get("token")}
	refusedReset(w, r, &d)
	s.render(w, r, http.StatusOK, "newpassword", view{Title: "Choose a new password", Data: d})
}

func (s *server) confirmReset(w http.ResponseWriter, r *http.Request) {
	token := r.PostFormValue("token")
	err := s.app.Accounts.ConfirmPasswordReset(r.Context(), token, r.PostFormValue("new_password"))
	if err == nil {
		// Every session of the account ended, this browser's too if it had one.
		clearSessionCookie(w, r)
		http.Redirect(w, r, "/login?done=reset", http.StatusSeeOther)
		return
	}
	// The token goes back in the address (as the email's link has it),
	// never in the carried form.
	s.refuseReset(w, r, err, "/password-reset/confirm?"+url.Values{"token": {token}}.Encode())
}

// refuseReset sends a refused reset form back to its page.
func (s *server) refuseReset(w http.ResponseWriter, r *http.Request, err error, page string) {
	var st formState
	if mentorbook.ErrorCode(err) == mentorbook.ETOOMANY {
		st.Message = mentorbook.ErrorMessage(err)
	} else if st.Errors, st.Message = formErrors(err); st.Errors == nil {
		s.fail(w, r, err)
		return
	}
	refuse(w, r, page, st)
}
