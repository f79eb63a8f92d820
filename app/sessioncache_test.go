package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/internal/cachetest"
)

const (
	sessionPassword = "a long password"
	// notifyWithin is how long another instance is given to hear of a
	// change by notification: less than the cache's one-second bound.
	notifyWithin = 900 * time.Millisecond
)

// sessionWorld is one database seen by instances a and b (both cached),
// ref (uncached, on b's store) and cli (another process, as `mentorbook
// admin grant` is), on a shared fake clock.
type sessionWorld struct {
	t         *testing.T
	clock     *atomic.Int64
	a, b, ref *app.App
	cli       *app.App
	notified  bool
	paused    *pausingStore // a's store
	nextEmail int
}

func (w *sessionWorld) now() time.Time          { return time.UnixMicro(w.clock.Load()).UTC() }
func (w *sessionWorld) advance(d time.Duration) { w.clock.Add(d.Microseconds()) }

// pausingStore runs a hook, once, after a read: a test can hold a read
// that found a session while a write ends it.
type pausingStore struct {
	mentorbook.Store
	afterRead atomic.Pointer[func()]
}

func (s *pausingStore) Read(ctx context.Context, fn func(mentorbook.Tx) error) error {
	err := s.Store.Read(ctx, fn)
	if h := s.afterRead.Swap(nil); h != nil {
		(*h)()
	}
	return err
}

// TestSessionCache checks that a cached session never outlives what ends
// it or changes its user: on the instance that made the change at once,
// on another instance once the notification arrives (PostgreSQL) or, with
// notifications off, once the one-second bound passed (and not before,
// which shows the cache is in use).
func TestSessionCache(t *testing.T) {
	for _, e := range cachetest.Engines {
		name := cachetest.Name(e.Engine, e.Notified)
		if !e.Notified {
			name = e.Engine + "/bound"
		}
		t.Run(name, func(t *testing.T) { testSessionCache(t, e.Engine, e.Notified) })
	}
}

func testSessionCache(t *testing.T, engine string, notified bool) {
	w := newSessionWorld(t, engine, notified)
	t.Run("logout ends the session", w.logout)
	t.Run("a password change ends the other sessions", w.changePassword)
	t.Run("a deleted account's session ends", w.deleteAccount)
	t.Run("an admin grant from the command line shows", w.adminGrant)
	t.Run("name, zone, email and profile changes show", w.accountChanges)
	t.Run("a read that began before a logout does not keep the session", w.readBeforeLogout)
	t.Run("an expired session is refused even when cached", w.expiry)
}

func newSessionWorld(t *testing.T, engine string, notified bool) *sessionWorld {
	stores := cachetest.Open(t, engine, 3)
	w := &sessionWorld{t: t, clock: &atomic.Int64{}, notified: notified, paused: &pausingStore{Store: stores[0]}}
	w.clock.Store(time.Date(2027, 3, 26, 9, 0, 0, 0, time.UTC).UnixMicro())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts := func(store mentorbook.Store, noCache bool) app.Options {
		o := app.Options{CheapPasswords: true, Now: w.now, NoSessionCache: noCache, Logger: log}
		if notified {
			o.Broker = cachetest.NewBroker(t, store, log)
		}
		return o
	}
	w.a = app.New(w.paused, opts(stores[0], false))
	w.b = app.New(stores[1], opts(stores[1], false))
	w.ref = app.New(stores[1], app.Options{CheapPasswords: true, Now: w.now, NoSessionCache: true, Logger: log})
	w.cli = app.New(stores[2], app.Options{CheapPasswords: true, Now: w.now, Logger: log})
	return w
}

func (w *sessionWorld) signup(t *testing.T) (mentorbook.User, string) {
	t.Helper()
	w.nextEmail++
	u, token, err := w.a.Accounts.Signup(t.Context(), app.SignupInput{Email: fmt.Sprintf("u%d@example.com", w.nextEmail),
		Password: sessionPassword, Name: "Ada", Timezone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	return u, token
}

// warm has a, b and ref find the session, so a and b keep it.
func (w *sessionWorld) warm(t *testing.T, token string) {
	t.Helper()
	for _, on := range []*app.App{w.a, w.b, w.ref} {
		if _, err := on.Accounts.Authenticate(t.Context(), token); err != nil {
			t.Fatalf("a live session: %v", err)
		}
	}
}

// want is what a check expects of Authenticate; it describes a mismatch.
type want func(u mentorbook.User, err error) string

func refused(_ mentorbook.User, err error) string {
	if mentorbook.ErrorCode(err) != mentorbook.EUNAUTHORIZED {
		return fmt.Sprintf("Authenticate = %v, want EUNAUTHORIZED", err)
	}
	return ""
}

func accepted(u mentorbook.User, err error) string {
	if err != nil {
		return fmt.Sprintf("Authenticate = %v, want the user", err)
	}
	return ""
}

// userWith expects the user to satisfy ok, described by what.
func userWith(what string, ok func(mentorbook.User) bool) want {
	return func(u mentorbook.User, err error) string {
		if err != nil || !ok(u) {
			return fmt.Sprintf("Authenticate = %+v, %v; want %s", u, err, what)
		}
		return ""
	}
}

// atOnce checks on's answer for token now.
func atOnce(t *testing.T, on *app.App, where, token string, w want) {
	t.Helper()
	if msg := w(on.Accounts.Authenticate(t.Context(), token)); msg != "" {
		t.Errorf("on %s at once: %s", where, msg)
	}
}

// elsewhere checks that an instance that did not make a change sees it:
// with notifications, within notifyWithin while the clock stands still;
// without, the uncached instance at once, the cached one not yet (it kept
// the session), and once the clock passed the bound.
func (w *sessionWorld) elsewhere(t *testing.T, on *app.App, where, token string, want want) {
	t.Helper()
	if w.notified {
		deadline := time.Now().Add(notifyWithin)
		for {
			msg := want(on.Accounts.Authenticate(t.Context(), token))
			if msg == "" {
				return
			}
			if time.Now().After(deadline) {
				t.Errorf("on %s after %v: %s", where, notifyWithin, msg)
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	atOnce(t, w.ref, "the uncached instance", token, want)
	if want(on.Accounts.Authenticate(t.Context(), token)) == "" {
		t.Errorf("on %s: the change showed before the bound, so the session was not kept", where)
	}
	w.advance(time.Second)
	atOnce(t, on, where+" a second later", token, want)
}

func (w *sessionWorld) logout(t *testing.T) {
	_, token := w.signup(t)
	w.warm(t, token)
	if err := w.a.Accounts.Logout(t.Context(), token); err != nil {
		t.Fatal(err)
	}
	atOnce(t, w.a, "a", token, refused)
	w.elsewhere(t, w.b, "b", token, refused)
}

func (w *sessionWorld) changePassword(t *testing.T) {
	u, current := w.signup(t)
	_, other, err := w.b.Accounts.Login(t.Context(), u.Email, sessionPassword)
	if err != nil {
		t.Fatal(err)
	}
	w.warm(t, current)
	w.warm(t, other)
	if err := w.a.Accounts.ChangePassword(t.Context(), u, current, sessionPassword, "another long password"); err != nil {
		t.Fatal(err)
	}
	atOnce(t, w.a, "a", other, refused)
	atOnce(t, w.a, "a", current, accepted)
	w.elsewhere(t, w.b, "b", other, refused)
	atOnce(t, w.b, "b", current, accepted)
}

func (w *sessionWorld) deleteAccount(t *testing.T) {
	u, token := w.signup(t)
	w.warm(t, token)
	if err := w.a.Accounts.Delete(t.Context(), u, sessionPassword); err != nil {
		t.Fatal(err)
	}
	atOnce(t, w.a, "a", token, refused)
	w.elsewhere(t, w.b, "b", token, refused)
}

func (w *sessionWorld) adminGrant(t *testing.T) {
	u, token := w.signup(t)
	w.warm(t, token)
	admin := userWith("an administrator", func(u mentorbook.User) bool { return u.Admin })
	if _, err := w.cli.Platform.SetAdmin(t.Context(), u.Email, true); err != nil {
		t.Fatal(err)
	}
	// Both a and b learn of it as another process's write.
	if w.notified {
		w.elsewhere(t, w.a, "a", token, admin)
	}
	w.elsewhere(t, w.b, "b", token, admin)
	atOnce(t, w.a, "a", token, admin)

	w.warm(t, token)
	if _, err := w.a.Platform.SetAdmin(t.Context(), u.Email, false); err != nil {
		t.Fatal(err)
	}
	notAdmin := userWith("no administrator", func(u mentorbook.User) bool { return !u.Admin })
	atOnce(t, w.a, "a", token, notAdmin)
	w.elsewhere(t, w.b, "b", token, notAdmin)
}

func (w *sessionWorld) accountChanges(t *testing.T) {
	u, token := w.signup(t)
	name, zone := "Grace", "Asia/Tokyo"
	changes := []struct {
		what   string
		change func() error
		shows  func(mentorbook.User) bool
	}{
		{"the new name", func() error {
			var err error
			u, err = w.a.Accounts.Update(t.Context(), u, app.ProfileUpdate{Name: &name})
			return err
		}, func(u mentorbook.User) bool { return u.Name == name }},
		{"the new zone", func() error {
			var err error
			u, err = w.a.Accounts.Update(t.Context(), u, app.ProfileUpdate{Timezone: &zone})
			return err
		}, func(u mentorbook.User) bool { return u.Name == name && u.Timezone == zone }},
		{"a mentor profile", func() error {
			_, err := w.a.Mentors.PutProfile(t.Context(), u, app.ProfileInput{Headline: "First", Skills: []string{"go"}, Active: true})
			return err
		}, func(u mentorbook.User) bool { return u.Mentor != nil && u.Mentor.Headline == "First" }},
		{"the changed profile", func() error {
			_, err := w.a.Mentors.PutProfile(t.Context(), u, app.ProfileInput{Headline: "Second", Skills: []string{"rust"}, Active: false})
			return err
		}, func(u mentorbook.User) bool {
			return u.Mentor != nil && u.Mentor.Headline == "Second" && !u.Mentor.Active && len(u.Mentor.Skills) == 1 && u.Mentor.Skills[0] == "rust"
		}},
		{"the new email", func() error {
			var err error
			u, err = w.a.Accounts.ChangeEmail(t.Context(), u, sessionPassword, "moved@example.com")
			return err
		}, func(u mentorbook.User) bool { return u.Email == "moved@example.com" }},
	}
	for _, c := range changes {
		w.warm(t, token)
		if err := c.change(); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		atOnce(t, w.a, "a", token, userWith(c.what, c.shows))
		w.elsewhere(t, w.b, "b", token, userWith(c.what, c.shows))
	}
}

// readBeforeLogout holds a's read of a session until a logout on a
// committed: what it found must not be kept.
func (w *sessionWorld) readBeforeLogout(t *testing.T) {
	_, token := w.signup(t)
	read, release := make(chan struct{}), make(chan struct{})
	hook := func() {
		close(read)
		<-release
	}
	w.paused.afterRead.Store(&hook)
	done := make(chan error, 1)
	go func() {
		_, err := w.a.Accounts.Authenticate(context.Background(), token)
		done <- err
	}()
	<-read
	if err := w.a.Accounts.Logout(t.Context(), token); err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("the read before the logout: %v, want the user", err)
	}
	atOnce(t, w.a, "a", token, refused)
}

func (w *sessionWorld) expiry(t *testing.T) {
	_, token := w.signup(t)
	// Sessions last 30 days; find it half a second before its end.
	w.advance(30*24*time.Hour - 500*time.Millisecond)
	w.warm(t, token)
	w.advance(500 * time.Millisecond)
	atOnce(t, w.a, "a", token, refused)
	atOnce(t, w.b, "b", token, refused)
}
