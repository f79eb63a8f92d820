package api

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

// moneyRoutes are the payments, ledger and administration endpoints
// (docs/api.md, "Money").
func (s *server) moneyRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/admin/settings", s.authed(s.getSettings))
	mux.HandleFunc("GET /api/v1/admin/users/{id}/reliability", s.authed(s.reliability))
	mux.HandleFunc("PUT /api/v1/admin/settings", s.authed(s.putSettings))

	mux.HandleFunc("GET /api/v1/mentorships/{id}/payment", s.authed(s.mentorshipPayment))
	mux.HandleFunc("GET /api/v1/me/payments", s.authed(s.myPayments))
	mux.HandleFunc("POST /api/v1/payments/{id}/sent", s.authed(s.paymentSent))
	mux.HandleFunc("GET /api/v1/admin/payments", s.authed(s.adminPayments))
	mux.HandleFunc("POST /api/v1/admin/payments/{id}/confirm", s.authed(s.confirmPayment))
	mux.HandleFunc("POST /api/v1/admin/payments/{id}/reject", s.authed(s.rejectPayment))
	mux.HandleFunc("POST /api/v1/admin/payments/{id}/refunds", s.authed(s.refundPayment))
	mux.HandleFunc("POST /api/v1/admin/payments/{id}/release", s.authed(s.releasePayment))

	mux.HandleFunc("GET /api/v1/me/balance", s.authed(s.myBalance))
	mux.HandleFunc("GET /api/v1/me/ledger", s.authed(s.myLedger))
	mux.HandleFunc("GET /api/v1/admin/ledger/summary", s.authed(s.ledgerSummary))
	mux.HandleFunc("GET /api/v1/admin/ledger/transactions", s.authed(s.ledgerTransactions))
	s.cashoutRoutes(mux)
}

type settingsJSON struct {
	BankName        string `json:"bank_name"`
	AccountHolder   string `json:"account_holder"`
	AccountNumber   string `json:"account_number"`
	Instructions    string `json:"instructions"`
	FeeBPS          int    `json:"fee_bps"`
	PayDays         int    `json:"pay_days"`
	ReleaseDays     int    `json:"release_days"`
	MinCashoutMinor int64  `json:"min_cashout_minor"`
	CashoutText     string `json:"cashout_text"`
	CashoutDays     int    `json:"cashout_days"`
	Currency        string `json:"currency"`
}

func (s *server) toSettings(p mentorbook.PlatformSettings) settingsJSON {
	return settingsJSON{BankName: p.BankName, AccountHolder: p.AccountHolder, AccountNumber: p.AccountNumber,
		Instructions: p.Instructions, FeeBPS: p.FeeBPS, PayDays: p.PayDays, ReleaseDays: p.ReleaseDays,
		MinCashoutMinor: p.MinCashoutMinor, CashoutText: p.CashoutText, CashoutDays: p.CashoutDays,
		Currency: s.app.Platform.Currency().Code}
}

func (s *server) getSettings(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	p, err := s.app.Platform.Settings(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.toSettings(p))
}

func (s *server) putSettings(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	// Refuse a non-administrator before reading what they sent.
	if !caller.Admin {
		s.writeError(w, r, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only administrators can do that."))
		return
	}
	var in settingsJSON
	if !decode(w, r, &in, false) {
		return
	}
	p, err := s.app.Platform.PutSettings(r.Context(), caller, mentorbook.PlatformSettings{BankName: in.BankName,
		AccountHolder: in.AccountHolder, AccountNumber: in.AccountNumber, Instructions: in.Instructions,
		FeeBPS: in.FeeBPS, PayDays: in.PayDays, ReleaseDays: in.ReleaseDays, MinCashoutMinor: in.MinCashoutMinor,
		CashoutText: in.CashoutText, CashoutDays: in.CashoutDays})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.toSettings(p))
}

type payToJSON struct {
	BankName      string `json:"bank_name"`
	AccountHolder string `json:"account_holder"`
	AccountNumber string `json:"account_number"`
	Instructions  string `json:"instructions"`
}

type paymentJSON struct {
	ID               int64      `json:"id"`
	MentorshipID     int64      `json:"mentorship_id"`
	Title            string     `json:"title"`
	PayerID          int64      `json:"payer_id"`
	MentorID         int64      `json:"mentor_id"`
	AmountMinor      int64      `json:"amount_minor"`
	Currency         string     `json:"currency"`
	Reference        string     `json:"reference"`
	Status           string     `json:"status"`
	DueAt            time.Time  `json:"due_at"`
	FeeBPS           int        `json:"fee_bps"`
	FeeMinor         int64      `json:"fee_minor"`
	MentorShareMinor int64      `json:"mentor_share_minor"`
	PayTo            payToJSON  `json:"pay_to"`
	SentAt           *time.Time `json:"sent_at"`
	SentNote         string     `json:"sent_note"`
	RejectedReason   string     `json:"rejected_reason"`
	ConfirmedAt      *time.Time `json:"confirmed_at"`
	BankReference    string     `json:"bank_reference"`
	PendingMinor     int64      `json:"pending_minor"`
	RefundedMinor    int64      `json:"refunded_minor"`
	ReleasedAt       *time.Time `json:"released_at"`
	CreatedAt        time.Time  `json:"created_at"`
}

func toPayment(p mentorbook.Payment) paymentJSON {
	return paymentJSON{ID: p.ID, MentorshipID: p.MentorshipID, Title: p.Title, PayerID: p.PayerID, MentorID: p.MentorID,
		AmountMinor: p.AmountMinor, Currency: p.Currency, Reference: p.Reference, Status: string(p.Status),
		DueAt: p.DueAt.UTC(), FeeBPS: p.FeeBPS, FeeMinor: p.FeeMinor, MentorShareMinor: p.MentorShareMinor,
		PayTo:  payToJSON{p.PayTo.BankName, p.PayTo.AccountHolder, p.PayTo.AccountNumber, p.PayTo.Instructions},
		SentAt: optionalTime(p.SentAt), SentNote: p.SentNote, RejectedReason: p.RejectedReason,
		ConfirmedAt: optionalTime(p.ConfirmedAt), BankReference: p.BankReference, PendingMinor: p.PendingMinor,
		RefundedMinor: p.RefundedMinor, ReleasedAt: optionalTime(p.ReleasedAt), CreatedAt: p.CreatedAt.UTC()}
}

// toPayments is a list of payments; an administrators' list also has the
// cursor of its next page.
func toPayments(ps []mentorbook.Payment, next *string) any {
	out := struct {
		Payments   []paymentJSON `json:"payments"`
		NextCursor *string       `json:"next_cursor,omitempty"`
	}{[]paymentJSON{}, next}
	for _, p := range ps {
		out.Payments = append(out.Payments, toPayment(p))
	}
	return out
}

// writePayment answers with a payment, or the error.
func (s *server) writePayment(w http.ResponseWriter, r *http.Request, p mentorbook.Payment, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toPayment(p))
}

func (s *server) mentorshipPayment(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "mentorship")
	if !ok {
		return
	}
	p, err := s.app.Payments.ForMentorship(r.Context(), caller, id)
	s.writePayment(w, r, p, err)
}

func (s *server) myPayments(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	ps, err := s.app.Payments.Mine(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toPayments(ps, nil))
}

func (s *server) paymentSent(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "payment")
	if !ok {
		return
	}
	var in struct {
		Note string `json:"note"`
	}
	if !decode(w, r, &in, true) {
		return
	}
	p, err := s.app.Payments.MarkSent(r.Context(), caller, id, in.Note)
	s.writePayment(w, r, p, err)
}

// adminListQuery is an administrators' list page as the query string
// gives it: ?status=&cursor=&limit=.
func adminListQuery(r *http.Request) app.AdminListQuery {
	q := r.URL.Query()
	return app.AdminListQuery{Status: q.Get("status"), Cursor: q.Get("cursor"), Limit: q.Get("limit")}
}

func (s *server) adminPayments(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	ps, next, err := s.app.Payments.AdminList(r.Context(), caller, adminListQuery(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toPayments(ps, &next))
}

// adminPaymentAction reads an administrator's body about a payment, after
// refusing a non-administrator (so their body is never looked at).
func (s *server) adminPaymentAction(w http.ResponseWriter, r *http.Request, caller mentorbook.User, in any, optional bool) (int64, bool) {
	if !caller.Admin {
		s.writeError(w, r, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only administrators can do that."))
		return 0, false
	}
	id, ok := s.pathID(w, r, "payment")
	return id, ok && decode(w, r, in, optional)
}

func (s *server) confirmPayment(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		AmountMinor   int64  `json:"amount_minor"`
		BankReference string `json:"bank_reference"`
	}
	id, ok := s.adminPaymentAction(w, r, caller, &in, false)
	if !ok {
		return
	}
	p, err := s.app.Payments.Confirm(r.Context(), caller, id, app.Confirmation{AmountMinor: in.AmountMinor,
		BankReference: in.BankReference}, r.Header.Get("Idempotency-Key"))
	s.writePayment(w, r, p, err)
}

func (s *server) rejectPayment(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		Reason string `json:"reason"`
	}
	id, ok := s.adminPaymentAction(w, r, caller, &in, false)
	if !ok {
		return
	}
	p, err := s.app.Payments.Reject(r.Context(), caller, id, in.Reason)
	s.writePayment(w, r, p, err)
}

func (s *server) releasePayment(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct{}
	id, ok := s.adminPaymentAction(w, r, caller, &in, true)
	if !ok {
		return
	}
	p, err := s.app.Payments.Release(r.Context(), caller, id)
	s.writePayment(w, r, p, err)
}

type refundJSON struct {
	ID            int64     `json:"id"`
	PaymentID     int64     `json:"payment_id"`
	AmountMinor   int64     `json:"amount_minor"`
	FeeMinor      int64     `json:"fee_minor"`
	MentorMinor   int64     `json:"mentor_minor"`
	Reason        string    `json:"reason"`
	BankReference string    `json:"bank_reference"`
	CreatedAt     time.Time `json:"created_at"`
}

func (s *server) refundPayment(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		AmountMinor   int64  `json:"amount_minor"`
		Reason        string `json:"reason"`
		BankReference string `json:"bank_reference"`
	}
	id, ok := s.adminPaymentAction(w, r, caller, &in, false)
	if !ok {
		return
	}
	f, err := s.app.Payments.Refund(r.Context(), caller, id, app.RefundInput{AmountMinor: in.AmountMinor,
		Reason: in.Reason, BankReference: in.BankReference}, r.Header.Get("Idempotency-Key"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, refundJSON{ID: f.ID, PaymentID: f.PaymentID, AmountMinor: f.AmountMinor,
		FeeMinor: f.FeeMinor, MentorMinor: f.MentorMinor, Reason: f.Reason, BankReference: f.BankReference,
		CreatedAt: f.CreatedAt.UTC()})
}

func (s *server) myBalance(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	b, err := s.app.Ledger.Balance(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Currency         string `json:"currency"`
		PendingMinor     int64  `json:"pending_minor"`
		AvailableMinor   int64  `json:"available_minor"`
		WithdrawingMinor int64  `json:"withdrawing_minor"`
		PaidOutMinor     int64  `json:"paid_out_minor"`
	}{b.Currency, b.PendingMinor, b.AvailableMinor, b.WithdrawingMinor, b.PaidOutMinor})
}

type entryJSON struct {
	ID            int64     `json:"id"`
	TransactionID int64     `json:"transaction_id"`
	Account       string    `json:"account"` // bank, fees, or the mentor's bucket
	MentorID      *int64    `json:"mentor_id"`
	Amount        int64     `json:"amount_minor"` // how the entry moved the bucket's balance
	BalanceAfter  int64     `json:"balance_after_minor"`
	Kind          string    `json:"kind"`
	Source        string    `json:"source"`
	SourceID      int64     `json:"source_id"`
	MentorshipID  *int64    `json:"mentorship_id"`
	Currency      string    `json:"currency"`
	Description   string    `json:"description"`
	CreatedAt     time.Time `json:"created_at"`
}

func toEntry(e mentorbook.LedgerEntry) entryJSON {
	j := entryJSON{ID: e.ID, TransactionID: e.TransactionID, Account: string(e.Account.Bucket), Amount: e.Change,
		BalanceAfter: e.BalanceAfter, Kind: e.Kind, Source: e.SourceType, SourceID: e.SourceID, Currency: e.Currency,
		Description: e.Description, CreatedAt: e.CreatedAt.UTC()}
	if e.Account.Owner != 0 {
		j.MentorID = &e.Account.Owner
	}
	if e.MentorshipID != 0 {
		j.MentorshipID = &e.MentorshipID
	}
	return j
}

func ledgerQuery(r *http.Request) app.LedgerQuery {
	q := r.URL.Query()
	return app.LedgerQuery{Kind: q.Get("kind"), From: q.Get("from"), To: q.Get("to"), Cursor: q.Get("cursor"), Limit: q.Get("limit")}
}

func writeEntries(w http.ResponseWriter, es []mentorbook.LedgerEntry, next string) {
	out := struct {
		Entries    []entryJSON `json:"entries"`
		NextCursor string      `json:"next_cursor"`
	}{[]entryJSON{}, next}
	for _, e := range es {
		out.Entries = append(out.Entries, toEntry(e))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) myLedger(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	es, next, err := s.app.Ledger.Entries(r.Context(), caller, ledgerQuery(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeEntries(w, es, next)
}

func (s *server) ledgerSummary(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	sums, err := s.app.Ledger.Summary(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	type summaryJSON struct {
		Currency         string `json:"currency"`
		BankMinor        int64  `json:"bank_minor"`
		FeesMinor        int64  `json:"fees_minor"`
		PendingMinor     int64  `json:"pending_minor"`
		AvailableMinor   int64  `json:"available_minor"`
		WithdrawingMinor int64  `json:"withdrawing_minor"`
		Balanced         bool   `json:"balanced"`
	}
	out := struct {
		Currencies []summaryJSON `json:"currencies"`
	}{}
	for _, c := range sums {
		out.Currencies = append(out.Currencies, summaryJSON{c.Currency, c.BankMinor, c.FeesMinor, c.PendingMinor,
			c.AvailableMinor, c.WithdrawingMinor, c.Balanced()})
	}
	writeJSON(w, http.StatusOK, out)
}

// ledgerTransactions lists every entry; ?format=csv gives the page as CSV
// for the accountant, one row per entry, with the next page's cursor in
// the Link header.
func (s *server) ledgerTransactions(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	es, next, err := s.app.Ledger.Transactions(r.Context(), caller, ledgerQuery(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if r.URL.Query().Get("format") != "csv" {
		writeEntries(w, es, next)
		return
	}
	if next != "" {
		q := r.URL.Query()
		q.Set("cursor", next)
		w.Header().Set("Link", `<`+r.URL.Path+`?`+q.Encode()+`>; rel="next"`)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="ledger.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"entry_id", "transaction_id", "created_at", "kind", "source", "source_id", "account",
		"mentor_id", "amount_minor", "balance_after_minor", "currency", "mentorship_id", "description"})
	for _, e := range es {
		j := toEntry(e)
		// Numbers as they are (a negative amount is a number, not a
		// formula); every text cell made safe for spreadsheets.
		_ = cw.Write([]string{strconv.FormatInt(j.ID, 10), strconv.FormatInt(j.TransactionID, 10),
			j.CreatedAt.Format(time.RFC3339Nano), spreadsheetText(j.Kind), spreadsheetText(j.Source),
			strconv.FormatInt(j.SourceID, 10), spreadsheetText(j.Account), optionalID(j.MentorID),
			strconv.FormatInt(j.Amount, 10), strconv.FormatInt(j.BalanceAfter, 10), spreadsheetText(j.Currency),
			optionalID(j.MentorshipID), spreadsheetText(j.Description)})
	}
	cw.Flush()
}

// spreadsheetText keeps a spreadsheet from running a text cell as a
// formula (CSV injection): text starting with = + - @, a tab or a
// carriage return gets a leading apostrophe, which spreadsheets show as
// text and do not evaluate.
func spreadsheetText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func optionalID(id *int64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}

// reliability is an administrator's view of a user's no-shows and late
// cancellations (issue 10, attendance).
func (s *server) reliability(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	id, ok := s.pathID(w, r, "user")
	if !ok {
		return
	}
	rel, err := s.app.Bookings.ReliabilityOf(r.Context(), caller, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		UserID            int64 `json:"user_id"`
		NoShows           int   `json:"no_shows"`
		LateCancellations int   `json:"late_cancellations"`
	}{id, rel.NoShows, rel.LateCancellations})
}
