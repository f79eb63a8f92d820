package app_test

import (
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/storetest"
)

// TestOtherZones: a mentor's times read in their hours' zone, a mentee's
// in their account zone, whoever asks; strangers' bookings are left out.
func TestOtherZones(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) // a Monday
	svc := app.New(storetest.OpenSQLite(t), app.Options{CheapPasswords: true, Now: func() time.Time { return now }})
	ctx := t.Context()
	signup := func(email, zone string) mentorbook.User {
		u, _, err := svc.Signup(ctx, app.SignupInput{Email: email, Password: "a long password", Name: email, Timezone: zone})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	// Maria lives in Berlin but keeps New York hours, all day every day.
	maria := signup("maria@example.com", "Europe/Berlin")
	if _, err := svc.PutMentorProfile(ctx, maria, app.ProfileInput{Headline: "h", Active: true}); err != nil {
		t.Fatal(err)
	}
	var weekly []app.WeeklyInput
	for d := range 7 {
		weekly = append(weekly, app.WeeklyInput{Weekday: d, Start: "00:00", End: "24:00"})
	}
	if _, err := svc.PutAvailability(ctx, maria, app.AvailabilityInput{Timezone: "America/New_York", Weekly: weekly}); err != nil {
		t.Fatal(err)
	}
	arjun, omar := signup("arjun@example.com", "Asia/Kolkata"), signup("omar@example.com", "Africa/Cairo")
	book := func(u mentorbook.User, start time.Time) mentorbook.Booking {
		b, err := svc.RequestBooking(ctx, u, app.BookingInput{MentorID: maria.ID, Start: start.Format(time.RFC3339)}, "")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b1, b2 := book(arjun, now.Add(24*time.Hour)), book(arjun, now.Add(26*time.Hour))
	b3 := book(omar, now.Add(28*time.Hour))
	all := []mentorbook.Booking{b1, b2, b3}

	for _, c := range []struct {
		caller mentorbook.User
		want   map[int64]string
	}{
		{maria, map[int64]string{b1.ID: "Asia/Kolkata", b2.ID: "Asia/Kolkata", b3.ID: "Africa/Cairo"}},
		{arjun, map[int64]string{b1.ID: "America/New_York", b2.ID: "America/New_York"}},
		{omar, map[int64]string{b3.ID: "America/New_York"}},
	} {
		got, err := svc.OtherZones(ctx, c.caller, all)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.caller.Email, got, c.want)
		}
		for id, zone := range c.want {
			if got[id] != zone {
				t.Errorf("%s: booking %d in %q, want %q", c.caller.Email, id, got[id], zone)
			}
		}
	}
}
