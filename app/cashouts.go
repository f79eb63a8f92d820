package app

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/money"
)

// requireMentor refuses anyone without a mentor profile.
func requireMentor(caller mentorbook.User) error {
	if caller.Mentor == nil {
		return mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only mentors have payout accounts and cashouts.")
	}
	return nil
}

// PutPayoutAccount saves where the caller's cashouts are paid, and their
// automatic cashouts (off, weekly on AutoWeekday, monthly on the 1st).
func (s *Cashouts) PutPayoutAccount(ctx context.Context, caller mentorbook.User, in mentorbook.PayoutAccount) (mentorbook.PayoutAccount, error) {
	if err := requireMentor(caller); err != nil {
		return in, err
	}
	v := mentorbook.Validation{}
	for _, f := range []struct {
		name     string
		value    *string
		max      int
		required bool
	}{
		{"bank_name", &in.BankName, 200, true}, {"account_holder", &in.AccountHolder, 200, true},
		{"account_number", &in.AccountNumber, 100, true}, {"notes", &in.Notes, 1000, false},
	} {
		*f.value = strings.TrimSpace(*f.value)
		checkText(v, f.name, *f.value)
		if f.required && *f.value == "" {
			v.Add(f.name, "is required")
		}
		if utf8.RuneCountInString(*f.value) > f.max {
			v.Add(f.name, "is too long")
		}
	}
	if in.Auto == "" {
		in.Auto = "off"
	}
	if in.Auto != "off" && in.Auto != "weekly" && in.Auto != "monthly" {
		v.Add("auto", "must be off, weekly or monthly")
	}
	if in.AutoWeekday < time.Sunday || in.AutoWeekday > time.Saturday {
		v.Add("auto_weekday", "must be from 0 (Sunday) to 6 (Saturday)")
	}
	if err := v.Err(); err != nil {
		return in, err
	}
	in.MentorID, in.UpdatedAt = caller.ID, s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.PayoutAccount, error) {
		if err := tx.Cashouts().PutPayoutAccount(ctx, in); err != nil {
			return in, err
		}
		return tx.Cashouts().PayoutAccount(ctx, caller.ID)
	})
}

// PayoutAccount returns the caller's payout account; 404 before they save one.
func (s *Cashouts) PayoutAccount(ctx context.Context, caller mentorbook.User) (mentorbook.PayoutAccount, error) {
	if err := requireMentor(caller); err != nil {
		return mentorbook.PayoutAccount{}, err
	}
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.PayoutAccount, error) {
		return tx.Cashouts().PayoutAccount(ctx, caller.ID)
	})
}

// Request asks for amount of the caller's available balance to be paid
// out: it moves to withdrawing at once. Refused with 422 and nothing
// written above the available balance, below the minimum or without a
// payout account; 409 while another cashout is still requested.
func (s *Cashouts) Request(ctx context.Context, caller mentorbook.User, amount int64) (mentorbook.Cashout, error) {
	if err := requireMentor(caller); err != nil {
		return mentorbook.Cashout{}, err
	}
	now := s.clock()
	c, err := mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Cashout, error) {
		return s.request(ctx, tx, caller.ID, amount, false, now)
	})
	if err != nil {
		// What was written rolled back: no cashout to name.
		return mentorbook.Cashout{}, err
	}
	return c, nil
}

func (s *Cashouts) request(ctx context.Context, tx mentorbook.Tx, mentorID, amount int64, automatic bool, now time.Time) (mentorbook.Cashout, error) {
	// One mentor's cashouts take turns, on every instance.
	if err := tx.Users().Lock(ctx, mentorID); err != nil {
		return mentorbook.Cashout{}, err
	}
	settings, err := s.settings(ctx, tx)
	if err != nil {
		return mentorbook.Cashout{}, err
	}
	invalid := func(problem string) error {
		return &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.", Fields: map[string]string{"amount_minor": problem}}
	}
	account, err := tx.Cashouts().PayoutAccount(ctx, mentorID)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return mentorbook.Cashout{}, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Save a payout account first.",
			Fields: map[string]string{"payout_account": "is required: save where to pay you first"}}
	} else if err != nil {
		return mentorbook.Cashout{}, err
	}
	open, err := tx.Cashouts().List(ctx, mentorbook.CashoutFilter{MentorID: mentorID, Statuses: []mentorbook.CashoutStatus{mentorbook.CashoutRequested}, Limit: 1})
	if err != nil {
		return mentorbook.Cashout{}, err
	}
	if len(open) > 0 {
		return mentorbook.Cashout{}, mentorbook.Errorf(mentorbook.ECONFLICT, "Another cashout of yours is still requested; cancel it or wait until it is paid.")
	}
	b, err := tx.Ledger().Balance(ctx, mentorID, s.currency.Code)
	if err != nil {
		return mentorbook.Cashout{}, err
	}
	switch {
	case amount <= 0:
		return mentorbook.Cashout{}, invalid("must be positive")
	case amount < settings.MinCashoutMinor:
		return mentorbook.Cashout{}, invalid(fmt.Sprintf("must be at least the minimum cashout, %s", s.currency.Format(settings.MinCashoutMinor)))
	case amount > b.AvailableMinor:
		return mentorbook.Cashout{}, invalid(fmt.Sprintf("must be at most your available balance, %s", s.currency.Format(b.AvailableMinor)))
	}
	c, err := tx.Cashouts().Create(ctx, mentorbook.Cashout{MentorID: mentorID, AmountMinor: amount, Currency: s.currency.Code,
		Status: mentorbook.CashoutRequested, PayoutAccount: account, Automatic: automatic,
		ExpectedBy: now.AddDate(0, 0, settings.CashoutDays), CreatedAt: now})
	if err != nil {
		return c, err
	}
	if err := s.post(ctx, tx, c, KindCashoutRequested, mentorID, now,
		mentorbook.Posting{Account: mentorAccount(mentorbook.BucketAvailable, mentorID), Amount: amount},
		mentorbook.Posting{Account: mentorAccount(mentorbook.BucketWithdrawing, mentorID), Amount: -amount}); err != nil {
		return c, err
	}
	if err := s.notifyAdmins(ctx, tx, fmt.Sprintf("%s asks for a cashout of %s", c.MentorName, money.FormatIn(c.Currency, amount)),
		fmt.Sprintf("To pay by %s.", c.ExpectedBy.Format("2 Jan 2006"))); err != nil {
		return c, err
	}
	return c, s.notifyCashout(ctx, tx, c, fmt.Sprintf("Cashout of %s requested", money.FormatIn(c.Currency, amount)),
		fmt.Sprintf("Expected by %s: %s.", c.ExpectedBy.Format("2 Jan 2006"), settings.CashoutText))
}

// post records a cashout's ledger transaction.
func (s *Cashouts) post(ctx context.Context, tx mentorbook.Tx, c mentorbook.Cashout, kind string, actorID int64, now time.Time, ps ...mentorbook.Posting) error {
	words := map[string]string{KindCashoutRequested: "requested", KindCashoutPaid: "paid", KindCashoutReturned: "returned to available"}
	_, err := tx.Ledger().Post(ctx, mentorbook.LedgerTx{Kind: kind, SourceType: "cashout", SourceID: c.ID, Currency: c.Currency,
		MentorID: c.MentorID, ActorID: actorID, CreatedAt: now, Postings: ps,
		Description: fmt.Sprintf("Cashout #%d of %s %s", c.ID, money.FormatIn(c.Currency, c.AmountMinor), words[kind])})
	return err
}

func (s *Cashouts) notifyCashout(ctx context.Context, tx mentorbook.Tx, c mentorbook.Cashout, title, body string) error {
	return s.notify(ctx, tx, mentorbook.Notification{UserID: c.MentorID, Kind: mentorbook.NotifyCashout, Title: title, Body: body,
		Link: "/me/balance"})
}

// Mine lists the caller's cashouts, newest first.
func (s *Cashouts) Mine(ctx context.Context, caller mentorbook.User) ([]mentorbook.Cashout, error) {
	if err := requireMentor(caller); err != nil {
		return nil, err
	}
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Cashout, error) {
		return tx.Cashouts().List(ctx, mentorbook.CashoutFilter{MentorID: caller.ID, Limit: 200})
	})
}

// AdminList lists cashouts by status (comma-separated; default
// requested), oldest first, the order to pay them in: a page at a time,
// with the cursor of the next ("" on the last).
func (s *Cashouts) AdminList(ctx context.Context, caller mentorbook.User, q AdminListQuery) ([]mentorbook.Cashout, string, error) {
	if err := requireAdmin(caller); err != nil {
		return nil, "", err
	}
	if q.Status == "" {
		q.Status = string(mentorbook.CashoutRequested)
	}
	v := mentorbook.Validation{}
	f := mentorbook.CashoutFilter{Oldest: true, AfterID: beforeIDCursor(q.Cursor, v),
		Statuses: parseStatuses(q.Status, mentorbook.CashoutStatus.Valid, v, "must be among requested, paid, rejected, cancelled (comma-separated)")}
	limit := pageSize(q.Limit, v)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	f.Limit = limit + 1
	cs, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Cashout, error) {
		return tx.Cashouts().List(ctx, f)
	})
	if err != nil {
		return nil, "", err
	}
	cs, next := idPage(cs, limit, func(c mentorbook.Cashout) int64 { return c.ID })
	return cs, next, nil
}

// Resolution is how a requested cashout ends.
type Resolution string

const (
	ResolvePaid   Resolution = "paid"
	ResolveReject Resolution = "reject"
	ResolveCancel Resolution = "cancel"
)

// Resolve ends a requested cashout once: an administrator pays it (the
// money leaves withdrawing and the bank) or rejects it, or its mentor
// cancels it (both back to available). Any second resolution, however
// they race, is 409 and writes nothing.
func (s *Cashouts) Resolve(ctx context.Context, caller mentorbook.User, id int64, how Resolution, text string) (mentorbook.Cashout, error) {
	text = strings.TrimSpace(text)
	switch how {
	case ResolvePaid, ResolveReject:
		if err := requireAdmin(caller); err != nil {
			return mentorbook.Cashout{}, err
		}
	case ResolveCancel:
		if err := requireMentor(caller); err != nil {
			return mentorbook.Cashout{}, err
		}
	}
	v := mentorbook.Validation{}
	field := map[Resolution]string{ResolvePaid: "bank_reference", ResolveReject: "reason"}[how]
	if field != "" {
		checkText(v, field, text)
		if text == "" {
			v.Add(field, "is required")
		}
		if utf8.RuneCountInString(text) > maxReason {
			v.Add(field, "must be at most 1000 characters")
		}
	}
	if err := v.Err(); err != nil {
		return mentorbook.Cashout{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Cashout, error) {
		c, err := tx.Cashouts().Lock(ctx, id)
		if how == ResolveCancel && err == nil && c.MentorID != caller.ID || mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
			return mentorbook.Cashout{}, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such cashout.")
		} else if err != nil {
			return c, err
		}
		if how != ResolveCancel && c.MentorID == caller.ID {
			return c, mentorbook.Errorf(mentorbook.EFORBIDDEN, "This is your own cashout: another administrator must resolve it.")
		}
		if c.Status != mentorbook.CashoutRequested {
			return c, mentorbook.Errorf(mentorbook.ECONFLICT, "The cashout is already %s.", c.Status)
		}
		c.ResolvedBy, c.ResolvedAt = caller.ID, now
		withdrawing := mentorAccount(mentorbook.BucketWithdrawing, c.MentorID)
		var title string
		switch how {
		case ResolvePaid:
			c.Status, c.BankReference = mentorbook.CashoutPaid, text
			err = s.post(ctx, tx, c, KindCashoutPaid, caller.ID, now,
				mentorbook.Posting{Account: withdrawing, Amount: c.AmountMinor},
				mentorbook.Posting{Account: platformAccount(mentorbook.BucketBank), Amount: -c.AmountMinor})
			title = fmt.Sprintf("Cashout of %s paid", money.FormatIn(c.Currency, c.AmountMinor))
		default:
			c.Status, c.Reason = mentorbook.CashoutRejected, text
			title = fmt.Sprintf("Cashout of %s rejected; the money is available again", money.FormatIn(c.Currency, c.AmountMinor))
			if how == ResolveCancel {
				c.Status = mentorbook.CashoutCancelled
				title = fmt.Sprintf("Cashout of %s cancelled; the money is available again", money.FormatIn(c.Currency, c.AmountMinor))
			}
			err = s.post(ctx, tx, c, KindCashoutReturned, caller.ID, now,
				mentorbook.Posting{Account: withdrawing, Amount: c.AmountMinor},
				mentorbook.Posting{Account: mentorAccount(mentorbook.BucketAvailable, c.MentorID), Amount: -c.AmountMinor})
		}
		if err != nil {
			return c, err
		}
		if c, err = tx.Cashouts().Save(ctx, c); err != nil {
			return c, err
		}
		if how == ResolveCancel {
			if err := s.notifyAdmins(ctx, tx, fmt.Sprintf("%s cancelled their cashout of %s", c.MentorName,
				money.FormatIn(c.Currency, c.AmountMinor)), ""); err != nil {
				return c, err
			}
		}
		return c, s.notifyCashout(ctx, tx, c, title, text)
	})
}

// JobAutoCashouts requests the whole available balance of every mentor
// whose automatic cashout falls today (UTC), when it is at least the
// minimum and no other cashout of theirs is requested.
const JobAutoCashouts = "auto-cashouts"

func (s *Cashouts) autoCashouts(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
	accounts, err := tx.Cashouts().AutoAccounts(ctx)
	if err != nil {
		return 0, err
	}
	settings, err := s.settings(ctx, tx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range accounts {
		due := a.Auto == "weekly" && now.Weekday() == a.AutoWeekday || a.Auto == "monthly" && now.Day() == 1
		if !due {
			continue
		}
		// Decided under the lock the mentor's own requests take: on
		// PostgreSQL a request committed meanwhile is then read, and the
		// mentor skipped, instead of failing the day's job for everyone.
		if err := tx.Users().Lock(ctx, a.MentorID); err != nil {
			return n, err
		}
		b, err := tx.Ledger().Balance(ctx, a.MentorID, s.currency.Code)
		if err != nil {
			return n, err
		}
		open, err := tx.Cashouts().List(ctx, mentorbook.CashoutFilter{MentorID: a.MentorID, Statuses: []mentorbook.CashoutStatus{mentorbook.CashoutRequested}, Limit: 1})
		if err != nil {
			return n, err
		}
		if len(open) > 0 || b.AvailableMinor < settings.MinCashoutMinor || b.AvailableMinor == 0 {
			continue
		}
		if _, err := s.request(ctx, tx, a.MentorID, b.AvailableMinor, true, now); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Terms are what a mentor reads about cashouts: the minimum and how long
// they take (the defaults if the settings cannot be read).
func (s *Cashouts) Terms(ctx context.Context) mentorbook.PlatformSettings {
	settings, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.PlatformSettings, error) {
		return s.settings(ctx, tx)
	})
	if err != nil {
		return s.defaultSettings()
	}
	return settings
}
