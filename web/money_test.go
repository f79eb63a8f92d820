package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/storetest"
)

// admin signs up an administrator, as `mentorbook admin grant` makes one.
func (e *env) admin(name, email string) *browser {
	e.t.Helper()
	b := e.signup(name, email, "Europe/Berlin")
	if _, err := e.svc.Platform.SetAdmin(context.Background(), email, true); err != nil {
		e.t.Fatal(err)
	}
	return b
}

func TestAPaidMentorshipThroughThePages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	admin := e.admin("Ada", "ada@example.com")

	// Only administrators see /admin; a visitor logs in first.
	wantRedirect(t, e.anonymous().get("/admin"), "/login?next=%2Fadmin")
	wantStatus(t, mentee.get("/admin"), http.StatusForbidden)
	wantStatus(t, mentee.post("/admin/settings", url.Values{"confirm": {"yes"}}), http.StatusForbidden)
	wantNotContains(t, mentee.get("/mentors"), `id="nav-admin"`)
	wantContains(t, admin.get("/mentors"), `id="nav-admin"`)

	// The settings form asks for confirmation, then saves.
	settings := url.Values{"bank_name": {"Volksbank"}, "account_holder": {"Mentorbook GmbH"}, "account_number": {"DE89 3704"},
		"instructions": {"Use the reference exactly."}, "fee_bps": {"1000"}, "pay_days": {"7"}, "release_days": {"14"},
		"min_cashout": {"10.00"}, "cashout_text": {"1–2 business days"}, "cashout_days": {"14"}}
	wantContains(t, admin.refused(admin.post("/admin/settings", settings), "/admin"), "confirmation is required")
	settings.Set("confirm", "yes")
	wantRedirect(t, admin.post("/admin/settings", settings), "/admin?done=platform-settings")

	sv := e.addService(mentor, "Go in four weeks", 9999, "sessions", 4)
	m, err := e.svc.Mentorships.Request(ctx, mentee.user, app.MentorshipInput{ServiceID: sv, Message: "hi"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Mentorships.Act(ctx, mentor.user, m.ID, app.ActionAccept, ""); err != nil {
		t.Fatal(err)
	}
	// The mentee's instructions: amount in the currency's format, the
	// reference with a copy button, the bank, the deadline in their zone.
	p := mentee.get("/mentorships/1")
	wantContains(t, p, `id="payment-amount">$99.99<`, "Volksbank", "Mentorbook GmbH", "DE89 3704", "Use the reference exactly.",
		"Copy reference", "by Monday 8 June 2026, 11:30 (Asia/Kolkata)", `id="payment-sent"`)
	ref := regexp.MustCompile(`id="payment-reference">(MB-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})<`).FindStringSubmatch(p.Body)
	if ref == nil {
		t.Fatalf("no reference on the page:\n%s", p.Body)
	}
	wantContains(t, mentor.get("/mentorships/1"), "The mentee pays $99.99", "Your share: $90.00")
	wantNotContains(t, mentor.get("/mentorships/1"), `id="payment-sent"`)
	wantRedirect(t, mentee.post("/payments/1/sent", url.Values{"mentorship": {"1"}, "note": {"from my bank"}}), "/mentorships/1?done=payment-sent")
	wantContains(t, mentee.get("/me/payments"), ref[1], "$99.99", "Marked as sent")

	// The administrator sees it, confirms only with the exact amount and the box ticked.
	wantContains(t, admin.get("/admin"), ref[1], "bank +$99.99, platform fees +$9.99, the mentor’s pending +$90.00", "from my bank")
	confirm := url.Values{"amount": {"99.98"}, "bank_reference": {"B-1"}, "confirm": {"yes"}}
	wantContains(t, admin.refused(admin.post("/admin/payments/1/confirm", confirm), "/admin"), "amount minor must be the amount due, 9999 ($99.99)")
	confirm.Set("amount", "99.999")
	wantContains(t, admin.refused(admin.post("/admin/payments/1/confirm", confirm), "/admin"), "amount must be an amount like 123.45")
	confirm.Set("amount", "99.99")
	wantRedirect(t, admin.post("/admin/payments/1/confirm", confirm), "/admin?done=payment-confirm")
	wantContains(t, mentee.get("/mentorships/1"), "Active", "$99.99 received")
	p = mentor.get("/me/balance")
	wantContains(t, p, `id="balance-pending">$90.00<`, `id="balance-available">$0.00<`, "Payment "+ref[1])

	// The mentee completes it: available at once.
	if _, err := e.svc.Mentorships.Act(ctx, mentee.user, m.ID, app.ActionComplete, ""); err != nil {
		t.Fatal(err)
	}
	wantContains(t, mentor.get("/me/balance"), `id="balance-available">$90.00<`, "Save a payout account below")
	wantContains(t, mentor.refused(mentor.post("/me/cashouts", url.Values{"amount": {"50"}}), "/me/balance"), "payout account is required")
	wantRedirect(t, mentor.post("/me/payout-account", url.Values{"bank_name": {"GLS"}, "account_holder": {"Maria"},
		"account_number": {"DE02 4306"}, "auto": {"off"}, "auto_weekday": {"1"}}), "/me/balance?done=payout-account")
	wantContains(t, mentor.refused(mentor.post("/me/cashouts", url.Values{"amount": {"5.00"}}), "/me/balance"), "at least the minimum cashout, $10.00")
	wantRedirect(t, mentor.post("/me/cashouts", url.Values{"amount": {"50.00"}}), "/me/balance?done=cashout-requested")
	wantContains(t, mentor.get("/me/balance"), `id="balance-withdrawing">$50.00<`, "expected by Monday 15 June 2026")
	wantContains(t, admin.get("/admin"), "Maria: $50.00", "DE02 4306", "withdrawing −$50.00 and bank −$50.00")
	wantRedirect(t, admin.post("/admin/cashouts/1/paid", url.Values{"bank_reference": {"OUT-1"}, "confirm": {"yes"}}), "/admin?done=cashout-paid")
	wantContains(t, mentor.get("/me/balance"), `id="balance-paid-out">$50.00<`, `id="balance-available">$40.00<`)
	wantContains(t, admin.get("/admin"), "Balanced: bank $49.99 = fees + mentors’ buckets $49.99")
	storetest.CheckBooks(t, e.store)
}
