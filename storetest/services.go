package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// program is a paid sessions service of mentor.
func program(mentorID int64, title string, price int64) mentorbook.Service {
	return mentorbook.Service{MentorID: mentorID, Title: title, Description: "Four weeks", PriceMinor: price,
		Format: mentorbook.FormatSessions, Sessions: 4, SessionMinutes: 45, Mode: mentorbook.ModeOnline,
		Location: "https://meet.example.com/x", Active: true, CreatedAt: now, UpdatedAt: now}
}

func (s Ops) CreateService(t *testing.T, sv mentorbook.Service) mentorbook.Service {
	t.Helper()
	out, err := mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Service, error) {
		return tx.Services().Create(t.Context(), sv)
	})
	if err != nil {
		t.Fatalf("Create service: %v", err)
	}
	return out
}

func (s Ops) Services(t *testing.T, mentorID int64, public bool) []mentorbook.Service {
	t.Helper()
	out, err := mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) ([]mentorbook.Service, error) {
		return tx.Services().List(t.Context(), mentorID, public)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (s Ops) EnsureDefault(t *testing.T, mentorID int64) (mentorbook.Service, error) {
	return mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Service, error) {
		return tx.Services().EnsureDefault(t.Context(), mentorID, now)
	})
}

func (s Ops) UpdateService(t *testing.T, sv mentorbook.Service) (mentorbook.Service, error) {
	return mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Service, error) {
		return tx.Services().Update(t.Context(), sv)
	})
}

func serviceIDs(svs []mentorbook.Service) []int64 {
	out := []int64{}
	for _, sv := range svs {
		out = append(out, sv.ID)
	}
	return out
}

var serviceTests = []test{
	{"a service is stored with its terms and read back", func(t *testing.T, s Ops) {
		m := mustMentor(t, s, "ada")
		want := program(m.ID, "Go in a month", 25000)
		got := s.CreateService(t, want)
		if got.ID == 0 || got.MentorID != m.ID || got.IsDefault || got.Title != want.Title || got.Description != want.Description ||
			got.PriceMinor != 25000 || got.Format != mentorbook.FormatSessions || got.Sessions != 4 || got.SessionMinutes != 45 ||
			got.Days != 0 || got.Mode != "online" || got.Location != want.Location || !got.Active || got.Archived() {
			t.Errorf("Create = %+v", got)
		}
		wantTime(t, "CreatedAt", got.CreatedAt, now)
		got2, err := mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Service, error) {
			return tx.Services().Get(t.Context(), got.ID)
		})
		if err != nil || got2 != got {
			t.Errorf("Get = %+v, %v; want %+v", got2, err, got)
		}
		_, err = mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Service, error) {
			return tx.Services().Get(t.Context(), got.ID+1000)
		})
		wantCode(t, "Get unknown", err, mentorbook.ENOTFOUND)
	}},

	{"the default service is created once and follows the availability's session length", func(t *testing.T, s Ops) {
		m := mustMentor(t, s, "ada")
		d, err := s.EnsureDefault(t, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDefault || d.PriceMinor != 0 || d.Sessions != 1 || d.SessionMinutes != 60 || !d.Active || d.Title != "Free consultation" {
			t.Errorf("default = %+v", d)
		}
		again, err := s.EnsureDefault(t, m.ID)
		if err != nil || again.ID != d.ID {
			t.Errorf("second EnsureDefault = %+v, %v; want the first (%d)", again, err, d.ID)
		}
		a := mentorbook.DefaultAvailability(m.ID, "Europe/Berlin")
		a.SessionMinutes, a.UpdatedAt = 30, now
		if err := s.PutAvailability(t.Context(), a); err != nil {
			t.Fatal(err)
		}
		if got := s.Services(t, m.ID, false); len(got) != 1 || got[0].SessionMinutes != 30 {
			t.Errorf("after availability: %+v", got)
		}
		// A second default is refused by the database itself.
		second := d
		second.ID = 0
		_, err = mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Service, error) {
			return tx.Services().Create(t.Context(), second)
		})
		wantCode(t, "second default", err, mentorbook.ECONFLICT)
	}},

	{"the database refuses a price or an archive for the default service", func(t *testing.T, s Ops) {
		m := mustMentor(t, s, "ada")
		d, err := s.EnsureDefault(t, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		priced := d
		priced.PriceMinor = 100
		_, err = s.UpdateService(t, priced)
		wantCode(t, "priced default", err, mentorbook.EINVALID)
		archived := d
		archived.ArchivedAt = now
		_, err = s.UpdateService(t, archived)
		wantCode(t, "archived default", err, mentorbook.EINVALID)
		if got := s.Services(t, m.ID, false); len(got) != 1 || got[0] != d {
			t.Errorf("after refusals: %+v, want %+v", got, d)
		}
	}},

	{"an update replaces the terms, and the public list hides inactive and archived services", func(t *testing.T, s Ops) {
		m := mustMentor(t, s, "ada")
		other := mustMentor(t, s, "bob")
		d, _ := s.EnsureDefault(t, m.ID)
		a := s.CreateService(t, program(m.ID, "A", 100))
		b := s.CreateService(t, program(m.ID, "B", 200))
		c := s.CreateService(t, program(m.ID, "C", 300))
		s.CreateService(t, program(other.ID, "other's", 1))

		later := now.Add(time.Hour)
		b.Format, b.Sessions, b.SessionMinutes, b.Days, b.Mode, b.Location = mentorbook.FormatAsync, 0, 0, 30, "", ""
		b.Active, b.UpdatedAt = false, later
		got, err := s.UpdateService(t, b)
		if err != nil {
			t.Fatal(err)
		}
		if got.Format != mentorbook.FormatAsync || got.Days != 30 || got.Sessions != 0 || got.Active {
			t.Errorf("updated = %+v", got)
		}
		wantTime(t, "UpdatedAt", got.UpdatedAt, later)
		c.ArchivedAt = later
		if _, err := s.UpdateService(t, c); err != nil {
			t.Fatal(err)
		}
		if got, want := serviceIDs(s.Services(t, m.ID, false)), []int64{d.ID, a.ID, b.ID, c.ID}; !slices.Equal(got, want) {
			t.Errorf("own list %v, want %v", got, want)
		}
		if got, want := serviceIDs(s.Services(t, m.ID, true)), []int64{d.ID, a.ID}; !slices.Equal(got, want) {
			t.Errorf("public list %v, want %v", got, want)
		}
		_, err = s.UpdateService(t, mentorbook.Service{ID: c.ID + 1000, Format: mentorbook.FormatAsync})
		wantCode(t, "update unknown", err, mentorbook.ENOTFOUND)
	}},
}
