package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

// serviceCard is a service as pages show it: the price in the currency's
// own format and what a mentee gets, in words.
type serviceCard struct {
	mentorbook.Service
	Price string // "Free" or "$250.00"
	Terms string // "4 sessions of 45 minutes, online"
}

func (s *server) serviceCard(sv mentorbook.Service) serviceCard {
	return serviceCard{Service: sv, Price: s.price(sv.PriceMinor), Terms: serviceTerms(sv.Format, sv.Sessions, sv.SessionMinutes, sv.Days, sv.Mode)}
}

// price formats an amount of the platform currency; zero reads "Free".
func (s *server) price(minor int64) string {
	if minor == 0 {
		return "Free"
	}
	return s.app.Services.Currency().Format(minor)
}

// serviceTerms says what a mentee gets.
func serviceTerms(format mentorbook.ServiceFormat, sessions, minutes, days int, mode string) string {
	if format == mentorbook.FormatAsync {
		return fmt.Sprintf("%s of written help (async)", plural(days, "day", "days"))
	}
	where := "online"
	if mode == mentorbook.ModeOnsite {
		where = "in person"
	}
	return fmt.Sprintf("%s of %d minutes, %s", plural(sessions, "session", "sessions"), minutes, where)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// serviceForm is the add or edit form as typed; Price is in major units.
type serviceForm struct {
	ID                                int64
	IsDefault                         bool
	Title, Description, Price, Format string
	Sessions, SessionMinutes, Days    string
	Mode, Location                    string
	Active                            bool
	Errors                            map[string]string
	Message                           string
}

type servicesPageData struct {
	Services []serviceCard
	Archived []serviceCard
	Form     serviceForm // the add form, or the service being edited
	Currency string
}

func (s *server) servicesPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	form := serviceForm{Format: "sessions", Mode: "online", Active: true, Sessions: "4", SessionMinutes: "60"}
	if id, err := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64); err == nil {
		sv, err := s.app.Services.Get(r.Context(), me, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		form = s.formOf(sv)
	}
	s.showServices(w, r, me, http.StatusOK, form)
}

func (s *server) formOf(sv mentorbook.Service) serviceForm {
	f := serviceForm{ID: sv.ID, IsDefault: sv.IsDefault, Title: sv.Title, Description: sv.Description,
		Price: s.app.Services.Currency().Major(sv.PriceMinor), Format: string(sv.Format), Mode: sv.Mode,
		Location: sv.Location, Active: sv.Active}
	if sv.Format == mentorbook.FormatSessions {
		f.Sessions, f.SessionMinutes = strconv.Itoa(sv.Sessions), strconv.Itoa(sv.SessionMinutes)
	} else {
		f.Days, f.Mode = strconv.Itoa(sv.Days), "online"
	}
	return f
}

func (s *server) showServices(w http.ResponseWriter, r *http.Request, me mentorbook.User, status int, form serviceForm) {
	svs, err := s.app.Services.Mine(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := servicesPageData{Form: form, Currency: s.app.Services.Currency().Code}
	for _, sv := range svs {
		if sv.Archived() {
			d.Archived = append(d.Archived, s.serviceCard(sv))
		} else {
			d.Services = append(d.Services, s.serviceCard(sv))
		}
	}
	s.render(w, r, status, "services", view{Title: "Your services", Flash: flashOf(r), Data: d})
}

// saveService creates a service (no {id}) or updates one.
func (s *server) saveService(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	f := serviceForm{
		Title: r.PostFormValue("title"), Description: r.PostFormValue("description"), Price: r.PostFormValue("price"),
		Format: r.PostFormValue("format"), Sessions: r.PostFormValue("sessions"),
		SessionMinutes: r.PostFormValue("session_minutes"), Days: r.PostFormValue("days"),
		Mode: r.PostFormValue("mode"), Location: r.PostFormValue("location"), Active: r.PostFormValue("active") == "on",
	}
	if r.PathValue("id") != "" {
		id, ok := pathID(r)
		if !ok {
			s.notFound(w, r)
			return
		}
		sv, err := s.app.Services.Get(r.Context(), me, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f.ID, f.IsDefault = sv.ID, sv.IsDefault
	}
	in, errs := s.serviceInput(f)
	var err error
	if len(errs) == 0 {
		if f.ID == 0 {
			_, err = s.app.Services.Create(r.Context(), me, in)
		} else {
			_, err = s.app.Services.Update(r.Context(), me, f.ID, in)
		}
		if errs, f.Message = formErrors(err); errs == nil && err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		f.Errors = errs
		if p, ok := errs["price_minor"]; ok {
			errs["price"] = p
		}
		s.showServices(w, r, me, http.StatusUnprocessableEntity, f)
		return
	}
	http.Redirect(w, r, "/me/services?done=service", http.StatusSeeOther)
}

// serviceInput translates the form: the price from major units, and only
// the terms of the chosen format (the free consultation has none to send).
func (s *server) serviceInput(f serviceForm) (app.ServiceInput, map[string]string) {
	errs := map[string]string{}
	in := app.ServiceInput{Title: &f.Title, Description: &f.Description, Mode: &f.Mode, Location: &f.Location, Active: &f.Active}
	number := func(field, text string) *int {
		n, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil {
			errs[field] = "must be a whole number"
			return nil
		}
		return &n
	}
	if f.IsDefault {
		return in, errs
	}
	cur := s.app.Services.Currency()
	if minor, err := cur.ParseAmount(f.Price); err != nil {
		errs["price"] = fmt.Sprintf("must be an amount in %s like %s, or 0 for free", cur.Code, cur.Major(2500))
	} else {
		p := strconv.FormatInt(minor, 10)
		in.PriceMinor = &p
	}
	in.Format = &f.Format
	if f.Format == string(mentorbook.FormatAsync) {
		in.Days = number("days", f.Days)
		in.Mode, in.Location = nil, nil
	} else {
		in.Sessions = number("sessions", f.Sessions)
		in.SessionMinutes = number("session_minutes", f.SessionMinutes)
	}
	return in, errs
}

func (s *server) archiveService(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.app.Services.Archive(r.Context(), me, id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me/services?done=archived", http.StatusSeeOther)
}
