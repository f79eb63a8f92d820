package api_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

var resetLink = regexp.MustCompile(regexp.QuoteMeta(testBaseURL) + `/password-reset/confirm\?token=([A-Za-z0-9_-]+)`)

// resetToken reads the token from the one reset email sent to addr.
func (m *mailEnv) resetToken(addr string, n int) string {
	m.t.Helper()
	msgs := m.smtp.To(addr)
	if len(msgs) != n {
		m.t.Fatalf("%d emails to %s, want %d", len(msgs), addr, n)
	}
	last := msgs[len(msgs)-1]
	if !strings.Contains(last.Subject(), "Reset your Mentorbook password") {
		m.t.Fatalf("subject %q", last.Subject())
	}
	match := resetLink.FindStringSubmatch(last.Part("text/plain"))
	if match == nil {
		m.t.Fatalf("no reset link in\n%s", last.Part("text/plain"))
	}
	tok, err := url.QueryUnescape(match[1])
	if err != nil {
		m.t.Fatal(err)
	}
	return tok
}

func TestPasswordReset(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		m := newMailEnv(t, store)
		a := m.signup("UTC")
		addr := m.emailOf(a)
		var second struct{ Token string }
		want(t, m.login(addr, "correct horse battery"), http.StatusOK).decode(t, &second)

		// Known and unknown addresses get the same answer; only the known
		// one gets an email.
		want(t, m.call("POST", "/api/v1/password-reset", "", map[string]string{"email": strings.ToUpper(addr)}), http.StatusAccepted)
		want(t, m.call("POST", "/api/v1/password-reset", "", map[string]string{"email": "nobody@example.com"}), http.StatusAccepted)
		want(t, m.call("POST", "/api/v1/password-reset", "", map[string]string{"email": "not an address"}), http.StatusUnprocessableEntity)
		m.runJobs()
		if n := len(m.smtp.To("nobody@example.com")); n != 0 {
			t.Errorf("%d emails to an unknown address", n)
		}
		token := m.resetToken(addr, 1)

		// Only the token's hash is kept: not in the reset table, and the
		// sent email's job no longer holds the link.
		var rows int
		if err := store.Read(t.Context(), func(tx mentorbook.Tx) error {
			js, err := tx.Jobs().List(t.Context(), nil, 100)
			for _, j := range js {
				if strings.Contains(string(j.Payload), token) {
					rows++
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if rows != 0 {
			t.Errorf("%d job rows still hold the reset token after sending", rows)
		}

		// A bad new password does not use the token up.
		want(t, m.call("POST", "/api/v1/password-reset/confirm", "", map[string]string{"token": token, "new_password": "short"}), http.StatusUnprocessableEntity)
		want(t, m.call("POST", "/api/v1/password-reset/confirm", "", map[string]string{"token": "forged" + token, "new_password": "a fresh new secret"}), http.StatusUnprocessableEntity).problem(t)
		want(t, m.login(addr, "correct horse battery"), http.StatusOK)

		want(t, m.call("POST", "/api/v1/password-reset/confirm", "", map[string]string{"token": token, "new_password": "a fresh new secret"}), http.StatusNoContent)
		// Every session ends; the new password works, the old does not.
		want(t, m.call("GET", "/api/v1/me", a.Token, nil), http.StatusUnauthorized)
		want(t, m.call("GET", "/api/v1/me", second.Token, nil), http.StatusUnauthorized)
		want(t, m.login(addr, "correct horse battery"), http.StatusUnauthorized)
		want(t, m.login(addr, "a fresh new secret"), http.StatusOK)
		// Used once.
		want(t, m.call("POST", "/api/v1/password-reset/confirm", "", map[string]string{"token": token, "new_password": "yet another secret"}), http.StatusUnprocessableEntity)

		// A token is valid for an hour.
		want(t, m.call("POST", "/api/v1/password-reset", "", map[string]string{"email": addr}), http.StatusAccepted)
		m.runJobs()
		late := m.resetToken(addr, 2)
		m.clock.Advance(time.Hour)
		want(t, m.call("POST", "/api/v1/password-reset/confirm", "", map[string]string{"token": late, "new_password": "yet another secret"}), http.StatusUnprocessableEntity)
		want(t, m.login(addr, "a fresh new secret"), http.StatusOK)
	})
}

// At most five requests an hour for one address, and the limit answers
// alike for addresses with and without an account.
func TestPasswordResetRequestsAreLimited(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		m := newMailEnv(t, store)
		addr := m.emailOf(m.signup("UTC"))
		for _, email := range []string{addr, "nobody@example.com"} {
			for range 5 {
				want(t, m.call("POST", "/api/v1/password-reset", "", map[string]string{"email": email}), http.StatusAccepted)
				m.clock.Advance(time.Minute)
			}
			r := want(t, m.call("POST", "/api/v1/password-reset", "", map[string]string{"email": email}), http.StatusTooManyRequests)
			if ra := r.Header.Get("Retry-After"); ra == "" {
				t.Errorf("%s: no Retry-After", email)
			}
		}
		m.runJobs()
		if n := len(m.smtp.To(addr)); n != 5 {
			t.Errorf("%d reset emails, want 5", n)
		}
		// An hour after the first request, one more is allowed.
		m.clock.Advance(time.Hour - 9*time.Minute)
		want(t, m.call("POST", "/api/v1/password-reset", "", map[string]string{"email": addr}), http.StatusAccepted)
	})
}
