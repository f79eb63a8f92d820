package app

import (
	"context"
	"time"

	"github.com/mentorbook/mentorbook"
)

// Balance is the caller's money by bucket, read from their account rows.
func (s *Ledger) Balance(ctx context.Context, caller mentorbook.User) (mentorbook.Balance, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Balance, error) {
		return tx.Ledger().Balance(ctx, caller.ID, s.currency.Code)
	})
}

// LedgerQuery pages through ledger entries, as typed.
type LedgerQuery struct {
	Kind, From, To, Cursor, Limit string
}

// Entries lists the caller's own entries, newest first, and the cursor of
// the next page ("" on the last).
func (s *Ledger) Entries(ctx context.Context, caller mentorbook.User, q LedgerQuery) ([]mentorbook.LedgerEntry, string, error) {
	return s.entries(ctx, caller.ID, q)
}

// Transactions lists every entry for administrators (the accountant's
// view), filtered by transaction kind and time.
func (s *Ledger) Transactions(ctx context.Context, caller mentorbook.User, q LedgerQuery) ([]mentorbook.LedgerEntry, string, error) {
	if err := requireAdmin(caller); err != nil {
		return nil, "", err
	}
	return s.entries(ctx, 0, q)
}

func (s *Ledger) entries(ctx context.Context, owner int64, q LedgerQuery) ([]mentorbook.LedgerEntry, string, error) {
	v := mentorbook.Validation{}
	f := mentorbook.LedgerFilter{Owner: owner, Kind: q.Kind}
	checkText(v, "kind", q.Kind)
	for _, t := range []struct {
		field, text string
		into        *time.Time
	}{{"from", q.From, &f.From}, {"to", q.To, &f.To}} {
		if t.text == "" {
			continue
		}
		at, ok := parseInstant(t.text)
		if !ok {
			v.Add(t.field, "must be an RFC 3339 instant")
		}
		*t.into = at
	}
	f.BeforeID = beforeIDCursor(q.Cursor, v)
	limit := pageSize(q.Limit, v)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	f.Limit = limit + 1
	es, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.LedgerEntry, error) {
		return tx.Ledger().Entries(ctx, f)
	})
	if err != nil {
		return nil, "", err
	}
	es, next := idPage(es, limit, func(x mentorbook.LedgerEntry) int64 { return x.ID })
	return es, next, nil
}

// Summary is the platform's books per currency, for administrators; the
// platform currency is always listed, even before any money moved.
func (s *Ledger) Summary(ctx context.Context, caller mentorbook.User) ([]mentorbook.LedgerSummary, error) {
	if err := requireAdmin(caller); err != nil {
		return nil, err
	}
	sums, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.LedgerSummary, error) {
		return tx.Ledger().Summary(ctx)
	})
	if err == nil && len(sums) == 0 {
		sums = []mentorbook.LedgerSummary{{Currency: s.currency.Code}}
	}
	return sums, err
}
