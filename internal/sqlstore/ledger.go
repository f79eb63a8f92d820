package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/mentorbook/mentorbook"
)

type ledger struct{ *tx }

// account returns the ID of an account, creating its row at balance 0 the
// first time. ON CONFLICT keeps a racing creation harmless.
func (r ledger) account(ctx context.Context, a mentorbook.Account, currency string) (int64, error) {
	if _, err := r.exec(ctx, `INSERT INTO ledger_accounts (kind, owner_id, currency, balance) VALUES ($1, $2, $3, 0)
		ON CONFLICT (kind, owner_id, currency) DO NOTHING`, string(a.Bucket), a.Owner, currency); err != nil {
		return 0, err
	}
	var id int64
	err := r.queryRow(ctx, `SELECT id FROM ledger_accounts WHERE kind = $1 AND owner_id = $2 AND currency = $3`,
		string(a.Bucket), a.Owner, currency).Scan(&id)
	return id, err
}

// errUnbalanced is a posting that does not sum to zero: a defect in the
// caller, never a user's mistake.
var errUnbalanced = errors.New("sqlstore: ledger transaction does not sum to zero")

func (r ledger) Post(ctx context.Context, t mentorbook.LedgerTx) (mentorbook.LedgerTx, error) {
	var sum int64
	for _, p := range t.Postings {
		if p.Amount == 0 {
			return t, fmt.Errorf("sqlstore: ledger posting of 0 to %v", p.Account)
		}
		sum += p.Amount
	}
	if sum != 0 || len(t.Postings) < 2 {
		return t, errUnbalanced
	}
	if err := r.execScan(ctx, `INSERT INTO ledger_transactions (kind, source_type, source_id, currency, mentor_id,
			mentorship_id, actor_id, description, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		[]any{t.Kind, t.SourceType, t.SourceID, t.Currency, nullInt64(t.MentorID), nullInt64(t.MentorshipID),
			nullInt64(t.ActorID), t.Description, t.CreatedAt}, &t.ID); err != nil {
		return t, err
	}
	type entry struct {
		account int64
		amount  int64
		change  int64
	}
	entries := make([]entry, len(t.Postings))
	for i, p := range t.Postings {
		id, err := r.account(ctx, p.Account, t.Currency)
		if err != nil {
			return t, err
		}
		change := -p.Amount
		if p.Account.Bucket.DebitNormal() {
			change = p.Amount
		}
		entries[i] = entry{id, p.Amount, change}
	}
	// Account rows are updated in ID order, the order every transaction
	// uses, so two postings never wait for each other in a cycle.
	slices.SortStableFunc(entries, func(a, b entry) int { return int(a.account - b.account) })
	for _, e := range entries {
		var after int64
		// The row's CHECK refuses a balance below zero.
		if err := r.execScan(ctx, `UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2 RETURNING balance`,
			[]any{e.change, e.account}, &after); err != nil {
			return t, err
		}
		if _, err := r.exec(ctx, `INSERT INTO ledger_entries (transaction_id, account_id, amount, balance_after)
			VALUES ($1, $2, $3, $4)`, t.ID, e.account, e.amount, after); err != nil {
			return t, err
		}
	}
	// What was written, read back: the invariant holds in the database.
	if err := r.queryRow(ctx, `SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE transaction_id = $1`, t.ID).Scan(&sum); err != nil {
		return t, err
	}
	if sum != 0 {
		return t, errUnbalanced
	}
	return t, nil
}

func (r ledger) Balance(ctx context.Context, mentorID int64, currency string) (mentorbook.Balance, error) {
	b := mentorbook.Balance{Currency: currency}
	// At most three account rows, and the paid-out total's row.
	rows, err := r.query(ctx, `SELECT kind, balance FROM ledger_accounts WHERE owner_id = $1 AND currency = $2
		AND kind IN ('pending', 'available', 'withdrawing')`, mentorID, currency)
	if err != nil {
		return b, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var balance int64
		if err := rows.Scan(&kind, &balance); err != nil {
			return b, err
		}
		switch mentorbook.LedgerBucket(kind) {
		case mentorbook.BucketPending:
			b.PendingMinor = balance
		case mentorbook.BucketAvailable:
			b.AvailableMinor = balance
		case mentorbook.BucketWithdrawing:
			b.WithdrawingMinor = balance
		}
	}
	if err := rows.Err(); err != nil {
		return b, err
	}
	err = r.queryRow(ctx, `SELECT coalesce(max(paid_out_minor), 0) FROM mentor_paid_out
		WHERE mentor_id = $1 AND currency = $2`, mentorID, currency).Scan(&b.PaidOutMinor)
	return b, err
}

func (r ledger) Summary(ctx context.Context) ([]mentorbook.LedgerSummary, error) {
	// One row per account kind and currency: as many rows as there are
	// accounts, never a sum over entries.
	rows, err := r.query(ctx, `SELECT currency, kind, sum(balance) FROM ledger_accounts GROUP BY currency, kind ORDER BY currency, kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []mentorbook.LedgerSummary
	for rows.Next() {
		var currency, kind string
		var total int64
		if err := rows.Scan(&currency, &kind, &total); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Currency != currency {
			out = append(out, mentorbook.LedgerSummary{Currency: currency})
		}
		s := &out[len(out)-1]
		switch mentorbook.LedgerBucket(kind) {
		case mentorbook.BucketBank:
			s.BankMinor = total
		case mentorbook.BucketFees:
			s.FeesMinor = total
		case mentorbook.BucketPending:
			s.PendingMinor = total
		case mentorbook.BucketAvailable:
			s.AvailableMinor = total
		case mentorbook.BucketWithdrawing:
			s.WithdrawingMinor = total
		}
	}
	return out, rows.Err()
}

func (r ledger) Entries(ctx context.Context, f mentorbook.LedgerFilter) ([]mentorbook.LedgerEntry, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	var w where
	if f.Owner != 0 {
		w.and(`a.owner_id = ` + w.arg(f.Owner))
	}
	if f.Kind != "" {
		w.and(`t.kind = ` + w.arg(f.Kind))
	}
	if !f.From.IsZero() {
		w.and(`t.created_at >= ` + w.arg(f.From))
	}
	if !f.To.IsZero() {
		w.and(`t.created_at < ` + w.arg(f.To))
	}
	if f.BeforeID > 0 {
		w.and(`e.id < ` + w.arg(f.BeforeID))
	}
	rows, err := r.query(ctx, `SELECT e.id, e.transaction_id, a.kind, a.owner_id, e.amount, e.balance_after,
			t.kind, t.source_type, t.source_id, t.currency, t.mentorship_id, t.actor_id, t.description, t.created_at
		FROM ledger_entries e
		JOIN ledger_accounts a ON a.id = e.account_id
		JOIN ledger_transactions t ON t.id = e.transaction_id
		WHERE `+w.String()+` ORDER BY e.id DESC `+limitClause(w.arg(f.Limit)), w.args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (mentorbook.LedgerEntry, error) {
		var e mentorbook.LedgerEntry
		err := row.Scan(&e.ID, &e.TransactionID, &e.Account.Bucket, &e.Account.Owner, &e.Amount, &e.BalanceAfter,
			&e.Kind, &e.SourceType, &e.SourceID, &e.Currency, int64Or0{&e.MentorshipID}, int64Or0{&e.ActorID},
			&e.Description, at(&e.CreatedAt))
		e.Change = -e.Amount
		if e.Account.Bucket.DebitNormal() {
			e.Change = e.Amount
		}
		return e, err
	})
}
