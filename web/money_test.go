package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/money"
	"github.com/mentorbook/mentorbook/storetest"
)

// admin signs up an administrator, as `mentorbook admin grant` makes one.
func (e *env) admin(name, email string) *browser {
	e.t.Helper()
	b := e.signup(name, email, "Europe/Berlin")
	u, err := e.svc.Platform.SetAdmin(context.Background(), email, true)
	if err != nil {
		e.t.Fatal(err)
	}
	b.user = u
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

// fullAdminLists fills every /admin list past its first page (20): 22
// payments waiting (the 5th and 12th marked sent), 21 held shares and 21
// cashouts to pay, each of a mentor of its own. It returns their IDs in
// the order /admin lists them: sent first, then the others, oldest first.
func (e *env) fullAdminLists(admin *browser) (waiting, held, cashouts []int64) {
	e.t.Helper()
	ctx := context.Background()
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	sv := e.addService(mentor, "Go in four weeks", 9999, "sessions", 4)
	n := 0
	payment := func(mentor *browser, sv int64) (mentorbook.Payment, *browser) {
		n++
		mentee := e.signup(fmt.Sprint("Mentee ", n), fmt.Sprintf("mentee%d@example.com", n), "Asia/Kolkata")
		m, err := e.svc.Mentorships.Request(ctx, mentee.user, app.MentorshipInput{ServiceID: sv, Message: "hi"}, "")
		if err != nil {
			e.t.Fatal(err)
		}
		if _, err := e.svc.Mentorships.Act(ctx, mentor.user, m.ID, app.ActionAccept, ""); err != nil {
			e.t.Fatal(err)
		}
		p, err := e.svc.Payments.ForMentorship(ctx, mentee.user, m.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		return p, mentee
	}
	confirm := func(p mentorbook.Payment) {
		if _, err := e.svc.Payments.Confirm(ctx, admin.user, p.ID, app.Confirmation{AmountMinor: p.AmountMinor}, ""); err != nil {
			e.t.Fatal(err)
		}
	}
	var sent, rest []int64
	for i := range 22 {
		p, mentee := payment(mentor, sv)
		if i == 4 || i == 11 {
			if _, err := e.svc.Payments.MarkSent(ctx, mentee.user, p.ID, ""); err != nil {
				e.t.Fatal(err)
			}
			sent = append(sent, p.ID)
		} else {
			rest = append(rest, p.ID)
		}
	}
	waiting = append(sent, rest...)
	for range 21 {
		p, _ := payment(mentor, sv)
		confirm(p)
		if _, err := e.svc.Mentorships.Act(ctx, mentor.user, p.MentorshipID, app.ActionCancel, "ill"); err != nil {
			e.t.Fatal(err)
		}
		held = append(held, p.ID)
	}
	for i := range 21 {
		m := e.mentor(fmt.Sprint("Mentor ", i), fmt.Sprintf("mentor%d@example.com", i), "UTC")
		p, _ := payment(m, e.addService(m, "Rust", 5000, "sessions", 1))
		confirm(p)
		if _, err := e.svc.Payments.Release(ctx, admin.user, p.ID); err != nil {
			e.t.Fatal(err)
		}
		if _, err := e.svc.Cashouts.PutPayoutAccount(ctx, m.user, mentorbook.PayoutAccount{BankName: "GLS", AccountHolder: "M",
			AccountNumber: fmt.Sprint("DE", i)}); err != nil {
			e.t.Fatal(err)
		}
		c, err := e.svc.Cashouts.Request(ctx, m.user, 4500)
		if err != nil {
			e.t.Fatal(err)
		}
		cashouts = append(cashouts, c.ID)
	}
	return waiting, held, cashouts
}

// adminSection is what one of /admin's lists shows: the IDs of its items
// and its paging links.
func adminSection(t *testing.T, p page, section, item string) (ids []int64, next, first string) {
	t.Helper()
	for _, m := range regexp.MustCompile(`id="`+item+`-(\d+)"`).FindAllStringSubmatch(p.Body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		ids = append(ids, id)
	}
	link := func(kind string) string {
		m := regexp.MustCompile(`href="([^"]*)" id="` + section + `-` + kind + `"`).FindStringSubmatch(p.Body)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
	return ids, link("next"), link("first")
}

func TestTheAdminListsPageThroughEveryItemInTheirOrder(t *testing.T) {
	e := newEnv(t)
	admin := e.admin("Ada", "ada@example.com")
	waiting, held, cashouts := e.fullAdminLists(admin)
	mentee := e.signup("Nina", "nina@example.com", "UTC")

	for _, s := range []struct {
		section, item string
		want          []int64
	}{{"waiting", "payment", waiting}, {"held", "held", held}, {"cashouts", "cashout", cashouts}} {
		t.Run(s.section, func(t *testing.T) {
			p := wantStatus(t, admin.get("/admin"), http.StatusOK)
			ids, next, first := adminSection(t, p, s.section, s.item)
			if fmt.Sprint(ids) != fmt.Sprint(s.want[:20]) || first != "" || !strings.HasPrefix(next, "/admin?"+s.section+"=") {
				t.Fatalf("first page: %v, next %q, first %q; want %v", ids, next, first, s.want[:20])
			}
			// The next page: the rest, a way back, no further page.
			second := wantStatus(t, admin.get(next), http.StatusOK)
			ids, more, first := adminSection(t, second, s.section, s.item)
			if fmt.Sprint(ids) != fmt.Sprint(s.want[20:]) || more != "" || first != "/admin#"+s.section {
				t.Errorf("second page: %v, next %q, first %q; want %v", ids, more, first, s.want[20:])
			}
			// Only administrators see any page of it; a visitor logs in
			// and comes back to that page.
			wantStatus(t, mentee.get(next), http.StatusForbidden)
			asked, _, _ := strings.Cut(next, "#") // a browser keeps the fragment
			wantRedirect(t, e.anonymous().get(next), "/login?next="+url.QueryEscape(asked))
		})
	}

	// Each list's links keep the others on the page they show.
	_, waitingNext, _ := adminSection(t, admin.get("/admin"), "waiting", "payment")
	p := admin.get(waitingNext)
	_, cashoutsNext, _ := adminSection(t, p, "cashouts", "cashout")
	p = wantStatus(t, admin.get(cashoutsNext), http.StatusOK)
	w, _, waitingFirst := adminSection(t, p, "waiting", "payment")
	c, _, cashoutsFirst := adminSection(t, p, "cashouts", "cashout")
	if fmt.Sprint(w) != fmt.Sprint(waiting[20:]) || fmt.Sprint(c) != fmt.Sprint(cashouts[20:]) {
		t.Errorf("both second pages: payments %v, cashouts %v", w, c)
	}
	if !strings.Contains(waitingFirst, "cashouts=") || strings.Contains(waitingFirst, "waiting=") ||
		!strings.Contains(cashoutsFirst, "waiting=") || strings.Contains(cashoutsFirst, "cashouts=") {
		t.Errorf("first-page links %q and %q", waitingFirst, cashoutsFirst)
	}
	wantStatus(t, admin.get("/admin?held=bm9uc2Vuc2U"), http.StatusUnprocessableEntity)
	wantStatus(t, admin.get("/admin?cashouts=-3"), http.StatusUnprocessableEntity)
}

// With the euro as the platform currency every page writes amounts as
// de-DE does ("99,99 €", the space a no-break one) and the forms take a
// decimal comma.
func TestPagesWriteAndReadAmountsInTheCurrencysOwnWay(t *testing.T) {
	e := newEnvIn(t, money.MustParse("EUR"))
	ctx := context.Background()
	mentor := e.mentor("Maria", "maria@example.com", "Europe/Berlin")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	admin := e.admin("Ada", "ada@example.com")
	sv := e.addService(mentor, "Go in four weeks", 123456, "sessions", 4)
	wantContains(t, mentor.get("/me/services"), "1.234,56\u00a0€")
	m, err := e.svc.Mentorships.Request(ctx, mentee.user, app.MentorshipInput{ServiceID: sv, Message: "hi"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Mentorships.Act(ctx, mentor.user, m.ID, app.ActionAccept, ""); err != nil {
		t.Fatal(err)
	}
	wantContains(t, mentee.get("/mentorships/1"), `id="payment-amount">1.234,56`+"\u00a0€<")
	wantContains(t, mentee.get("/me/payments"), "1.234,56\u00a0€")
	// 10 % of 1.234,56 € is 123,45 €; the mentor's share 1.111,11 €.
	wantContains(t, admin.get("/admin"), `value="1234,56"`, "bank +1.234,56\u00a0€, platform fees +123,45\u00a0€, the mentor’s pending +1.111,11\u00a0€")
	confirm := url.Values{"amount": {"1.234,55"}, "confirm": {"yes"}}
	wantContains(t, admin.refused(admin.post("/admin/payments/1/confirm", confirm), "/admin"), "must be the amount due, 123456 (1.234,56\u00a0€)")
	confirm.Set("amount", "1.234,56")
	wantRedirect(t, admin.post("/admin/payments/1/confirm", confirm), "/admin?done=payment-confirm")
	e.runJobs()
	wantContains(t, mentor.get("/me/balance"), `id="balance-pending">1.111,11`+"\u00a0€<", "<td>1.111,11\u00a0€</td>")
	wantContains(t, mentor.get("/notifications"), "1.111,11\u00a0€ is pending in your balance")
	wantContains(t, admin.get("/admin"), "Balanced: bank 1.234,56\u00a0€")

	if _, err := e.svc.Payments.Release(ctx, admin.user, 1); err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, mentor.post("/me/payout-account", url.Values{"bank_name": {"GLS"}, "account_holder": {"Maria"},
		"account_number": {"DE02 4306"}, "auto": {"off"}, "auto_weekday": {"1"}}), "/me/balance?done=payout-account")
	// The minimum is written as the euro is; "1,5" is a decimal comma.
	wantContains(t, mentor.refused(mentor.post("/me/cashouts", url.Values{"amount": {"1,5"}}), "/me/balance"), "at least the minimum cashout, 10,00\u00a0€")
	wantContains(t, mentor.refused(mentor.post("/me/cashouts", url.Values{"amount": {"1,234.5"}}), "/me/balance"), "amount must be an amount like 123,45")
	wantRedirect(t, mentor.post("/me/cashouts", url.Values{"amount": {"1.000,5"}}), "/me/balance?done=cashout-requested")
	wantContains(t, mentor.get("/me/balance"), `id="balance-withdrawing">1.000,50`+"\u00a0€<", `id="balance-available">110,61`+"\u00a0€<",
		"<td>-1.000,50\u00a0€</td>")
	wantContains(t, admin.get("/admin"), "Maria: 1.000,50\u00a0€")
	storetest.CheckBooks(t, e.store)
}

// The refund form carries a key of its own: sent twice (a double click,
// a resent request) it records one refund; the page shown again offers a
// new key for the next refund.
func TestADoubleSubmittedRefundFormRecordsOneRefund(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	admin := e.admin("Ada", "ada@example.com")
	sv := e.addService(mentor, "Go in four weeks", 9999, "sessions", 4)
	m, err := e.svc.Mentorships.Request(ctx, mentee.user, app.MentorshipInput{ServiceID: sv, Message: "hi"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Mentorships.Act(ctx, mentor.user, m.ID, app.ActionAccept, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Payments.Confirm(ctx, admin.user, 1, app.Confirmation{AmountMinor: 9999}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Mentorships.Act(ctx, mentor.user, m.ID, app.ActionCancel, "ill"); err != nil {
		t.Fatal(err)
	}
	refundKey := regexp.MustCompile(`action="/admin/payments/1/refund"[\s\S]*?name="key" value="(refund-[^"]+)"`)
	key := refundKey.FindStringSubmatch(admin.get("/admin").Body)
	if key == nil {
		t.Fatal("no key in the refund form")
	}
	form := url.Values{"amount": {"10.00"}, "reason": {"one session missed"}, "bank_reference": {"R-1"}, "confirm": {"yes"}, "key": {key[1]}}
	for range 2 {
		wantRedirect(t, admin.post("/admin/payments/1/refund", form), "/admin?done=payment-refund")
	}
	refunds, err := mentorbook.ReadValue(ctx, e.store, func(tx mentorbook.Tx) ([]mentorbook.Refund, error) {
		return tx.Payments().Refunds(ctx, 1)
	})
	if err != nil || len(refunds) != 1 || refunds[0].AmountMinor != 1000 {
		t.Fatalf("refunds %+v, %v", refunds, err)
	}
	p := admin.get("/admin")
	wantContains(t, p, "Refunded so far $10.00")
	if next := refundKey.FindStringSubmatch(p.Body); next == nil || next[1] == key[1] {
		t.Errorf("the page shown again offers key %v, the first was %s", next, key[1])
	}
	storetest.CheckBooks(t, e.store)
}

// Every money form refuses whoever may not send it, writing nothing: an
// administrator's forms answer 403 to a mentee, a mentor (a party, even)
// and another mentor, and send an anonymous visitor to log in; a mentor's
// forms refuse a mentee (403) and another mentor (404).
func TestMoneyFormsRefuseEveryoneElseAndWriteNothing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mentor := e.mentor("Maria", "maria@example.com", "America/New_York")
	stranger := e.mentor("Sam", "sam@example.com", "UTC")
	mentee := e.signup("Arjun", "arjun@example.com", "Asia/Kolkata")
	admin := e.admin("Ada", "ada@example.com")
	sv := e.addService(mentor, "Go in four weeks", 9999, "sessions", 4)
	// Payment 1 waits, 2 is held, 3 is available and cashed out (cashout 1).
	for i := range 3 {
		payer := mentee
		if i > 0 {
			payer = e.signup(fmt.Sprint("Payer ", i), fmt.Sprintf("payer%d@example.com", i), "UTC")
		}
		m, err := e.svc.Mentorships.Request(ctx, payer.user, app.MentorshipInput{ServiceID: sv, Message: "hi"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Mentorships.Act(ctx, mentor.user, m.ID, app.ActionAccept, ""); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			continue
		}
		if _, err := e.svc.Payments.Confirm(ctx, admin.user, int64(i+1), app.Confirmation{AmountMinor: 9999}, ""); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			_, err = e.svc.Mentorships.Act(ctx, mentor.user, m.ID, app.ActionCancel, "ill")
		} else {
			_, err = e.svc.Payments.Release(ctx, admin.user, int64(i+1))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Cashouts.PutPayoutAccount(ctx, mentor.user, mentorbook.PayoutAccount{BankName: "GLS", AccountHolder: "M", AccountNumber: "DE02"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Cashouts.Request(ctx, mentor.user, 5000); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"amount": {"99.99"}, "bank_reference": {"B"}, "reason": {"r"}, "confirm": {"yes"}, "key": {"k"},
		"bank_name": {"X"}, "account_holder": {"X"}, "account_number": {"X"}, "fee_bps": {"0"}, "pay_days": {"1"},
		"release_days": {"0"}, "min_cashout": {"0"}, "cashout_text": {"now"}, "cashout_days": {"1"}, "mentorship": {"1"}}
	before, err := storetest.MoneySnapshot(ctx, e.store)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/admin/payments/1/confirm", "/admin/payments/1/reject", "/admin/payments/2/refund",
		"/admin/payments/2/release", "/admin/cashouts/1/paid", "/admin/cashouts/1/reject", "/admin/settings"} {
		for name, b := range map[string]*browser{"mentee": mentee, "mentor": mentor, "another mentor": stranger} {
			if p := b.post(path, form); p.Status != http.StatusForbidden {
				t.Errorf("%s POST %s: %d", name, path, p.Status)
			}
		}
		if p := e.anonymous().post(path, form); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login?") {
			t.Errorf("anonymous POST %s: %d to %q", path, p.Status, p.Header.Get("Location"))
		}
	}
	for _, tt := range []struct {
		b      *browser
		path   string
		status int
	}{
		{mentee, "/me/cashouts", http.StatusForbidden}, {mentee, "/me/payout-account", http.StatusForbidden},
		{mentee, "/me/cashouts/1/cancel", http.StatusForbidden}, {stranger, "/me/cashouts/1/cancel", http.StatusNotFound},
		{admin, "/me/cashouts/1/cancel", http.StatusForbidden}, {mentor, "/payments/1/sent", http.StatusForbidden},
	} {
		if p := tt.b.post(tt.path, form); p.Status != tt.status {
			t.Errorf("%s POST %s: %d, want %d", tt.b.user.Name, tt.path, p.Status, tt.status)
		}
	}
	for _, path := range []string{"/me/balance", "/me/payments", "/admin"} {
		wantRedirect(t, e.anonymous().get(path), "/login?next="+url.QueryEscape(path))
	}
	after, err := storetest.MoneySnapshot(ctx, e.store)
	if err != nil || after != before {
		t.Errorf("refused forms changed the money (%v):\n%s\nthen\n%s", err, before, after)
	}
}
