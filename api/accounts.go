package api

import (
	"net/http"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

type authJSON struct {
	User  userJSON `json:"user"`
	Token string   `json:"token"`
}

func (s *server) signup(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
		Name     string `json:"name"`
		Timezone string `json:"timezone"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	u, token, err := s.app.Accounts.Signup(r.Context(), app.SignupInput{Email: in.Email, Password: in.Password, Name: in.Name, Timezone: in.Timezone})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, authJSON{toUser(u), token})
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	u, token, err := s.app.Accounts.Login(r.Context(), in.Email, in.Password)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, authJSON{toUser(u), token})
}

func (s *server) logout(w http.ResponseWriter, r *http.Request, _ mentorbook.User) {
	if err := s.app.Accounts.Logout(r.Context(), bearerToken(r)); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) me(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	u, err := s.app.Accounts.Me(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toUser(u))
}

func (s *server) putMentor(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		Headline string   `json:"headline"`
		Bio      string   `json:"bio"`
		Skills   []string `json:"skills"`
		Active   *bool    `json:"active"`
		// Omitted keeps the current limit.
		MaxActiveMentorships *int `json:"max_active_mentorships"`
		// Omitted keeps the current credibility fields.
		Links           *[]string `json:"links"`
		Languages       *[]string `json:"languages"`
		YearsExperience *int      `json:"years_experience"`
		// Omitted keeps the current link; "" removes it.
		MeetingURL *string `json:"meeting_url"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	// A new profile is active unless said otherwise.
	active := in.Active == nil || *in.Active
	p, err := s.app.Mentors.PutProfile(r.Context(), caller, app.ProfileInput{Headline: in.Headline, Bio: in.Bio, Skills: in.Skills, Active: active,
		MaxActiveMentorships: in.MaxActiveMentorships, Links: in.Links, Languages: in.Languages, YearsExperience: in.YearsExperience,
		MeetingURL: in.MeetingURL})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toProfile(p))
}
