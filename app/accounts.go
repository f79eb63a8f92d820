package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
)

const (
	sessionLifetime   = 30 * 24 * time.Hour
	loginWindow       = 15 * time.Minute
	loginMaxFailures  = 10
	minPasswordLength = 10
	maxPasswordLength = 1024
	maxNameLength     = 100
)

// SignupInput is what a new user gives.
type SignupInput struct {
	Email, Password, Name, Timezone string
}

// Signup creates an account and signs it in, returning the session token.
func (s *Accounts) Signup(ctx context.Context, in SignupInput) (mentorbook.User, string, error) {
	v := mentorbook.Validation{}
	email := normalizeEmail(in.Email)
	if !validEmail(email) {
		v.Add("email", "must be an email address like name@example.com")
	}
	checkNewPassword(v, "password", in.Password)
	name := checkName(v, in.Name)
	checkZone(v, in.Timezone)
	if err := v.Err(); err != nil {
		return mentorbook.User{}, "", err
	}
	hash, err := s.passwords.Hash(in.Password)
	if err != nil {
		return mentorbook.User{}, "", err
	}
	u, err := mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.User, error) {
		return tx.Users().Create(ctx, mentorbook.User{Email: email, Name: name, Timezone: in.Timezone, CreatedAt: s.clock()}, hash)
	})
	if mentorbook.ErrorCode(err) == mentorbook.ECONFLICT {
		return mentorbook.User{}, "", &mentorbook.Error{Code: mentorbook.ECONFLICT,
			Message: "An account with this email already exists.", Fields: map[string]string{"email": "is already registered"}}
	}
	if err != nil {
		return mentorbook.User{}, "", err
	}
	token, err := s.newSession(ctx, u.ID)
	return u, token, err
}

// Login checks credentials and returns a new session token. After
// loginMaxFailures failures for an account within loginWindow, every login
// for it is refused with ETOOMANY until the window passes, even a right one.
//
// The check and the record are one atomic store step (AttemptLogin), taken
// before the slow password check: each admitted attempt counts as a failure
// until it proves right, so parallel wrong guesses, on any number of app
// instances, cannot all pass the check before any is recorded.
func (s *Accounts) Login(ctx context.Context, email, password string) (mentorbook.User, string, error) {
	// No account has such an email, and PostgreSQL cannot even look one up.
	v := mentorbook.Validation{}
	checkText(v, "email", email)
	if err := v.Err(); err != nil {
		return mentorbook.User{}, "", err
	}
	bad := mentorbook.Errorf(mentorbook.EUNAUTHORIZED, "Wrong email or password.")
	// No account has a longer password (Signup refuses them): answer
	// without hashing, whether or not the email exists, so a login cannot
	// make the server hash a huge input.
	if utf8.RuneCountInString(password) > maxPasswordLength {
		return mentorbook.User{}, "", bad
	}
	var hash string
	u, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (u mentorbook.User, err error) {
		u, hash, err = tx.Users().Credentials(ctx, normalizeEmail(email))
		return u, err
	})
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		// Spend the same effort as for a real account so timing does not
		// reveal which emails exist.
		s.passwords.Verify(password, s.dummyHash())
		return mentorbook.User{}, "", bad
	}
	if err != nil {
		return mentorbook.User{}, "", err
	}
	if err := s.admitAttempt(ctx, u.ID); err != nil {
		return mentorbook.User{}, "", err
	}
	if !s.passwords.Verify(password, hash) {
		return mentorbook.User{}, "", bad // AttemptLogin recorded the failure
	}
	// Right: forget the failures, the one just recorded for this attempt too.
	if err := s.store.Write(ctx, func(tx mentorbook.Tx) error { return tx.Users().ClearLoginFailures(ctx, u.ID) }); err != nil {
		return mentorbook.User{}, "", err
	}
	token, err := s.newSession(ctx, u.ID)
	return u, token, err
}

// admitAttempt admits one password check for a user, recording it as a
// failure until it proves right (ClearLoginFailures). After
// loginMaxFailures failures within loginWindow it is ETOOMANY, saying when
// to try again.
func (s *Accounts) admitAttempt(ctx context.Context, userID int64) error {
	now := s.clock()
	// Failures strictly within the last loginWindow count: one exactly
	// loginWindow old has just left the window.
	var failures int
	var oldest time.Time
	err := s.store.Write(ctx, func(tx mentorbook.Tx) (err error) {
		// The user's row lock makes attempts on other instances wait here
		// until this one has counted and recorded.
		if err := tx.Users().Lock(ctx, userID); err != nil {
			return err
		}
		failures, oldest, err = tx.Users().LoginFailures(ctx, userID, now.Add(-loginWindow+time.Microsecond))
		if err != nil || failures >= loginMaxFailures {
			return err
		}
		return tx.Users().AddLoginFailure(ctx, userID, now)
	})
	if err != nil {
		return err
	}
	if failures >= loginMaxFailures {
		return &mentorbook.Error{Code: mentorbook.ETOOMANY,
			Message: "Too many failed password attempts for this account; try again later.", RetryAfter: oldest.Add(loginWindow).Sub(now)}
	}
	return nil
}

// Logout ends the session of token at once.
func (s *Accounts) Logout(ctx context.Context, token string) error {
	return s.store.Write(ctx, func(tx mentorbook.Tx) error { return tx.Users().DeleteSession(ctx, hashToken(token)) })
}

// Authenticate returns the user a session token belongs to, from the
// session cache (sessioncache.go) when it holds the token.
func (s *Accounts) Authenticate(ctx context.Context, token string) (mentorbook.User, error) {
	if token == "" {
		return mentorbook.User{}, mentorbook.Errorf(mentorbook.EUNAUTHORIZED, "Sign in first.")
	}
	hash, now := hashToken(token), s.clock()
	u, gen, ok := s.sessions.get(hash, now)
	if ok {
		return u, nil
	}
	var expires time.Time
	err := s.store.Read(ctx, func(tx mentorbook.Tx) (err error) {
		u, expires, err = tx.Users().SessionUser(ctx, hash, now)
		return err
	})
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return mentorbook.User{}, mentorbook.Errorf(mentorbook.EUNAUTHORIZED, "The session has ended; sign in again.")
	}
	if err != nil {
		return mentorbook.User{}, err
	}
	s.sessions.put(hash, sessionEntry{user: u, expires: expires, read: now}, gen)
	return u, nil
}

// Me returns the caller's account, fresh from the store.
func (s *Accounts) Me(ctx context.Context, caller mentorbook.User) (mentorbook.User, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.User, error) { return tx.Users().ByID(ctx, caller.ID) })
}

func (s *Accounts) newSession(ctx context.Context, userID int64) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.clock()
	err := s.store.Write(ctx, func(tx mentorbook.Tx) error {
		return tx.Users().CreateSession(ctx, mentorbook.Session{
			TokenHash: hashToken(token), UserID: userID, CreatedAt: now, ExpiresAt: now.Add(sessionLifetime),
		})
	})
	return token, err
}

// checkNewPassword checks a password being set: its length and policy.
func checkNewPassword(v mentorbook.Validation, field, password string) {
	if n := utf8.RuneCountInString(password); n < minPasswordLength {
		v.Add(field, "must be at least 10 characters")
	} else if n > maxPasswordLength {
		v.Add(field, "must be at most 1024 characters")
	}
	checkPassword(v, field, password)
}

// checkName checks a person's name and returns it trimmed.
func checkName(v mentorbook.Validation, name string) string {
	name = strings.TrimSpace(name)
	checkText(v, "name", name)
	if name == "" {
		v.Add("name", "is required")
	} else if utf8.RuneCountInString(name) > maxNameLength {
		v.Add("name", "must be at most 100 characters")
	}
	return name
}

func checkZone(v mentorbook.Validation, zone string) {
	if _, err := loadZone(zone); err != nil {
		v.Add("timezone", mentorbook.ErrorMessage(err))
	}
}

// hashToken is what the store keeps of a token: a leaked table grants nothing.
func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".")
}
