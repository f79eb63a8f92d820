package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mentorbook/mentorbook/app"
)

// TestBrowserPaidMentorshipMoney: a mentee pays a program, an
// administrator confirms it on /admin, the mentorship is active, the
// mentor's balance shows it pending and then available, a cashout is
// requested and paid, and a refund is recorded.
func TestBrowserPaidMentorshipMoney(t *testing.T) {
	browser := startBrowser(t)
	s := startSite(t)
	ctx := context.Background()
	mentorUser, _ := s.mentorWithHours(t, "Maria Mentor", "maria@example.com", "America/New_York")
	menteeUser := s.signup(t, "Arjun Mentee", "arjun@example.com", "Asia/Kolkata")
	admin := s.signup(t, "Ada Admin", "ada@example.com", "Europe/Berlin")
	admin, err := s.svc.Platform.SetAdmin(ctx, admin.Email, true)
	if err != nil {
		t.Fatal(err)
	}
	mentorUser, _ = s.svc.Accounts.Me(ctx, mentorUser)
	price, title, format, days := "9999", "Code review for a month", "async", 30
	sv, err := s.svc.Services.Create(ctx, mentorUser, app.ServiceInput{Title: &title, PriceMinor: &price, Format: &format, Days: &days})
	if err != nil {
		t.Fatal(err)
	}
	// The administrator sets the bank details shown to payers.
	adminTab := newTab(t, browser, s.url, "Europe/Berlin")
	adminTab.login("ada@example.com")
	adminTab.load(chromedp.Click(chromedp.ID("nav-admin")))
	adminTab.do(
		chromedp.SetValue(chromedp.ID("s-bank"), "Volksbank Berlin"),
		chromedp.SetValue(chromedp.ID("s-holder"), "Mentorbook GmbH"),
		chromedp.SetValue(chromedp.ID("s-number"), "DE89 3704 0044 0532 0130 00"),
		chromedp.Click(chromedp.CSS(`#settings input[name=confirm]`)),
	)
	adminTab.submit(`#settings button[type=submit]`)
	adminTab.wantText(".flash", "settings are saved")

	// The mentee requests the program and the mentor accepts it.
	m, err := s.svc.Mentorships.Request(ctx, menteeUser, app.MentorshipInput{ServiceID: sv.ID, Message: "Please"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Mentorships.Act(ctx, mentorUser, m.ID, app.ActionAccept, ""); err != nil {
		t.Fatal(err)
	}

	// --- The mentee reads the instructions and says the money is sent. ---
	mentee := newTab(t, browser, s.url, "Asia/Kolkata")
	mentee.login("arjun@example.com")
	mentee.open("/mentorships/1")
	mentee.wantText("#payment", "$99.99", "Volksbank Berlin", "Mentorbook GmbH", "DE89 3704 0044 0532 0130 00", "Copy reference", "(Asia/Kolkata)")
	ref := mentee.text("#payment-reference")
	mentee.screenshot("payment-instructions")
	mentee.submit("#payment-sent")
	mentee.wantText("#payment-status", "Marked as sent")

	// --- The administrator confirms it, after ticking the box. ---
	adminTab.open("/admin")
	adminTab.wantText("#payment-1", ref, "Marked as sent")
	adminTab.do(chromedp.Click(chromedp.ID("confirm-1")))
	adminTab.wantText("#payment-1", "bank +$99.99, platform fees +$9.99, the mentor’s pending +$90.00")
	adminTab.do(chromedp.SetValue(chromedp.ID("bankref-1"), "VB-20260601-17"),
		chromedp.Click(chromedp.CSS(`#payment-1 form[action$="/confirm"] input[name=confirm]`)))
	adminTab.screenshot("admin-confirm")
	adminTab.submit(`#payment-1 form[action$="/confirm"] button[type=submit]`)
	adminTab.wantText(".flash", "The payment is confirmed")
	adminTab.wantText("#summary-check", "Balanced", "$99.99")
	mentee.open("/mentorships/1")
	mentee.wantText("#status", "Active")

	// --- The mentor sees it pending, then available once the mentee completes. ---
	mentor := newTab(t, browser, s.url, "America/New_York")
	mentor.login("maria@example.com")
	mentor.load(chromedp.Click(chromedp.ID("nav-balance")))
	mentor.wantText("#balance-pending", "$90.00")
	mentor.screenshot("balance-pending")
	mentee.submit("#complete")
	mentor.open("/me/balance")
	mentor.wantText("#balance-available", "$90.00")

	// --- The mentor saves a payout account and cashes out $50.00. ---
	mentor.do(
		chromedp.SetValue(chromedp.ID("bank_name"), "GLS"),
		chromedp.SetValue(chromedp.ID("account_holder"), "Maria Mentor"),
		chromedp.SetValue(chromedp.ID("account_number"), "DE02 4306 0967 0000 0000 00"),
	)
	mentor.submit("#save-payout")
	mentor.wantText(".flash", "payout account is saved")
	mentor.do(chromedp.SetValue(chromedp.ID("cashout-amount"), "50.00"))
	mentor.submit("#request-cashout")
	mentor.wantText("#balance-withdrawing", "$50.00")
	mentor.wantText("#balance-available", "$40.00")
	mentor.screenshot("balance-cashout")

	// --- The administrator pays it. ---
	adminTab.open("/admin")
	adminTab.do(chromedp.Click(chromedp.ID("pay-1")),
		chromedp.SetValue(chromedp.ID("outref-1"), "OUT-1"),
		chromedp.Click(chromedp.CSS(`#cashout-1 form[action$="/paid"] input[name=confirm]`)))
	adminTab.submit(`#cashout-1 form[action$="/paid"] button[type=submit]`)
	adminTab.wantText(".flash", "recorded as paid")
	mentor.open("/me/balance")
	mentor.wantText("#balance-paid-out", "$50.00")

	// --- A refund of $10.00 is recorded (it comes from the mentor's available balance). ---
	if _, err := s.svc.Payments.Refund(ctx, admin, 1, app.RefundInput{AmountMinor: 1000, Reason: "One review missed", BankReference: "R-1"}, ""); err != nil {
		t.Fatal(err)
	}
	mentor.open("/me/balance")
	mentor.wantText("#balance-available", "$31.00")
	mentor.wantText("main", "Refund of $10.00")
	adminTab.open("/admin")
	adminTab.wantText("#summary-check", "Balanced", "$39.99")
	adminTab.screenshot("admin-books")
}
