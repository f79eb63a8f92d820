package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

var availabilityTests = []test{
	{"availability is not found until saved, then round trips and is replaced", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m := mustMentor(t, s, "ada")
		_, err := s.Availability(ctx, m.ID)
		wantCode(t, "Availability before saving", err, mentorbook.ENOTFOUND)

		a := mentorbook.Availability{
			MentorID: m.ID, Timezone: "America/New_York",
			Weekly: []schedule.WeeklyInterval{
				{Weekday: time.Sunday, Start: 0, End: 60},
				{Weekday: time.Monday, Start: 540, End: 720},
				{Weekday: time.Monday, Start: 780, End: 1020},
				{Weekday: time.Saturday, Start: 1380, End: 1440},
			},
			SessionMinutes: 45, SlotIntervalMinutes: 15, MinNoticeMinutes: 120, HorizonDays: 30,
			BufferBeforeMinutes: 5, BufferAfterMinutes: 10, PendingExpiryHours: 24, UpdatedAt: now,
		}
		if err := s.PutAvailability(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := s.Availability(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantAvailability(t, got, a)

		b := mentorbook.DefaultAvailability(m.ID, "Asia/Kathmandu")
		b.UpdatedAt = now.Add(time.Hour)
		if err := s.PutAvailability(ctx, b); err != nil {
			t.Fatal(err)
		}
		got, err = s.Availability(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantAvailability(t, got, b)

		other := mustMentor(t, s, "bob")
		_, err = s.Availability(ctx, other.ID)
		wantCode(t, "another mentor's Availability", err, mentorbook.ENOTFOUND)
	}},

	{"overrides are put, replaced, listed by inclusive date range and deleted", func(t *testing.T, s Ops) {
		ctx := t.Context()
		m, other := mustMentor(t, s, "ada"), mustMentor(t, s, "bob")
		d := func(s string) schedule.Date {
			d, err := schedule.ParseDate(s)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		put := func(o mentorbook.Override) {
			t.Helper()
			if err := s.PutOverride(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		put(mentorbook.Override{MentorID: m.ID, Date: d("2030-03-05"), Intervals: []schedule.LocalInterval{{Start: 540, End: 720}}})
		put(mentorbook.Override{MentorID: m.ID, Date: d("2030-03-07"), Intervals: nil}) // day off
		put(mentorbook.Override{MentorID: m.ID, Date: d("2030-03-10"), Intervals: []schedule.LocalInterval{{Start: 60, End: 120}, {Start: 800, End: 900}}})
		put(mentorbook.Override{MentorID: m.ID, Date: d("2029-12-31"), Intervals: []schedule.LocalInterval{{Start: 0, End: 1440}}})
		put(mentorbook.Override{MentorID: other.ID, Date: d("2030-03-06"), Intervals: []schedule.LocalInterval{{Start: 1, End: 2}}})
		put(mentorbook.Override{MentorID: m.ID, Date: d("2030-03-05"), Intervals: []schedule.LocalInterval{{Start: 600, End: 660}}}) // replaces

		got, err := s.Overrides(ctx, m.ID, d("2030-03-05"), d("2030-03-10"))
		if err != nil {
			t.Fatal(err)
		}
		want := []mentorbook.Override{
			{MentorID: m.ID, Date: d("2030-03-05"), Intervals: []schedule.LocalInterval{{Start: 600, End: 660}}},
			{MentorID: m.ID, Date: d("2030-03-07")},
			{MentorID: m.ID, Date: d("2030-03-10"), Intervals: []schedule.LocalInterval{{Start: 60, End: 120}, {Start: 800, End: 900}}},
		}
		wantOverrides(t, got, want)

		got, err = s.Overrides(ctx, m.ID, d("2029-12-01"), d("2030-03-06"))
		if err != nil {
			t.Fatal(err)
		}
		wantOverrides(t, got, []mentorbook.Override{
			{MentorID: m.ID, Date: d("2029-12-31"), Intervals: []schedule.LocalInterval{{Start: 0, End: 1440}}},
			want[0],
		})

		if err := s.DeleteOverride(ctx, m.ID, d("2030-03-07")); err != nil {
			t.Fatal(err)
		}
		err = s.DeleteOverride(ctx, m.ID, d("2030-03-07"))
		wantCode(t, "second DeleteOverride", err, mentorbook.ENOTFOUND)
		err = s.DeleteOverride(ctx, m.ID, d("2030-03-06")) // only the other mentor has one
		wantCode(t, "DeleteOverride of another mentor's date", err, mentorbook.ENOTFOUND)

		got, err = s.Overrides(ctx, m.ID, d("2030-03-05"), d("2030-03-10"))
		if err != nil {
			t.Fatal(err)
		}
		wantOverrides(t, got, []mentorbook.Override{want[0], want[2]})
	}},
}

func wantAvailability(t *testing.T, got, want mentorbook.Availability) {
	t.Helper()
	if got.MentorID != want.MentorID || got.Timezone != want.Timezone || !slices.Equal(got.Weekly, want.Weekly) ||
		got.SessionMinutes != want.SessionMinutes || got.SlotIntervalMinutes != want.SlotIntervalMinutes ||
		got.MinNoticeMinutes != want.MinNoticeMinutes || got.HorizonDays != want.HorizonDays ||
		got.BufferBeforeMinutes != want.BufferBeforeMinutes || got.BufferAfterMinutes != want.BufferAfterMinutes ||
		got.PendingExpiryHours != want.PendingExpiryHours {
		t.Errorf("Availability = %+v\nwant           %+v", got, want)
	}
	if got.Weekly == nil {
		t.Errorf("Weekly is nil, want an empty slice")
	}
	wantTime(t, "Availability UpdatedAt", got.UpdatedAt, want.UpdatedAt)
}

func wantOverrides(t *testing.T, got, want []mentorbook.Override) {
	t.Helper()
	same := slices.EqualFunc(got, want, func(a, b mentorbook.Override) bool {
		return a.MentorID == b.MentorID && a.Date == b.Date && slices.Equal(a.Intervals, b.Intervals)
	})
	if !same {
		t.Errorf("Overrides = %+v\nwant        %+v", got, want)
	}
}
