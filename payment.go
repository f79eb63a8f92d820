package mentorbook

import (
	"context"
	"time"
)

// PlatformSettings are what administrators set for the whole platform.
// Mentorships keep the fee they were requested under.
type PlatformSettings struct {
	BankName        string
	AccountHolder   string
	AccountNumber   string
	Instructions    string
	FeeBPS          int // basis points; 1000 = 10%
	PayDays         int // days to pay after acceptance
	ReleaseDays     int // days after confirmation before a share becomes available
	MinCashoutMinor int64
	CashoutText     string // how long cashouts take, as shown to mentors
	CashoutDays     int    // the upper bound of that, for expected_by
	UpdatedAt       time.Time
	UpdatedBy       int64
}

// PaymentStatus is where a bank-transfer payment stands.
type PaymentStatus string

const (
	PaymentAwaiting  PaymentStatus = "awaiting_transfer"
	PaymentSent      PaymentStatus = "sent"
	PaymentConfirmed PaymentStatus = "confirmed"
	PaymentExpired   PaymentStatus = "expired"
	PaymentCancelled PaymentStatus = "cancelled"
)

// Valid reports whether s is a known status.
func (s PaymentStatus) Valid() bool {
	switch s {
	case PaymentAwaiting, PaymentSent, PaymentConfirmed, PaymentExpired, PaymentCancelled:
		return true
	}
	return false
}

// Waiting reports whether the payment still waits for the transfer.
func (s PaymentStatus) Waiting() bool { return s == PaymentAwaiting || s == PaymentSent }

// PayTo is the platform's bank account as shown to a payer.
type PayTo struct {
	BankName, AccountHolder, AccountNumber, Instructions string
}

// Payment is the bank transfer a paid mentorship waits for.
type Payment struct {
	ID               int64
	MentorshipID     int64
	PayerID          int64
	MentorID         int64
	AmountMinor      int64
	Currency         string
	FeeBPS           int
	FeeMinor         int64
	MentorShareMinor int64
	Reference        string
	Status           PaymentStatus
	DueAt            time.Time
	PayTo            PayTo
	SentAt           time.Time
	SentNote         string
	RejectedReason   string
	ConfirmedAt      time.Time
	ConfirmedBy      int64
	BankReference    string
	// PendingMinor is what of the mentor's share is still pending: not
	// released, not refunded.
	PendingMinor  int64
	RefundedMinor int64
	ReleasedAt    time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// Title of the mentorship, for lists.
	Title string
}

// Refund is money an administrator sent back for a payment.
type Refund struct {
	ID            int64
	PaymentID     int64
	AmountMinor   int64
	FeeMinor      int64 // taken from the platform's fees
	MentorMinor   int64 // taken from the mentor
	Reason        string
	BankReference string
	CreatedBy     int64
	CreatedAt     time.Time
}

// Payments holds payments and their refunds.
type Payments interface {
	// Create inserts p with a reference from newReference, calling it
	// again while the reference is taken.
	Create(ctx context.Context, p Payment, newReference func() string) (Payment, error)
	Get(ctx context.Context, id int64) (Payment, error)
	// Lock is Get holding the row until the transaction ends.
	Lock(ctx context.Context, id int64) (Payment, error)
	// ByMentorship is ENOTFOUND for a mentorship without a payment.
	ByMentorship(ctx context.Context, mentorshipID int64, lock bool) (Payment, error)
	// Save writes the status and every field after Reference, and
	// returns the payment as stored.
	Save(ctx context.Context, p Payment) (Payment, error)
	// List lists payments in the filter's order, from its After.
	List(ctx context.Context, f PaymentFilter) ([]Payment, error)
	// ExpireWaiting marks the mentorship's payment expired if it is still
	// waiting, and returns it and whether it did.
	ExpireWaiting(ctx context.Context, mentorshipID int64, now time.Time) (Payment, bool, error)
	AddRefund(ctx context.Context, r Refund) (Refund, error)
	// Refund is ENOTFOUND for an ID that is none.
	Refund(ctx context.Context, id int64) (Refund, error)
	Refunds(ctx context.Context, paymentID int64) ([]Refund, error)
	// ClaimKey and BindKey are Bookings' idempotency keys, bound to the
	// refund recorded under the key.
	ClaimKey(ctx context.Context, key IdempotencyKey) (refundID int64, hash string, claimed bool, err error)
	BindKey(ctx context.Context, key IdempotencyKey, refundID int64) error
}

// PaymentFilter selects payments.
type PaymentFilter struct {
	PayerID  int64 // 0 = anyone's
	Statuses []PaymentStatus
	// Held selects confirmed payments with a pending share and a
	// cancelled mentorship.
	Held  bool
	Limit int
	// SentFirst lists those marked sent first, then the others, each
	// oldest first (the order administrators work in); otherwise the list
	// is newest first.
	SentFirst bool
	// After continues the list after that position, in its order; the
	// zero position is the start.
	After PaymentPosition
}

// PaymentPosition is a payment's place in a list: its ID and, for a
// SentFirst list, whether it was listed among those marked sent.
type PaymentPosition struct {
	ID   int64
	Sent bool
}

// LedgerBucket names a ledger account kind.
type LedgerBucket string

const (
	BucketBank        LedgerBucket = "bank"
	BucketFees        LedgerBucket = "fees"
	BucketPending     LedgerBucket = "pending"
	BucketAvailable   LedgerBucket = "available"
	BucketWithdrawing LedgerBucket = "withdrawing"
)

// DebitNormal reports whether an account's balance grows with debits (the
// bank, an asset); the others are what the platform owes or earned.
func (b LedgerBucket) DebitNormal() bool { return b == BucketBank }

// Account names a ledger account: a platform bucket (Owner 0) or a
// mentor's.
type Account struct {
	Bucket LedgerBucket
	Owner  int64
}

// Posting is one entry of a transaction being posted: a positive Amount
// debits, a negative one credits. Balances of debit-normal accounts move
// by Amount, of the others by −Amount.
type Posting struct {
	Account Account
	Amount  int64
}

// LedgerTx is one business event in the ledger.
type LedgerTx struct {
	ID           int64
	Kind         string // payment_confirmed, share_released, refund, cashout_requested, cashout_paid, cashout_returned
	SourceType   string // payment, refund, cashout
	SourceID     int64
	Currency     string
	MentorID     int64
	MentorshipID int64
	ActorID      int64 // 0: a job
	Description  string
	CreatedAt    time.Time
	Postings     []Posting
}

// LedgerEntry is one stored entry with its transaction's facts.
type LedgerEntry struct {
	ID            int64
	TransactionID int64
	Account       Account
	Amount        int64 // signed: debit +, credit −
	// Change is how the entry moved its account's balance, BalanceAfter
	// what it left.
	Change       int64
	BalanceAfter int64
	Kind         string
	SourceType   string
	SourceID     int64
	Currency     string
	MentorshipID int64
	ActorID      int64
	Description  string
	CreatedAt    time.Time
}

// Balance is a mentor's money by bucket.
type Balance struct {
	Currency                                       string
	PendingMinor, AvailableMinor, WithdrawingMinor int64
	PaidOutMinor                                   int64
}

// LedgerSummary is the platform's books in one currency.
type LedgerSummary struct {
	Currency                                       string
	BankMinor, FeesMinor                           int64
	PendingMinor, AvailableMinor, WithdrawingMinor int64
}

// Balanced reports bank = fees + pending + available + withdrawing.
func (s LedgerSummary) Balanced() bool {
	return s.BankMinor == s.FeesMinor+s.PendingMinor+s.AvailableMinor+s.WithdrawingMinor
}

// Ledger is the append-only double-entry ledger. The database refuses to
// change or delete its rows, a second posting of one (source, kind), and
// any balance below zero.
type Ledger interface {
	// Post records t with its entries and moves the balances, in the
	// caller's transaction; the postings must sum to zero. A second post
	// of the same source and kind is ECONFLICT, a balance that would go
	// below zero ECONFLICT too.
	Post(ctx context.Context, t LedgerTx) (LedgerTx, error)
	// Balance is a mentor's buckets, read from their account rows.
	Balance(ctx context.Context, mentorID int64, currency string) (Balance, error)
	// Summary is the platform's books per currency, from the account rows.
	Summary(ctx context.Context) ([]LedgerSummary, error)
	// Entries lists entries newest first.
	Entries(ctx context.Context, f LedgerFilter) ([]LedgerEntry, error)
}

// LedgerFilter selects ledger entries, newest (highest ID) first.
type LedgerFilter struct {
	Owner    int64 // a mentor's accounts; 0 = every account
	Kind     string
	From, To time.Time // CreatedAt in [From, To); zero = unbounded
	BeforeID int64     // keyset: entries with ID < BeforeID; 0 = from the newest
	Limit    int
}

// Platform holds the platform's settings.
type Platform interface {
	// Settings returns the stored settings; ok is false when none were
	// ever saved (the use case applies its defaults).
	Settings(ctx context.Context) (s PlatformSettings, ok bool, err error)
	PutSettings(ctx context.Context, s PlatformSettings) error
}

// PayoutAccount is where a mentor's cashouts are paid, and their choice of
// automatic cashouts.
type PayoutAccount struct {
	MentorID      int64
	BankName      string
	AccountHolder string
	AccountNumber string
	Notes         string
	Auto          string // off, weekly, monthly
	AutoWeekday   time.Weekday
	UpdatedAt     time.Time
}

// CashoutStatus is where a cashout stands; all but requested are final.
type CashoutStatus string

const (
	CashoutRequested CashoutStatus = "requested"
	CashoutPaid      CashoutStatus = "paid"
	CashoutRejected  CashoutStatus = "rejected"
	CashoutCancelled CashoutStatus = "cancelled"
)

// Valid reports whether s is a known status.
func (s CashoutStatus) Valid() bool {
	switch s {
	case CashoutRequested, CashoutPaid, CashoutRejected, CashoutCancelled:
		return true
	}
	return false
}

// Cashout is a mentor's request to be paid their available balance: the
// money waits in withdrawing until an administrator pays or rejects it,
// or the mentor cancels.
type Cashout struct {
	ID            int64
	MentorID      int64
	MentorName    string
	AmountMinor   int64
	Currency      string
	Status        CashoutStatus
	PayoutAccount PayoutAccount // copied when requested
	Automatic     bool
	ExpectedBy    time.Time
	BankReference string
	Reason        string
	ResolvedBy    int64
	ResolvedAt    time.Time
	CreatedAt     time.Time
}

// Cashouts holds payout accounts and cashouts.
type Cashouts interface {
	PutPayoutAccount(ctx context.Context, a PayoutAccount) error
	// PayoutAccount is ENOTFOUND when the mentor never saved one.
	PayoutAccount(ctx context.Context, mentorID int64) (PayoutAccount, error)
	// AutoAccounts lists the payout accounts with automatic cashouts on.
	AutoAccounts(ctx context.Context) ([]PayoutAccount, error)
	// Create inserts a requested cashout; a second requested one of the
	// same mentor is ECONFLICT (a unique index).
	Create(ctx context.Context, c Cashout) (Cashout, error)
	Get(ctx context.Context, id int64) (Cashout, error)
	// Lock is Get holding the row until the transaction ends.
	Lock(ctx context.Context, id int64) (Cashout, error)
	// Save writes the status and resolution.
	Save(ctx context.Context, c Cashout) (Cashout, error)
	// List lists cashouts newest first (oldest first for Oldest).
	List(ctx context.Context, f CashoutFilter) ([]Cashout, error)
}

// CashoutFilter selects cashouts.
type CashoutFilter struct {
	MentorID int64 // 0 = everyone's
	Statuses []CashoutStatus
	Limit    int
	Oldest   bool
	// AfterID continues the list after that cashout, in its order (IDs
	// above it when Oldest, below it otherwise); 0 is the start.
	AfterID int64
}
