package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// paymentsPhase: every mentor offers a paid program, every mentee requests
// each and the mentor accepts, so there is a payment per pair. Then the
// clients race: administrators' confirmations (most of them of payments
// already confirmed: 409), mentees completing mentorships (the share
// becomes available), mentors' cashouts (409 while another is requested,
// 422 when the balance just read was cashed out and paid meanwhile) and
// administrators paying them.
// Afterwards the ledger must balance and hold one confirmation per
// confirmed payment.
func paymentsPhase(c config, cl *client, out io.Writer, mentors, mentees []user) error {
	var login struct{ Token string }
	if _, err := cl.do("POST", "/api/v1/login", "", map[string]string{"email": c.adminEmail, "password": c.adminPassword}, &login); err != nil {
		return fmt.Errorf("admin login: %w", err)
	}
	admin := login.Token
	type pair struct {
		mentorship, payment int64
		mentee              user
	}
	var pairs []pair
	for _, m := range mentors {
		var sv struct{ ID int64 }
		if _, err := cl.do("POST", "/api/v1/me/services", m.token, map[string]any{"title": "Load program", "price_minor": 9999,
			"format": "async", "days": 30}, &sv); err != nil {
			return err
		}
		if _, err := cl.do("PUT", "/api/v1/me/payout-account", m.token, map[string]any{"bank_name": "Load bank",
			"account_holder": "Load", "account_number": "LOAD-1"}, nil); err != nil {
			return err
		}
		for _, e := range mentees {
			var ms struct{ ID int64 }
			if _, err := cl.do("POST", "/api/v1/mentorships", e.token, map[string]any{"service_id": sv.ID}, &ms); err != nil {
				return err
			}
			if _, err := cl.do("POST", fmt.Sprintf("/api/v1/mentorships/%d/accept", ms.ID), m.token, nil, nil); err != nil {
				return err
			}
			var p struct{ ID int64 }
			if _, err := cl.do("GET", fmt.Sprintf("/api/v1/mentorships/%d/payment", ms.ID), e.token, nil, &p); err != nil {
				return err
			}
			pairs = append(pairs, pair{ms.ID, p.ID, e})
		}
	}
	var mu sync.Mutex
	confirmedOK := map[int64]int{}
	st := phase(c, func(w int, r *rand.Rand) (int, error) {
		p := pairs[r.IntN(len(pairs))]
		switch n := r.IntN(100); {
		case n < 45:
			status, err := cl.do("POST", fmt.Sprintf("/api/v1/admin/payments/%d/confirm", p.payment), admin,
				map[string]any{"amount_minor": 9999, "bank_reference": "LOAD"}, nil)
			if err == nil {
				mu.Lock()
				confirmedOK[p.payment]++
				mu.Unlock()
			}
			return status, err
		case n < 60:
			return cl.do("POST", fmt.Sprintf("/api/v1/mentorships/%d/complete", p.mentorship), p.mentee.token, nil, nil)
		case n < 85:
			m := mentors[r.IntN(len(mentors))]
			var b struct {
				Available int64 `json:"available_minor"`
			}
			if status, err := cl.do("GET", "/api/v1/me/balance", m.token, nil, &b); err != nil || b.Available < 1000 {
				return status, err
			}
			status, err := cl.do("POST", "/api/v1/me/cashouts", m.token, map[string]any{"amount_minor": 1000 + r.Int64N(b.Available-999)}, nil)
			if status == http.StatusUnprocessableEntity && err != nil && strings.Contains(err.Error(), "available balance") {
				// Another client's cashout of this mentor was requested
				// and paid between reading the balance and asking: the
				// refusal is the right answer.
				return status, nil
			}
			return status, err
		default:
			var list struct{ Cashouts []struct{ ID int64 } }
			if status, err := cl.do("GET", "/api/v1/admin/cashouts", admin, nil, &list); err != nil || len(list.Cashouts) == 0 {
				return status, err
			}
			id := list.Cashouts[r.IntN(len(list.Cashouts))].ID
			return cl.do("POST", fmt.Sprintf("/api/v1/admin/cashouts/%d/paid", id), admin, map[string]string{"bank_reference": "LOAD"}, nil)
		}
	})
	st.print(out, "payments (confirm, complete, cash out, pay out)")

	var summary struct {
		Currencies []struct{ Balanced bool }
	}
	if _, err := cl.do("GET", "/api/v1/admin/ledger/summary", admin, nil, &summary); err != nil {
		return err
	}
	confirmed, err := countPages(cl, admin, "/api/v1/admin/payments?status=confirmed", "payments")
	if err != nil {
		return err
	}
	entries, err := countPages(cl, admin, "/api/v1/admin/ledger/transactions?kind=payment_confirmed", "entries")
	if err != nil {
		return err
	}
	twice := 0
	for _, n := range confirmedOK {
		if n > 1 {
			twice++
		}
	}
	fmt.Fprintf(out, "payments: %d, confirmed %d (answered 200: %d, twice: %d), confirmation entries %d; books balanced: %v\n",
		len(pairs), confirmed, len(confirmedOK), twice, entries, len(summary.Currencies) == 1 && summary.Currencies[0].Balanced)
	switch {
	case len(summary.Currencies) != 1 || !summary.Currencies[0].Balanced:
		return errors.New("the books do not balance")
	case twice > 0 || len(confirmedOK) != confirmed || entries != 3*confirmed:
		return errors.New("confirmations and the ledger disagree")
	case st.errors > 0:
		return fmt.Errorf("%d payment requests failed", st.errors)
	}
	return nil
}

// countPages counts the items (the list named field) on every page of an
// administrators' list, following next_cursor.
func countPages(cl *client, token, path, field string) (int, error) {
	n := 0
	for cursor := ""; ; {
		var page map[string]json.RawMessage
		if _, err := cl.do("GET", path+"&limit=100&cursor="+url.QueryEscape(cursor), token, nil, &page); err != nil {
			return n, err
		}
		var items []json.RawMessage
		if err := json.Unmarshal(page[field], &items); err != nil {
			return n, fmt.Errorf("%s: %s: %w", path, field, err)
		}
		n += len(items)
		if err := json.Unmarshal(page["next_cursor"], &cursor); err != nil || cursor == "" {
			return n, err
		}
	}
}
