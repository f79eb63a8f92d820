package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/mentorbook/mentorbook"
)

type payments struct{ *tx }

const paymentSelect = `SELECT p.id, p.mentorship_id, p.payer_id, p.mentor_id, p.amount_minor, p.currency, p.fee_bps,
		p.fee_minor, p.mentor_share_minor, p.reference, p.status, p.due_at, p.pay_bank_name, p.pay_account_holder,
		p.pay_account_number, p.pay_instructions, p.sent_at, p.sent_note, p.rejected_reason, p.confirmed_at,
		p.confirmed_by, p.bank_reference, p.pending_minor, p.refunded_minor, p.released_at, p.created_at, p.updated_at,
		m.title
	FROM payments p JOIN mentorships m ON m.id = p.mentorship_id`

func scanPayment(row interface{ Scan(...any) error }) (mentorbook.Payment, error) {
	var p mentorbook.Payment
	err := row.Scan(&p.ID, &p.MentorshipID, &p.PayerID, &p.MentorID, &p.AmountMinor, &p.Currency, &p.FeeBPS,
		&p.FeeMinor, &p.MentorShareMinor, &p.Reference, &p.Status, at(&p.DueAt), &p.PayTo.BankName,
		&p.PayTo.AccountHolder, &p.PayTo.AccountNumber, &p.PayTo.Instructions, at(&p.SentAt), &p.SentNote,
		&p.RejectedReason, at(&p.ConfirmedAt), int64Or0{&p.ConfirmedBy}, &p.BankReference, &p.PendingMinor,
		&p.RefundedMinor, at(&p.ReleasedAt), at(&p.CreatedAt), at(&p.UpdatedAt), &p.Title)
	return p, err
}

// maxReferenceTries bounds the retries of a taken reference: with 32^8
// references, a second collision in a row means the generator is broken.
const maxReferenceTries = 8

func (r payments) Create(ctx context.Context, p mentorbook.Payment, newReference func() string) (mentorbook.Payment, error) {
	// ON CONFLICT on the reference alone: a taken reference inserts nothing
	// and leaves the transaction usable (on PostgreSQL a failed statement
	// would abort it), so a new one is tried.
	for range maxReferenceTries {
		var id int64
		err := r.execScan(ctx, `INSERT INTO payments (mentorship_id, payer_id, mentor_id, amount_minor, currency,
				fee_bps, fee_minor, mentor_share_minor, reference, status, due_at, pay_bank_name, pay_account_holder,
				pay_account_number, pay_instructions, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
			ON CONFLICT (reference) DO NOTHING RETURNING id`,
			[]any{p.MentorshipID, p.PayerID, p.MentorID, p.AmountMinor, p.Currency, p.FeeBPS, p.FeeMinor,
				p.MentorShareMinor, newReference(), string(p.Status), p.DueAt, p.PayTo.BankName, p.PayTo.AccountHolder,
				p.PayTo.AccountNumber, p.PayTo.Instructions, p.CreatedAt}, &id)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return mentorbook.Payment{}, err
		}
		return r.Get(ctx, id)
	}
	return mentorbook.Payment{}, errors.New("sqlstore: no free payment reference")
}

func (r payments) one(ctx context.Context, where string, lock bool, args ...any) (mentorbook.Payment, error) {
	query := paymentSelect + ` WHERE ` + where
	if lock {
		query += r.d.lockOf(r.d.ForUpdate, "p")
	}
	p, err := scanPayment(r.queryRow(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("Payment")
	}
	return p, err
}

func (r payments) Get(ctx context.Context, id int64) (mentorbook.Payment, error) {
	return r.one(ctx, `p.id = $1`, false, id)
}

func (r payments) Lock(ctx context.Context, id int64) (mentorbook.Payment, error) {
	return r.one(ctx, `p.id = $1`, true, id)
}

func (r payments) ByMentorship(ctx context.Context, mentorshipID int64, lock bool) (mentorbook.Payment, error) {
	return r.one(ctx, `p.mentorship_id = $1`, lock, mentorshipID)
}

func (r payments) Save(ctx context.Context, p mentorbook.Payment) (mentorbook.Payment, error) {
	n, err := r.affected(ctx, `UPDATE payments SET status = $1, due_at = $2, sent_at = $3, sent_note = $4,
			rejected_reason = $5, confirmed_at = $6, confirmed_by = $7, bank_reference = $8, pending_minor = $9,
			refunded_minor = $10, released_at = $11, updated_at = $12
		WHERE id = $13`,
		string(p.Status), p.DueAt, nullable(p.SentAt), p.SentNote, p.RejectedReason, nullable(p.ConfirmedAt),
		nullInt64(p.ConfirmedBy), p.BankReference, p.PendingMinor, p.RefundedMinor, nullable(p.ReleasedAt),
		p.UpdatedAt, p.ID)
	if err != nil {
		return p, err
	}
	if n == 0 {
		return p, notFound("Payment")
	}
	return r.Get(ctx, p.ID)
}

func (r payments) List(ctx context.Context, f mentorbook.PaymentFilter) ([]mentorbook.Payment, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	var w where
	if f.PayerID != 0 {
		w.and(`p.payer_id = ` + w.arg(f.PayerID))
	}
	if len(f.Statuses) > 0 {
		w.and(inList("p.status", f.Statuses, w.arg))
	}
	if f.Held {
		w.and(`p.status = 'confirmed' AND p.pending_minor > 0 AND m.status = 'cancelled'`)
	}
	const sentRank = `CASE WHEN p.status = 'sent' THEN 0 ELSE 1 END`
	order := `p.id DESC`
	switch {
	case f.SentFirst:
		order = sentRank + `, p.id`
		if f.After.ID > 0 {
			rank := 1
			if f.After.Sent {
				rank = 0
			}
			w.and(`(` + sentRank + `, p.id) > (` + w.arg(rank) + `, ` + w.arg(f.After.ID) + `)`)
		}
	case f.After.ID > 0:
		w.and(`p.id < ` + w.arg(f.After.ID))
	}
	rows, err := r.query(ctx, paymentSelect+` WHERE `+w.String()+` ORDER BY `+order+` `+limitClause(w.arg(f.Limit)), w.args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPayment)
}

func (r payments) ExpireWaiting(ctx context.Context, mentorshipID int64, now time.Time) (mentorbook.Payment, bool, error) {
	p, err := r.ByMentorship(ctx, mentorshipID, true)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return p, false, nil
	}
	if err != nil || !p.Status.Waiting() {
		return p, false, err
	}
	p.Status, p.UpdatedAt = mentorbook.PaymentExpired, now
	p, err = r.Save(ctx, p)
	return p, err == nil, err
}

func (r payments) AddRefund(ctx context.Context, f mentorbook.Refund) (mentorbook.Refund, error) {
	err := r.execScan(ctx, `INSERT INTO refunds (payment_id, amount_minor, fee_minor, mentor_minor, reason,
			bank_reference, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		[]any{f.PaymentID, f.AmountMinor, f.FeeMinor, f.MentorMinor, f.Reason, f.BankReference, f.CreatedBy, f.CreatedAt}, &f.ID)
	return f, err
}

const refundSelect = `SELECT id, payment_id, amount_minor, fee_minor, mentor_minor, reason, bank_reference, created_by,
		created_at
	FROM refunds`

func scanRefund(row interface{ Scan(...any) error }) (mentorbook.Refund, error) {
	var f mentorbook.Refund
	err := row.Scan(&f.ID, &f.PaymentID, &f.AmountMinor, &f.FeeMinor, &f.MentorMinor, &f.Reason, &f.BankReference,
		&f.CreatedBy, at(&f.CreatedAt))
	return f, err
}

func (r payments) Refund(ctx context.Context, id int64) (mentorbook.Refund, error) {
	f, err := scanRefund(r.queryRow(ctx, refundSelect+` WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, notFound("Refund")
	}
	return f, err
}

func (r payments) Refunds(ctx context.Context, paymentID int64) ([]mentorbook.Refund, error) {
	rows, err := r.query(ctx, refundSelect+` WHERE payment_id = $1 ORDER BY id`, paymentID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanRefund)
}

func (r payments) ClaimKey(ctx context.Context, key mentorbook.IdempotencyKey) (int64, string, bool, error) {
	return r.claimKey(ctx, key, "refund_id")
}

func (r payments) BindKey(ctx context.Context, key mentorbook.IdempotencyKey, id int64) error {
	return r.bindKey(ctx, key, "refund_id", id)
}
