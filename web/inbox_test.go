package web

import (
	"slices"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

func TestSortInbox(t *testing.T) {
	now := time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC)
	berlin, err := schedule.LoadZone("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	me := mentorbook.User{ID: 1, Name: "Maria"}
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	booking := func(id, mentor, mentee int64, status mentorbook.BookingStatus, start time.Time) mentorbook.Booking {
		names := map[int64]string{1: "Maria", 2: "Arjun", 3: "Omar"}
		return mentorbook.Booking{ID: id, MentorID: mentor, MenteeID: mentee, MentorName: names[mentor],
			MenteeName: names[mentee], Status: status, Start: start, End: start.Add(time.Hour)}
	}
	bs := []mentorbook.Booking{
		booking(10, 1, 2, mentorbook.StatusPending, at(5)),     // Arjun asks Maria
		booking(11, 3, 1, mentorbook.StatusPending, at(6)),     // Maria asks Omar
		booking(12, 1, 2, mentorbook.StatusConfirmed, at(7)),   // upcoming
		booking(13, 3, 1, mentorbook.StatusConfirmed, at(-30)), // ended yesterday
		booking(14, 1, 2, mentorbook.StatusConfirmed, at(0)),   // under way: upcoming, no longer cancellable
		booking(15, 1, 3, mentorbook.StatusDeclined, at(-50)),
		booking(16, 3, 1, mentorbook.StatusCancelled, at(-20)),
	}
	zones := map[int64]string{10: "Asia/Kolkata", 11: "Europe/Lisbon", 12: "Asia/Kolkata", 13: "Europe/Lisbon",
		14: "Not/A_Zone", 15: "Europe/Lisbon", 16: "Europe/Lisbon"}
	in := sortInbox(me, bs, zones, berlin, now)

	ids := func(bvs []bookingView) []int64 {
		var out []int64
		for _, bv := range bvs {
			out = append(out, bv.ID)
		}
		return out
	}
	for _, c := range []struct {
		section string
		got     []bookingView
		want    []int64
	}{
		{"pending", in.Pending, []int64{10}},
		{"requested", in.Requested, []int64{11}},
		{"upcoming", in.Upcoming, []int64{12, 14}},
		{"closed, newest first", in.Closed, []int64{16, 13, 15}},
	} {
		if got := ids(c.got); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.section, got, c.want)
		}
	}

	byID := map[int64]bookingView{}
	for _, sec := range [][]bookingView{in.Pending, in.Requested, in.Upcoming, in.Closed} {
		for _, bv := range sec {
			byID[bv.ID] = bv
		}
	}
	for _, c := range []struct {
		id                   int64
		role, other, zone    string
		otherClock           string
		canAnswer, canCancel bool
	}{
		{10, "mentor", "Arjun", "Asia/Kolkata", "16:30", true, true},
		{11, "mentee", "Omar", "Europe/Lisbon", "13:00", false, true},
		{12, "mentor", "Arjun", "Asia/Kolkata", "18:30", false, true},
		{14, "mentor", "Arjun", "UTC", "06:00", false, false}, // an unknown zone shows UTC
		{15, "mentor", "Omar", "Europe/Lisbon", "05:00", false, false},
		{16, "mentee", "Omar", "Europe/Lisbon", "11:00", false, false},
	} {
		bv := byID[c.id]
		if bv.Role != c.role || bv.OtherName != c.other || bv.OtherZone != c.zone || bv.OtherStart.Format("15:04") != c.otherClock ||
			bv.CanAnswer != c.canAnswer || bv.CanCancel != c.canCancel {
			t.Errorf("booking %d: %s with %q in %s at %s, answer %v, cancel %v; want %s with %q in %s at %s, answer %v, cancel %v",
				c.id, bv.Role, bv.OtherName, bv.OtherZone, bv.OtherStart.Format("15:04"), bv.CanAnswer, bv.CanCancel,
				c.role, c.other, c.zone, c.otherClock, c.canAnswer, c.canCancel)
		}
		if bv.Start.Location() != berlin || !bv.Start.Equal(bv.Booking.Start) {
			t.Errorf("booking %d starts %v, want %v in Berlin", c.id, bv.Start, bv.Booking.Start)
		}
	}
}
