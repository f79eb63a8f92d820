package app_test

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/storetest"
)

// The expire-mentorships upkeep materialises what reads already show: a
// request past its deadline becomes expired in the database.
func TestUpkeepMaterialisesMentorshipDeadlines(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			store := eng.Open(t)
			var clock atomic.Int64
			start := time.Date(2030, 1, 7, 12, 0, 0, 0, time.UTC)
			clock.Store(start.UnixMicro())
			svc := app.New(store, app.Options{CheapPasswords: true, Now: func() time.Time { return time.UnixMicro(clock.Load()) }})
			ctx := context.Background()
			signup := func(email string) mentorbook.User {
				u, _, err := svc.Accounts.Signup(ctx, app.SignupInput{Email: email, Password: "correct horse battery", Name: email, Timezone: "UTC"})
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			m, e := signup("m@example.com"), signup("e@example.com")
			if _, err := svc.Mentors.PutProfile(ctx, m, app.ProfileInput{Headline: "Go", Active: true}); err != nil {
				t.Fatal(err)
			}
			m, _ = svc.Accounts.Me(ctx, m)
			title, format, days := "Review", "async", 3
			sv, err := svc.Services.Create(ctx, m, app.ServiceInput{Title: &title, Format: &format, Days: &days})
			if err != nil {
				t.Fatal(err)
			}
			r, err := svc.Mentorships.Request(ctx, e, app.MentorshipInput{ServiceID: sv.ID}, "")
			if err != nil {
				t.Fatal(err)
			}
			clock.Store(start.Add(49 * time.Hour).UnixMicro())
			runCtx, cancel := context.WithCancel(ctx)
			svc.Jobs.Poll = time.Millisecond
			done := make(chan struct{})
			go func() { svc.Jobs.Run(runCtx, 1); close(done) }()
			deadline := time.Now().Add(10 * time.Second)
			for time.Now().Before(deadline) {
				js, err := svc.Jobs.List(ctx, []mentorbook.JobStatus{mentorbook.JobDone}, 100)
				if err != nil {
					t.Fatal(err)
				}
				if slices.ContainsFunc(js, func(j mentorbook.Job) bool { return j.Kind == app.JobExpireMentorships }) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			<-done
			// Read as of the start: only a stored status says expired then.
			got, err := mentorbook.ReadValue(ctx, store, func(tx mentorbook.Tx) (mentorbook.Mentorship, error) {
				return tx.Mentorships().Get(ctx, r.ID, start)
			})
			if err != nil || got.Status != mentorbook.MentorshipExpired {
				t.Errorf("stored status %s, %v; want expired", got.Status, err)
			}
		})
	}
}
