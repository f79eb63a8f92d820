package web

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
	"github.com/mentorbook/mentorbook/money"
)

// moneyRoutes are the payment, balance and administrator pages
// (docs/money.md).
func (s *server) moneyRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /payments/{id}/sent", s.private(s.paymentSent))
	mux.HandleFunc("GET /me/payments", s.private(s.myPaymentsPage))
	mux.HandleFunc("GET /me/balance", s.private(s.balancePage))
	mux.HandleFunc("POST /me/payout-account", s.private(s.savePayoutAccount))
	mux.HandleFunc("POST /me/cashouts", s.private(s.requestCashout))
	mux.HandleFunc("POST /me/cashouts/{id}/cancel", s.private(s.cancelCashout))
	mux.HandleFunc("GET /admin", s.private(s.adminPage))
	mux.HandleFunc("POST /admin/payments/{id}/{action}", s.private(s.adminPaymentAction))
	mux.HandleFunc("POST /admin/cashouts/{id}/{action}", s.private(s.adminCashoutAction))
	mux.HandleFunc("POST /admin/settings", s.private(s.saveSettings))
}

// paymentView is a payment with its amounts formatted in the currency's
// own way and its times in the viewer's zone.
type paymentView struct {
	mentorbook.Payment
	Amount, Fee, Share, Pending, Refunded, Left string
	AmountMajor, LeftMajor                      string // for inputs
	DueAt                                       time.Time
	StatusText                                  string
	// RefundKey is the refund form's idempotency key, new with every
	// page: a double-submitted form records one refund.
	RefundKey string
}

var paymentStatusTexts = map[mentorbook.PaymentStatus]string{
	mentorbook.PaymentAwaiting:  "Waiting for your transfer",
	mentorbook.PaymentSent:      "Marked as sent; waiting for an administrator to see it arrive",
	mentorbook.PaymentConfirmed: "Confirmed",
	mentorbook.PaymentExpired:   "Expired: it did not arrive in time",
	mentorbook.PaymentCancelled: "Cancelled with the mentorship",
}

func (s *server) currency() money.Currency { return s.app.Platform.Currency() }

// currencyOf is the currency of a stored code (a payment's, a cashout's),
// so each amount is written in its own currency's way.
func (s *server) currencyOf(code string) money.Currency {
	if c, err := money.Parse(code); err == nil {
		return c
	}
	return s.currency()
}

func (s *server) paymentView(p mentorbook.Payment, loc *time.Location) paymentView {
	c := s.currencyOf(p.Currency)
	left := p.AmountMinor - p.RefundedMinor
	return paymentView{Payment: p, Amount: c.Format(p.AmountMinor), Fee: c.Format(p.FeeMinor), Share: c.Format(p.MentorShareMinor),
		Pending: c.Format(p.PendingMinor), Refunded: c.Format(p.RefundedMinor), Left: c.Format(left),
		AmountMajor: c.Major(p.AmountMinor), LeftMajor: c.Major(left), DueAt: p.DueAt.In(loc), StatusText: paymentStatusTexts[p.Status],
		RefundKey: "refund-" + rand.Text()}
}

// refuseMoney sends a refused money form back to its page with the
// reason; other errors are the error page.
func (s *server) refuseMoney(w http.ResponseWriter, r *http.Request, back string, err error) {
	switch mentorbook.ErrorCode(err) {
	case mentorbook.EINVALID, mentorbook.ECONFLICT:
		msg := mentorbook.ErrorMessage(err)
		if fields, _ := formErrors(err); len(fields) > 0 {
			var parts []string
			for f, p := range fields {
				parts = append(parts, strings.ReplaceAll(f, "_", " ")+" "+p)
			}
			sort.Strings(parts)
			msg = strings.Join(parts, "; ") + "."
		}
		refuse(w, r, back, formState{Alert: msg})
	default:
		s.fail(w, r, err)
	}
}

// alertOf shows a refused form's reason at the top of the page.
func alertOf(w http.ResponseWriter, r *http.Request) string {
	if st, ok := formFor(w, r); ok {
		if st.Why != "" {
			return st.whyAlert()
		}
		return st.Alert + st.Message
	}
	return ""
}

func (s *server) paymentSent(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	p, err := s.app.Payments.MarkSent(r.Context(), me, id, r.PostFormValue("note"))
	back := "/mentorships/" + r.PostFormValue("mentorship")
	if err != nil {
		s.refuseMoney(w, r, localPath(back), err)
		return
	}
	http.Redirect(w, r, "/mentorships/"+strconv.FormatInt(p.MentorshipID, 10)+"?done=payment-sent", http.StatusSeeOther)
}

func (s *server) myPaymentsPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	ps, err := s.app.Payments.Mine(r.Context(), me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	loc := viewerLocation(w, r, me)
	var vs []paymentView
	for _, p := range ps {
		vs = append(vs, s.paymentView(p, loc))
	}
	s.render(w, r, http.StatusOK, "payments", view{Title: "My payments", Data: struct {
		Payments []paymentView
		Zone     string
	}{vs, loc.String()}})
}

type entryView struct {
	mentorbook.LedgerEntry
	Change, After string
	At            time.Time
}

type cashoutView struct {
	mentorbook.Cashout
	Amount     string
	ExpectedBy time.Time
	CreatedAt  time.Time
}

type balanceData struct {
	Pending, Available, Withdrawing, PaidOut string
	AvailableMajor                           string
	Entries                                  []entryView
	Account                                  mentorbook.PayoutAccount
	HasAccount                               bool
	Cashouts                                 []cashoutView
	CashoutText, MinCashout                  string
	Zone                                     string
	IsMentor                                 bool
}

func (s *server) balancePage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	ctx := r.Context()
	c := s.currency()
	loc := viewerLocation(w, r, me)
	b, err := s.app.Ledger.Balance(ctx, me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := balanceData{Pending: c.Format(b.PendingMinor), Available: c.Format(b.AvailableMinor),
		Withdrawing: c.Format(b.WithdrawingMinor), PaidOut: c.Format(b.PaidOutMinor), AvailableMajor: c.Major(b.AvailableMinor),
		Zone: loc.String(), IsMentor: me.Mentor != nil}
	es, _, err := s.app.Ledger.Entries(ctx, me, app.LedgerQuery{Limit: "100"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, e := range es {
		ec := s.currencyOf(e.Currency)
		d.Entries = append(d.Entries, entryView{LedgerEntry: e, Change: ec.Format(e.Change), After: ec.Format(e.BalanceAfter), At: e.CreatedAt.In(loc)})
	}
	if d.IsMentor {
		d.Account, err = s.app.Cashouts.PayoutAccount(ctx, me)
		d.HasAccount = err == nil
		if err != nil && mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
		cs, err := s.app.Cashouts.Mine(ctx, me)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, co := range cs {
			d.Cashouts = append(d.Cashouts, cashoutView{Cashout: co, Amount: s.currencyOf(co.Currency).Format(co.AmountMinor),
				ExpectedBy: co.ExpectedBy.In(loc), CreatedAt: co.CreatedAt.In(loc)})
		}
		settings := s.app.Cashouts.Terms(ctx)
		d.CashoutText, d.MinCashout = settings.CashoutText, c.Format(settings.MinCashoutMinor)
	}
	s.render(w, r, http.StatusOK, "balance", view{Title: "Balance", Flash: flashOf(r), Alert: alertOf(w, r), Data: d})
}

func (s *server) savePayoutAccount(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	weekday, _ := strconv.Atoi(r.PostFormValue("auto_weekday"))
	_, err := s.app.Cashouts.PutPayoutAccount(r.Context(), me, mentorbook.PayoutAccount{BankName: r.PostFormValue("bank_name"),
		AccountHolder: r.PostFormValue("account_holder"), AccountNumber: r.PostFormValue("account_number"),
		Notes: r.PostFormValue("notes"), Auto: r.PostFormValue("auto"), AutoWeekday: time.Weekday(weekday)})
	if err != nil {
		s.refuseMoney(w, r, "/me/balance", err)
		return
	}
	http.Redirect(w, r, "/me/balance?done=payout-account", http.StatusSeeOther)
}

// parseMajor reads an amount typed in major units exactly; a bad one is
// a validation error on field.
func (s *server) parseMajor(field, text string) (int64, error) {
	n, err := s.currency().ParseAmount(text)
	if err != nil {
		return 0, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{field: "must be an amount like " + s.currency().Major(12345)}}
	}
	return n, nil
}

func (s *server) requestCashout(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	amount, err := s.parseMajor("amount", r.PostFormValue("amount"))
	if err == nil {
		_, err = s.app.Cashouts.Request(r.Context(), me, amount)
	}
	if err != nil {
		s.refuseMoney(w, r, "/me/balance", err)
		return
	}
	http.Redirect(w, r, "/me/balance?done=cashout-requested", http.StatusSeeOther)
}

func (s *server) cancelCashout(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	if _, err := s.app.Cashouts.Resolve(r.Context(), me, id, app.ResolveCancel, ""); err != nil {
		s.refuseMoney(w, r, "/me/balance", err)
		return
	}
	http.Redirect(w, r, "/me/balance?done=cashout-cancelled", http.StatusSeeOther)
}

type summaryView struct {
	mentorbook.LedgerSummary
	Bank, Fees, Pending, Available, Withdrawing, MentorTotal string
}

type adminData struct {
	Waiting, Held           []paymentView
	Cashouts                []cashoutView
	WaitingPages, HeldPages pager
	CashoutPages            pager
	Summary                 []summaryView
	Settings                mentorbook.PlatformSettings
	// Form values of the settings in major units.
	MinCashoutMajor string
	Zone            string
}

// pager is the paging of one of /admin's lists: the address of its next
// page ("" on the last) and, past the first page, of the first.
type pager struct{ Next, First string }

// adminSections are /admin's paged lists: each is ?NAME=CURSOR, and its
// links keep the other lists where they are.
var adminSections = []string{"waiting", "cashouts", "held"}

// adminPager links a section's pages from the address r asked for.
func adminPager(r *http.Request, section, next string) pager {
	link := func(cursor string) string {
		q := url.Values{}
		for _, name := range adminSections {
			if v := r.URL.Query().Get(name); v != "" && name != section {
				q.Set(name, v)
			}
		}
		if cursor != "" {
			q.Set(section, cursor)
		}
		if len(q) == 0 {
			return "/admin#" + section
		}
		return "/admin?" + q.Encode() + "#" + section
	}
	var p pager
	if next != "" {
		p.Next = link(next)
	}
	if r.URL.Query().Get(section) != "" {
		p.First = link("")
	}
	return p
}

// adminPage is the administrators' desk: payments waiting (sent first),
// cashouts to pay, held shares, a page of each, the books and the
// settings. Others get 403; anonymous visitors are sent to log in
// (private).
func (s *server) adminPage(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	ctx := r.Context()
	settings, err := s.app.Platform.Settings(ctx, me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := s.currency()
	loc := viewerLocation(w, r, me)
	d := adminData{Settings: settings, MinCashoutMajor: c.Major(settings.MinCashoutMinor), Zone: loc.String()}
	for _, q := range []struct {
		section, status string
		into            *[]paymentView
		pages           *pager
	}{{"waiting", "", &d.Waiting, &d.WaitingPages}, {"held", "held", &d.Held, &d.HeldPages}} {
		ps, next, err := s.app.Payments.AdminList(ctx, me, app.AdminListQuery{Status: q.status, Cursor: r.URL.Query().Get(q.section)})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, p := range ps {
			*q.into = append(*q.into, s.paymentView(p, loc))
		}
		*q.pages = adminPager(r, q.section, next)
	}
	cs, next, err := s.app.Cashouts.AdminList(ctx, me, app.AdminListQuery{Cursor: r.URL.Query().Get("cashouts")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, co := range cs {
		d.Cashouts = append(d.Cashouts, cashoutView{Cashout: co, Amount: s.currencyOf(co.Currency).Format(co.AmountMinor), ExpectedBy: co.ExpectedBy.In(loc), CreatedAt: co.CreatedAt.In(loc)})
	}
	d.CashoutPages = adminPager(r, "cashouts", next)
	sums, err := s.app.Ledger.Summary(ctx, me)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, sm := range sums {
		cur := s.currencyOf(sm.Currency)
		d.Summary = append(d.Summary, summaryView{LedgerSummary: sm, Bank: cur.Format(sm.BankMinor), Fees: cur.Format(sm.FeesMinor),
			Pending: cur.Format(sm.PendingMinor), Available: cur.Format(sm.AvailableMinor), Withdrawing: cur.Format(sm.WithdrawingMinor),
			MentorTotal: cur.Format(sm.FeesMinor + sm.PendingMinor + sm.AvailableMinor + sm.WithdrawingMinor)})
	}
	s.render(w, r, http.StatusOK, "admin", view{Title: "Administration", Flash: flashOf(r), Alert: alertOf(w, r), Data: d})
}

// confirmed refuses an administrator's action whose box "I checked what
// this writes" was not ticked: every action asks for confirmation.
func confirmed(r *http.Request) error {
	if r.PostFormValue("confirm") != "yes" {
		return &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{"confirmation": "is required: tick the box after checking what the action writes"}}
	}
	return nil
}

// adminTarget is the {id} of an administrators' action, after refusing
// anyone else (403); ok is false when the answer is written.
func (s *server) adminTarget(w http.ResponseWriter, r *http.Request, me mentorbook.User) (int64, bool) {
	if !me.Admin {
		s.fail(w, r, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only administrators can do that."))
		return 0, false
	}
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
	}
	return id, ok
}

func (s *server) adminPaymentAction(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := s.adminTarget(w, r, me)
	if !ok {
		return
	}
	err := confirmed(r)
	action := r.PathValue("action")
	if err == nil {
		switch action {
		case "confirm":
			var amount int64
			if amount, err = s.parseMajor("amount", r.PostFormValue("amount")); err == nil {
				_, err = s.app.Payments.Confirm(r.Context(), me, id, app.Confirmation{AmountMinor: amount,
					BankReference: r.PostFormValue("bank_reference")}, r.PostFormValue("key"))
			}
		case "reject":
			_, err = s.app.Payments.Reject(r.Context(), me, id, r.PostFormValue("reason"))
		case "release":
			_, err = s.app.Payments.Release(r.Context(), me, id)
		case "refund":
			var amount int64
			if amount, err = s.parseMajor("amount", r.PostFormValue("amount")); err == nil {
				_, err = s.app.Payments.Refund(r.Context(), me, id, app.RefundInput{AmountMinor: amount,
					Reason: r.PostFormValue("reason"), BankReference: r.PostFormValue("bank_reference")}, r.PostFormValue("key"))
			}
		default:
			s.notFound(w, r)
			return
		}
	}
	if err != nil {
		s.refuseMoney(w, r, "/admin", err)
		return
	}
	http.Redirect(w, r, "/admin?done=payment-"+action, http.StatusSeeOther)
}

func (s *server) adminCashoutAction(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	id, ok := s.adminTarget(w, r, me)
	if !ok {
		return
	}
	how, text := app.ResolvePaid, r.PostFormValue("bank_reference")
	switch r.PathValue("action") {
	case "paid":
	case "reject":
		how, text = app.ResolveReject, r.PostFormValue("reason")
	default:
		s.notFound(w, r)
		return
	}
	err := confirmed(r)
	if err == nil {
		_, err = s.app.Cashouts.Resolve(r.Context(), me, id, how, text)
	}
	if err != nil {
		s.refuseMoney(w, r, "/admin", err)
		return
	}
	http.Redirect(w, r, "/admin?done=cashout-"+r.PathValue("action"), http.StatusSeeOther)
}

func (s *server) saveSettings(w http.ResponseWriter, r *http.Request, me mentorbook.User) {
	if !me.Admin {
		s.fail(w, r, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only administrators can do that."))
		return
	}
	num := func(name string) int { n, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name))); return n }
	minCashout, err := s.parseMajor("min_cashout", r.PostFormValue("min_cashout"))
	if err == nil {
		err = confirmed(r)
	}
	if err == nil {
		_, err = s.app.Platform.PutSettings(r.Context(), me, mentorbook.PlatformSettings{BankName: r.PostFormValue("bank_name"),
			AccountHolder: r.PostFormValue("account_holder"), AccountNumber: r.PostFormValue("account_number"),
			Instructions: r.PostFormValue("instructions"), FeeBPS: num("fee_bps"), PayDays: num("pay_days"),
			ReleaseDays: num("release_days"), MinCashoutMinor: minCashout, CashoutText: r.PostFormValue("cashout_text"),
			CashoutDays: num("cashout_days")})
	}
	if err != nil {
		s.refuseMoney(w, r, "/admin", err)
		return
	}
	http.Redirect(w, r, "/admin?done=platform-settings", http.StatusSeeOther)
}
