package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

var mentorTests = []test{
	{"a mentor profile is created and then replaced with its skills", func(t *testing.T, s Ops) {
		ctx := t.Context()
		u := mustUser(t, s, "ada")
		p, err := s.PutMentorProfile(ctx, mentorbook.MentorProfile{
			UserID: u.ID, Headline: "Go", Bio: "Gophers", Skills: []string{"go", "sql"}, Active: true, UpdatedAt: now,
		})
		if err != nil {
			t.Fatal(err)
		}
		if p.UserID != u.ID || p.Headline != "Go" || p.Bio != "Gophers" || !slices.Equal(p.Skills, []string{"go", "sql"}) || !p.Active {
			t.Errorf("PutMentorProfile = %+v", p)
		}
		wantTime(t, "UpdatedAt", p.UpdatedAt, now)

		later := now.Add(time.Hour)
		p, err = s.PutMentorProfile(ctx, mentorbook.MentorProfile{
			UserID: u.ID, Headline: "Rust", Bio: "Crabs", Skills: []string{"rust"}, Active: false, UpdatedAt: later,
		})
		if err != nil {
			t.Fatal(err)
		}
		m, err := s.MentorByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := mentorbook.Mentor{ID: u.ID, Name: "ada", Headline: "Rust", Bio: "Crabs", Skills: []string{"rust"}, Timezone: "Europe/Berlin", Active: false}
		if m.ID != want.ID || m.Name != want.Name || m.Headline != want.Headline || m.Bio != want.Bio ||
			!slices.Equal(m.Skills, want.Skills) || m.Timezone != want.Timezone || m.Active != want.Active {
			t.Errorf("MentorByID = %+v, want %+v", m, want)
		}
		got, err := s.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Mentor == nil || !slices.Equal(got.Mentor.Skills, []string{"rust"}) || got.Mentor.Active {
			t.Errorf("UserByID Mentor = %+v", got.Mentor)
		} else {
			wantTime(t, "replaced UpdatedAt", got.Mentor.UpdatedAt, later)
		}

		if _, err := s.PutMentorProfile(ctx, mentorbook.MentorProfile{UserID: u.ID, UpdatedAt: later}); err != nil {
			t.Fatal(err)
		}
		if m, err := s.MentorByID(ctx, u.ID); err != nil || len(m.Skills) != 0 {
			t.Errorf("after removing skills: %+v, %v", m.Skills, err)
		}
	}},

	{"a user without a profile is not a mentor", func(t *testing.T, s Ops) {
		u := mustUser(t, s, "ada")
		_, err := s.MentorByID(t.Context(), u.ID)
		wantCode(t, "MentorByID", err, mentorbook.ENOTFOUND)
		_, err = s.MentorByID(t.Context(), 999)
		wantCode(t, "MentorByID(999)", err, mentorbook.ENOTFOUND)
	}},

	{"mentors are listed by ID, filtered by skill, paged, and inactive ones only on request", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m1 := mustMentor(t, s, "m1", "go", "sql")
		m2 := mustMentor(t, s, "m2", "go")
		mustUser(t, s, "not-a-mentor")
		m3 := mustMentor(t, s, "m3", "rust")
		m4 := mustMentor(t, s, "m4", "go")
		if _, err := s.PutMentorProfile(ctx, mentorbook.MentorProfile{UserID: m2.ID, Headline: "off", Skills: []string{"go"}, Active: false, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}

		list := func(f mentorbook.MentorFilter) []int64 {
			t.Helper()
			ms, err := s.ListMentors(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, m := range ms {
				out = append(out, m.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			f    mentorbook.MentorFilter
			want []int64
		}{
			{"all active", mentorbook.MentorFilter{Limit: 10}, []int64{m1.ID, m3.ID, m4.ID}},
			{"with inactive", mentorbook.MentorFilter{Limit: 10, IncludeInactive: true}, []int64{m1.ID, m2.ID, m3.ID, m4.ID}},
			{"skill go", mentorbook.MentorFilter{Skill: "go", Limit: 10}, []int64{m1.ID, m4.ID}},
			{"skill go with inactive", mentorbook.MentorFilter{Skill: "go", Limit: 10, IncludeInactive: true}, []int64{m1.ID, m2.ID, m4.ID}},
			{"skill nobody has", mentorbook.MentorFilter{Skill: "cobol", Limit: 10}, nil},
			{"limit", mentorbook.MentorFilter{Limit: 2}, []int64{m1.ID, m3.ID}},
			{"after", mentorbook.MentorFilter{AfterID: m1.ID, Limit: 10}, []int64{m3.ID, m4.ID}},
			{"after the last", mentorbook.MentorFilter{AfterID: m4.ID, Limit: 10}, nil},
		} {
			if got := list(tc.f); !slices.Equal(got, tc.want) {
				t.Errorf("%s: ListMentors = %v, want %v", tc.name, got, tc.want)
			}
		}

		// Walking pages of one gives the same as one big page.
		var walked []int64
		f := mentorbook.MentorFilter{Limit: 1, IncludeInactive: true}
		for {
			page := list(f)
			if len(page) == 0 {
				break
			}
			walked = append(walked, page...)
			f.AfterID = page[len(page)-1]
		}
		if want := []int64{m1.ID, m2.ID, m3.ID, m4.ID}; !slices.Equal(walked, want) {
			t.Errorf("paged walk = %v, want %v", walked, want)
		}

		ms, err := s.ListMentors(ctx, mentorbook.MentorFilter{Skill: "sql", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || ms[0].Name != "m1" || ms[0].Headline != "m1 helps" || ms[0].Bio != "Bio of m1" ||
			!slices.Equal(ms[0].Skills, []string{"go", "sql"}) || ms[0].Timezone != "Europe/Berlin" || !ms[0].Active {
			t.Errorf("ListMentors(sql) = %+v", ms)
		}
	}},

	{"a mentor's timezone is their availability's zone if set, else their own", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m := mustMentor(t, s, "ada")
		zone := func() (string, string) {
			t.Helper()
			got, err := s.MentorByID(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			ms, err := s.ListMentors(ctx, mentorbook.MentorFilter{Limit: 10})
			if err != nil || len(ms) != 1 {
				t.Fatalf("ListMentors = %v, %v", ms, err)
			}
			return got.Timezone, ms[0].Timezone
		}
		if byID, listed := zone(); byID != "Europe/Berlin" || listed != "Europe/Berlin" {
			t.Errorf("without availability: %q, %q; want the user's Europe/Berlin", byID, listed)
		}
		if err := s.PutAvailability(ctx, mentorbook.DefaultAvailability(m.ID, "Asia/Kathmandu")); err != nil {
			t.Fatal(err)
		}
		if byID, listed := zone(); byID != "Asia/Kathmandu" || listed != "Asia/Kathmandu" {
			t.Errorf("with availability: %q, %q; want Asia/Kathmandu", byID, listed)
		}
	}},
}
