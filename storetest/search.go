package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

func (s Ops) SearchMentors(ctx context.Context, f mentorbook.MentorSearch) ([]mentorbook.MentorKey, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.MentorKey, error) { return tx.Mentors().Search(ctx, f) })
}

func (s Ops) MentorsByIDs(ctx context.Context, ids []int64) ([]mentorbook.Mentor, error) {
	return mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.Mentor, error) { return tx.Mentors().ByIDs(ctx, ids) })
}

func keyIDs(ks []mentorbook.MentorKey) []int64 {
	out := []int64{}
	for _, k := range ks {
		out = append(out, k.ID)
	}
	return out
}

var searchTests = []test{
	{"mentor search matches words, skills and prices, in three orders with keyset cursors", func(t *testing.T, s Ops) {
		ctx := t.Context()
		ada := mustMentor(t, s, "ada", "go", "sql")
		bob := mustMentor(t, s, "bob", "go")
		unal := mustMentor(t, s, "ünal", "rust")
		off := mustMentor(t, s, "off", "go")
		if _, err := s.PutMentorProfile(ctx, mentorbook.MentorProfile{UserID: off.ID, Headline: "off", Skills: []string{"go"}, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutMentorProfile(ctx, mentorbook.MentorProfile{UserID: bob.ID, Headline: "Designer", Bio: "Some GO at 100% and snake_case",
			Skills: []string{"go"}, Active: true, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		for _, m := range []mentorbook.User{ada, bob, unal} {
			if _, err := s.EnsureDefault(t, m.ID); err != nil {
				t.Fatal(err)
			}
		}
		s.CreateService(t, program(bob.ID, "Program", 5000))
		s.CreateService(t, program(unal.ID, "Program", 25000))
		free, err := s.EnsureDefault(t, unal.ID)
		if err != nil {
			t.Fatal(err)
		}
		free.Active = false
		if _, err := s.UpdateService(t, free); err != nil {
			t.Fatal(err)
		}
		price := func(p int64) *int64 { return &p }
		search := func(f mentorbook.MentorSearch) []mentorbook.MentorKey {
			t.Helper()
			if f.Limit == 0 {
				f.Limit = 10
			}
			ks, err := s.SearchMentors(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return ks
		}
		for name, c := range map[string]struct {
			f    mentorbook.MentorSearch
			want []int64
		}{
			"every active mentor":              {mentorbook.MentorSearch{}, []int64{ada.ID, bob.ID, unal.ID}},
			"a word of the headline":           {mentorbook.MentorSearch{Words: []string{"helps"}}, []int64{ada.ID, unal.ID}},
			"a name, not ASCII, any case":      {mentorbook.MentorSearch{Words: []string{"ÜNAL"}}, []int64{unal.ID}},
			"every word must match":            {mentorbook.MentorSearch{Words: []string{"go", "designer"}}, []int64{bob.ID}},
			"percent is literal":               {mentorbook.MentorSearch{Words: []string{"100%"}}, []int64{bob.ID}},
			"percent is no wildcard":           {mentorbook.MentorSearch{Words: []string{"g%d"}}, []int64{}},
			"underscore is literal":            {mentorbook.MentorSearch{Words: []string{"snake_case"}}, []int64{bob.ID}},
			"underscore is no wildcard":        {mentorbook.MentorSearch{Words: []string{"snak__case"}}, []int64{}},
			"skills all match":                 {mentorbook.MentorSearch{Skills: []string{"go", "sql"}}, []int64{ada.ID}},
			"price 0 is the free consultation": {mentorbook.MentorSearch{MaxPriceMinor: price(0)}, []int64{ada.ID, bob.ID}},
			"a price keeps cheaper services":   {mentorbook.MentorSearch{MaxPriceMinor: price(25000)}, []int64{ada.ID, bob.ID, unal.ID}},
			"by relevance":                     {mentorbook.MentorSearch{Words: []string{"go"}, Order: mentorbook.ByRelevance}, []int64{ada.ID, bob.ID}},
			"by price":                         {mentorbook.MentorSearch{Order: mentorbook.ByPrice}, []int64{ada.ID, bob.ID, unal.ID}},
			"by price after bob":               {mentorbook.MentorSearch{Order: mentorbook.ByPrice, After: &mentorbook.MentorKey{ID: bob.ID, PriceKey: 0}}, []int64{unal.ID}},
			"by id after ada, one":             {mentorbook.MentorSearch{After: &mentorbook.MentorKey{ID: ada.ID}, Limit: 1}, []int64{bob.ID}},
		} {
			if got := keyIDs(search(c.f)); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
		// Keys carry the score, the lowest price and whether the free consultation is open.
		ks := search(mentorbook.MentorSearch{Words: []string{"ada", "bio"}, Order: mentorbook.ByRelevance})
		if len(ks) != 1 || ks[0].Score != 1 || ks[0].PriceKey != 0 || !ks[0].FreeOpen {
			t.Errorf("ada's key %+v, want score 1 (the name, not the bio), price 0, free open", ks)
		}
		ks = search(mentorbook.MentorSearch{Words: []string{"ünal"}})
		if len(ks) != 1 || ks[0].PriceKey != 25000 || ks[0].FreeOpen {
			t.Errorf("ünal's key %+v", ks)
		}
		ms, err := s.MentorsByIDs(ctx, []int64{unal.ID, ada.ID, 999})
		if err != nil || len(ms) != 2 {
			t.Fatalf("ByIDs = %+v, %v", ms, err)
		}
		slices.SortFunc(ms, func(a, b mentorbook.Mentor) int { return int(a.ID - b.ID) })
		if ms[0].ID != ada.ID || ms[0].Name != "ada" || !slices.Equal(ms[0].Skills, []string{"go", "sql"}) || ms[1].Name != "ünal" {
			t.Errorf("ByIDs = %+v", ms)
		}
	}},

	{"mentor search by window keeps those whose hours or overrides may meet it", func(t *testing.T, s Ops) {
		ctx := t.Context()
		weekly := mustMentor(t, s, "weekly")   // Monday 09:00–12:00 Berlin (08:00–11:00 UTC in March)
		override := mustMentor(t, s, "over")   // no weekly hours, Wednesday evening by override
		dayOff := mustMentor(t, s, "day-off")  // Monday hours, and a day off on Wednesday
		closed := mustMentor(t, s, "closed")   // Monday hours, free consultation inactive
		nohours := mustMentor(t, s, "nohours") // settings without hours
		for _, m := range []mentorbook.User{weekly, override, dayOff, closed, nohours} {
			if _, err := s.EnsureDefault(t, m.ID); err != nil {
				t.Fatal(err)
			}
		}
		free, _ := s.EnsureDefault(t, closed.ID)
		free.Active = false
		if _, err := s.UpdateService(t, free); err != nil {
			t.Fatal(err)
		}
		monday := []schedule.WeeklyInterval{{Weekday: time.Monday, Start: 540, End: 720}}
		for _, m := range []mentorbook.User{weekly, dayOff, closed, nohours} {
			a := mentorbook.DefaultAvailability(m.ID, "Europe/Berlin")
			a.Weekly, a.HorizonDays, a.MinNoticeMinutes, a.UpdatedAt = monday, 30, 60, now
			if m.ID == nohours.ID {
				a.Weekly = nil
			}
			if err := s.PutAvailability(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		for _, o := range []mentorbook.Override{
			{MentorID: override.ID, Date: schedule.Date{Year: 2030, Month: time.March, Day: 6}, Intervals: []schedule.LocalInterval{{Start: 1080, End: 1200}}},
			{MentorID: dayOff.ID, Date: schedule.Date{Year: 2030, Month: time.March, Day: 6}, Intervals: []schedule.LocalInterval{}},
		} {
			if err := s.PutOverride(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		// t0 is Monday 4 March 2030 09:00 UTC. An override counts for
		// windows within 14 hours of its date (a zone's offset can move a
		// start that far): Wednesday's, not Monday's.
		for name, c := range map[string]struct {
			from, to time.Time
			want     []int64
		}{
			"Monday morning":          {t0, t0.Add(time.Hour), []int64{weekly.ID, dayOff.ID}},
			"Monday's last minute":    {t0.Add(119 * time.Minute), t0.Add(3 * time.Hour), []int64{weekly.ID, dayOff.ID}},
			"Monday afternoon":        {t0.Add(3 * time.Hour), t0.Add(6 * time.Hour), []int64{}},
			"Wednesday evening":       {t0.Add(56 * time.Hour), t0.Add(58 * time.Hour), []int64{override.ID}},
			"a week of Mondays":       {t0.Add(-time.Hour), t0.Add(7 * 24 * time.Hour), []int64{weekly.ID, override.ID, dayOff.ID}},
			"past the 30-day horizon": {t0.AddDate(0, 0, 35), t0.AddDate(0, 0, 35).Add(time.Hour), []int64{}},
			"inside the notice":       {now, now.Add(30 * time.Minute), []int64{}},
		} {
			ks, err := s.SearchMentors(ctx, mentorbook.MentorSearch{Window: schedule.Interval{Start: c.from, End: c.to}, Now: now, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if got := keyIDs(ks); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", name, got, c.want)
			}
		}
	}},
}
