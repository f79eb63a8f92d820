package app_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/postgres"
	"github.com/mentorbook/mentorbook/storetest"
)

var (
	moneySeed = flag.Uint64("money.seed", 20261203, "seed of the random money run (0: from the clock; the seed is printed)")
	moneyOps  = flag.Int("money.ops", 300, "operations in the random money run (thousands for a long run)")
)

// moneyWorld is the people of the random run.
type moneyWorld struct {
	svc      *app.App
	mentors  []mentorbook.User
	mentees  []mentorbook.User
	admins   []mentorbook.User
	services []int64
}

// outcome is what one operation answered: success, a definite refusal, or
// something that leaves it unknown whether it committed (a cut
// connection, a cancelled context).
type outcome struct {
	op     string
	ref    int64 // the payment, refund or cashout it made or acted on
	err    error
	result int64 // the ID it made (refund, cashout)
}

func (o outcome) refused() bool {
	switch mentorbook.ErrorCode(o.err) {
	case mentorbook.ECONFLICT, mentorbook.EINVALID, mentorbook.EFORBIDDEN, mentorbook.ENOTFOUND:
		return true
	}
	return false
}

// TestRandomMoneyKeepsTheBooks runs random payments, confirmations,
// releases, refunds, cashouts, cancellations and rejections from
// concurrent clients while database connections are cut (PostgreSQL:
// pg_terminate_backend on the store's backends; SQLite: contexts cancelled
// mid-transaction), then checks every invariant. -money.seed reproduces
// a run's choices (not the scheduler's interleaving); -money.ops sets its
// length.
func TestRandomMoneyKeepsTheBooks(t *testing.T) {
	seed := *moneySeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("money run: -money.seed=%d -money.ops=%d", seed, *moneyOps)
	for _, eng := range storetest.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			var store mentorbook.Store
			var cut func()
			if eng.Name == "postgres" {
				store, cut = cuttablePostgres(t)
			} else {
				store = eng.Open(t)
			}
			runRandomMoney(t, store, seed, *moneyOps, cut)
		})
	}
}

// cuttablePostgres opens a store whose connections carry a unique
// application name, and a function that terminates them all.
func cuttablePostgres(t *testing.T) (mentorbook.Store, func()) {
	dsn := storetest.PostgresDSN(t)
	name := fmt.Sprintf("money_run_%d", time.Now().UnixNano())
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	db, err := postgres.Open(context.Background(), dsn+sep+"application_name="+name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	killer, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killer.Close() })
	return db, func() {
		_, _ = killer.Pool().Exec(context.Background(),
			`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, name)
	}
}

func runRandomMoney(t *testing.T, store mentorbook.Store, seed uint64, ops int, cut func()) {
	ctx := context.Background()
	var clock atomic.Int64
	start := time.Date(2030, 1, 7, 12, 0, 0, 0, time.UTC)
	clock.Store(start.UnixMicro())
	svc := app.New(store, app.Options{CheapPasswords: true, Now: func() time.Time { return time.UnixMicro(clock.Load()) },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	w := moneyWorld{svc: svc}
	signup := func(email string) mentorbook.User {
		u, _, err := svc.Accounts.Signup(ctx, app.SignupInput{Email: email, Password: "correct horse battery", Name: email, Timezone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	prices := []int64{1, 9, 19, 9999, 12345}
	for i := range 3 {
		m := signup(fmt.Sprintf("mentor%d@example.com", i))
		if _, err := svc.Mentors.PutProfile(ctx, m, app.ProfileInput{Headline: "Go", Active: true}); err != nil {
			t.Fatal(err)
		}
		m, _ = svc.Accounts.Me(ctx, m)
		for j := range 2 {
			title, format, days := fmt.Sprintf("Review %d", j), "async", 30
			price := fmt.Sprint(prices[(i+j)%len(prices)])
			sv, err := svc.Services.Create(ctx, m, app.ServiceInput{Title: &title, Format: &format, Days: &days, PriceMinor: &price})
			if err != nil {
				t.Fatal(err)
			}
			w.services = append(w.services, sv.ID)
		}
		if _, err := svc.Cashouts.PutPayoutAccount(ctx, m, mentorbook.PayoutAccount{BankName: "B", AccountHolder: "H", AccountNumber: "N"}); err != nil {
			t.Fatal(err)
		}
		w.mentors = append(w.mentors, m)
	}
	for i := range 6 {
		w.mentees = append(w.mentees, signup(fmt.Sprintf("mentee%d@example.com", i)))
	}
	for i := range 2 {
		a := signup(fmt.Sprintf("admin%d@example.com", i))
		a, err := svc.Platform.SetAdmin(ctx, a.Email, true)
		if err != nil {
			t.Fatal(err)
		}
		w.admins = append(w.admins, a)
	}
	// A low minimum, so cashouts of small balances happen too.
	if _, err := svc.Platform.PutSettings(ctx, w.admins[0], mentorbook.PlatformSettings{FeeBPS: 1000, PayDays: 7, ReleaseDays: 14,
		MinCashoutMinor: 1, CashoutText: "soon", CashoutDays: 14}); err != nil {
		t.Fatal(err)
	}

	const clients = 8
	results := make([][]outcome, clients)
	var wg sync.WaitGroup
	var done atomic.Int64
	for c := range clients {
		rng := rand.New(rand.NewPCG(seed, uint64(c)))
		wg.Go(func() {
			for done.Add(1) <= int64(ops) {
				results[c] = append(results[c], w.randomOp(ctx, rng, cut))
			}
		})
	}
	wg.Wait()
	// The release job's turn: some shares become available by time.
	clock.Store(start.Add(15 * 24 * time.Hour).UnixMicro())
	for {
		ran, err := svc.Jobs.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			break
		}
	}
	var all []outcome
	counts := map[string][2]int{}
	for _, rs := range results {
		for _, o := range rs {
			all = append(all, o)
			c := counts[o.op]
			if o.err == nil {
				c[0]++
			} else {
				c[1]++
			}
			counts[o.op] = c
		}
	}
	t.Logf("operations (ok, failed): %v", counts)
	checkMoneyOutcomes(t, store, all)
}

// randomOp runs one random operation, sometimes with its connection cut.
func (w moneyWorld) randomOp(ctx context.Context, rng *rand.Rand, cut func()) outcome {
	svc := w.svc
	mentee := w.mentees[rng.IntN(len(w.mentees))]
	mentor := w.mentors[rng.IntN(len(w.mentors))]
	admin := w.admins[rng.IntN(len(w.admins))]
	// One operation in ten is interrupted: its context ends, or (on
	// PostgreSQL) the store's connections are terminated, after a random
	// moment.
	opCtx := ctx
	if rng.IntN(10) == 0 {
		delay := time.Duration(rng.IntN(3000)) * time.Microsecond
		if cut != nil && rng.IntN(2) == 0 {
			time.AfterFunc(delay, cut)
		} else {
			var cancel context.CancelFunc
			opCtx, cancel = context.WithTimeout(ctx, delay)
			defer cancel()
		}
	}
	payment := func() (mentorbook.Payment, bool) {
		ps, err := allPages(func(cursor string) ([]mentorbook.Payment, string, error) {
			return svc.Payments.AdminList(ctx, admin, app.AdminListQuery{Status: "awaiting_transfer,sent,confirmed", Cursor: cursor, Limit: "100"})
		})
		if err != nil || len(ps) == 0 {
			return mentorbook.Payment{}, false
		}
		return ps[rng.IntN(len(ps))], true
	}
	cashout := func() (mentorbook.Cashout, bool) {
		cs, err := allPages(func(cursor string) ([]mentorbook.Cashout, string, error) {
			return svc.Cashouts.AdminList(ctx, admin, app.AdminListQuery{Status: "requested", Cursor: cursor, Limit: "100"})
		})
		if err != nil || len(cs) == 0 {
			return mentorbook.Cashout{}, false
		}
		return cs[rng.IntN(len(cs))], true
	}
	switch n := rng.IntN(100); {
	case n < 15: // a paid mentorship, accepted: a payment
		m, err := svc.Mentorships.Request(opCtx, mentee, app.MentorshipInput{ServiceID: w.services[rng.IntN(len(w.services))]}, "")
		if err != nil {
			return outcome{op: "request", err: err}
		}
		mentor, _ := svc.Accounts.Me(ctx, mentorbook.User{ID: m.MentorID})
		_, err = svc.Mentorships.Act(opCtx, mentor, m.ID, app.ActionAccept, "")
		return outcome{op: "accept", err: err}
	case n < 22:
		p, ok := payment()
		if !ok {
			return outcome{op: "none"}
		}
		payer, _ := svc.Accounts.Me(ctx, mentorbook.User{ID: p.PayerID})
		_, err := svc.Payments.MarkSent(opCtx, payer, p.ID, "sent")
		return outcome{op: "sent", ref: p.ID, err: err}
	case n < 45:
		p, ok := payment()
		if !ok {
			return outcome{op: "none"}
		}
		amount := p.AmountMinor
		if rng.IntN(10) == 0 {
			amount++
		}
		_, err := svc.Payments.Confirm(opCtx, admin, p.ID, app.Confirmation{AmountMinor: amount, BankReference: "B"}, "")
		return outcome{op: "confirm", ref: p.ID, err: err}
	case n < 50:
		p, ok := payment()
		if !ok {
			return outcome{op: "none"}
		}
		_, err := svc.Payments.Reject(opCtx, admin, p.ID, "no match")
		return outcome{op: "reject", ref: p.ID, err: err}
	case n < 57:
		p, ok := payment()
		if !ok {
			return outcome{op: "none"}
		}
		payer, _ := svc.Accounts.Me(ctx, mentorbook.User{ID: p.PayerID})
		action := app.ActionComplete
		if rng.IntN(2) == 0 {
			action = app.ActionCancel
		}
		_, err := svc.Mentorships.Act(opCtx, payer, p.MentorshipID, action, "random")
		return outcome{op: string(action), ref: p.ID, err: err}
	case n < 62:
		p, ok := payment()
		if !ok {
			return outcome{op: "none"}
		}
		_, err := svc.Payments.Release(opCtx, admin, p.ID)
		return outcome{op: "release", ref: p.ID, err: err}
	case n < 72:
		p, ok := payment()
		if !ok {
			return outcome{op: "none"}
		}
		r, err := svc.Payments.Refund(opCtx, admin, p.ID, app.RefundInput{AmountMinor: 1 + rng.Int64N(p.AmountMinor), Reason: "random"}, "")
		return outcome{op: "refund", ref: p.ID, err: err, result: r.ID}
	case n < 87:
		b, err := svc.Ledger.Balance(ctx, mentor)
		if err != nil || b.AvailableMinor == 0 {
			return outcome{op: "none"}
		}
		c, err := svc.Cashouts.Request(opCtx, mentor, 1+rng.Int64N(b.AvailableMinor))
		return outcome{op: "cashout", err: err, result: c.ID}
	default:
		c, ok := cashout()
		if !ok {
			return outcome{op: "none"}
		}
		how, text, by := app.ResolvePaid, "OUT", admin
		switch rng.IntN(3) {
		case 1:
			how, text = app.ResolveReject, "no"
		case 2:
			how, text = app.ResolveCancel, ""
			by, _ = svc.Accounts.Me(ctx, mentorbook.User{ID: c.MentorID})
		}
		_, err := svc.Cashouts.Resolve(opCtx, by, c.ID, how, text)
		return outcome{op: "cashout-" + string(how), ref: c.ID, err: err}
	}
}

// checkMoneyOutcomes checks the books and that the answers agree with
// them: every success is in the ledger, every definite refusal is not.
func checkMoneyOutcomes(t *testing.T, store mentorbook.Store, all []outcome) {
	t.Helper()
	storetest.CheckBooks(t, store)
	ctx := context.Background()
	var ps []mentorbook.Payment
	var cs []mentorbook.Cashout
	var es []mentorbook.LedgerEntry
	refunds := map[int64][]mentorbook.Refund{}
	err := store.Read(ctx, func(tx mentorbook.Tx) (err error) {
		if ps, err = tx.Payments().List(ctx, mentorbook.PaymentFilter{Limit: 1 << 20}); err != nil {
			return err
		}
		for _, p := range ps {
			if refunds[p.ID], err = tx.Payments().Refunds(ctx, p.ID); err != nil {
				return err
			}
		}
		if cs, err = tx.Cashouts().List(ctx, mentorbook.CashoutFilter{Limit: 1 << 20}); err != nil {
			return err
		}
		es, err = tx.Ledger().Entries(ctx, mentorbook.LedgerFilter{Limit: 1 << 30})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Ledger transactions by (source, kind), counted once each.
	posted := map[string]int{}
	seen := map[int64]bool{}
	for _, e := range es {
		if !seen[e.TransactionID] {
			seen[e.TransactionID] = true
			posted[fmt.Sprintf("%s:%d:%s", e.SourceType, e.SourceID, e.Kind)]++
		}
	}
	for key, n := range posted {
		if n != 1 {
			t.Errorf("%s posted %d times", key, n)
		}
	}
	confirmedOK := map[int64]int{}
	for _, o := range all {
		switch {
		case o.op == "confirm" && o.err == nil:
			confirmedOK[o.ref]++
		case o.op == "refund" && o.err == nil:
			if posted[fmt.Sprintf("refund:%d:refund", o.result)] != 1 {
				t.Errorf("refund %d answered success but is not in the ledger", o.result)
			}
		case o.op == "cashout" && o.err == nil:
			if posted[fmt.Sprintf("cashout:%d:cashout_requested", o.result)] != 1 {
				t.Errorf("cashout %d answered success but is not in the ledger", o.result)
			}
		case o.op == "cashout-paid" && o.err == nil:
			if posted[fmt.Sprintf("cashout:%d:cashout_paid", o.ref)] != 1 {
				t.Errorf("cashout %d answered paid but is not in the ledger", o.ref)
			}
		case o.op == "cashout" && o.refused() && o.result != 0:
			t.Errorf("a refused cashout returned an ID: %+v", o)
		}
	}
	for _, p := range ps {
		n := posted[fmt.Sprintf("payment:%d:payment_confirmed", p.ID)]
		if confirmedOK[p.ID] > 1 {
			t.Errorf("payment %d: %d confirmations answered success", p.ID, confirmedOK[p.ID])
		}
		if confirmedOK[p.ID] == 1 && n != 1 || (p.Status == mentorbook.PaymentConfirmed) != (n == 1) {
			t.Errorf("payment %d (%s): %d successes, %d ledger confirmations", p.ID, p.Status, confirmedOK[p.ID], n)
		}
		var sum int64
		for _, r := range refunds[p.ID] {
			sum += r.AmountMinor
			if posted[fmt.Sprintf("refund:%d:refund", r.ID)] != 1 {
				t.Errorf("refund %d is not in the ledger", r.ID)
			}
		}
		if sum != p.RefundedMinor || sum > p.AmountMinor {
			t.Errorf("payment %d: refunds sum to %d, refunded %d of %d", p.ID, sum, p.RefundedMinor, p.AmountMinor)
		}
	}
	for _, c := range cs {
		req := posted[fmt.Sprintf("cashout:%d:cashout_requested", c.ID)]
		paid := posted[fmt.Sprintf("cashout:%d:cashout_paid", c.ID)]
		returned := posted[fmt.Sprintf("cashout:%d:cashout_returned", c.ID)]
		want := map[mentorbook.CashoutStatus][3]int{mentorbook.CashoutRequested: {1, 0, 0}, mentorbook.CashoutPaid: {1, 1, 0},
			mentorbook.CashoutRejected: {1, 0, 1}, mentorbook.CashoutCancelled: {1, 0, 1}}[c.Status]
		if [3]int{req, paid, returned} != want {
			t.Errorf("cashout %d (%s): requested %d, paid %d, returned %d", c.ID, c.Status, req, paid, returned)
		}
	}
}

// allPages reads every page of an administrators' list.
func allPages[T any](page func(cursor string) ([]T, string, error)) ([]T, error) {
	var all []T
	for cursor := ""; ; {
		items, next, err := page(cursor)
		if err != nil {
			return all, err
		}
		all = append(all, items...)
		if next == "" {
			return all, nil
		}
		cursor = next
	}
}
