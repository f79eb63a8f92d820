package api

import (
	"net/http"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/app"
)

func (s *server) cashoutRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/me/payout-account", s.authed(s.getPayoutAccount))
	mux.HandleFunc("PUT /api/v1/me/payout-account", s.authed(s.putPayoutAccount))
	mux.HandleFunc("POST /api/v1/me/cashouts", s.authed(s.requestCashout))
	mux.HandleFunc("GET /api/v1/me/cashouts", s.authed(s.myCashouts))
	mux.HandleFunc("POST /api/v1/me/cashouts/{id}/cancel", s.authed(s.resolveCashout(app.ResolveCancel, "")))
	mux.HandleFunc("GET /api/v1/admin/cashouts", s.authed(s.adminCashouts))
	mux.HandleFunc("POST /api/v1/admin/cashouts/{id}/paid", s.authed(s.resolveCashout(app.ResolvePaid, "bank_reference")))
	mux.HandleFunc("POST /api/v1/admin/cashouts/{id}/reject", s.authed(s.resolveCashout(app.ResolveReject, "reason")))
}

type payoutJSON struct {
	BankName      string `json:"bank_name"`
	AccountHolder string `json:"account_holder"`
	AccountNumber string `json:"account_number"`
	Notes         string `json:"notes"`
}

type payoutAccountJSON struct {
	payoutJSON
	Auto        string `json:"auto"`
	AutoWeekday int    `json:"auto_weekday"`
}

func toPayoutAccount(a mentorbook.PayoutAccount) payoutAccountJSON {
	return payoutAccountJSON{payoutJSON{a.BankName, a.AccountHolder, a.AccountNumber, a.Notes}, a.Auto, int(a.AutoWeekday)}
}

func (s *server) getPayoutAccount(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	a, err := s.app.Cashouts.PayoutAccount(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toPayoutAccount(a))
}

func (s *server) putPayoutAccount(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in payoutAccountJSON
	if !decode(w, r, &in, false) {
		return
	}
	a, err := s.app.Cashouts.PutPayoutAccount(r.Context(), caller, mentorbook.PayoutAccount{BankName: in.BankName,
		AccountHolder: in.AccountHolder, AccountNumber: in.AccountNumber, Notes: in.Notes, Auto: in.Auto,
		AutoWeekday: time.Weekday(in.AutoWeekday)})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toPayoutAccount(a))
}

type cashoutJSON struct {
	ID            int64      `json:"id"`
	MentorID      int64      `json:"mentor_id"`
	MentorName    string     `json:"mentor_name"`
	AmountMinor   int64      `json:"amount_minor"`
	Currency      string     `json:"currency"`
	Status        string     `json:"status"`
	PayoutAccount payoutJSON `json:"payout_account"`
	Automatic     bool       `json:"automatic"`
	ExpectedBy    time.Time  `json:"expected_by"`
	BankReference string     `json:"bank_reference"`
	Reason        string     `json:"reason"`
	ResolvedAt    *time.Time `json:"resolved_at"`
	CreatedAt     time.Time  `json:"created_at"`
}

func toCashout(c mentorbook.Cashout) cashoutJSON {
	a := c.PayoutAccount
	return cashoutJSON{ID: c.ID, MentorID: c.MentorID, MentorName: c.MentorName, AmountMinor: c.AmountMinor, Currency: c.Currency,
		Status: string(c.Status), PayoutAccount: payoutJSON{a.BankName, a.AccountHolder, a.AccountNumber, a.Notes},
		Automatic: c.Automatic, ExpectedBy: c.ExpectedBy.UTC(), BankReference: c.BankReference, Reason: c.Reason,
		ResolvedAt: optionalTime(c.ResolvedAt), CreatedAt: c.CreatedAt.UTC()}
}

// writeCashouts answers with a list of cashouts; an administrators' list
// also has the cursor of its next page.
func writeCashouts(w http.ResponseWriter, cs []mentorbook.Cashout, next *string) {
	out := struct {
		Cashouts   []cashoutJSON `json:"cashouts"`
		NextCursor *string       `json:"next_cursor,omitempty"`
	}{[]cashoutJSON{}, next}
	for _, c := range cs {
		out.Cashouts = append(out.Cashouts, toCashout(c))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *server) requestCashout(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	var in struct {
		AmountMinor int64 `json:"amount_minor"`
	}
	if !decode(w, r, &in, false) {
		return
	}
	c, err := s.app.Cashouts.Request(r.Context(), caller, in.AmountMinor)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toCashout(c))
}

func (s *server) myCashouts(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	cs, err := s.app.Cashouts.Mine(r.Context(), caller)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeCashouts(w, cs, nil)
}

func (s *server) adminCashouts(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
	cs, next, err := s.app.Cashouts.AdminList(r.Context(), caller, adminListQuery(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeCashouts(w, cs, &next)
}

// resolveCashout reads the body's field (none for a cancel) and resolves;
// an administrators' resolution refuses anyone else before reading it.
func (s *server) resolveCashout(how app.Resolution, field string) authedHandler {
	return func(w http.ResponseWriter, r *http.Request, caller mentorbook.User) {
		if how != app.ResolveCancel && !caller.Admin {
			s.writeError(w, r, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only administrators can do that."))
			return
		}
		id, ok := s.pathID(w, r, "cashout")
		if !ok {
			return
		}
		var in struct {
			BankReference string `json:"bank_reference"`
			Reason        string `json:"reason"`
		}
		if !decode(w, r, &in, field == "") {
			return
		}
		text := in.Reason
		if field == "bank_reference" {
			text = in.BankReference
		}
		c, err := s.app.Cashouts.Resolve(r.Context(), caller, id, how, text)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, toCashout(c))
	}
}
