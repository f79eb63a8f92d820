package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/storetest"
)

type cashoutOut struct {
	ID            int64
	AmountMinor   int64 `json:"amount_minor"`
	Status        string
	ExpectedBy    time.Time `json:"expected_by"`
	PayoutAccount struct {
		AccountNumber string `json:"account_number"`
	} `json:"payout_account"`
	Automatic bool
}

var payoutAccount = map[string]any{"bank_name": "GLS", "account_holder": "Mentor", "account_number": "DE02 4306 0967 0000 0000 00"}

// available confirms and releases a payment of price, so the mentor has
// its share available, and gives them a payout account.
func (e *env) available(p paidParties) paymentOut {
	e.t.Helper()
	pay := e.accepted(p)
	want(e.t, e.confirm(p.admin, pay, pay.AmountMinor), http.StatusOK)
	want(e.t, e.call("POST", fmt.Sprintf("/api/v1/admin/payments/%d/release", pay.ID), p.admin.Token, nil), http.StatusOK)
	want(e.t, e.call("PUT", "/api/v1/me/payout-account", p.mentor.Token, payoutAccount), http.StatusOK)
	return pay
}

func TestCashoutsFromRequestToPaid(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.paidParties(10000)
		// Payout accounts are for mentors only.
		want(t, e.call("PUT", "/api/v1/me/payout-account", p.mentee.Token, payoutAccount), http.StatusForbidden)
		want(t, e.call("GET", "/api/v1/me/payout-account", p.mentee.Token, nil), http.StatusForbidden)
		want(t, e.call("GET", "/api/v1/me/payout-account", "", nil), http.StatusUnauthorized)
		want(t, e.call("GET", "/api/v1/me/payout-account", p.mentor.Token, nil), http.StatusNotFound)
		e.unchanged("a cashout without a payout account", func() {
			pr := want(t, e.call("POST", "/api/v1/me/cashouts", p.mentor.Token, map[string]any{"amount_minor": 1000}), http.StatusUnprocessableEntity).problem(t)
			if pr.Fields["payout_account"] == "" {
				t.Errorf("problem %+v", pr)
			}
		})
		e.available(p)
		want(t, e.call("PUT", "/api/v1/me/payout-account", p.mentor.Token, map[string]any{"bank_name": ""}), http.StatusUnprocessableEntity)
		var acct map[string]any
		want(t, e.call("GET", "/api/v1/me/payout-account", p.mentor.Token, nil), http.StatusOK).decode(t, &acct)
		if acct["account_number"] != payoutAccount["account_number"] || acct["auto"] != "off" {
			t.Errorf("payout account %v", acct)
		}
		e.unchanged("refused cashouts", func() {
			for amount, problem := range map[int64]string{999: "$10.00", 9001: "$90.00", 0: "positive"} {
				pr := want(t, e.call("POST", "/api/v1/me/cashouts", p.mentor.Token, map[string]any{"amount_minor": amount}), http.StatusUnprocessableEntity).problem(t)
				if !strings.Contains(pr.Fields["amount_minor"], problem) {
					t.Errorf("amount %d: %v, want it to name %s", amount, pr.Fields, problem)
				}
			}
			want(t, e.call("POST", "/api/v1/me/cashouts", p.mentee.Token, map[string]any{"amount_minor": 1000}), http.StatusForbidden)
			want(t, e.call("POST", "/api/v1/me/cashouts", "", map[string]any{"amount_minor": 1000}), http.StatusUnauthorized)
		})
		var c cashoutOut
		want(t, e.call("POST", "/api/v1/me/cashouts", p.mentor.Token, map[string]any{"amount_minor": 6000}), http.StatusCreated).decode(t, &c)
		if c.Status != "requested" || c.AmountMinor != 6000 || !c.ExpectedBy.Equal(testNow.AddDate(0, 0, 14)) ||
			c.PayoutAccount.AccountNumber != payoutAccount["account_number"] {
			t.Errorf("cashout %+v", c)
		}
		if b := e.balance(p.mentor); b.AvailableMinor != 3000 || b.WithdrawingMinor != 6000 {
			t.Errorf("balance after request %+v", b)
		}
		// The mentor and the administrators are told.
		for _, u := range []user{p.mentor, p.admin} {
			r := want(t, e.call("GET", "/api/v1/notifications", u.Token, nil), http.StatusOK)
			if !strings.Contains(string(r.Body), "$60.00") {
				t.Errorf("notifications of %d: %s", u.ID, r.Body)
			}
		}
		e.unchanged("a second requested cashout", func() {
			want(t, e.call("POST", "/api/v1/me/cashouts", p.mentor.Token, map[string]any{"amount_minor": 1000}), http.StatusConflict)
		})
		paid := fmt.Sprintf("/api/v1/admin/cashouts/%d/paid", c.ID)
		cancel := fmt.Sprintf("/api/v1/me/cashouts/%d/cancel", c.ID)
		e.unchanged("refused resolutions", func() {
			for _, u := range []user{p.mentee, p.mentor, p.stranger} {
				want(t, e.call("POST", paid, u.Token, map[string]string{"bank_reference": "X"}), http.StatusForbidden)
				want(t, e.call("GET", "/api/v1/admin/cashouts", u.Token, nil), http.StatusForbidden)
			}
			want(t, e.call("POST", paid, "", map[string]string{"bank_reference": "X"}), http.StatusUnauthorized)
			want(t, e.call("POST", paid, p.admin.Token, map[string]string{"bank_reference": ""}), http.StatusUnprocessableEntity)
			want(t, e.call("POST", cancel, p.stranger.Token, nil), http.StatusNotFound)
			want(t, e.call("POST", cancel, p.mentee.Token, nil), http.StatusForbidden)
		})
		var list struct{ Cashouts []cashoutOut }
		want(t, e.call("GET", "/api/v1/admin/cashouts", p.admin.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Cashouts) != 1 || list.Cashouts[0].ID != c.ID {
			t.Errorf("admin list %+v", list)
		}
		want(t, e.call("POST", paid, p.admin.Token, map[string]string{"bank_reference": "OUT-1"}), http.StatusOK).decode(t, &c)
		if c.Status != "paid" {
			t.Errorf("paid %+v", c)
		}
		if b := e.balance(p.mentor); b.AvailableMinor != 3000 || b.WithdrawingMinor != 0 || b.PaidOutMinor != 6000 {
			t.Errorf("balance after paid %+v", b)
		}
		e.unchanged("a second resolution", func() {
			want(t, e.call("POST", paid, p.admin.Token, map[string]string{"bank_reference": "OUT-1"}), http.StatusConflict)
			want(t, e.call("POST", cancel, p.mentor.Token, nil), http.StatusConflict)
		})
		// Cancelled and rejected ones return the money.
		want(t, e.call("POST", "/api/v1/me/cashouts", p.mentor.Token, map[string]any{"amount_minor": 1000}), http.StatusCreated).decode(t, &c)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/me/cashouts/%d/cancel", c.ID), p.mentor.Token, nil), http.StatusOK)
		want(t, e.call("POST", "/api/v1/me/cashouts", p.mentor.Token, map[string]any{"amount_minor": 2000}), http.StatusCreated).decode(t, &c)
		want(t, e.call("POST", fmt.Sprintf("/api/v1/admin/cashouts/%d/reject", c.ID), p.admin.Token, map[string]string{"reason": "IBAN invalid"}), http.StatusOK)
		if b := e.balance(p.mentor); b.AvailableMinor != 3000 || b.WithdrawingMinor != 0 {
			t.Errorf("balance after cancel and reject %+v", b)
		}
		want(t, e.call("GET", "/api/v1/me/cashouts", p.mentor.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Cashouts) != 3 || list.Cashouts[0].Status != "rejected" || list.Cashouts[1].Status != "cancelled" {
			t.Errorf("my cashouts %+v", list)
		}
		// A refund needing more than is available is refused, nothing written.
		e.unchanged("a refund beyond the mentor's balance", func() {
			want(t, e.call("POST", fmt.Sprintf("/api/v1/admin/payments/%d/refunds", 1), p.admin.Token,
				map[string]any{"amount_minor": 10000, "reason": "all", "bank_reference": "R"}), http.StatusConflict)
		})
		storetest.CheckBooks(t, store)
	})
}

func TestAutomaticCashoutsRequestTheAvailableBalance(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.paidParties(10000)
		e.available(p)
		// testNow is a Monday: weekly on Tuesday.
		body := map[string]any{"auto": "weekly", "auto_weekday": 2}
		for k, v := range payoutAccount {
			body[k] = v
		}
		want(t, e.call("PUT", "/api/v1/me/payout-account", p.mentor.Token, body), http.StatusOK)
		e.runPeriodic(app.JobAutoCashouts)
		if b := e.balance(p.mentor); b.AvailableMinor != 9000 {
			t.Errorf("on Monday %+v", b)
		}
		e.clock.Advance(24 * time.Hour)
		e.runPeriodic(app.JobAutoCashouts)
		var list struct{ Cashouts []cashoutOut }
		want(t, e.call("GET", "/api/v1/me/cashouts", p.mentor.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Cashouts) != 1 || !list.Cashouts[0].Automatic || list.Cashouts[0].AmountMinor != 9000 {
			t.Errorf("on Tuesday %+v", list)
		}
		storetest.CheckBooks(t, store)
	})
}

// raceCashouts has cashout requests race each other and a refund for the
// same money, then a mentor's cancel race an administrator's "paid".
func raceCashouts(t *testing.T, e *env, servers []*httptest.Server) {
	p := e.paidParties(10000)
	pay := e.available(p)
	var wg sync.WaitGroup
	codes := make([]int, 9)
	for i := range 8 {
		wg.Go(func() {
			codes[i] = call(t, servers[i%len(servers)], "POST", "/api/v1/me/cashouts", p.mentor.Token, map[string]any{"amount_minor": 6000}).Status
		})
	}
	wg.Go(func() {
		// Its mentor part, 6,300, comes from available: it races the cashouts.
		codes[8] = call(t, servers[0], "POST", fmt.Sprintf("/api/v1/admin/payments/%d/refunds", pay.ID), p.admin.Token,
			map[string]any{"amount_minor": 7000, "reason": "race", "bank_reference": "R"}).Status
	})
	wg.Wait()
	created := 0
	for i, c := range codes[:8] {
		switch c {
		case http.StatusCreated:
			created++
		case http.StatusConflict, http.StatusUnprocessableEntity:
		default:
			t.Errorf("cashout %d answered %d", i, c)
		}
	}
	refunded := codes[8] == http.StatusCreated
	if codes[8] != http.StatusCreated && codes[8] != http.StatusConflict {
		t.Errorf("refund answered %d", codes[8])
	}
	if created+btoi(refunded) != 1 {
		t.Errorf("%d cashouts and refund %v succeeded: only one can (%v)", created, refunded, codes)
	}
	b := e.balance(p.mentor)
	if b.AvailableMinor < 0 || b.WithdrawingMinor != int64(created)*6000 {
		t.Errorf("balance after the race %+v", b)
	}
	storetest.CheckBooks(t, e.store)

	if created == 0 {
		return
	}
	var list struct{ Cashouts []cashoutOut }
	want(t, e.call("GET", "/api/v1/me/cashouts", p.mentor.Token, nil), http.StatusOK).decode(t, &list)
	id := list.Cashouts[0].ID
	var results [2]int
	wg.Go(func() {
		results[0] = call(t, servers[0], "POST", fmt.Sprintf("/api/v1/me/cashouts/%d/cancel", id), p.mentor.Token, nil).Status
	})
	wg.Go(func() {
		results[1] = call(t, servers[len(servers)-1], "POST", fmt.Sprintf("/api/v1/admin/cashouts/%d/paid", id), p.admin.Token,
			map[string]string{"bank_reference": "OUT"}).Status
	})
	wg.Wait()
	if results[0]+results[1] != http.StatusOK+http.StatusConflict {
		t.Errorf("cancel and paid answered %v: one must win", results)
	}
	storetest.CheckBooks(t, e.store)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestConcurrentCashoutsAndRefundsNeverOverdraw(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		raceCashouts(t, e, []*httptest.Server{e.srv})
	})
}

func TestTwoInstancesOnOnePostgreSQLResolveCashoutsOnce(t *testing.T) {
	e, servers := twoInstances(t)
	raceCashouts(t, e, servers)
}

// Every money endpoint answers 401 to anonymous callers, and every
// administrators' endpoint 403 to a mentee, a mentor and another mentor,
// and none of those refusals writes anything.
func TestMoneyEndpointsRefuseAnonymousAndNonAdministrators(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.paidParties(10000)
		pay := e.available(p)
		var c cashoutOut
		want(t, e.call("POST", "/api/v1/me/cashouts", p.mentor.Token, map[string]any{"amount_minor": 1000}), http.StatusCreated).decode(t, &c)
		body := map[string]any{"amount_minor": 1000, "reason": "r", "bank_reference": "b"}
		admin := []struct{ method, path string }{
			{"GET", "/api/v1/admin/settings"}, {"PUT", "/api/v1/admin/settings"},
			{"GET", "/api/v1/admin/payments"}, {"POST", fmt.Sprintf("/api/v1/admin/payments/%d/confirm", pay.ID)},
			{"POST", fmt.Sprintf("/api/v1/admin/payments/%d/reject", pay.ID)}, {"POST", fmt.Sprintf("/api/v1/admin/payments/%d/refunds", pay.ID)},
			{"POST", fmt.Sprintf("/api/v1/admin/payments/%d/release", pay.ID)}, {"GET", "/api/v1/admin/ledger/summary"},
			{"GET", "/api/v1/admin/ledger/transactions"}, {"GET", "/api/v1/admin/ledger/transactions?format=csv"},
			{"GET", "/api/v1/admin/cashouts"}, {"POST", fmt.Sprintf("/api/v1/admin/cashouts/%d/paid", c.ID)},
			{"POST", fmt.Sprintf("/api/v1/admin/cashouts/%d/reject", c.ID)},
		}
		own := []struct{ method, path string }{
			{"GET", fmt.Sprintf("/api/v1/mentorships/%d/payment", pay.MentorshipID)}, {"GET", "/api/v1/me/payments"},
			{"POST", fmt.Sprintf("/api/v1/payments/%d/sent", pay.ID)}, {"GET", "/api/v1/me/balance"}, {"GET", "/api/v1/me/ledger"},
			{"GET", "/api/v1/me/payout-account"}, {"PUT", "/api/v1/me/payout-account"}, {"GET", "/api/v1/me/cashouts"},
			{"POST", "/api/v1/me/cashouts"}, {"POST", fmt.Sprintf("/api/v1/me/cashouts/%d/cancel", c.ID)},
		}
		e.unchanged("refused money requests", func() {
			for _, ep := range append(admin, own...) {
				r := e.call(ep.method, ep.path, "", body)
				if r.Status != http.StatusUnauthorized {
					t.Errorf("anonymous %s %s: %d", ep.method, ep.path, r.Status)
				}
			}
			for _, ep := range admin {
				for name, u := range map[string]user{"mentee": p.mentee, "mentor": p.mentor, "another mentor": p.stranger} {
					if r := e.call(ep.method, ep.path, u.Token, body); r.Status != http.StatusForbidden {
						t.Errorf("%s %s %s: %d %s", name, ep.method, ep.path, r.Status, r.Body)
					}
				}
			}
		})
	})
}

// On PostgreSQL (READ COMMITTED) the automatic-cashout job must decide a
// mentor's cashout under the lock their own requests take: a request
// committing meanwhile is then seen (that mentor is skipped), instead of
// failing the day's job for every mentor. The job runs on a second
// instance whose connections are named, so the test can see it wait.
func TestAnAutomaticCashoutWaitsForTheMentorsOwnRequest(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	first, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { first.Close() })
	if err := first.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	name := "money2-auto-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	second, err := postgres.Open(ctx, dsn+sep+"application_name="+name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	e := newEnv(t, first)
	jobs := app.New(second, app.Options{Now: e.clock.Now, CheapPasswords: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})

	// Two mentors with weekly automatic cashouts on Tuesday.
	p := e.paidParties(10000)
	q := paidParties{mentor: e.mentor("UTC", nil), mentee: e.signup("UTC"), admin: p.admin}
	q.serviceID = e.mustService(q.mentor, paidProgram()).ID
	auto := map[string]any{"auto": "weekly", "auto_weekday": 2}
	for k, v := range payoutAccount {
		auto[k] = v
	}
	for _, parties := range []paidParties{p, q} {
		e.available(parties)
		want(t, e.call("PUT", "/api/v1/me/payout-account", parties.mentor.Token, auto), http.StatusOK)
	}
	e.clock.Advance(24 * time.Hour)
	e.runJobs()
	whole := e.balance(q.mentor).AvailableMinor

	// The first mentor's own request of 2,000 holds their lock, not yet
	// committed, while the job starts.
	holding, release := make(chan struct{}), make(chan struct{})
	var own error
	var wg sync.WaitGroup
	wg.Go(func() {
		own = first.Write(ctx, func(tx mentorbook.Tx) error {
			if err := tx.Users().Lock(ctx, p.mentor.ID); err != nil {
				return err
			}
			acct, err := tx.Cashouts().PayoutAccount(ctx, p.mentor.ID)
			if err != nil {
				return err
			}
			c, err := tx.Cashouts().Create(ctx, mentorbook.Cashout{MentorID: p.mentor.ID, AmountMinor: 2000, Currency: "USD",
				Status: mentorbook.CashoutRequested, PayoutAccount: acct, ExpectedBy: e.clock.Now(), CreatedAt: e.clock.Now()})
			if err != nil {
				return err
			}
			if _, err := tx.Ledger().Post(ctx, mentorbook.LedgerTx{Kind: app.KindCashoutRequested, SourceType: "cashout",
				SourceID: c.ID, Currency: "USD", MentorID: p.mentor.ID, ActorID: p.mentor.ID, Description: "own", CreatedAt: e.clock.Now(),
				Postings: []mentorbook.Posting{
					{Account: mentorbook.Account{Bucket: mentorbook.BucketAvailable, Owner: p.mentor.ID}, Amount: 2000},
					{Account: mentorbook.Account{Bucket: mentorbook.BucketWithdrawing, Owner: p.mentor.ID}, Amount: -2000}}}); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	})
	<-holding
	if err := second.Write(ctx, func(tx mentorbook.Tx) error {
		return jobs.Jobs.Enqueue(ctx, tx, app.JobAutoCashouts, "tuesday", struct{}{}, e.clock.Now())
	}); err != nil {
		t.Fatal(err)
	}
	var ran bool
	var runErr error
	wg.Go(func() { ran, runErr = jobs.Jobs.RunOnce(ctx) })
	// Release the request once the job waits for a lock.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var waiting int
		if err := first.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock'`, name).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the job never waited for the mentor's lock")
		}
	}
	close(release)
	wg.Wait()
	if own != nil || !ran || runErr != nil {
		t.Fatalf("own request: %v; job ran %v: %v", own, ran, runErr)
	}
	done, err := jobs.Jobs.List(ctx, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range done {
		if j.Kind == app.JobAutoCashouts && (j.Status != mentorbook.JobDone || j.LastError != "") {
			t.Errorf("the day's job: %s after %d attempts, %q", j.Status, j.Attempts, j.LastError)
		}
	}
	// The first mentor keeps their own request; the second is paid out
	// automatically all the same.
	for _, c := range []struct {
		mentor    user
		automatic bool
		amount    int64
	}{{p.mentor, false, 2000}, {q.mentor, true, whole}} {
		var list struct{ Cashouts []cashoutOut }
		want(t, e.call("GET", "/api/v1/me/cashouts", c.mentor.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Cashouts) != 1 || list.Cashouts[0].Automatic != c.automatic || list.Cashouts[0].AmountMinor != c.amount {
			t.Errorf("cashouts of mentor %d: %+v", c.mentor.ID, list.Cashouts)
		}
	}
	storetest.CheckBooks(t, first)
}
