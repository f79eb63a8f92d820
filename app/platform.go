package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/money"
)

// requireAdmin refuses anyone but an administrator: 403, since the caller
// is signed in (anonymous callers never reach a use case).
func requireAdmin(caller mentorbook.User) error {
	if !caller.Admin {
		return mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only administrators can do that.")
	}
	return nil
}

// SetAdmin grants or revokes administration to the account with that
// email: the command line's `mentorbook admin grant|revoke`, which only
// someone with the database can run.
func (s *Platform) SetAdmin(ctx context.Context, email string, admin bool) (mentorbook.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.User, error) {
		return tx.Users().SetAdmin(ctx, email, admin)
	})
}

// DefaultCashoutText is what mentors read about cashout times until an
// administrator says otherwise.
const DefaultCashoutText = "1–2 business days, at most 14 days"

// defaultSettings are the settings before an administrator saves any.
func (c *core) defaultSettings() mentorbook.PlatformSettings {
	minCashout := int64(10)
	for range c.currency.Decimals {
		minCashout *= 10
	}
	return mentorbook.PlatformSettings{FeeBPS: 1000, PayDays: 7, ReleaseDays: 14, MinCashoutMinor: minCashout,
		CashoutText: DefaultCashoutText, CashoutDays: 14}
}

// settings reads the platform's settings in tx, or the defaults.
func (c *core) settings(ctx context.Context, tx mentorbook.Tx) (mentorbook.PlatformSettings, error) {
	s, ok, err := tx.Platform().Settings(ctx)
	if err != nil || !ok {
		return c.defaultSettings(), err
	}
	return s, nil
}

// Settings returns the platform's settings, to administrators only.
func (s *Platform) Settings(ctx context.Context, caller mentorbook.User) (mentorbook.PlatformSettings, error) {
	if err := requireAdmin(caller); err != nil {
		return mentorbook.PlatformSettings{}, err
	}
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.PlatformSettings, error) {
		return s.settings(ctx, tx)
	})
}

// Currency is the platform currency.
func (s *Platform) Currency() money.Currency { return s.currency }

// PutSettings replaces the platform's settings. A new fee applies to
// mentorships requested afterwards; each keeps the fee it was requested
// under.
func (s *Platform) PutSettings(ctx context.Context, caller mentorbook.User, in mentorbook.PlatformSettings) (mentorbook.PlatformSettings, error) {
	if err := requireAdmin(caller); err != nil {
		return mentorbook.PlatformSettings{}, err
	}
	v := mentorbook.Validation{}
	for _, f := range []struct {
		name  string
		value *string
		max   int
	}{
		{"bank_name", &in.BankName, 200}, {"account_holder", &in.AccountHolder, 200},
		{"account_number", &in.AccountNumber, 100}, {"instructions", &in.Instructions, 2000},
		{"cashout_text", &in.CashoutText, 500},
	} {
		*f.value = strings.TrimSpace(*f.value)
		checkText(v, f.name, *f.value)
		if utf8.RuneCountInString(*f.value) > f.max {
			v.Add(f.name, "is too long")
		}
	}
	if in.CashoutText == "" {
		v.Add("cashout_text", "is required")
	}
	if in.FeeBPS < 0 || in.FeeBPS > money.MaxBPS {
		v.Add("fee_bps", "must be between 0 and 10000 (basis points)")
	}
	if in.PayDays < 1 || in.PayDays > 365 {
		v.Add("pay_days", "must be between 1 and 365")
	}
	if in.ReleaseDays < 0 || in.ReleaseDays > 365 {
		v.Add("release_days", "must be between 0 and 365")
	}
	if in.MinCashoutMinor < 0 || in.MinCashoutMinor > maxAmount {
		v.Add("min_cashout_minor", "must be between 0 and 10^12")
	}
	if in.CashoutDays < 1 || in.CashoutDays > 365 {
		v.Add("cashout_days", "must be between 1 and 365")
	}
	if err := v.Err(); err != nil {
		return mentorbook.PlatformSettings{}, err
	}
	in.UpdatedAt, in.UpdatedBy = s.clock(), caller.ID
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.PlatformSettings, error) {
		if err := tx.Platform().PutSettings(ctx, in); err != nil {
			return in, err
		}
		return s.settings(ctx, tx)
	})
}

// maxAmount bounds every amount typed in: 10^12 minor units, the services'
// price bound, far below where int64 arithmetic on fees could overflow.
const maxAmount = 1_000_000_000_000

// notifyAdmins tells every administrator of a money event that waits for
// them (a transfer marked sent, a cashout requested or cancelled).
func (c *core) notifyAdmins(ctx context.Context, tx mentorbook.Tx, title, body string) error {
	admins, err := tx.Users().Admins(ctx)
	if err != nil {
		return err
	}
	for _, a := range admins {
		if err := c.notify(ctx, tx, mentorbook.Notification{UserID: a.ID, Kind: mentorbook.NotifyAdminMoney,
			Title: title, Body: body, Link: "/admin"}); err != nil {
			return err
		}
	}
	return nil
}
