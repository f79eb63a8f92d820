package web

import (
	"net/http"

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

func (s *server) resetForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "reset", view{Title: "Reset your password", Data: resetData{Sent: r.URL.Query().Get("sent") == "1"}})
}

func (s *server) requestReset(w http.ResponseWriter, r *http.Request) {
	d := resetData{Email: r.PostFormValue("email")}
	err := s.app.Accounts.RequestPasswordReset(r.Context(), d.Email)
	switch mentorbook.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/password-reset?sent=1", http.StatusSeeOther)
	case mentorbook.ETOOMANY:
		d.Message = mentorbook.ErrorMessage(err)
		s.render(w, r, http.StatusTooManyRequests, "reset", view{Title: "Reset your password", Data: d})
	default:
		if d.Errors, d.Message = formErrors(err); d.Errors == nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "reset", view{Title: "Reset your password", Data: d})
	}
}

func (s *server) newPasswordForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "newpassword", view{Title: "Choose a new password", Data: resetData{Token: r.URL.Query().Get("token")}})
}

func (s *server) confirmReset(w http.ResponseWriter, r *http.Request) {
	d := resetData{Token: r.PostFormValue("token")}
	err := s.app.Accounts.ConfirmPasswordReset(r.Context(), d.Token, r.PostFormValue("new_password"))
	if err == nil {
		// Every session of the account ended, this browser's too if it had one.
		clearSessionCookie(w, r)
		http.Redirect(w, r, "/login?done=reset", http.StatusSeeOther)
		return
	}
	if d.Errors, d.Message = formErrors(err); d.Errors == nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "newpassword", view{Title: "Choose a new password", Data: d})
}
