package web

import (
	"net/http"
	"strings"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

type profileData struct {
	New                   bool // no mentor profile yet: onboarding
	MentorID              int64
	Headline, Bio, Skills string
	Active                bool
	Errors                map[string]string
	Message               string
}

func (s *server) profileForm(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	u, err := s.app.Accounts.Me(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := profileData{New: u.Mentor == nil, Active: true, MentorID: u.ID}
	if p := u.Mentor; p != nil {
		d.Headline, d.Bio, d.Skills, d.Active = p.Headline, p.Bio, strings.Join(p.Skills, ", "), p.Active
	}
	var alert string
	if st, ok := formFor(w, r); ok {
		f := st.Values
		d.Headline, d.Bio, d.Skills, d.Active = f.Get("headline"), f.Get("bio"), f.Get("skills"), f.Get("active") == "on"
		d.Errors, d.Message, alert = st.Errors, st.Message, st.whyAlert()
	}
	s.render(w, r, http.StatusOK, "profile", view{Title: "Mentor profile", Alert: alert, Data: d})
}

func (s *server) saveProfile(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	d := profileData{
		New:      me.Mentor == nil,
		MentorID: me.ID,
		Headline: r.PostFormValue("headline"),
		Bio:      r.PostFormValue("bio"),
		Skills:   r.PostFormValue("skills"),
		Active:   r.PostFormValue("active") == "on",
	}
	_, err := s.app.Mentors.PutProfile(r.Context(), me, app.ProfileInput{
		Headline: d.Headline, Bio: d.Bio, Skills: splitSkills(d.Skills), Active: d.Active,
	})
	if err != nil {
		if d.Errors, d.Message = formErrors(err); d.Errors != nil {
			refuse(w, r, "/me/profile", formState{Errors: d.Errors, Message: d.Message})
			return
		}
		s.fail(w, r, err)
		return
	}
	if d.New {
		http.Redirect(w, r, "/me/availability?done=newmentor", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/me/profile?done=profile", http.StatusSeeOther)
}

// splitSkills reads the comma-separated skills field.
func splitSkills(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' })
}
