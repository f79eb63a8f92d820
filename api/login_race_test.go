package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// loginRace fires 40 wrong logins for one account at once, at servers in
// turn. The lockout admits exactly 10 of them (401) and refuses the rest
// (429), and afterwards refuses the right password too until the window
// has passed: parallel guesses cannot all slip past the check.
func loginRace(t *testing.T, e *env, servers []*httptest.Server) {
	const clients = 40
	e.signup("UTC") // user1
	right := map[string]string{"email": "user1@example.com", "password": "correct horse battery"}
	wrong := map[string]string{"email": "user1@example.com", "password": "guess guess guess"}

	results := make([]response, clients)
	var wg sync.WaitGroup
	startGun := make(chan struct{})
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-startGun
			results[i] = call(t, servers[i%len(servers)], "POST", "/api/v1/login", "", wrong)
		}()
	}
	close(startGun)
	wg.Wait()

	var unauthorized, tooMany int
	for i, r := range results {
		switch r.Status {
		case http.StatusUnauthorized:
			unauthorized++
		case http.StatusTooManyRequests:
			tooMany++
			// Every failure is at the same instant: the window ends
			// 15 minutes from now.
			if got := r.Header.Get("Retry-After"); got != "900" {
				t.Errorf("client %d: Retry-After = %q, want 900", i, got)
			}
		default:
			t.Errorf("client %d: status %d, want 401 or 429; body %s", i, r.Status, r.Body)
		}
	}
	t.Logf("%d answered 401, %d answered 429", unauthorized, tooMany)
	// At most 10 may be checked; as nothing else interleaves, exactly
	// the first 10 are.
	if unauthorized != 10 || tooMany != clients-10 {
		t.Errorf("%d parallel wrong logins answered 401 and %d 429, want 10 and %d", unauthorized, tooMany, clients-10)
	}

	for _, srv := range servers {
		want(t, call(t, srv, "POST", "/api/v1/login", "", right), http.StatusTooManyRequests)
	}
	e.clock.Advance(15*time.Minute - time.Second)
	want(t, call(t, servers[0], "POST", "/api/v1/login", "", right), http.StatusTooManyRequests)
	e.clock.Advance(time.Second)
	want(t, call(t, servers[len(servers)-1], "POST", "/api/v1/login", "", right), http.StatusOK)
}

func TestParallelWrongLoginsCannotBypassLockout(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		loginRace(t, e, []*httptest.Server{e.srv})
	})
}

func TestParallelWrongLoginsOnTwoInstancesOnOnePostgreSQLCannotBypassLockout(t *testing.T) {
	e, servers := twoInstances(t)
	loginRace(t, e, servers)
}

func TestLoginRefusesPasswordsLongerThanSignupAllows(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		// 1024 characters (2048 bytes) is the longest password signup
		// takes, and it logs in.
		longest := strings.Repeat("é", 1024)
		want(t, e.call("POST", "/api/v1/signup", "", map[string]string{
			"email": "long@example.com", "password": longest, "name": "Long", "timezone": "UTC",
		}), http.StatusCreated)
		want(t, e.call("POST", "/api/v1/login", "", map[string]string{"email": "long@example.com", "password": longest}), http.StatusOK)
		// One character more is wrong for every account, known or not.
		for _, email := range []string{"long@example.com", "nobody@example.com"} {
			want(t, e.call("POST", "/api/v1/login", "", map[string]string{"email": email, "password": longest + "é"}), http.StatusUnauthorized).problem(t)
		}
		// Such logins are refused before the lockout is consulted, and
		// are not counted against the account.
		for range 20 {
			want(t, e.call("POST", "/api/v1/login", "", map[string]string{"email": "long@example.com", "password": longest + "é"}), http.StatusUnauthorized)
		}
		want(t, e.call("POST", "/api/v1/login", "", map[string]string{"email": "long@example.com", "password": longest}), http.StatusOK)
	})
}
