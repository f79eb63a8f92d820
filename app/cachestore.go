package app

import (
	"context"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// cacheStore drops what this instance's caches keep of the users a write
// changed, once it committed and before its caller goes on, so the next
// request on this instance sees the change: the slots of users whose slot
// inputs changed (slotcache.go) and the sessions of users whose sessions
// or account, as a session finds it, changed (sessioncache.go).
type cacheStore struct {
	mentorbook.Store
	slots    *slotCache
	sessions *sessionCache
}

// changes is what a transaction changed that the caches keep.
type changes struct {
	slots    []int64  // users whose slot inputs changed
	accounts []int64  // users whose sessions or account changed
	tokens   [][]byte // hashes of sessions ended one by one
}

func (s cacheStore) Write(ctx context.Context, fn func(mentorbook.Tx) error) error {
	var c changes
	err := s.Store.Write(ctx, func(tx mentorbook.Tx) error {
		// A retried transaction starts over.
		c = changes{slots: c.slots[:0], accounts: c.accounts[:0], tokens: c.tokens[:0]}
		return fn(cacheTx{tx, &c})
	})
	// Also after an error: a commit whose answer was lost may have landed,
	// and dropping is always safe.
	if len(c.slots) > 0 {
		s.slots.invalidate(c.slots)
	}
	if len(c.accounts) > 0 || len(c.tokens) > 0 {
		s.sessions.drop(c.accounts, c.tokens)
	}
	return err
}

// cacheTx records what a transaction changes that the caches keep.
type cacheTx struct {
	mentorbook.Tx
	c *changes
}

// slots records users whose slot inputs change.
func (t cacheTx) slots(ids ...int64) {
	for _, id := range ids {
		if id != 0 {
			t.c.slots = append(t.c.slots, id)
		}
	}
}

// account records a user whose sessions or account change.
func (t cacheTx) account(id int64) {
	if id != 0 {
		t.c.accounts = append(t.c.accounts, id)
	}
}

func (t cacheTx) Bookings() mentorbook.Bookings { return cacheBookings{t.Tx.Bookings(), t} }
func (t cacheTx) Availability() mentorbook.Availabilities {
	return cacheAvailability{t.Tx.Availability(), t}
}
func (t cacheTx) Mentors() mentorbook.Mentors   { return cacheMentors{t.Tx.Mentors(), t} }
func (t cacheTx) Users() mentorbook.Users       { return cacheUsers{t.Tx.Users(), t} }
func (t cacheTx) Services() mentorbook.Services { return cacheServices{t.Tx.Services(), t} }
func (t cacheTx) Reviews() mentorbook.Reviews   { return cacheReviews{t.Tx.Reviews(), t} }

type cacheBookings struct {
	mentorbook.Bookings
	t cacheTx
}

func (r cacheBookings) Create(ctx context.Context, b mentorbook.Booking, now time.Time) (mentorbook.Booking, error) {
	r.t.slots(b.MentorID, b.MenteeID)
	return r.Bookings.Create(ctx, b, now)
}

func (r cacheBookings) ChangeStatus(ctx context.Context, c mentorbook.StatusChange) (mentorbook.Booking, error) {
	b, err := r.Bookings.ChangeStatus(ctx, c)
	r.t.slots(b.MentorID, b.MenteeID)
	return b, err
}

func (r cacheBookings) Move(ctx context.Context, b mentorbook.Booking, start, end time.Time, before, after time.Duration, at time.Time) (mentorbook.Booking, error) {
	r.t.slots(b.MentorID, b.MenteeID)
	return r.Bookings.Move(ctx, b, start, end, before, after, at)
}

func (r cacheBookings) ReportAttendance(ctx context.Context, id int64, byMentor, otherCame bool, at time.Time) (mentorbook.Booking, error) {
	b, err := r.Bookings.ReportAttendance(ctx, id, byMentor, otherCame, at)
	r.t.slots(b.MentorID) // the count of sessions held on their page
	return b, err
}

func (r cacheBookings) ExpireStale(ctx context.Context, now time.Time, scope mentorbook.StaleScope) ([]mentorbook.Booking, error) {
	bs, err := r.Bookings.ExpireStale(ctx, now, scope)
	for _, b := range bs {
		r.t.slots(b.MentorID, b.MenteeID)
	}
	return bs, err
}

type cacheAvailability struct {
	mentorbook.Availabilities
	t cacheTx
}

func (r cacheAvailability) Put(ctx context.Context, a mentorbook.Availability) error {
	r.t.slots(a.MentorID)
	return r.Availabilities.Put(ctx, a)
}

func (r cacheAvailability) PutOverride(ctx context.Context, o mentorbook.Override) error {
	r.t.slots(o.MentorID)
	return r.Availabilities.PutOverride(ctx, o)
}

func (r cacheAvailability) DeleteOverride(ctx context.Context, mentorID int64, d schedule.Date) error {
	r.t.slots(mentorID)
	return r.Availabilities.DeleteOverride(ctx, mentorID, d)
}

type cacheMentors struct {
	mentorbook.Mentors
	t cacheTx
}

// PutProfile changes the profile (active: slots) a session finds.
func (r cacheMentors) PutProfile(ctx context.Context, p mentorbook.MentorProfile) (mentorbook.MentorProfile, error) {
	r.t.slots(p.UserID)
	r.t.account(p.UserID)
	return r.Mentors.PutProfile(ctx, p)
}

// cacheUsers records every change to what Users.SessionUser returns: the
// session, the user's columns, the mentor profile (MarkDeleted makes it
// inactive). SetPassword changes none of it; expired sessions are never
// used, so DeleteExpiredSessions needs no drop either.
type cacheUsers struct {
	mentorbook.Users
	t cacheTx
}

func (r cacheUsers) Update(ctx context.Context, id int64, name, timezone string) error {
	r.t.slots(id)
	r.t.account(id)
	if err := r.Users.Update(ctx, id, name, timezone); err != nil {
		return err
	}
	return r.reviewer(ctx, id)
}

func (r cacheUsers) MarkDeleted(ctx context.Context, id int64, now time.Time) error {
	r.t.slots(id)
	r.t.account(id)
	if err := r.Users.MarkDeleted(ctx, id, now); err != nil {
		return err
	}
	return r.reviewer(ctx, id)
}

// reviewer records the mentors whose pages show id's name beside a review.
func (r cacheUsers) reviewer(ctx context.Context, id int64) error {
	mentors, err := r.t.Tx.Reviews().ReviewedBy(ctx, id)
	r.t.slots(mentors...)
	return err
}

func (r cacheUsers) SetEmail(ctx context.Context, id int64, email string) error {
	r.t.account(id)
	return r.Users.SetEmail(ctx, id, email)
}

func (r cacheUsers) SetAdmin(ctx context.Context, email string, admin bool) (mentorbook.User, error) {
	u, err := r.Users.SetAdmin(ctx, email, admin)
	r.t.account(u.ID)
	return u, err
}

func (r cacheUsers) DeleteSession(ctx context.Context, tokenHash []byte) error {
	r.t.c.tokens = append(r.t.c.tokens, tokenHash)
	return r.Users.DeleteSession(ctx, tokenHash)
}

func (r cacheUsers) DeleteSessions(ctx context.Context, userID int64, keep []byte) (int, error) {
	r.t.account(userID)
	return r.Users.DeleteSessions(ctx, userID, keep)
}

// cacheServices and cacheReviews record the mentor whose page shows them.
type cacheServices struct {
	mentorbook.Services
	t cacheTx
}

func (r cacheServices) Create(ctx context.Context, sv mentorbook.Service) (mentorbook.Service, error) {
	r.t.slots(sv.MentorID)
	return r.Services.Create(ctx, sv)
}

func (r cacheServices) EnsureDefault(ctx context.Context, mentorID int64, now time.Time) (mentorbook.Service, error) {
	r.t.slots(mentorID)
	return r.Services.EnsureDefault(ctx, mentorID, now)
}

func (r cacheServices) Update(ctx context.Context, sv mentorbook.Service) (mentorbook.Service, error) {
	r.t.slots(sv.MentorID)
	got, err := r.Services.Update(ctx, sv)
	r.t.slots(got.MentorID)
	return got, err
}

type cacheReviews struct {
	mentorbook.Reviews
	t cacheTx
}

func (r cacheReviews) Create(ctx context.Context, v mentorbook.Review) (mentorbook.Review, error) {
	r.t.slots(v.MentorID)
	return r.Reviews.Create(ctx, v)
}

func (r cacheReviews) Reply(ctx context.Context, id int64, text string, at time.Time) (mentorbook.Review, error) {
	v, err := r.Reviews.Reply(ctx, id, text, at)
	r.t.slots(v.MentorID)
	return v, err
}
