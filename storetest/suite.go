package storetest

import (
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// test is one conformance check; it gets a fresh, empty store.
type test struct {
	name string
	fn   func(t *testing.T, s Ops)
}

// Run runs the conformance suite. open must return a fresh, empty,
// migrated store that is closed when tb ends.
func Run(t *testing.T, open func(tb testing.TB) mentorbook.Store) {
	var tests []test
	tests = append(tests, userTests...)
	tests = append(tests, accountTests...)
	tests = append(tests, mentorTests...)
	tests = append(tests, availabilityTests...)
	tests = append(tests, bookingTests...)
	tests = append(tests, idempotencyTests...)
	tests = append(tests, serviceTests...)
	tests = append(tests, mentorshipTests...)
	tests = append(tests, concurrencyTests...)
	tests = append(tests, purgeTests...)
	tests = append(tests, sweepTests...)
	tests = append(tests, notificationTests...)
	tests = append(tests, conversationTests...)
	tests = append(tests, progressTests...)
	tests = append(tests, broadcastTests...)
	tests = append(tests, searchTests...)
	tests = append(tests, sessionTests...)
	tests = append(tests, moneyTests...)
	tests = append(tests, cashoutTests...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, Ops{open(t)})
		})
	}
}

// Fixed instants keep failures reproducible: bookings start at t0, and the
// clock of most tests reads now, well before.
var (
	t0  = time.Date(2030, 3, 4, 9, 0, 0, 0, time.UTC)
	now = t0.Add(-72 * time.Hour)
)

var emailSeq atomic.Int64

// mustUser creates a user with a unique email.
func mustUser(t *testing.T, s Ops, name string) mentorbook.User {
	t.Helper()
	u, err := s.CreateUser(t.Context(), mentorbook.User{
		Email:    fmt.Sprintf("%s-%d@example.com", name, emailSeq.Add(1)),
		Name:     name,
		Timezone: "Europe/Berlin",
	}, "hash-of-"+name)
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u
}

// mustMentor creates a user with an active mentor profile.
func mustMentor(t *testing.T, s Ops, name string, skills ...string) mentorbook.User {
	t.Helper()
	u := mustUser(t, s, name)
	p, err := s.PutMentorProfile(t.Context(), mentorbook.MentorProfile{
		UserID: u.ID, Headline: name + " helps", Bio: "Bio of " + name, Skills: skills, Active: true, UpdatedAt: now,
	})
	if err != nil {
		t.Fatalf("PutMentorProfile(%s): %v", name, err)
	}
	u.Mentor = &p
	return u
}

// pending is a pending booking of mentee with mentor, expiring two days
// after now.
func pending(mentor, mentee int64, start time.Time, d time.Duration) mentorbook.Booking {
	return mentorbook.Booking{
		MentorID: mentor, MenteeID: mentee, Status: mentorbook.StatusPending,
		Start: start, End: start.Add(d), ExpiresAt: now.Add(48 * time.Hour),
		CreatedAt: now, UpdatedAt: now,
	}
}

func mustBook(t *testing.T, s Ops, b mentorbook.Booking) mentorbook.Booking {
	t.Helper()
	got, err := s.CreateBooking(t.Context(), b, nil, now)
	if err != nil {
		t.Fatalf("CreateBooking(%v-%v): %v", b.Start, b.End, err)
	}
	return got
}

func mustChange(t *testing.T, s Ops, c mentorbook.StatusChange) mentorbook.Booking {
	t.Helper()
	got, err := s.ChangeBookingStatus(t.Context(), c)
	if err != nil {
		t.Fatalf("ChangeBookingStatus(%d to %s): %v", c.BookingID, c.To, err)
	}
	return got
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := mentorbook.ErrorCode(err); got != code {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, code)
	}
}

// wantTime fails unless got is want, in UTC.
func wantTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
	if !got.IsZero() && got.Location() != time.UTC {
		t.Errorf("%s location = %v, want UTC", what, got.Location())
	}
}

// wantBooking compares every field.
func wantBooking(t *testing.T, got, want mentorbook.Booking) {
	t.Helper()
	if got.ID != want.ID || got.MentorID != want.MentorID || got.MenteeID != want.MenteeID ||
		got.Status != want.Status || got.BufferBefore != want.BufferBefore || got.BufferAfter != want.BufferAfter ||
		got.Message != want.Message || got.Reason != want.Reason || got.CancelledBy != want.CancelledBy {
		t.Errorf("booking = %+v\nwant      %+v", got, want)
	}
	wantTime(t, "Start", got.Start, want.Start)
	wantTime(t, "End", got.End, want.End)
	wantTime(t, "ExpiresAt", got.ExpiresAt, want.ExpiresAt)
	wantTime(t, "CreatedAt", got.CreatedAt, want.CreatedAt)
	wantTime(t, "UpdatedAt", got.UpdatedAt, want.UpdatedAt)
}

func ids(bs []mentorbook.Booking) []int64 {
	out := make([]int64, len(bs))
	for i, b := range bs {
		out[i] = b.ID
	}
	return out
}

// overlapping reports the first pair of ivs that overlap (half-open).
func overlapping(ivs []schedule.Interval) (a, b schedule.Interval, ok bool) {
	for i := range ivs {
		for j := i + 1; j < len(ivs); j++ {
			if ivs[i].Start.Before(ivs[j].End) && ivs[j].Start.Before(ivs[i].End) {
				return ivs[i], ivs[j], true
			}
		}
	}
	return schedule.Interval{}, schedule.Interval{}, false
}

func sortIntervals(ivs []schedule.Interval) {
	slices.SortFunc(ivs, func(a, b schedule.Interval) int { return a.Start.Compare(b.Start) })
}

func equalIntervals(a, b []schedule.Interval) bool {
	return slices.EqualFunc(a, b, func(x, y schedule.Interval) bool {
		return x.Start.Equal(y.Start) && x.End.Equal(y.End)
	})
}
