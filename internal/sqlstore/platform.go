package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mentorbook/mentorbook"
)

type platform struct{ *tx }

func (r platform) Settings(ctx context.Context) (mentorbook.PlatformSettings, bool, error) {
	var s mentorbook.PlatformSettings
	err := r.queryRow(ctx, `SELECT bank_name, account_holder, account_number, instructions, fee_bps, pay_days,
			release_days, min_cashout_minor, cashout_text, cashout_days, updated_at, updated_by
		FROM platform_settings WHERE id = 1`).Scan(&s.BankName, &s.AccountHolder, &s.AccountNumber, &s.Instructions,
		&s.FeeBPS, &s.PayDays, &s.ReleaseDays, &s.MinCashoutMinor, &s.CashoutText, &s.CashoutDays, at(&s.UpdatedAt),
		int64Or0{&s.UpdatedBy})
	if errors.Is(err, sql.ErrNoRows) {
		return s, false, nil
	}
	return s, err == nil, err
}

func (r platform) PutSettings(ctx context.Context, s mentorbook.PlatformSettings) error {
	_, err := r.exec(ctx, `INSERT INTO platform_settings (id, bank_name, account_holder, account_number, instructions,
			fee_bps, pay_days, release_days, min_cashout_minor, cashout_text, cashout_days, updated_at, updated_by)
		VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (id) DO UPDATE SET bank_name = excluded.bank_name, account_holder = excluded.account_holder,
			account_number = excluded.account_number, instructions = excluded.instructions, fee_bps = excluded.fee_bps,
			pay_days = excluded.pay_days, release_days = excluded.release_days,
			min_cashout_minor = excluded.min_cashout_minor, cashout_text = excluded.cashout_text,
			cashout_days = excluded.cashout_days, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		s.BankName, s.AccountHolder, s.AccountNumber, s.Instructions, s.FeeBPS, s.PayDays, s.ReleaseDays,
		s.MinCashoutMinor, s.CashoutText, s.CashoutDays, s.UpdatedAt, nullInt64(s.UpdatedBy))
	return err
}
