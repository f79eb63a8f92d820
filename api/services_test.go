package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/mentorbook/mentorbook"
)

type serviceOut struct {
	ID             int64
	MentorID       int64 `json:"mentor_id"`
	IsDefault      bool  `json:"is_default"`
	Title          string
	Description    string
	PriceMinor     int64 `json:"price_minor"`
	Currency       string
	Format         string
	Sessions       *int
	SessionMinutes *int `json:"session_minutes"`
	Days           *int
	Mode           *string
	Location       *string
	Active         bool
	ArchivedAt     *string `json:"archived_at"`
}

type servicesOut struct{ Services []serviceOut }

func (e *env) services(path, token string) []serviceOut {
	e.t.Helper()
	var out servicesOut
	want(e.t, e.call("GET", path, token, nil), http.StatusOK).decode(e.t, &out)
	return out.Services
}

// paidProgram is a body for a four-session program.
func paidProgram() map[string]any {
	return map[string]any{"title": "Go in four weeks", "description": "Weekly calls", "price_minor": 25000,
		"format": "sessions", "sessions": 4, "session_minutes": 45, "mode": "online"}
}

func (e *env) mustService(m user, body map[string]any) serviceOut {
	e.t.Helper()
	var sv serviceOut
	want(e.t, e.call("POST", "/api/v1/me/services", m.Token, body), http.StatusCreated).decode(e.t, &sv)
	return sv
}

func TestBecomingAMentorCreatesOneFreeConsultation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", map[string]any{"session_minutes": 30})
		// A second PUT of the profile does not add another.
		want(t, e.call("PUT", "/api/v1/me/mentor", m.Token, map[string]any{"headline": "Still Go"}), http.StatusOK)
		svs := e.services("/api/v1/me/services", m.Token)
		if len(svs) != 1 {
			t.Fatalf("services %+v, want one", svs)
		}
		d := svs[0]
		if !d.IsDefault || d.MentorID != m.ID || d.PriceMinor != 0 || d.Currency != "USD" || d.Format != "sessions" ||
			*d.Sessions != 1 || *d.SessionMinutes != 30 || d.Days != nil || !d.Active || d.ArchivedAt != nil {
			t.Errorf("default %+v", d)
		}
		if pub := e.services(fmt.Sprintf("/api/v1/mentors/%d/services", m.ID), ""); len(pub) != 1 || pub[0].ID != d.ID {
			t.Errorf("public %+v", pub)
		}
	})
}

func TestTheFreeConsultationCanChangeButNotBePricedOrDeleted(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		mentee := e.signup("UTC")
		d := e.services("/api/v1/me/services", m.Token)[0]
		path := fmt.Sprintf("/api/v1/me/services/%d", d.ID)
		for _, body := range []map[string]any{
			{"price_minor": 100}, {"format": "async"}, {"sessions": 2}, {"session_minutes": 30}, {"days": 3},
		} {
			want(t, e.call("PATCH", path, m.Token, body), http.StatusUnprocessableEntity).problem(t)
		}
		want(t, e.call("DELETE", path, m.Token, nil), http.StatusConflict).problem(t)
		if got := e.services("/api/v1/me/services", m.Token); len(got) != 1 || got[0].Title != d.Title || got[0].PriceMinor != 0 || got[0].ArchivedAt != nil {
			t.Fatalf("after refusals %+v", got)
		}
		var got serviceOut
		want(t, e.call("PATCH", path, m.Token, map[string]any{"title": "Intro call", "description": "Let's meet",
			"mode": "onsite", "location": "Alexanderplatz 1, Berlin", "price_minor": 0}), http.StatusOK).decode(t, &got)
		if got.Title != "Intro call" || got.Description != "Let's meet" || *got.Mode != "onsite" || *got.Location != "Alexanderplatz 1, Berlin" {
			t.Errorf("patched %+v", got)
		}
		// Inactive: direct bookings are refused and the public list hides it.
		want(t, e.call("PATCH", path, m.Token, map[string]any{"active": false}), http.StatusOK)
		want(t, e.book(mentee, m.ID, mon10, 0), http.StatusConflict).problem(t)
		if pub := e.services(fmt.Sprintf("/api/v1/mentors/%d/services", m.ID), ""); len(pub) != 0 {
			t.Errorf("public %+v", pub)
		}
		want(t, e.call("PATCH", path, m.Token, map[string]any{"active": true}), http.StatusOK)
		want(t, e.book(mentee, m.ID, mon10, 0), http.StatusCreated)
	})
}

func TestServicesCRUDAsOwnerOtherMentorMenteeAndAnonymous(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		other := e.mentor("UTC", nil)
		mentee := e.signup("UTC")

		sv := e.mustService(m, paidProgram())
		if sv.IsDefault || sv.PriceMinor != 25000 || sv.Currency != "USD" || *sv.Sessions != 4 || *sv.SessionMinutes != 45 ||
			*sv.Mode != "online" || *sv.Location != "" || sv.Days != nil || !sv.Active || sv.MentorID != m.ID {
			t.Errorf("created %+v", sv)
		}
		async := e.mustService(m, map[string]any{"title": "Code review", "price_minor": 0, "format": "async", "days": 14})
		if async.Sessions != nil || async.Mode != nil || *async.Days != 14 {
			t.Errorf("async %+v", async)
		}
		path := fmt.Sprintf("/api/v1/me/services/%d", sv.ID)
		before := string(want(t, e.call("GET", "/api/v1/me/services", m.Token, nil), http.StatusOK).Body)

		// Not the owner: another mentor 404, a non-mentor 403, anonymous 401.
		want(t, e.call("PATCH", path, other.Token, map[string]any{"title": "mine"}), http.StatusNotFound)
		want(t, e.call("DELETE", path, other.Token, nil), http.StatusNotFound)
		want(t, e.call("PATCH", path, mentee.Token, map[string]any{"title": "mine"}), http.StatusForbidden)
		want(t, e.call("DELETE", path, mentee.Token, nil), http.StatusForbidden)
		want(t, e.call("GET", "/api/v1/me/services", mentee.Token, nil), http.StatusForbidden)
		want(t, e.call("POST", "/api/v1/me/services", mentee.Token, paidProgram()), http.StatusForbidden)
		for _, c := range []struct{ method, path string }{
			{"GET", "/api/v1/me/services"}, {"POST", "/api/v1/me/services"}, {"PATCH", path}, {"DELETE", path},
		} {
			want(t, e.call(c.method, c.path, "", paidProgram()), http.StatusUnauthorized)
		}
		if got := string(want(t, e.call("GET", "/api/v1/me/services", m.Token, nil), http.StatusOK).Body); got != before {
			t.Fatalf("refused requests changed services:\n%+v\n%+v", got, before)
		}

		// The owner edits: switching format drops the other format's terms.
		var got serviceOut
		want(t, e.call("PATCH", path, m.Token, map[string]any{"format": "async", "days": 30, "price_minor": 9900}), http.StatusOK).decode(t, &got)
		if got.Format != "async" || *got.Days != 30 || got.Sessions != nil || got.PriceMinor != 9900 || got.Title != sv.Title {
			t.Errorf("patched %+v", got)
		}
		want(t, e.call("PATCH", path, m.Token, map[string]any{"format": "sessions"}), http.StatusUnprocessableEntity)

		// Archive: gone from the public list, kept (marked) in the owner's.
		want(t, e.call("DELETE", path, m.Token, nil), http.StatusNoContent)
		want(t, e.call("DELETE", path, m.Token, nil), http.StatusNoContent)
		want(t, e.call("PATCH", path, m.Token, map[string]any{"title": "back"}), http.StatusConflict)
		pub := e.services(fmt.Sprintf("/api/v1/mentors/%d/services", m.ID), "")
		if len(pub) != 2 || pub[0].IsDefault != true || pub[1].ID != async.ID {
			t.Errorf("public after archive %+v", pub)
		}
		mine := e.services("/api/v1/me/services", m.Token)
		if len(mine) != 3 || mine[1].ID != sv.ID || mine[1].ArchivedAt == nil {
			t.Errorf("own after archive %+v", mine)
		}
		want(t, e.call("GET", "/api/v1/mentors/999999/services", "", nil), http.StatusNotFound)
	})
}

func TestServiceValidation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		m := e.mentor("Europe/Berlin", nil)
		with := func(changes map[string]any, drop ...string) map[string]any {
			b := paidProgram()
			for k, v := range changes {
				b[k] = v
			}
			for _, k := range drop {
				delete(b, k)
			}
			return b
		}
		long := func(n int) string { return fmt.Sprintf("%0*d", n, 0) }
		for _, tt := range []struct {
			name  string
			body  any
			field string
		}{
			{"no title", with(nil, "title"), "title"},
			{"blank title", with(map[string]any{"title": "  "}), "title"},
			{"long title", with(map[string]any{"title": long(101)}), "title"},
			{"long description", with(map[string]any{"description": long(2001)}), "description"},
			{"fractional amount", `{"title":"x","price_minor":12.5,"format":"async","days":3}`, "price_minor"},
			{"exponent amount", `{"title":"x","price_minor":1e3,"format":"async","days":3}`, "price_minor"},
			{"negative amount", `{"title":"x","price_minor":-1,"format":"async","days":3}`, "price_minor"},
			{"string amount", `{"title":"x","price_minor":"100","format":"async","days":3}`, "price_minor"},
			{"too large amount", `{"title":"x","price_minor":1000000000001,"format":"async","days":3}`, "price_minor"},
			{"huge amount", `{"title":"x","price_minor":100000000000000000000000,"format":"async","days":3}`, "price_minor"},
			{"unknown format", with(map[string]any{"format": "video"}), "format"},
			{"no sessions", with(nil, "sessions"), "sessions"},
			{"53 sessions", with(map[string]any{"sessions": 53}), "sessions"},
			{"session of 14", with(map[string]any{"session_minutes": 14}), "session_minutes"},
			{"session of 47", with(map[string]any{"session_minutes": 47}), "session_minutes"},
			{"session of 485", with(map[string]any{"session_minutes": 485}), "session_minutes"},
			{"days with sessions", with(map[string]any{"days": 3}), "days"},
			{"async without days", map[string]any{"title": "x", "format": "async"}, "days"},
			{"async of 366 days", map[string]any{"title": "x", "format": "async", "days": 366}, "days"},
			{"async with sessions", map[string]any{"title": "x", "format": "async", "days": 3, "sessions": 2}, "sessions"},
			{"async with a mode", map[string]any{"title": "x", "format": "async", "days": 3, "mode": "online"}, "mode"},
			{"unknown mode", with(map[string]any{"mode": "phone"}), "mode"},
			{"http link", with(map[string]any{"location": "http://meet.example.com"}), "location"},
			{"not a link", with(map[string]any{"location": "my zoom"}), "location"},
			{"onsite without address", with(map[string]any{"mode": "onsite"}), "location"},
			{"long address", with(map[string]any{"mode": "onsite", "location": long(501)}), "location"},
		} {
			r := want(t, e.call("POST", "/api/v1/me/services", m.Token, tt.body), http.StatusUnprocessableEntity)
			if p := r.problem(t); p.Fields[tt.field] == "" {
				t.Errorf("%s: fields %v, want %s", tt.name, p.Fields, tt.field)
			}
		}
		if got := e.services("/api/v1/me/services", m.Token); len(got) != 1 {
			t.Errorf("refused creations stored services: %+v", got)
		}
		// The bounds themselves are accepted.
		for _, body := range []map[string]any{
			with(map[string]any{"price_minor": 1000000000000, "sessions": 52, "session_minutes": 480}),
			with(map[string]any{"price_minor": 0, "sessions": 1, "session_minutes": 15, "location": "https://meet.example.com/a"}),
			with(map[string]any{"mode": "onsite", "location": long(500)}),
			{"title": long(100), "format": "async", "days": 365},
		} {
			e.mustService(m, body)
		}
	})
}
