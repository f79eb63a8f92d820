package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

type profileData struct {
	New                   bool // no mentor profile yet: onboarding
	MentorID              int64
	Headline, Bio, Skills string
	MaxActive             string // max_active_mentorships as typed; "0" = no limit
	MeetingURL            string
	Active                bool
	// The credibility fields as typed: links one a line, languages
	// comma-separated.
	Links, Languages, Years string
	Errors                  map[string]string
	Message                 string
}

func (s *server) profileForm(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	u, err := s.app.Accounts.Me(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := profileData{New: u.Mentor == nil, Active: true, MentorID: u.ID, MaxActive: "0"}
	if p := u.Mentor; p != nil {
		d.Headline, d.Bio, d.Skills, d.Active = p.Headline, p.Bio, strings.Join(p.Skills, ", "), p.Active
		d.MaxActive = strconv.Itoa(p.MaxActiveMentorships)
		d.Links, d.Languages, d.Years = strings.Join(p.Links, "\n"), strings.Join(p.Languages, ", "), strconv.Itoa(p.YearsExperience)
		d.MeetingURL = p.MeetingURL
	}
	var alert string
	if st, ok := formFor(w, r); ok {
		f := st.Values
		d.Headline, d.Bio, d.Skills, d.Active = f.Get("headline"), f.Get("bio"), f.Get("skills"), f.Get("active") == "on"
		d.Links, d.Languages, d.Years = f.Get("links"), f.Get("languages"), f.Get("years_experience")
		d.MeetingURL = f.Get("meeting_url")
		d.Errors, d.Message, alert = st.Errors, st.Message, st.whyAlert()
	}
	s.render(w, r, http.StatusOK, "profile", view{Title: "Mentor profile", Alert: alert, Data: d})
}

func (s *server) saveProfile(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	d := profileData{
		New:        me.Mentor == nil,
		MentorID:   me.ID,
		Headline:   r.PostFormValue("headline"),
		Bio:        r.PostFormValue("bio"),
		Skills:     r.PostFormValue("skills"),
		Active:     r.PostFormValue("active") == "on",
		MaxActive:  strings.TrimSpace(r.PostFormValue("max_active_mentorships")),
		Links:      r.PostFormValue("links"),
		Languages:  r.PostFormValue("languages"),
		Years:      strings.TrimSpace(r.PostFormValue("years_experience")),
		MeetingURL: r.PostFormValue("meeting_url"),
	}
	links, languages := strings.Fields(d.Links), splitSkills(d.Languages)
	in := app.ProfileInput{Headline: d.Headline, Bio: d.Bio, Skills: splitSkills(d.Skills), Active: d.Active,
		Links: &links, Languages: &languages, MeetingURL: &d.MeetingURL}
	years := 0
	if d.Years != "" {
		var err error
		if years, err = strconv.Atoi(d.Years); err != nil {
			years = -1 // refused by the use case with its own words
		}
	}
	in.YearsExperience = &years
	if d.MaxActive != "" {
		n, err := strconv.Atoi(d.MaxActive)
		if err != nil {
			n = -1 // refused by the use case with its own words
		}
		in.MaxActiveMentorships = &n
	}
	_, err := s.app.Mentors.PutProfile(r.Context(), me, in)
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
