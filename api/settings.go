package api

import (
	"net/http"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

func (s *server) patchMe(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		Name     *string `json:"name"`
		Timezone *string `json:"timezone"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	u, err := s.app.Accounts.Update(r.Context(), caller, app.ProfileUpdate{Name: in.Name, Timezone: in.Timezone})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toUser(u))
}

func (s *server) changePassword(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	if err := s.app.Accounts.ChangePassword(r.Context(), caller, bearerToken(r), in.Current, in.New); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) changeEmail(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		Password string `json:"password"`
		Email    string `json:"email"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	u, err := s.app.Accounts.ChangeEmail(r.Context(), caller, in.Password, in.Email)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toUser(u))
}

func (s *server) deleteMe(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		Password string `json:"password"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	if err := s.app.Accounts.Delete(r.Context(), caller, in.Password); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
