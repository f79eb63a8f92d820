package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mentorbook/mentorbook"
)

// MoneySnapshot writes every payment, ledger entry and account balance as
// text, so a test can check that a refused request left them exactly as
// they were.
func MoneySnapshot(ctx context.Context, s mentorbook.Store) (string, error) {
	var b strings.Builder
	err := s.Read(ctx, func(tx mentorbook.Tx) error {
		ps, err := tx.Payments().List(ctx, mentorbook.PaymentFilter{Limit: 1 << 20})
		if err != nil {
			return err
		}
		for _, p := range ps {
			fmt.Fprintf(&b, "payment %+v\n", p)
			rs, err := tx.Payments().Refunds(ctx, p.ID)
			if err != nil {
				return err
			}
			for _, r := range rs {
				fmt.Fprintf(&b, "refund %+v\n", r)
			}
		}
		cs, err := tx.Cashouts().List(ctx, mentorbook.CashoutFilter{Limit: 1 << 20})
		if err != nil {
			return err
		}
		for _, c := range cs {
			fmt.Fprintf(&b, "cashout %+v\n", c)
		}
		es, err := tx.Ledger().Entries(ctx, mentorbook.LedgerFilter{Limit: 1 << 20})
		if err != nil {
			return err
		}
		for _, e := range es {
			fmt.Fprintf(&b, "entry %+v\n", e)
		}
		sums, err := tx.Ledger().Summary(ctx)
		fmt.Fprintf(&b, "summary %+v\n", sums)
		return err
	})
	return b.String(), err
}

// CheckBooks checks the ledger's invariants: every transaction sums to
// zero, no balance is negative, each account's entries add up to its
// balance and each entry's balance_after is the running sum, and
// bank = fees + pending + available + withdrawing in every currency, and
// each mentor's paid-out total is what their paid cashouts add to. It
// returns the summary.
func CheckBooks(t testing.TB, s mentorbook.Store) []mentorbook.LedgerSummary {
	t.Helper()
	ctx := context.Background()
	var es []mentorbook.LedgerEntry
	var sums []mentorbook.LedgerSummary
	var paid []mentorbook.Cashout
	balances := map[string]mentorbook.Balance{}
	err := s.Read(ctx, func(tx mentorbook.Tx) (err error) {
		if es, err = tx.Ledger().Entries(ctx, mentorbook.LedgerFilter{Limit: 1 << 30}); err != nil {
			return err
		}
		if paid, err = tx.Cashouts().List(ctx, mentorbook.CashoutFilter{Statuses: []mentorbook.CashoutStatus{mentorbook.CashoutPaid}, Limit: 1 << 30}); err != nil {
			return err
		}
		for _, c := range paid {
			key := fmt.Sprint(c.MentorID, c.Currency)
			if _, ok := balances[key]; !ok {
				if balances[key], err = tx.Ledger().Balance(ctx, c.MentorID, c.Currency); err != nil {
					return err
				}
			}
		}
		if sums, err = tx.Ledger().Summary(ctx); err != nil {
			return err
		}
		for _, e := range es {
			if e.Account.Owner != 0 {
				key := fmt.Sprint(e.Account.Owner, e.Currency)
				if balances[key], err = tx.Ledger().Balance(ctx, e.Account.Owner, e.Currency); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	txSum := map[int64]int64{}
	running := map[string]int64{}
	platform := map[string]int64{}
	// Oldest first, to follow the running balances.
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		txSum[e.TransactionID] += e.Amount
		key := fmt.Sprint(e.Account, e.Currency)
		running[key] += e.Change
		if running[key] != e.BalanceAfter || e.BalanceAfter < 0 {
			t.Errorf("entry %d of %v: balance after %d, running sum %d", e.ID, e.Account, e.BalanceAfter, running[key])
		}
		if e.Account.Owner == 0 {
			platform[fmt.Sprint(e.Account.Bucket, e.Currency)] = running[key]
		}
	}
	for id, sum := range txSum {
		if sum != 0 {
			t.Errorf("ledger transaction %d sums to %d", id, sum)
		}
	}
	// The paid-out total the database keeps is what the paid cashouts add to.
	paidOut := map[string]int64{}
	for _, c := range paid {
		paidOut[fmt.Sprint(c.MentorID, c.Currency)] += c.AmountMinor
	}
	for key, b := range balances {
		if b.PaidOutMinor != paidOut[key] {
			t.Errorf("mentor/currency %s: paid out %d, paid cashouts add to %d", key, b.PaidOutMinor, paidOut[key])
		}
	}
	mentorTotals := map[string]int64{}
	for key, b := range balances {
		for bucket, v := range map[mentorbook.LedgerBucket]int64{mentorbook.BucketPending: b.PendingMinor,
			mentorbook.BucketAvailable: b.AvailableMinor, mentorbook.BucketWithdrawing: b.WithdrawingMinor} {
			var owner int64
			fmt.Sscan(strings.TrimSuffix(key, b.Currency), &owner)
			if got := running[fmt.Sprint(mentorbook.Account{Bucket: bucket, Owner: owner}, b.Currency)]; got != v || v < 0 {
				t.Errorf("mentor %d %s: balance %d, entries sum to %d", owner, bucket, v, got)
			}
			mentorTotals[fmt.Sprint(bucket, b.Currency)] += v
		}
	}
	for _, sum := range sums {
		if !sum.Balanced() {
			t.Errorf("books out of balance: %+v", sum)
		}
		for bucket, v := range map[mentorbook.LedgerBucket]int64{mentorbook.BucketBank: sum.BankMinor, mentorbook.BucketFees: sum.FeesMinor} {
			if got := platform[fmt.Sprint(bucket, sum.Currency)]; got != v {
				t.Errorf("%s %s: summary %d, entries sum to %d", sum.Currency, bucket, v, got)
			}
		}
		for bucket, v := range map[mentorbook.LedgerBucket]int64{mentorbook.BucketPending: sum.PendingMinor,
			mentorbook.BucketAvailable: sum.AvailableMinor, mentorbook.BucketWithdrawing: sum.WithdrawingMinor} {
			if got := mentorTotals[fmt.Sprint(bucket, sum.Currency)]; got != v {
				t.Errorf("%s %s: summary %d, mentors' balances sum to %d", sum.Currency, bucket, v, got)
			}
		}
	}
	return sums
}

// paidMentorship makes an accepted paid mentorship of a new mentor and
// mentee, and its payment.
func paidMentorship(t *testing.T, s Ops, price int64, reference func() string) (mentorbook.Mentorship, mentorbook.Payment) {
	t.Helper()
	mentor := mustMentor(t, s, "mentor")
	mentee := mustUser(t, s, "mentee")
	sv := s.CreateService(t, program(mentor.ID, "Go", price))
	m := requested(sv, mentee.ID)
	m.Status, m.AcceptedAt, m.FeeBPS = mentorbook.MentorshipAwaitingPayment, now, 1000
	m = s.CreateMentorship(t, m)
	p, err := mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Payment, error) {
		return tx.Payments().Create(t.Context(), mentorbook.Payment{MentorshipID: m.ID, PayerID: mentee.ID,
			MentorID: mentor.ID, AmountMinor: price, Currency: "EUR", FeeBPS: 1000, FeeMinor: price / 10,
			MentorShareMinor: price - price/10, Status: mentorbook.PaymentAwaiting, DueAt: now.Add(time.Hour),
			PayTo: mentorbook.PayTo{BankName: "Bank"}, CreatedAt: now, UpdatedAt: now}, reference)
	})
	if err != nil {
		t.Fatalf("Create payment: %v", err)
	}
	return m, p
}

// confirmation posts a payment's confirmation as the use case does.
func confirmation(p mentorbook.Payment) mentorbook.LedgerTx {
	return mentorbook.LedgerTx{Kind: "payment_confirmed", SourceType: "payment", SourceID: p.ID, Currency: p.Currency,
		MentorID: p.MentorID, MentorshipID: p.MentorshipID, Description: "received", CreatedAt: now,
		Postings: []mentorbook.Posting{
			{Account: mentorbook.Account{Bucket: mentorbook.BucketBank}, Amount: p.AmountMinor},
			{Account: mentorbook.Account{Bucket: mentorbook.BucketFees}, Amount: -p.FeeMinor},
			{Account: mentorbook.Account{Bucket: mentorbook.BucketPending, Owner: p.MentorID}, Amount: -p.MentorShareMinor},
		}}
}

func (s Ops) Post(t *testing.T, lt mentorbook.LedgerTx) error {
	t.Helper()
	return s.Write(t.Context(), func(tx mentorbook.Tx) error {
		_, err := tx.Ledger().Post(t.Context(), lt)
		return err
	})
}

func (s Ops) Balance(t *testing.T, mentorID int64) mentorbook.Balance {
	t.Helper()
	b, err := mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Balance, error) {
		return tx.Ledger().Balance(t.Context(), mentorID, "EUR")
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var moneyTests = []test{
	{"a taken payment reference is drawn again", func(t *testing.T, s Ops) {
		_, first := paidMentorship(t, s, 9999, func() string { return "MB-AAAA-AAAA" })
		refs := []string{"MB-AAAA-AAAA", "MB-AAAA-AAAA", "MB-BBBB-BBBB"}
		_, second := paidMentorship(t, s, 9999, func() string { r := refs[0]; refs = refs[1:]; return r })
		if first.Reference != "MB-AAAA-AAAA" || second.Reference != "MB-BBBB-BBBB" || len(refs) != 0 {
			t.Errorf("references %q and %q, %d draws left", first.Reference, second.Reference, len(refs))
		}
		_, err := mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Payment, error) {
			p := first
			p.ID = 0
			return tx.Payments().Create(t.Context(), p, func() string { return "MB-CCCC-CCCC" })
		})
		if mentorbook.ErrorCode(err) != mentorbook.ECONFLICT {
			t.Errorf("a second payment of one mentorship: %v", err)
		}
	}},
	{"a payment saves, locks and lists", func(t *testing.T, s Ops) {
		m, p := paidMentorship(t, s, 9999, func() string { return "MB-AAAA-AAAA" })
		if p.MentorshipID != m.ID || p.Status != mentorbook.PaymentAwaiting || p.FeeMinor != 999 || p.MentorShareMinor != 9000 ||
			!p.DueAt.Equal(now.Add(time.Hour)) || p.PayTo.BankName != "Bank" || p.Title != "Go" {
			t.Fatalf("created %+v", p)
		}
		saved, err := mentorbook.WriteValue(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Payment, error) {
			q, err := tx.Payments().Lock(t.Context(), p.ID)
			if err != nil {
				return q, err
			}
			q.Status, q.SentAt, q.SentNote, q.UpdatedAt = mentorbook.PaymentSent, now, "done", now.Add(time.Minute)
			return tx.Payments().Save(t.Context(), q)
		})
		if err != nil || saved.Status != mentorbook.PaymentSent || !saved.SentAt.Equal(now) || saved.SentNote != "done" {
			t.Fatalf("saved %+v, %v", saved, err)
		}
		_, other := paidMentorship(t, s, 500, func() string { return "MB-BBBB-BBBB" })
		ps, err := mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) ([]mentorbook.Payment, error) {
			return tx.Payments().List(t.Context(), mentorbook.PaymentFilter{Limit: 10, SentFirst: true})
		})
		if err != nil || len(ps) != 2 || ps[0].ID != p.ID || ps[1].ID != other.ID {
			t.Errorf("sent first: %v, %v", ps, err)
		}
		ps, err = mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) ([]mentorbook.Payment, error) {
			return tx.Payments().List(t.Context(), mentorbook.PaymentFilter{Limit: 10, PayerID: other.PayerID})
		})
		if err != nil || len(ps) != 1 || ps[0].ID != other.ID {
			t.Errorf("by payer: %v, %v", ps, err)
		}
		expired, ok, err := mentorbook.WriteValue2(t.Context(), s, func(tx mentorbook.Tx) (mentorbook.Payment, bool, error) {
			return tx.Payments().ExpireWaiting(t.Context(), m.ID, now)
		})
		if err != nil || !ok || expired.Status != mentorbook.PaymentExpired {
			t.Errorf("expire: %+v %v %v", expired, ok, err)
		}
	}},
	{"payment lists continue after a position in their order", func(t *testing.T, s Ops) {
		ctx := t.Context()
		refs := []string{"MB-AAAA-AAAA", "MB-BBBB-BBBB", "MB-CCCC-CCCC", "MB-DDDD-DDDD"}
		var ps []mentorbook.Payment
		for _, ref := range refs {
			_, p := paidMentorship(t, s, 9999, func() string { return ref })
			ps = append(ps, p)
		}
		// The first and third are marked sent: administrators see 1, 3, 2, 4.
		for _, i := range []int{0, 2} {
			if err := s.Write(ctx, func(tx mentorbook.Tx) error {
				p := ps[i]
				p.Status, p.SentAt = mentorbook.PaymentSent, now
				_, err := tx.Payments().Save(ctx, p)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		list := func(f mentorbook.PaymentFilter) []int64 {
			got, err := mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.Payment, error) { return tx.Payments().List(ctx, f) })
			if err != nil {
				t.Fatal(err)
			}
			ids := []int64{}
			for _, p := range got {
				ids = append(ids, p.ID)
			}
			return ids
		}
		id := func(i int) int64 { return ps[i].ID }
		for _, tt := range []struct {
			name string
			f    mentorbook.PaymentFilter
			want []int64
		}{
			{"sent first, from the start", mentorbook.PaymentFilter{SentFirst: true, Limit: 10}, []int64{id(0), id(2), id(1), id(3)}},
			{"after the first sent", mentorbook.PaymentFilter{SentFirst: true, Limit: 10, After: mentorbook.PaymentPosition{ID: id(0), Sent: true}},
				[]int64{id(2), id(1), id(3)}},
			{"after the last sent", mentorbook.PaymentFilter{SentFirst: true, Limit: 2, After: mentorbook.PaymentPosition{ID: id(2), Sent: true}},
				[]int64{id(1), id(3)}},
			{"after a waiting one", mentorbook.PaymentFilter{SentFirst: true, Limit: 10, After: mentorbook.PaymentPosition{ID: id(1)}},
				[]int64{id(3)}},
			{"after the end", mentorbook.PaymentFilter{SentFirst: true, Limit: 10, After: mentorbook.PaymentPosition{ID: id(3)}}, []int64{}},
			{"newest first", mentorbook.PaymentFilter{Limit: 10, After: mentorbook.PaymentPosition{ID: id(2)}}, []int64{id(1), id(0)}},
		} {
			if got := list(tt.f); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
	}},
	{"a posting moves balances, keeps running balances and sums to zero", func(t *testing.T, s Ops) {
		_, p := paidMentorship(t, s, 9999, func() string { return "MB-AAAA-AAAA" })
		if err := s.Post(t, confirmation(p)); err != nil {
			t.Fatal(err)
		}
		if b := s.Balance(t, p.MentorID); b.PendingMinor != 9000 || b.AvailableMinor != 0 {
			t.Errorf("balance %+v", b)
		}
		release := mentorbook.LedgerTx{Kind: "share_released", SourceType: "payment", SourceID: p.ID, Currency: "EUR",
			CreatedAt: now, Postings: []mentorbook.Posting{
				{Account: mentorbook.Account{Bucket: mentorbook.BucketPending, Owner: p.MentorID}, Amount: 4000},
				{Account: mentorbook.Account{Bucket: mentorbook.BucketAvailable, Owner: p.MentorID}, Amount: -4000},
			}}
		if err := s.Post(t, release); err != nil {
			t.Fatal(err)
		}
		if b := s.Balance(t, p.MentorID); b.PendingMinor != 5000 || b.AvailableMinor != 4000 {
			t.Errorf("balance after release %+v", b)
		}
		sums := CheckBooks(t, s)
		if len(sums) != 1 || sums[0] != (mentorbook.LedgerSummary{Currency: "EUR", BankMinor: 9999, FeesMinor: 999, PendingMinor: 5000, AvailableMinor: 4000}) {
			t.Errorf("summary %+v", sums)
		}
		es, err := mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) ([]mentorbook.LedgerEntry, error) {
			return tx.Ledger().Entries(t.Context(), mentorbook.LedgerFilter{Owner: p.MentorID, Limit: 10})
		})
		if err != nil || len(es) != 3 || es[0].Kind != "share_released" || es[0].Account.Bucket != mentorbook.BucketAvailable ||
			es[0].Change != 4000 || es[0].BalanceAfter != 4000 || es[1].Change != -4000 || es[1].BalanceAfter != 5000 ||
			es[2].Change != 9000 || es[2].MentorshipID != p.MentorshipID {
			t.Errorf("mentor's entries %+v, %v", es, err)
		}
		page, err := mentorbook.ReadValue(t.Context(), s, func(tx mentorbook.Tx) ([]mentorbook.LedgerEntry, error) {
			return tx.Ledger().Entries(t.Context(), mentorbook.LedgerFilter{Kind: "payment_confirmed", BeforeID: es[2].ID + 1, Limit: 10})
		})
		if err != nil || len(page) != 3 {
			t.Errorf("confirmation's entries %+v, %v", page, err)
		}
	}},
	{"the ledger refuses a second posting, an unbalanced one and a negative balance, writing nothing", func(t *testing.T, s Ops) {
		_, p := paidMentorship(t, s, 9999, func() string { return "MB-AAAA-AAAA" })
		if err := s.Post(t, confirmation(p)); err != nil {
			t.Fatal(err)
		}
		before, err := MoneySnapshot(t.Context(), s)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Post(t, confirmation(p)); mentorbook.ErrorCode(err) != mentorbook.ECONFLICT {
			t.Errorf("second confirmation: %v", err)
		}
		unbalanced := confirmation(p)
		unbalanced.Kind, unbalanced.Postings[0].Amount = "other", 1
		if err := s.Post(t, unbalanced); err == nil {
			t.Error("an unbalanced posting was accepted")
		}
		overdraw := mentorbook.LedgerTx{Kind: "share_released", SourceType: "payment", SourceID: p.ID, Currency: "EUR",
			CreatedAt: now, Postings: []mentorbook.Posting{
				{Account: mentorbook.Account{Bucket: mentorbook.BucketPending, Owner: p.MentorID}, Amount: 9001},
				{Account: mentorbook.Account{Bucket: mentorbook.BucketAvailable, Owner: p.MentorID}, Amount: -9001},
			}}
		if err := s.Post(t, overdraw); mentorbook.ErrorCode(err) != mentorbook.ECONFLICT {
			t.Errorf("overdraw: %v", err)
		}
		after, err := MoneySnapshot(t.Context(), s)
		if err != nil || after != before {
			t.Errorf("a refused posting changed the books (%v):\n%s\nthen\n%s", err, before, after)
		}
		CheckBooks(t, s)
	}},
}

var cashoutTests = []test{
	{"administrators are listed while they are administrators", func(t *testing.T, s Ops) {
		ctx := t.Context()
		a, b := mustUser(t, s, "ada"), mustUser(t, s, "bob")
		admins := func() []int64 {
			us, err := mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.User, error) { return tx.Users().Admins(ctx) })
			if err != nil {
				t.Fatal(err)
			}
			ids := []int64{}
			for _, u := range us {
				if !u.Admin {
					t.Errorf("listed %d without Admin", u.ID)
				}
				ids = append(ids, u.ID)
			}
			return ids
		}
		if got := admins(); len(got) != 0 {
			t.Fatalf("admins before any grant: %v", got)
		}
		set := func(email string, admin bool) mentorbook.User {
			u, err := mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.User, error) { return tx.Users().SetAdmin(ctx, email, admin) })
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		if u := set(b.Email, true); !u.Admin || u.ID != b.ID {
			t.Errorf("granted %+v", u)
		}
		set(a.Email, true)
		if got := admins(); len(got) != 2 || got[0] != a.ID || got[1] != b.ID {
			t.Errorf("admins %v, want [%d %d]", got, a.ID, b.ID)
		}
		set(a.Email, false)
		if got := admins(); len(got) != 1 || got[0] != b.ID {
			t.Errorf("after revoking: %v", got)
		}
		if _, err := mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.User, error) {
			return tx.Users().SetAdmin(ctx, "nobody@example.com", true)
		}); mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			t.Errorf("unknown email: %v", err)
		}
	}},
	{"payout accounts and cashouts are stored, one requested per mentor", func(t *testing.T, s Ops) {
		ctx := t.Context()
		mentor := mustMentor(t, s, "mentor")
		other := mustMentor(t, s, "other")
		_, err := mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.PayoutAccount, error) {
			return tx.Cashouts().PayoutAccount(ctx, mentor.ID)
		})
		if mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			t.Fatalf("no payout account yet: %v", err)
		}
		acct := mentorbook.PayoutAccount{MentorID: mentor.ID, BankName: "GLS", AccountHolder: "M", AccountNumber: "DE02",
			Auto: "weekly", AutoWeekday: time.Friday, UpdatedAt: now}
		err = s.Write(ctx, func(tx mentorbook.Tx) error {
			if err := tx.Cashouts().PutPayoutAccount(ctx, acct); err != nil {
				return err
			}
			acct2 := acct
			acct2.MentorID, acct2.Auto = other.ID, "off"
			return tx.Cashouts().PutPayoutAccount(ctx, acct2)
		})
		if err != nil {
			t.Fatal(err)
		}
		autos, err := mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.PayoutAccount, error) {
			return tx.Cashouts().AutoAccounts(ctx)
		})
		if err != nil || len(autos) != 1 || autos[0] != acct {
			t.Fatalf("automatic accounts %+v, %v", autos, err)
		}
		c := mentorbook.Cashout{MentorID: mentor.ID, AmountMinor: 500, Currency: "EUR", Status: mentorbook.CashoutRequested,
			PayoutAccount: acct, ExpectedBy: now.Add(time.Hour), CreatedAt: now}
		created, err := mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Cashout, error) { return tx.Cashouts().Create(ctx, c) })
		if err != nil || created.ID == 0 || created.PayoutAccount.AccountNumber != "DE02" || created.MentorName != "mentor" || !created.ExpectedBy.Equal(c.ExpectedBy) {
			t.Fatalf("created %+v, %v", created, err)
		}
		if _, err := mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Cashout, error) { return tx.Cashouts().Create(ctx, c) }); mentorbook.ErrorCode(err) != mentorbook.ECONFLICT {
			t.Errorf("a second requested cashout: %v", err)
		}
		paid, err := mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Cashout, error) {
			got, err := tx.Cashouts().Lock(ctx, created.ID)
			if err != nil {
				return got, err
			}
			got.Status, got.BankReference, got.ResolvedBy, got.ResolvedAt = mentorbook.CashoutPaid, "OUT", other.ID, now
			return tx.Cashouts().Save(ctx, got)
		})
		if err != nil || paid.Status != mentorbook.CashoutPaid || paid.BankReference != "OUT" || paid.ResolvedBy != other.ID {
			t.Fatalf("paid %+v, %v", paid, err)
		}
		again, err := mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Cashout, error) { return tx.Cashouts().Create(ctx, c) })
		if err != nil {
			t.Fatalf("a new request after the first was paid: %v", err)
		}
		list, err := mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.Cashout, error) {
			return tx.Cashouts().List(ctx, mentorbook.CashoutFilter{Statuses: []mentorbook.CashoutStatus{mentorbook.CashoutRequested}, Limit: 10})
		})
		if err != nil || len(list) != 1 || list[0].ID != again.ID {
			t.Errorf("requested %+v, %v", list, err)
		}
		list, err = mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.Cashout, error) {
			return tx.Cashouts().List(ctx, mentorbook.CashoutFilter{MentorID: mentor.ID, Oldest: true, Limit: 10})
		})
		if err != nil || len(list) != 2 || list[0].ID != created.ID {
			t.Errorf("oldest first %+v, %v", list, err)
		}
		// Lists continue after a cashout in their order.
		c.MentorID = other.ID
		third, err := mentorbook.WriteValue(ctx, s, func(tx mentorbook.Tx) (mentorbook.Cashout, error) { return tx.Cashouts().Create(ctx, c) })
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			f    mentorbook.CashoutFilter
			want []int64
		}{
			{mentorbook.CashoutFilter{Oldest: true, Limit: 10, AfterID: created.ID}, []int64{again.ID, third.ID}},
			{mentorbook.CashoutFilter{Oldest: true, Limit: 1, AfterID: again.ID}, []int64{third.ID}},
			{mentorbook.CashoutFilter{Oldest: true, Limit: 10, AfterID: third.ID}, nil},
			{mentorbook.CashoutFilter{Limit: 10, AfterID: third.ID}, []int64{again.ID, created.ID}},
			{mentorbook.CashoutFilter{Statuses: []mentorbook.CashoutStatus{mentorbook.CashoutRequested}, Oldest: true, Limit: 10, AfterID: created.ID},
				[]int64{again.ID, third.ID}},
		} {
			list, err = mentorbook.ReadValue(ctx, s, func(tx mentorbook.Tx) ([]mentorbook.Cashout, error) { return tx.Cashouts().List(ctx, tt.f) })
			var ids []int64
			for _, c := range list {
				ids = append(ids, c.ID)
			}
			if err != nil || fmt.Sprint(ids) != fmt.Sprint(tt.want) {
				t.Errorf("%+v: %v, %v; want %v", tt.f, ids, err, tt.want)
			}
		}
	}},
}
