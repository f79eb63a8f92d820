package api_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/storetest"
)

type paymentOut struct {
	ID               int64
	MentorshipID     int64 `json:"mentorship_id"`
	AmountMinor      int64 `json:"amount_minor"`
	Currency         string
	Reference        string
	Status           string
	DueAt            time.Time `json:"due_at"`
	FeeBPS           int       `json:"fee_bps"`
	FeeMinor         int64     `json:"fee_minor"`
	MentorShareMinor int64     `json:"mentor_share_minor"`
	PayTo            struct {
		BankName      string `json:"bank_name"`
		AccountHolder string `json:"account_holder"`
		AccountNumber string `json:"account_number"`
		Instructions  string
	} `json:"pay_to"`
	RejectedReason string `json:"rejected_reason"`
	PendingMinor   int64  `json:"pending_minor"`
	RefundedMinor  int64  `json:"refunded_minor"`
}

type balanceOut struct {
	Currency         string
	PendingMinor     int64 `json:"pending_minor"`
	AvailableMinor   int64 `json:"available_minor"`
	WithdrawingMinor int64 `json:"withdrawing_minor"`
	PaidOutMinor     int64 `json:"paid_out_minor"`
}

// admin signs up a user and makes them an administrator, as
// `mentorbook admin grant` does.
func (e *env) admin() user {
	e.t.Helper()
	return e.makeAdmin(e.signup("UTC"))
}

// makeAdmin makes u an administrator too.
func (e *env) makeAdmin(u user) user {
	e.t.Helper()
	err := e.store.Write(e.t.Context(), func(tx mentorbook.Tx) error {
		me, err := tx.Users().ByID(e.t.Context(), u.ID)
		if err != nil {
			return err
		}
		_, err = tx.Users().SetAdmin(e.t.Context(), me.Email, true)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// paidParties is a mentor with a program at price, a mentee, another
// mentor and an administrator.
type paidParties struct {
	mentor, mentee, stranger, admin user
	serviceID                       int64
}

func (e *env) paidParties(price int64) paidParties {
	e.t.Helper()
	p := paidParties{mentor: e.mentor("Europe/Berlin", nil), mentee: e.signup("Asia/Kolkata"),
		stranger: e.mentor("UTC", nil), admin: e.admin()}
	body := paidProgram()
	body["price_minor"] = price
	p.serviceID = e.mustService(p.mentor, body).ID
	return p
}

// accepted requests and accepts a paid mentorship and returns its payment.
func (e *env) accepted(p paidParties) paymentOut {
	e.t.Helper()
	m := e.mustMentorship(p.mentee, p.serviceID)
	want(e.t, e.act(p.mentor, m.ID, "accept", nil), http.StatusOK)
	var pay paymentOut
	want(e.t, e.call("GET", fmt.Sprintf("/api/v1/mentorships/%d/payment", m.ID), p.mentee.Token, nil), http.StatusOK).decode(e.t, &pay)
	return pay
}

func (e *env) confirm(admin user, pay paymentOut, amount int64, header ...string) response {
	e.t.Helper()
	return e.call("POST", fmt.Sprintf("/api/v1/admin/payments/%d/confirm", pay.ID), admin.Token,
		map[string]any{"amount_minor": amount, "bank_reference": "BANK-1"}, header...)
}

func (e *env) balance(u user) balanceOut {
	e.t.Helper()
	var b balanceOut
	want(e.t, e.call("GET", "/api/v1/me/balance", u.Token, nil), http.StatusOK).decode(e.t, &b)
	return b
}

func (e *env) runJobs() {
	e.t.Helper()
	for {
		ran, err := e.svc.Jobs.RunOnce(e.t.Context())
		if err != nil {
			e.t.Fatal(err)
		}
		if !ran {
			return
		}
	}
}

// runPeriodic enqueues a periodic job for now, as each instance's
// scheduler does, and runs the due jobs.
func (e *env) runPeriodic(kind string) {
	e.t.Helper()
	now := e.clock.Now()
	if err := e.store.Write(e.t.Context(), func(tx mentorbook.Tx) error {
		return e.svc.Jobs.Enqueue(e.t.Context(), tx, kind, kind+now.Format(time.RFC3339Nano), struct{}{}, now)
	}); err != nil {
		e.t.Fatal(err)
	}
	e.runJobs()
}

// unchanged runs fn and fails if the payments, refunds, ledger or balances
// changed.
func (e *env) unchanged(what string, fn func()) {
	e.t.Helper()
	before, err := storetest.MoneySnapshot(e.t.Context(), e.store)
	if err != nil {
		e.t.Fatal(err)
	}
	fn()
	after, err := storetest.MoneySnapshot(e.t.Context(), e.store)
	if err != nil {
		e.t.Fatal(err)
	}
	if after != before {
		e.t.Errorf("%s changed the money:\n%s\nthen\n%s", what, before, after)
	}
}

func TestPlatformSettingsAreForAdministratorsAndApplyToLaterRequests(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.paidParties(9999)
		var me struct{ Admin bool }
		want(t, e.call("GET", "/api/v1/me", p.admin.Token, nil), http.StatusOK).decode(t, &me)
		if !me.Admin {
			t.Error("GET /me: admin false for an administrator")
		}
		want(t, e.call("GET", "/api/v1/me", p.mentee.Token, nil), http.StatusOK).decode(t, &me)
		if me.Admin {
			t.Error("GET /me: admin true for a mentee")
		}
		var s map[string]any
		want(t, e.call("GET", "/api/v1/admin/settings", p.admin.Token, nil), http.StatusOK).decode(t, &s)
		wantDefaults := map[string]any{"fee_bps": 1000.0, "pay_days": 7.0, "release_days": 14.0, "min_cashout_minor": 1000.0,
			"cashout_text": "1–2 business days, at most 14 days", "cashout_days": 14.0, "bank_name": "", "currency": "USD"}
		for k, v := range wantDefaults {
			if s[k] != v {
				t.Errorf("default %s = %v, want %v", k, s[k], v)
			}
		}
		// Requested under the default fee, accepted after a change: 10%.
		early := e.mustMentorship(p.mentee, p.serviceID)
		put := map[string]any{"bank_name": "Volksbank", "account_holder": "Mentorbook GmbH", "account_number": "DE89 3704 0044 0532 0130 00",
			"instructions": "Use the reference.", "fee_bps": 2500, "pay_days": 3, "release_days": 10, "min_cashout_minor": 500,
			"cashout_text": "Within a week", "cashout_days": 7}
		for _, u := range []user{p.mentee, p.mentor, p.stranger} {
			want(t, e.call("GET", "/api/v1/admin/settings", u.Token, nil), http.StatusForbidden)
			want(t, e.call("PUT", "/api/v1/admin/settings", u.Token, put), http.StatusForbidden)
		}
		want(t, e.call("GET", "/api/v1/admin/settings", "", nil), http.StatusUnauthorized)
		want(t, e.call("PUT", "/api/v1/admin/settings", "", put), http.StatusUnauthorized)
		bad := map[string]any{"fee_bps": 10001, "pay_days": 0, "release_days": -1, "min_cashout_minor": -5, "cashout_days": 0, "cashout_text": ""}
		pr := want(t, e.call("PUT", "/api/v1/admin/settings", p.admin.Token, bad), http.StatusUnprocessableEntity).problem(t)
		for _, f := range []string{"fee_bps", "pay_days", "release_days", "min_cashout_minor", "cashout_days", "cashout_text"} {
			if pr.Fields[f] == "" {
				t.Errorf("no problem with %s: %v", f, pr.Fields)
			}
		}
		want(t, e.call("PUT", "/api/v1/admin/settings", p.admin.Token, put), http.StatusOK).decode(t, &s)
		if s["fee_bps"] != 2500.0 || s["bank_name"] != "Volksbank" || s["cashout_days"] != 7.0 {
			t.Errorf("saved %v", s)
		}
		want(t, e.act(p.mentor, early.ID, "accept", nil), http.StatusOK)
		var pay paymentOut
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentorships/%d/payment", early.ID), p.mentee.Token, nil), http.StatusOK).decode(t, &pay)
		if pay.FeeBPS != 1000 || pay.FeeMinor != 999 || pay.MentorShareMinor != 9000 || pay.PayTo.BankName != "Volksbank" ||
			!pay.DueAt.Equal(testNow.Add(3*24*time.Hour)) {
			t.Errorf("payment of a mentorship requested before the change: %+v", pay)
		}
		// Requested after: 25%.
		other := e.signup("UTC")
		late := e.mustMentorship(other, p.serviceID)
		want(t, e.act(p.mentor, late.ID, "accept", nil), http.StatusOK)
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentorships/%d/payment", late.ID), other.Token, nil), http.StatusOK).decode(t, &pay)
		if pay.FeeBPS != 2500 || pay.FeeMinor != 2499 || pay.MentorShareMinor != 7500 {
			t.Errorf("payment of a mentorship requested after the change: %+v", pay)
		}
	})
}

var referencePattern = regexp.MustCompile(`^MB-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$`)

func TestAPaidMentorshipFromPaymentToRefund(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.paidParties(9999)
		// A free mentorship has no payment.
		free := e.mustService(p.mentor, freeProgram())
		fm := e.mustMentorship(p.mentee, free.ID)
		want(t, e.act(p.mentor, fm.ID, "accept", nil), http.StatusOK)
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentorships/%d/payment", fm.ID), p.mentee.Token, nil), http.StatusNotFound)

		pay := e.accepted(p)
		if pay.Status != "awaiting_transfer" || pay.AmountMinor != 9999 || pay.FeeMinor != 999 || pay.MentorShareMinor != 9000 ||
			pay.Currency != "USD" || !referencePattern.MatchString(pay.Reference) || !pay.DueAt.Equal(testNow.Add(7*24*time.Hour)) {
			t.Fatalf("payment %+v", pay)
		}
		path := fmt.Sprintf("/api/v1/mentorships/%d/payment", pay.MentorshipID)
		want(t, e.call("GET", path, p.mentor.Token, nil), http.StatusOK)
		want(t, e.call("GET", path, p.stranger.Token, nil), http.StatusNotFound)
		want(t, e.call("GET", path, p.admin.Token, nil), http.StatusNotFound)
		want(t, e.call("GET", path, "", nil), http.StatusUnauthorized)
		var mine struct{ Payments []paymentOut }
		want(t, e.call("GET", "/api/v1/me/payments", p.mentee.Token, nil), http.StatusOK).decode(t, &mine)
		if len(mine.Payments) != 1 || mine.Payments[0].ID != pay.ID {
			t.Errorf("my payments %+v", mine)
		}
		want(t, e.call("GET", "/api/v1/me/payments", p.mentor.Token, nil), http.StatusOK).decode(t, &mine)
		if len(mine.Payments) != 0 {
			t.Errorf("the mentor's payments as payer %+v", mine)
		}

		// Marking it sent: the mentee only.
		sent := fmt.Sprintf("/api/v1/payments/%d/sent", pay.ID)
		e.unchanged("refused sent marks", func() {
			want(t, e.call("POST", sent, p.mentor.Token, nil), http.StatusForbidden)
			want(t, e.call("POST", sent, p.stranger.Token, nil), http.StatusNotFound)
			want(t, e.call("POST", sent, p.admin.Token, nil), http.StatusNotFound)
			want(t, e.call("POST", sent, "", nil), http.StatusUnauthorized)
		})
		var got paymentOut
		want(t, e.call("POST", sent, p.mentee.Token, map[string]string{"note": "Sent from my bank"}), http.StatusOK).decode(t, &got)
		if got.Status != "sent" {
			t.Errorf("after sent: %s", got.Status)
		}
		// Administrators are told a transfer is on its way.
		r := want(t, e.call("GET", "/api/v1/notifications", p.admin.Token, nil), http.StatusOK)
		if !strings.Contains(string(r.Body), pay.Reference+" of $99.99 marked sent") {
			t.Errorf("the administrator's notifications: %s", r.Body)
		}
		// Administrators see it, sent first.
		other := e.signup("UTC")
		m2 := e.mustMentorship(other, p.serviceID)
		want(t, e.act(p.mentor, m2.ID, "accept", nil), http.StatusOK)
		var list struct{ Payments []paymentOut }
		want(t, e.call("GET", "/api/v1/admin/payments", p.admin.Token, nil), http.StatusOK).decode(t, &list)
		if len(list.Payments) != 2 || list.Payments[0].ID != pay.ID {
			t.Errorf("admin list %+v", list)
		}
		for _, u := range []user{p.mentee, p.mentor, p.stranger} {
			want(t, e.call("GET", "/api/v1/admin/payments", u.Token, nil), http.StatusForbidden)
		}
		want(t, e.call("GET", "/api/v1/admin/payments", "", nil), http.StatusUnauthorized)
		want(t, e.call("GET", "/api/v1/admin/payments?status=nonsense", p.admin.Token, nil), http.StatusUnprocessableEntity)

		// Rejecting a transfer that did not match: waiting again, mentee told why.
		reject := fmt.Sprintf("/api/v1/admin/payments/%d/reject", pay.ID)
		e.unchanged("refused rejections", func() {
			for _, u := range []user{p.mentee, p.mentor, p.stranger} {
				want(t, e.call("POST", reject, u.Token, map[string]string{"reason": "x"}), http.StatusForbidden)
			}
			want(t, e.call("POST", reject, "", map[string]string{"reason": "x"}), http.StatusUnauthorized)
			want(t, e.call("POST", reject, p.admin.Token, map[string]string{"reason": ""}), http.StatusUnprocessableEntity)
		})
		want(t, e.call("POST", reject, p.admin.Token, map[string]string{"reason": "Only 99.00 arrived"}), http.StatusOK).decode(t, &got)
		if got.Status != "awaiting_transfer" || got.RejectedReason != "Only 99.00 arrived" {
			t.Errorf("after reject %+v", got)
		}

		// Confirming: administrators who are not a party, the exact amount.
		e.unchanged("refused confirmations", func() {
			for _, u := range []user{p.mentee, p.mentor, p.stranger} {
				want(t, e.confirm(u, pay, 9999), http.StatusForbidden)
			}
			want(t, e.confirm(user{}, pay, 9999), http.StatusUnauthorized)
			pr := want(t, e.confirm(p.admin, pay, 9998), http.StatusUnprocessableEntity).problem(t)
			if !strings.Contains(pr.Fields["amount_minor"], "9999") {
				t.Errorf("wrong amount: %v", pr.Fields)
			}
			want(t, e.call("POST", "/api/v1/admin/payments/999999/confirm", p.admin.Token, map[string]any{"amount_minor": 1}), http.StatusNotFound)
		})
		want(t, e.confirm(p.admin, pay, 9999, "Idempotency-Key", "confirm-1"), http.StatusOK).decode(t, &got)
		if got.Status != "confirmed" || got.PendingMinor != 9000 {
			t.Errorf("confirmed %+v", got)
		}
		if m := e.mentorship(p.mentee, pay.MentorshipID); m.Status != "active" {
			t.Errorf("mentorship after confirmation: %s", m.Status)
		}
		if b := e.balance(p.mentor); b != (balanceOut{Currency: "USD", PendingMinor: 9000}) {
			t.Errorf("mentor's balance %+v", b)
		}
		e.unchanged("a second confirmation", func() {
			want(t, e.confirm(p.admin, pay, 9999), http.StatusConflict)
			// The same key: the first answer.
			want(t, e.confirm(p.admin, pay, 9999, "Idempotency-Key", "confirm-1"), http.StatusOK).decode(t, &got)
			if got.Status != "confirmed" {
				t.Errorf("replay %+v", got)
			}
			want(t, e.call("POST", sent, p.mentee.Token, nil), http.StatusConflict)
		})
		r = want(t, e.call("GET", "/api/v1/admin/ledger/summary", p.admin.Token, nil), http.StatusOK)
		if !strings.Contains(string(r.Body), `"bank_minor":9999,"fees_minor":999,"pending_minor":9000,"available_minor":0,"withdrawing_minor":0,"balanced":true`) {
			t.Errorf("summary %s", r.Body)
		}
		for _, u := range []user{p.mentee, p.mentor, p.stranger} {
			want(t, e.call("GET", "/api/v1/admin/ledger/summary", u.Token, nil), http.StatusForbidden)
			want(t, e.call("GET", "/api/v1/admin/ledger/transactions", u.Token, nil), http.StatusForbidden)
		}
		want(t, e.call("GET", "/api/v1/admin/ledger/summary", "", nil), http.StatusUnauthorized)
		want(t, e.call("GET", "/api/v1/me/balance", "", nil), http.StatusUnauthorized)
		want(t, e.call("GET", "/api/v1/me/ledger", "", nil), http.StatusUnauthorized)

		// The mentee completes it: the share is available at once.
		e.clock.Advance(time.Hour)
		want(t, e.act(p.mentee, pay.MentorshipID, "complete", nil), http.StatusOK)
		if b := e.balance(p.mentor); b.PendingMinor != 0 || b.AvailableMinor != 9000 {
			t.Errorf("after completion %+v", b)
		}
		var led struct {
			Entries []struct {
				Account      string
				Amount       int64 `json:"amount_minor"`
				BalanceAfter int64 `json:"balance_after_minor"`
				Kind         string
				MentorshipID *int64 `json:"mentorship_id"`
			}
			NextCursor string `json:"next_cursor"`
		}
		want(t, e.call("GET", "/api/v1/me/ledger?limit=2", p.mentor.Token, nil), http.StatusOK).decode(t, &led)
		if len(led.Entries) != 2 || led.Entries[0].Account != "available" || led.Entries[0].Amount != 9000 ||
			led.Entries[1].Account != "pending" || led.Entries[1].Amount != -9000 || led.Entries[1].BalanceAfter != 0 ||
			*led.Entries[0].MentorshipID != pay.MentorshipID || led.NextCursor == "" {
			t.Errorf("mentor's ledger %+v", led)
		}
		want(t, e.call("GET", "/api/v1/me/ledger?limit=2&cursor="+led.NextCursor, p.mentor.Token, nil), http.StatusOK).decode(t, &led)
		if len(led.Entries) != 1 || led.Entries[0].Kind != "payment_confirmed" || led.Entries[0].Amount != 9000 || led.NextCursor != "" {
			t.Errorf("mentor's ledger, page 2 %+v", led)
		}
		want(t, e.call("GET", "/api/v1/me/ledger", p.mentee.Token, nil), http.StatusOK).decode(t, &led)
		if len(led.Entries) != 0 {
			t.Errorf("the mentee's ledger %+v", led)
		}

		// Refunds: 5,000 then 4,999 take 500 + 499 from the fees, 4,500 + 4,500 from the mentor.
		refunds := fmt.Sprintf("/api/v1/admin/payments/%d/refunds", pay.ID)
		refund := func(u user, amount int64) response {
			return e.call("POST", refunds, u.Token, map[string]any{"amount_minor": amount, "reason": "Unhappy", "bank_reference": "R-1"})
		}
		e.unchanged("refused refunds", func() {
			for _, u := range []user{p.mentee, p.mentor, p.stranger} {
				want(t, refund(u, 5000), http.StatusForbidden)
			}
			want(t, refund(user{}, 5000), http.StatusUnauthorized)
			want(t, refund(p.admin, 10000), http.StatusUnprocessableEntity)
			want(t, refund(p.admin, 0), http.StatusUnprocessableEntity)
		})
		var rf struct {
			FeeMinor    int64 `json:"fee_minor"`
			MentorMinor int64 `json:"mentor_minor"`
		}
		want(t, refund(p.admin, 5000), http.StatusCreated).decode(t, &rf)
		if rf.FeeMinor != 500 || rf.MentorMinor != 4500 {
			t.Errorf("first refund %+v", rf)
		}
		e.unchanged("a refund above what is left", func() { want(t, refund(p.admin, 5000), http.StatusUnprocessableEntity) })
		want(t, refund(p.admin, 4999), http.StatusCreated).decode(t, &rf)
		if rf.FeeMinor != 499 || rf.MentorMinor != 4500 {
			t.Errorf("second refund %+v", rf)
		}
		if b := e.balance(p.mentor); b.AvailableMinor != 0 || b.PendingMinor != 0 {
			t.Errorf("after the refunds %+v", b)
		}
		r = want(t, e.call("GET", "/api/v1/admin/ledger/summary", p.admin.Token, nil), http.StatusOK)
		if !strings.Contains(string(r.Body), `"bank_minor":0,"fees_minor":0,"pending_minor":0,"available_minor":0,"withdrawing_minor":0,"balanced":true`) {
			t.Errorf("summary after full refund %s", r.Body)
		}
		// The accountant's CSV: one row per entry, header first.
		r = want(t, e.call("GET", "/api/v1/admin/ledger/transactions?format=csv&kind=refund", p.admin.Token, nil), http.StatusOK)
		rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
		if err != nil || len(rows) != 1+2*3 || rows[0][0] != "entry_id" || rows[1][3] != "refund" {
			t.Errorf("CSV %v %v", rows, err)
		}
		storetest.CheckBooks(t, store)
	})
}

func TestAPaymentExpiresWithItsMentorship(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.paidParties(2500)
		pay := e.accepted(p)
		e.clock.Advance(7 * 24 * time.Hour)
		e.runPeriodic(app.JobExpireMentorships)
		stored, err := mentorbook.ReadValue(t.Context(), store, func(tx mentorbook.Tx) (mentorbook.Payment, error) {
			return tx.Payments().Get(t.Context(), pay.ID)
		})
		if err != nil || stored.Status != mentorbook.PaymentExpired {
			t.Errorf("stored payment after the upkeep: %s, %v", stored.Status, err)
		}
		var got paymentOut
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentorships/%d/payment", pay.MentorshipID), p.mentee.Token, nil), http.StatusOK).decode(t, &got)
		if got.Status != "expired" {
			t.Errorf("payment after its due time: %s", got.Status)
		}
		e.unchanged("confirming an expired payment", func() { want(t, e.confirm(p.admin, pay, 2500), http.StatusConflict) })
		// A payment cancelled with its mentorship cannot be confirmed either.
		pay = e.accepted(p)
		want(t, e.act(p.mentee, pay.MentorshipID, "cancel", map[string]string{"reason": "changed my mind"}), http.StatusOK)
		e.unchanged("confirming a cancelled payment", func() { want(t, e.confirm(p.admin, pay, 2500), http.StatusConflict) })
	})
}

func TestACancelledPaidMentorshipsShareIsHeldUntilReleased(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.paidParties(10000)
		pay := e.accepted(p)
		want(t, e.confirm(p.admin, pay, 10000), http.StatusOK)
		want(t, e.act(p.mentor, pay.MentorshipID, "cancel", map[string]string{"reason": "ill"}), http.StatusOK)
		e.clock.Advance(15 * 24 * time.Hour)
		e.runJobs()
		if b := e.balance(p.mentor); b.PendingMinor != 9000 || b.AvailableMinor != 0 {
			t.Errorf("held share after the release time %+v", b)
		}
		var held struct{ Payments []paymentOut }
		want(t, e.call("GET", "/api/v1/admin/payments?status=held", p.admin.Token, nil), http.StatusOK).decode(t, &held)
		if len(held.Payments) != 1 || held.Payments[0].ID != pay.ID {
			t.Errorf("held %+v", held)
		}
		release := fmt.Sprintf("/api/v1/admin/payments/%d/release", pay.ID)
		e.unchanged("refused releases", func() {
			for _, u := range []user{p.mentee, p.mentor, p.stranger} {
				want(t, e.call("POST", release, u.Token, nil), http.StatusForbidden)
			}
			want(t, e.call("POST", release, "", nil), http.StatusUnauthorized)
		})
		// A partial refund first: 1,000 takes 100 from the fees and 900 from the held share.
		want(t, e.call("POST", fmt.Sprintf("/api/v1/admin/payments/%d/refunds", pay.ID), p.admin.Token,
			map[string]any{"amount_minor": 1000, "reason": "one session missed", "bank_reference": "R"}), http.StatusCreated)
		want(t, e.call("POST", release, p.admin.Token, nil), http.StatusOK)
		if b := e.balance(p.mentor); b.PendingMinor != 0 || b.AvailableMinor != 8100 {
			t.Errorf("after refund and release %+v", b)
		}
		e.unchanged("a second release", func() { want(t, e.call("POST", release, p.admin.Token, nil), http.StatusConflict) })
		storetest.CheckBooks(t, store)
	})
}

func TestTheReleaseJobMakesTheShareAvailableAfterReleaseDays(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.paidParties(10000)
		pay := e.accepted(p)
		want(t, e.confirm(p.admin, pay, 10000), http.StatusOK)
		e.clock.Advance(14*24*time.Hour - time.Minute)
		e.runJobs()
		if b := e.balance(p.mentor); b.PendingMinor != 9000 {
			t.Errorf("before release_days %+v", b)
		}
		e.clock.Advance(time.Minute)
		e.runJobs()
		if b := e.balance(p.mentor); b.PendingMinor != 0 || b.AvailableMinor != 9000 {
			t.Errorf("after release_days %+v", b)
		}
		storetest.CheckBooks(t, store)
	})
}

func TestAnAdministratorWhoIsAPartyCannotConfirmOrRefund(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.paidParties(10000)
		adminMentee := e.admin()
		m := e.mustMentorship(adminMentee, p.serviceID)
		want(t, e.act(p.mentor, m.ID, "accept", nil), http.StatusOK)
		var pay paymentOut
		want(t, e.call("GET", fmt.Sprintf("/api/v1/mentorships/%d/payment", m.ID), adminMentee.Token, nil), http.StatusOK).decode(t, &pay)
		e.unchanged("a party's confirmation or rejection", func() {
			want(t, e.confirm(adminMentee, pay, 10000), http.StatusForbidden)
			want(t, e.call("POST", fmt.Sprintf("/api/v1/admin/payments/%d/reject", pay.ID), adminMentee.Token,
				map[string]string{"reason": "never arrived"}), http.StatusForbidden)
		})
		want(t, e.confirm(p.admin, pay, 10000), http.StatusOK)
		e.unchanged("a party's refund or release", func() {
			want(t, e.call("POST", fmt.Sprintf("/api/v1/admin/payments/%d/refunds", pay.ID), adminMentee.Token,
				map[string]any{"amount_minor": 100, "reason": "mine", "bank_reference": "R"}), http.StatusForbidden)
			want(t, e.call("POST", fmt.Sprintf("/api/v1/admin/payments/%d/release", pay.ID), adminMentee.Token, nil), http.StatusForbidden)
		})
		// The mentor's side: an administrator who is the mentor may not
		// reject the mentee's transfer either.
		adminMentor := e.makeAdmin(e.mentor("UTC", nil))
		svc := e.mustService(adminMentor, paidProgram())
		q := e.accepted(paidParties{mentor: adminMentor, mentee: e.signup("UTC"), admin: p.admin, serviceID: svc.ID})
		e.unchanged("the mentor's rejection", func() {
			want(t, e.call("POST", fmt.Sprintf("/api/v1/admin/payments/%d/reject", q.ID), adminMentor.Token,
				map[string]string{"reason": "did not arrive"}), http.StatusForbidden)
		})
		want(t, e.call("POST", fmt.Sprintf("/api/v1/admin/payments/%d/reject", q.ID), p.admin.Token,
			map[string]string{"reason": "did not arrive"}), http.StatusOK)
	})
}

// raceConfirms has 32 administrators' requests confirm one payment at
// once, spread over the servers: one confirmation, one ledger transaction.
func raceConfirms(t *testing.T, e *env, servers []*httptest.Server) {
	p := e.paidParties(9999)
	pay := e.accepted(p)
	var wg sync.WaitGroup
	codes := make([]int, 32)
	for i := range codes {
		wg.Go(func() {
			r := call(t, servers[i%len(servers)], "POST", fmt.Sprintf("/api/v1/admin/payments/%d/confirm", pay.ID), p.admin.Token,
				map[string]any{"amount_minor": 9999, "bank_reference": "B"})
			codes[i] = r.Status
		})
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
		default:
			t.Errorf("a racing confirm answered %d", c)
		}
	}
	if ok != 1 {
		t.Errorf("%d confirmations succeeded, want 1 (%v)", ok, codes)
	}
	if b := e.balance(p.mentor); b.PendingMinor != 9000 {
		t.Errorf("balance after the race %+v", b)
	}
	var led struct{ Entries []struct{ Kind string } }
	want(t, e.call("GET", "/api/v1/admin/ledger/transactions?kind=payment_confirmed", p.admin.Token, nil), http.StatusOK).decode(t, &led)
	if len(led.Entries) != 3 {
		t.Errorf("%d confirmation entries, want 3", len(led.Entries))
	}
	storetest.CheckBooks(t, e.store)
}

func TestConcurrentConfirmsConfirmOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		raceConfirms(t, e, []*httptest.Server{e.srv})
	})
}

func TestTwoInstancesOnOnePostgreSQLConfirmOnce(t *testing.T) {
	e, servers := twoInstances(t)
	raceConfirms(t, e, servers)
}

func TestAdministratorsPageThroughPaymentsAndCashouts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.paidParties(10000)
		// Three payments waiting; the newest is marked sent, so it leads.
		var pays []paymentOut
		var last user
		for range 3 {
			last = e.signup("UTC")
			pays = append(pays, e.accepted(paidParties{mentor: p.mentor, mentee: last, admin: p.admin, serviceID: p.serviceID}))
		}
		want(t, e.call("POST", fmt.Sprintf("/api/v1/payments/%d/sent", pays[2].ID), last.Token, nil), http.StatusOK)
		// Three mentors' cashouts to pay, oldest first.
		var cashouts []int64
		for range 3 {
			q := paidParties{mentor: e.mentor("UTC", nil), mentee: e.signup("UTC"), admin: p.admin}
			q.serviceID = e.mustService(q.mentor, paidProgram()).ID
			e.available(q)
			var c cashoutOut
			want(t, e.call("POST", "/api/v1/me/cashouts", q.mentor.Token, map[string]any{"amount_minor": 1000}), http.StatusCreated).decode(t, &c)
			cashouts = append(cashouts, c.ID)
		}
		page := func(path string) (ids []int64, next string) {
			t.Helper()
			var pg struct {
				Payments   []paymentOut
				Cashouts   []cashoutOut
				NextCursor *string `json:"next_cursor"`
			}
			want(t, e.call("GET", path, p.admin.Token, nil), http.StatusOK).decode(t, &pg)
			for _, x := range pg.Payments {
				ids = append(ids, x.ID)
			}
			for _, x := range pg.Cashouts {
				ids = append(ids, x.ID)
			}
			if pg.NextCursor == nil {
				t.Fatalf("%s: no next_cursor", path)
			}
			return ids, *pg.NextCursor
		}
		for _, l := range []struct {
			path string
			want []int64
		}{
			{"/api/v1/admin/payments", []int64{pays[2].ID, pays[0].ID, pays[1].ID}},
			{"/api/v1/admin/cashouts", cashouts},
		} {
			ids, next := page(l.path + "?limit=2")
			if fmt.Sprint(ids) != fmt.Sprint(l.want[:2]) || next == "" {
				t.Errorf("%s, first page: %v, next %q; want %v", l.path, ids, next, l.want[:2])
			}
			ids, next = page(l.path + "?limit=2&cursor=" + next)
			if fmt.Sprint(ids) != fmt.Sprint(l.want[2:]) || next != "" {
				t.Errorf("%s, second page: %v, next %q; want %v", l.path, ids, next, l.want[2:])
			}
			if ids, next := page(l.path); fmt.Sprint(ids) != fmt.Sprint(l.want) || next != "" {
				t.Errorf("%s, default page: %v, next %q", l.path, ids, next)
			}
			for _, bad := range []string{"?limit=0", "?limit=101", "?cursor=nonsense", "?cursor=-1"} {
				pr := want(t, e.call("GET", l.path+bad, p.admin.Token, nil), http.StatusUnprocessableEntity).problem(t)
				if pr.Fields["limit"] == "" && pr.Fields["cursor"] == "" {
					t.Errorf("%s%s: %+v", l.path, bad, pr)
				}
			}
		}
	})
}

type refundOut struct {
	ID          int64
	AmountMinor int64 `json:"amount_minor"`
}

// A refund sent again with its Idempotency-Key (a retry after a lost
// answer, a double-submitted form) answers with the refund the first
// recorded and records nothing more, however the retries race.
func TestARefundRetriedWithItsKeyIsRecordedOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		p := e.paidParties(10000)
		pay := e.accepted(p)
		want(t, e.confirm(p.admin, pay, 10000, "Idempotency-Key", "confirm-9"), http.StatusOK)
		path := fmt.Sprintf("/api/v1/admin/payments/%d/refunds", pay.ID)
		body := map[string]any{"amount_minor": 1000, "reason": "one session missed", "bank_reference": "R-9"}
		var first, again refundOut
		want(t, e.call("POST", path, p.admin.Token, body, "Idempotency-Key", "refund-1"), http.StatusCreated).decode(t, &first)
		e.unchanged("a retried refund", func() {
			want(t, e.call("POST", path, p.admin.Token, body, "Idempotency-Key", "refund-1"), http.StatusCreated).decode(t, &again)
			if again != first {
				t.Errorf("retry answered %+v, the first %+v", again, first)
			}
			// The key with another request, or a confirmation's key, is refused.
			other := map[string]any{"amount_minor": 2000, "reason": "one session missed", "bank_reference": "R-9"}
			pr := want(t, e.call("POST", path, p.admin.Token, other, "Idempotency-Key", "refund-1"), http.StatusUnprocessableEntity).problem(t)
			if pr.Fields["idempotency_key"] == "" {
				t.Errorf("reused key: %+v", pr)
			}
			want(t, e.call("POST", path, p.admin.Token, body, "Idempotency-Key", "confirm-9"), http.StatusUnprocessableEntity)
			want(t, e.confirm(p.admin, pay, 10000, "Idempotency-Key", "refund-1"), http.StatusUnprocessableEntity)
		})
		// Another key is another refund.
		want(t, e.call("POST", path, p.admin.Token, body, "Idempotency-Key", "refund-2"), http.StatusCreated).decode(t, &again)
		if again.ID == first.ID {
			t.Errorf("a new key answered the first refund %+v", again)
		}
		// Eight racing retries of one key: one refund, the same answer to each.
		var wg sync.WaitGroup
		got := make([]refundOut, 8)
		for i := range got {
			wg.Go(func() {
				r := call(t, e.srv, "POST", path, p.admin.Token, body, "Idempotency-Key", "refund-3")
				if r.Status != http.StatusCreated {
					t.Errorf("racing retry %d: %d %s", i, r.Status, r.Body)
					return
				}
				r.decode(t, &got[i])
			})
		}
		wg.Wait()
		for _, g := range got[1:] {
			if g != got[0] {
				t.Errorf("racing retries answered %+v", got)
				break
			}
		}
		refunds, err := mentorbook.ReadValue(t.Context(), store, func(tx mentorbook.Tx) ([]mentorbook.Refund, error) {
			return tx.Payments().Refunds(t.Context(), pay.ID)
		})
		if err != nil || len(refunds) != 3 {
			t.Errorf("%d refunds recorded, want 3 (%v)", len(refunds), err)
		}
		if b := e.balance(p.mentor); b.PendingMinor != 9000-3*900 {
			t.Errorf("balance %+v", b)
		}
		storetest.CheckBooks(t, store)
	})
}

// The accountant's CSV never hands a spreadsheet a formula: text cells
// starting with = + - @ (or a tab, a carriage return) are prefixed with an
// apostrophe, while numbers, negative amounts included, stay numbers.
func TestTheLedgerCSVNeutralisesFormulas(t *testing.T) {
	forEachEngine(t, func(t *testing.T, store mentorbook.Store) {
		e := newEnv(t, store)
		admin := e.admin()
		descriptions := []string{`=HYPERLINK("http://evil.example","x")`, "+1+1", "-2+3", "@SUM(A1:A2)", "\tTab", "\rReturn",
			"Payment MB-AAAA-AAAA received", "a=b"}
		err := store.Write(t.Context(), func(tx mentorbook.Tx) error {
			for i, d := range descriptions {
				amount := int64(1)
				if i%2 == 1 {
					amount = -1 // money back out: negative changes in the CSV
				}
				if _, err := tx.Ledger().Post(t.Context(), mentorbook.LedgerTx{Kind: "test", SourceType: "payment", SourceID: int64(i + 1),
					Currency: "USD", Description: d, CreatedAt: testNow, Postings: []mentorbook.Posting{
						{Account: mentorbook.Account{Bucket: mentorbook.BucketBank}, Amount: amount},
						{Account: mentorbook.Account{Bucket: mentorbook.BucketFees}, Amount: -amount}}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		r := want(t, e.call("GET", "/api/v1/admin/ledger/transactions?format=csv&limit=100", admin.Token, nil), http.StatusOK)
		rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
		if err != nil || len(rows) != 1+2*len(descriptions) {
			t.Fatalf("CSV %q: %v", rows, err)
		}
		wantCells := map[string]string{}
		for _, d := range descriptions {
			wantCells[d] = d
		}
		for _, d := range descriptions[:6] {
			wantCells[d] = "'" + d
		}
		negative := 0
		for _, row := range rows[1:] {
			var txID int
			fmt.Sscan(row[1], &txID)
			d := descriptions[txID-1]
			if row[12] != wantCells[d] {
				t.Errorf("description cell %q, want %q", row[12], wantCells[d])
			}
			if row[8] == "-1" {
				negative++
			} else if row[8] != "1" {
				t.Errorf("amount cell %q, want the number", row[8])
			}
		}
		if negative != len(descriptions) {
			t.Errorf("%d negative amounts, want %d as plain numbers", negative, len(descriptions))
		}
		storetest.CheckBooks(t, store)
	})
}
