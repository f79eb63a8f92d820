package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mentorbook/mentorbook"
)

type cashouts struct{ *tx }

const payoutSelect = `SELECT mentor_id, bank_name, account_holder, account_number, notes, auto, auto_weekday, updated_at
	FROM payout_accounts`

func scanPayout(row interface{ Scan(...any) error }) (mentorbook.PayoutAccount, error) {
	var a mentorbook.PayoutAccount
	var weekday int
	err := row.Scan(&a.MentorID, &a.BankName, &a.AccountHolder, &a.AccountNumber, &a.Notes, &a.Auto, &weekday, at(&a.UpdatedAt))
	a.AutoWeekday = time.Weekday(weekday)
	return a, err
}

func (r cashouts) PutPayoutAccount(ctx context.Context, a mentorbook.PayoutAccount) error {
	_, err := r.exec(ctx, `INSERT INTO payout_accounts (mentor_id, bank_name, account_holder, account_number, notes,
			auto, auto_weekday, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (mentor_id) DO UPDATE SET bank_name = excluded.bank_name, account_holder = excluded.account_holder,
			account_number = excluded.account_number, notes = excluded.notes, auto = excluded.auto,
			auto_weekday = excluded.auto_weekday, updated_at = excluded.updated_at`,
		a.MentorID, a.BankName, a.AccountHolder, a.AccountNumber, a.Notes, a.Auto, int(a.AutoWeekday), a.UpdatedAt)
	return err
}

func (r cashouts) PayoutAccount(ctx context.Context, mentorID int64) (mentorbook.PayoutAccount, error) {
	a, err := scanPayout(r.queryRow(ctx, payoutSelect+` WHERE mentor_id = $1`, mentorID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("Payout account")
	}
	return a, err
}

func (r cashouts) AutoAccounts(ctx context.Context) ([]mentorbook.PayoutAccount, error) {
	rows, err := r.query(ctx, payoutSelect+` WHERE auto <> 'off' ORDER BY mentor_id`)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPayout)
}

const cashoutSelect = `SELECT c.id, c.mentor_id, u.name, c.amount_minor, c.currency, c.status, c.bank_name,
		c.account_holder, c.account_number, c.notes, c.automatic, c.expected_by, c.bank_reference, c.reason,
		c.resolved_by, c.resolved_at, c.created_at
	FROM cashouts c JOIN users u ON u.id = c.mentor_id`

func scanCashout(row interface{ Scan(...any) error }) (mentorbook.Cashout, error) {
	var c mentorbook.Cashout
	a := &c.PayoutAccount
	err := row.Scan(&c.ID, &c.MentorID, &c.MentorName, &c.AmountMinor, &c.Currency, &c.Status, &a.BankName,
		&a.AccountHolder, &a.AccountNumber, &a.Notes, &c.Automatic, at(&c.ExpectedBy), &c.BankReference, &c.Reason,
		int64Or0{&c.ResolvedBy}, at(&c.ResolvedAt), at(&c.CreatedAt))
	a.MentorID = c.MentorID
	return c, err
}

func (r cashouts) Create(ctx context.Context, c mentorbook.Cashout) (mentorbook.Cashout, error) {
	a := c.PayoutAccount
	var id int64
	if err := r.execScan(ctx, `INSERT INTO cashouts (mentor_id, amount_minor, currency, status, bank_name,
			account_holder, account_number, notes, automatic, expected_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		[]any{c.MentorID, c.AmountMinor, c.Currency, string(c.Status), a.BankName, a.AccountHolder, a.AccountNumber,
			a.Notes, c.Automatic, c.ExpectedBy, c.CreatedAt}, &id); err != nil {
		return c, err
	}
	return r.Get(ctx, id)
}

func (r cashouts) get(ctx context.Context, id int64, lock bool) (mentorbook.Cashout, error) {
	query := cashoutSelect + ` WHERE c.id = $1`
	if lock {
		query += r.d.lockOf(r.d.ForUpdate, "c")
	}
	c, err := scanCashout(r.queryRow(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("Cashout")
	}
	return c, err
}

func (r cashouts) Get(ctx context.Context, id int64) (mentorbook.Cashout, error) {
	return r.get(ctx, id, false)
}

func (r cashouts) Lock(ctx context.Context, id int64) (mentorbook.Cashout, error) {
	return r.get(ctx, id, true)
}

func (r cashouts) Save(ctx context.Context, c mentorbook.Cashout) (mentorbook.Cashout, error) {
	n, err := r.affected(ctx, `UPDATE cashouts SET status = $1, bank_reference = $2, reason = $3, resolved_by = $4,
			resolved_at = $5 WHERE id = $6`,
		string(c.Status), c.BankReference, c.Reason, nullInt64(c.ResolvedBy), nullable(c.ResolvedAt), c.ID)
	if err != nil {
		return c, err
	}
	if n == 0 {
		return c, notFound("Cashout")
	}
	return r.Get(ctx, c.ID)
}

func (r cashouts) List(ctx context.Context, f mentorbook.CashoutFilter) ([]mentorbook.Cashout, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	var w where
	if f.MentorID != 0 {
		w.and(`c.mentor_id = ` + w.arg(f.MentorID))
	}
	if len(f.Statuses) > 0 {
		w.and(inList("c.status", f.Statuses, w.arg))
	}
	order, after := "DESC", "<"
	if f.Oldest {
		order, after = "ASC", ">"
	}
	if f.AfterID > 0 {
		w.and(`c.id ` + after + ` ` + w.arg(f.AfterID))
	}
	rows, err := r.query(ctx, cashoutSelect+` WHERE `+w.String()+` ORDER BY c.id `+order+` `+limitClause(w.arg(f.Limit)), w.args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanCashout)
}
