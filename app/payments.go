package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/money"
)

// referenceAlphabet has no O/0 and no I/1, so a reference read aloud or
// typed from a screen cannot be mistaken.
const referenceAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newReference is "MB-" and 8 random characters (40 bits) in two groups:
// short enough for a bank's reference field, unique by the database's
// constraint (a taken one is drawn again).
func newReference() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	out := []byte("MB-")
	for i, c := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, referenceAlphabet[int(c)%len(referenceAlphabet)]) // 256 is a multiple of 32: uniform
	}
	return string(out)
}

// create makes the payment of a paid mentorship just accepted, in tx:
// its split at the fee the mentorship was requested under, due with it.
func (s *Payments) create(ctx context.Context, tx mentorbook.Tx, m mentorbook.Mentorship, now time.Time) (mentorbook.Payment, error) {
	settings, err := s.settings(ctx, tx)
	if err != nil {
		return mentorbook.Payment{}, err
	}
	fee, share := money.Split(m.PriceMinor, m.FeeBPS)
	return tx.Payments().Create(ctx, mentorbook.Payment{MentorshipID: m.ID, PayerID: m.MenteeID, MentorID: m.MentorID,
		AmountMinor: m.PriceMinor, Currency: m.Currency, FeeBPS: m.FeeBPS, FeeMinor: fee, MentorShareMinor: share,
		Status: mentorbook.PaymentAwaiting, DueAt: m.ExpiresAt,
		PayTo: mentorbook.PayTo{BankName: settings.BankName, AccountHolder: settings.AccountHolder,
			AccountNumber: settings.AccountNumber, Instructions: settings.Instructions},
		CreatedAt: now, UpdatedAt: now}, s.newReference)
}

// effective is the payment as it stands at now: a waiting one past its
// due time is expired before the upkeep job records it.
func effective(p mentorbook.Payment, now time.Time) mentorbook.Payment {
	if p.Status.Waiting() && !p.DueAt.After(now) {
		p.Status = mentorbook.PaymentExpired
	}
	return p
}

// ForMentorship returns the payment of a mentorship to either party;
// anyone else, or a mentorship without one, is not found.
func (s *Payments) ForMentorship(ctx context.Context, caller mentorbook.User, mentorshipID int64) (mentorbook.Payment, error) {
	now := s.clock()
	p, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Payment, error) {
		return tx.Payments().ByMentorship(ctx, mentorshipID, false)
	})
	if err == nil && p.PayerID != caller.ID && p.MentorID != caller.ID || mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return mentorbook.Payment{}, mentorbook.Errorf(mentorbook.ENOTFOUND, "No payment for that mentorship.")
	}
	return effective(p, now), err
}

// Mine lists the caller's payments as payer, newest first.
func (s *Payments) Mine(ctx context.Context, caller mentorbook.User) ([]mentorbook.Payment, error) {
	return s.list(ctx, mentorbook.PaymentFilter{PayerID: caller.ID, Limit: 200})
}

func (s *Payments) list(ctx context.Context, f mentorbook.PaymentFilter) ([]mentorbook.Payment, error) {
	now := s.clock()
	ps, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Payment, error) {
		return tx.Payments().List(ctx, f)
	})
	for i := range ps {
		ps[i] = effective(ps[i], now)
	}
	return ps, err
}

// AdminListQuery is a page of an administrators' list, as typed: the
// status filter, the cursor of the page ("" is the first) and its size.
type AdminListQuery struct {
	Status, Cursor, Limit string
}

// AdminList lists payments for administrators, a page at a time, and the
// cursor of the next page ("" on the last): by status (comma-separated;
// empty: those waiting), or "held" for confirmed payments of cancelled
// mentorships whose share is still pending; those marked sent first, then
// the others, each oldest first.
func (s *Payments) AdminList(ctx context.Context, caller mentorbook.User, q AdminListQuery) ([]mentorbook.Payment, string, error) {
	if err := requireAdmin(caller); err != nil {
		return nil, "", err
	}
	v := mentorbook.Validation{}
	f := mentorbook.PaymentFilter{SentFirst: true, After: decodePaymentCursor(q.Cursor, v)}
	limit := pageSize(q.Limit, v)
	switch q.Status {
	case "":
		f.Statuses = []mentorbook.PaymentStatus{mentorbook.PaymentSent, mentorbook.PaymentAwaiting}
	case "held":
		f.Held = true
	default:
		f.Statuses = parseStatuses(q.Status, mentorbook.PaymentStatus.Valid, v,
			"must be among awaiting_transfer, sent, confirmed, expired, cancelled (comma-separated), or held")
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	f.Limit = limit + 1
	now := s.clock()
	ps, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Payment, error) {
		return tx.Payments().List(ctx, f)
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(ps) > limit {
		ps = ps[:limit]
		next = encodePaymentCursor(ps[limit-1]) // its stored status placed it
	}
	for i := range ps {
		ps[i] = effective(ps[i], now)
	}
	return ps, next, nil
}

// A payment cursor is the last payment shown and whether it was among
// those marked sent, opaque to clients: "s42" or "w42" in base64.
func encodePaymentCursor(p mentorbook.Payment) string {
	rank := "w"
	if p.Status == mentorbook.PaymentSent {
		rank = "s"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(rank + strconv.FormatInt(p.ID, 10)))
}

func decodePaymentCursor(s string, v mentorbook.Validation) mentorbook.PaymentPosition {
	if s == "" {
		return mentorbook.PaymentPosition{}
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var pos mentorbook.PaymentPosition
	if err == nil && len(b) > 1 && (b[0] == 's' || b[0] == 'w') {
		pos.Sent = b[0] == 's'
		pos.ID, err = strconv.ParseInt(string(b[1:]), 10, 64)
	}
	if err != nil || pos.ID <= 0 {
		v.Add("cursor", "is not a cursor this server gave out")
	}
	return pos
}

// lockWithMentorship locks a payment's mentorship and then the payment, in
// tx: the order accepting, cancelling and expiring a mentorship lock in, so
// two transactions never wait for each other in a cycle.
func lockWithMentorship(ctx context.Context, tx mentorbook.Tx, id int64, now time.Time) (mentorbook.Payment, mentorbook.Mentorship, error) {
	p, err := tx.Payments().Get(ctx, id)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return p, mentorbook.Mentorship{}, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such payment.")
	} else if err != nil {
		return p, mentorbook.Mentorship{}, err
	}
	m, err := tx.Mentorships().Lock(ctx, p.MentorshipID, now)
	if err != nil {
		return p, m, err
	}
	p, err = lockPayment(ctx, tx, id, now)
	return p, m, err
}

// lockPayment locks a payment in tx and returns it as it stands at now.
func lockPayment(ctx context.Context, tx mentorbook.Tx, id int64, now time.Time) (mentorbook.Payment, error) {
	p, err := tx.Payments().Lock(ctx, id)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return p, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such payment.")
	}
	return effective(p, now), err
}

// MarkSent records the payer's word that the transfer is on its way, so
// administrators look at it first. Only the payer may; the mentor is 403
// and anyone else 404.
func (s *Payments) MarkSent(ctx context.Context, caller mentorbook.User, id int64, note string) (mentorbook.Payment, error) {
	note = strings.TrimSpace(note)
	v := mentorbook.Validation{}
	checkText(v, "note", note)
	if utf8.RuneCountInString(note) > maxReason {
		v.Add("note", "must be at most 1000 characters")
	}
	if err := v.Err(); err != nil {
		return mentorbook.Payment{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Payment, error) {
		p, err := lockPayment(ctx, tx, id, now)
		switch {
		case err != nil:
			return p, err
		case p.MentorID == caller.ID:
			return p, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only the mentee marks the payment sent.")
		case p.PayerID != caller.ID:
			return p, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such payment.")
		case !p.Status.Waiting():
			return p, mentorbook.Errorf(mentorbook.ECONFLICT, "The payment is %s.", statusWords(p.Status))
		}
		p.Status, p.SentAt, p.SentNote, p.UpdatedAt = mentorbook.PaymentSent, now, note, now
		if p, err = tx.Payments().Save(ctx, p); err != nil {
			return p, err
		}
		return p, s.notifyAdmins(ctx, tx, fmt.Sprintf("Transfer %s of %s marked sent", p.Reference, money.FormatIn(p.Currency, p.AmountMinor)), note)
	})
}

func statusWords(s mentorbook.PaymentStatus) string {
	return strings.ReplaceAll(string(s), "_", " ")
}

// Confirmation is what an administrator saw arrive in the bank.
type Confirmation struct {
	AmountMinor   int64
	BankReference string
}

// Confirm records that a payment's transfer arrived, in one transaction:
// the payment is confirmed, the mentorship active, the ledger has the
// money in the bank, the fee in the platform's fees and the share in the
// mentor's pending balance, the share's release is scheduled and both
// parties are told. A second confirm is 409 and writes nothing; with the
// same idempotency key it answers as the first did.
func (s *Payments) Confirm(ctx context.Context, caller mentorbook.User, id int64, in Confirmation, idempotencyKey string) (mentorbook.Payment, error) {
	if err := requireAdmin(caller); err != nil {
		return mentorbook.Payment{}, err
	}
	in.BankReference = strings.TrimSpace(in.BankReference)
	v := mentorbook.Validation{}
	checkBankReference(v, in.BankReference)
	checkIdempotencyKey(v, idempotencyKey)
	if err := v.Err(); err != nil {
		return mentorbook.Payment{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Payment, error) {
		p, m, err := lockWithMentorship(ctx, tx, id, now)
		if err != nil {
			return p, err
		}
		if idempotencyKey != "" {
			key := requestKey(caller, idempotencyKey, now, "confirm", id, in.AmountMinor, in.BankReference)
			bound, hash, claimed, err := tx.Mentorships().ClaimKey(ctx, key)
			switch {
			case err != nil:
				return p, err
			case !claimed && (hash != key.RequestHash || bound != p.MentorshipID):
				return p, errKeyReused
			case !claimed:
				return p, nil // the first answer: this payment, confirmed
			}
			if err := tx.Mentorships().BindKey(ctx, key, p.MentorshipID); err != nil {
				return p, err
			}
		}
		if err := notParty(caller, p, "confirm it"); err != nil {
			return p, err
		}
		if !p.Status.Waiting() {
			return p, mentorbook.Errorf(mentorbook.ECONFLICT, "The payment is %s; it cannot be confirmed.", statusWords(p.Status))
		}
		if in.AmountMinor != p.AmountMinor {
			return p, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.", Fields: map[string]string{
				"amount_minor": fmt.Sprintf("must be the amount due, %d (%s)", p.AmountMinor, money.FormatIn(p.Currency, p.AmountMinor))}}
		}
		if m.Status != mentorbook.MentorshipAwaitingPayment {
			return p, mentorbook.Errorf(mentorbook.ECONFLICT, "The mentorship is %s; the payment cannot be confirmed.",
				strings.ReplaceAll(string(m.Status), "_", " "))
		}
		(&Mentorships{s.core}).start(&m, now)
		m.ExpiresAt, m.UpdatedAt = time.Time{}, now
		if m, err = tx.Mentorships().Save(ctx, m, now); err != nil {
			return p, err
		}
		p.Status, p.ConfirmedAt, p.ConfirmedBy, p.BankReference = mentorbook.PaymentConfirmed, now, caller.ID, in.BankReference
		p.PendingMinor, p.UpdatedAt = p.MentorShareMinor, now
		if p, err = tx.Payments().Save(ctx, p); err != nil {
			return p, err
		}
		if _, err := tx.Ledger().Post(ctx, mentorbook.LedgerTx{Kind: KindPaymentConfirmed, SourceType: "payment", SourceID: p.ID,
			Currency: p.Currency, MentorID: p.MentorID, MentorshipID: p.MentorshipID, ActorID: caller.ID, CreatedAt: now,
			Description: fmt.Sprintf("Payment %s for “%s” received", p.Reference, p.Title),
			Postings: postings(
				mentorbook.Posting{Account: platformAccount(mentorbook.BucketBank), Amount: p.AmountMinor},
				mentorbook.Posting{Account: platformAccount(mentorbook.BucketFees), Amount: -p.FeeMinor},
				mentorbook.Posting{Account: mentorAccount(mentorbook.BucketPending, p.MentorID), Amount: -p.MentorShareMinor},
			)}); err != nil {
			return p, err
		}
		settings, err := s.settings(ctx, tx)
		if err != nil {
			return p, err
		}
		if err := s.jobs.Enqueue(ctx, tx, JobReleaseShare, "release-share:"+strconv.FormatInt(p.ID, 10),
			releasePayload{PaymentID: p.ID}, now.AddDate(0, 0, settings.ReleaseDays)); err != nil {
			return p, err
		}
		for _, u := range []int64{p.PayerID, p.MentorID} {
			title := fmt.Sprintf("Payment for “%s” confirmed", p.Title)
			body := "Your mentorship is active."
			if u == p.MentorID {
				body = fmt.Sprintf("%s is pending in your balance; the mentorship is active.", money.FormatIn(p.Currency, p.MentorShareMinor))
			}
			if err := s.notifyPayment(ctx, tx, p, u, mentorbook.NotifyPaymentConfirmed, title, body); err != nil {
				return p, err
			}
		}
		return p, nil
	})
}

// checkIdempotencyKey checks an optional Idempotency-Key.
func checkIdempotencyKey(v mentorbook.Validation, key string) {
	checkText(v, "idempotency_key", key)
	if len(key) > maxKeyLength {
		v.Add("idempotency_key", "must be at most 255 characters")
	}
}

// requestKey is the caller's idempotency key for one request, with the
// hash of what it asks (its fields joined by NUL), so that the same key
// sent with another request is refused rather than answered.
func requestKey(caller mentorbook.User, key string, now time.Time, request ...any) mentorbook.IdempotencyKey {
	parts := make([]string, len(request))
	for i, p := range request {
		parts[i] = fmt.Sprint(p)
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return mentorbook.IdempotencyKey{UserID: caller.ID, Key: key, CreatedAt: now, RequestHash: hex.EncodeToString(sum[:])}
}

// The ledger's transaction kinds.
const (
	KindPaymentConfirmed = "payment_confirmed"
	KindShareReleased    = "share_released"
	KindRefund           = "refund"
	KindCashoutRequested = "cashout_requested"
	KindCashoutPaid      = "cashout_paid"
	KindCashoutReturned  = "cashout_returned"
)

func platformAccount(b mentorbook.LedgerBucket) mentorbook.Account {
	return mentorbook.Account{Bucket: b}
}

func mentorAccount(b mentorbook.LedgerBucket, mentorID int64) mentorbook.Account {
	return mentorbook.Account{Bucket: b, Owner: mentorID}
}

// postings drops zero amounts (a 0% fee, a share of 0): the ledger
// records only movements.
func postings(ps ...mentorbook.Posting) []mentorbook.Posting {
	out := ps[:0]
	for _, p := range ps {
		if p.Amount != 0 {
			out = append(out, p)
		}
	}
	return out
}

// notifyPayment tells a party of a payment event, linking its mentorship.
func (s *Payments) notifyPayment(ctx context.Context, tx mentorbook.Tx, p mentorbook.Payment, userID int64,
	kind mentorbook.NotificationKind, title, body string) error {
	return s.notify(ctx, tx, mentorbook.Notification{UserID: userID, Kind: kind, Title: title, Body: body,
		Link: "/mentorships/" + strconv.FormatInt(p.MentorshipID, 10)})
}

// Reject records that a transfer did not match: the payment waits again
// (until its due time) and the mentee is told why. No ledger rows. As
// with confirming, an administrator who is a party may not judge it.
func (s *Payments) Reject(ctx context.Context, caller mentorbook.User, id int64, reason string) (mentorbook.Payment, error) {
	if err := requireAdmin(caller); err != nil {
		return mentorbook.Payment{}, err
	}
	reason = strings.TrimSpace(reason)
	if err := requiredReason(reason); err != nil {
		return mentorbook.Payment{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Payment, error) {
		p, err := lockPayment(ctx, tx, id, now)
		if err != nil {
			return p, err
		}
		if err := notParty(caller, p, "reject it"); err != nil {
			return p, err
		}
		if !p.Status.Waiting() {
			return p, mentorbook.Errorf(mentorbook.ECONFLICT, "The payment is %s; there is nothing to reject.", statusWords(p.Status))
		}
		p.Status, p.SentAt, p.SentNote, p.RejectedReason, p.UpdatedAt = mentorbook.PaymentAwaiting, time.Time{}, "", reason, now
		if p, err = tx.Payments().Save(ctx, p); err != nil {
			return p, err
		}
		return p, s.notifyPayment(ctx, tx, p, p.PayerID, mentorbook.NotifyPaymentRejected,
			fmt.Sprintf("Your transfer for “%s” did not match", p.Title), reason)
	})
}

// notParty refuses an administrator's action on a payment of their own
// mentorship (as payer or mentor): another administrator must do it.
func notParty(caller mentorbook.User, p mentorbook.Payment, action string) error {
	if p.PayerID == caller.ID || p.MentorID == caller.ID {
		return mentorbook.Errorf(mentorbook.EFORBIDDEN, "You are a party to this mentorship: another administrator must %s.", action)
	}
	return nil
}

// checkBankReference checks the optional reference of a bank transfer.
func checkBankReference(v mentorbook.Validation, ref string) {
	checkText(v, "bank_reference", ref)
	if utf8.RuneCountInString(ref) > 200 {
		v.Add("bank_reference", "must be at most 200 characters")
	}
}

// requiredReason checks a required free-text reason.
func requiredReason(reason string) error {
	v := mentorbook.Validation{}
	checkText(v, "reason", reason)
	if reason == "" {
		v.Add("reason", "is required")
	}
	if utf8.RuneCountInString(reason) > maxReason {
		v.Add("reason", "must be at most 1000 characters")
	}
	return v.Err()
}

// JobReleaseShare makes a confirmed payment's share available release_days
// after confirmation, unless it was released, refunded or is held.
const JobReleaseShare = "release-share"

type releasePayload struct {
	PaymentID int64 `json:"payment_id"`
}

func (s *Payments) releaseJob(ctx context.Context, tx mentorbook.Tx, j mentorbook.Job, now time.Time) error {
	var pl releasePayload
	if err := json.Unmarshal(j.Payload, &pl); err != nil {
		return err
	}
	p, err := tx.Payments().Lock(ctx, pl.PaymentID)
	if err != nil {
		return err
	}
	m, err := tx.Mentorships().Get(ctx, p.MentorshipID, now)
	if err != nil {
		return err
	}
	// A cancelled mentorship's share is held for an administrator.
	if m.Status == mentorbook.MentorshipCancelled || p.PendingMinor == 0 {
		return nil
	}
	return s.release(ctx, tx, p, 0, now)
}

// releaseOf releases the pending share of a mentorship's payment, if it
// has one (the mentee completed it).
func (s *Payments) releaseOf(ctx context.Context, tx mentorbook.Tx, mentorshipID, actorID int64, now time.Time) error {
	p, err := tx.Payments().ByMentorship(ctx, mentorshipID, true)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return nil
	}
	if err != nil || p.Status != mentorbook.PaymentConfirmed || p.PendingMinor == 0 {
		return err
	}
	return s.release(ctx, tx, p, actorID, now)
}

// release moves what is pending of p's share (locked in tx) to the
// mentor's available balance: once per payment (the ledger's unique key).
func (s *Payments) release(ctx context.Context, tx mentorbook.Tx, p mentorbook.Payment, actorID int64, now time.Time) error {
	amount := p.PendingMinor
	if _, err := tx.Ledger().Post(ctx, mentorbook.LedgerTx{Kind: KindShareReleased, SourceType: "payment", SourceID: p.ID,
		Currency: p.Currency, MentorID: p.MentorID, MentorshipID: p.MentorshipID, ActorID: actorID, CreatedAt: now,
		Description: fmt.Sprintf("Share of “%s” available", p.Title),
		Postings: []mentorbook.Posting{
			{Account: mentorAccount(mentorbook.BucketPending, p.MentorID), Amount: amount},
			{Account: mentorAccount(mentorbook.BucketAvailable, p.MentorID), Amount: -amount},
		}}); err != nil {
		return err
	}
	p.PendingMinor, p.ReleasedAt, p.UpdatedAt = 0, now, now
	if _, err := tx.Payments().Save(ctx, p); err != nil {
		return err
	}
	return s.notifyPayment(ctx, tx, p, p.MentorID, mentorbook.NotifyShareReleased,
		fmt.Sprintf("%s from “%s” is available", money.FormatIn(p.Currency, amount), p.Title), "You can cash it out now.")
}

// Release makes a payment's pending share available at an
// administrator's word: a held share after a cancellation, with or
// without a partial refund first. Nothing pending is 409.
func (s *Payments) Release(ctx context.Context, caller mentorbook.User, id int64) (mentorbook.Payment, error) {
	if err := requireAdmin(caller); err != nil {
		return mentorbook.Payment{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Payment, error) {
		p, err := lockPayment(ctx, tx, id, now)
		if err != nil {
			return p, err
		}
		if err := notParty(caller, p, "release it"); err != nil {
			return p, err
		}
		if p.Status != mentorbook.PaymentConfirmed || p.PendingMinor == 0 {
			return p, mentorbook.Errorf(mentorbook.ECONFLICT, "Nothing of this payment is pending.")
		}
		if err := s.release(ctx, tx, p, caller.ID, now); err != nil {
			return p, err
		}
		return tx.Payments().Get(ctx, id)
	})
}

// mentorshipCancelled follows a cancellation in tx: a waiting payment is
// cancelled with it; a confirmed one's pending share stays, held.
func (s *Payments) mentorshipCancelled(ctx context.Context, tx mentorbook.Tx, m mentorbook.Mentorship, now time.Time) error {
	p, err := tx.Payments().ByMentorship(ctx, m.ID, true)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return nil
	}
	if err != nil || !p.Status.Waiting() {
		return err
	}
	p.Status, p.UpdatedAt = mentorbook.PaymentCancelled, now
	_, err = tx.Payments().Save(ctx, p)
	return err
}

// RefundInput is a refund an administrator sent back.
type RefundInput struct {
	AmountMinor   int64
	Reason        string
	BankReference string
}

// Refund records money sent back to the payer. It splits so that refunds
// adding up to the payment return exactly its fee and share (money.
// RefundSplit); the mentor's part comes from this payment's pending share
// first, then their available balance; not enough there is 409 and
// nothing is written. A full refund cancels the mentorship unless it is
// already final. Both parties are told. With an idempotency key, a retry
// of the same refund answers with the refund the first recorded.
func (s *Payments) Refund(ctx context.Context, caller mentorbook.User, id int64, in RefundInput, idempotencyKey string) (mentorbook.Refund, error) {
	if err := requireAdmin(caller); err != nil {
		return mentorbook.Refund{}, err
	}
	in.Reason, in.BankReference = strings.TrimSpace(in.Reason), strings.TrimSpace(in.BankReference)
	v := mentorbook.Validation{}
	if err := requiredReason(in.Reason); err != nil {
		v.Add("reason", err.(*mentorbook.Error).Fields["reason"])
	}
	checkBankReference(v, in.BankReference)
	checkIdempotencyKey(v, idempotencyKey)
	if in.AmountMinor <= 0 {
		v.Add("amount_minor", "must be positive")
	}
	if err := v.Err(); err != nil {
		return mentorbook.Refund{}, err
	}
	now := s.clock()
	r, err := mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Refund, error) {
		p, m, err := lockWithMentorship(ctx, tx, id, now)
		if err != nil {
			return mentorbook.Refund{}, err
		}
		// Claimed under the payment's lock, so a retry racing the first
		// waits for it and then finds its refund.
		key := requestKey(caller, idempotencyKey, now, "refund", id, in.AmountMinor, in.Reason, in.BankReference)
		if idempotencyKey != "" {
			bound, hash, claimed, err := tx.Payments().ClaimKey(ctx, key)
			switch {
			case err != nil:
				return mentorbook.Refund{}, err
			case !claimed && (hash != key.RequestHash || bound == 0):
				return mentorbook.Refund{}, errKeyReused
			case !claimed:
				return tx.Payments().Refund(ctx, bound) // the first answer
			}
		}
		if err := notParty(caller, p, "refund it"); err != nil {
			return mentorbook.Refund{}, err
		}
		if p.Status != mentorbook.PaymentConfirmed {
			return mentorbook.Refund{}, mentorbook.Errorf(mentorbook.ECONFLICT, "The payment is %s; only a confirmed payment can be refunded.", statusWords(p.Status))
		}
		if left := p.AmountMinor - p.RefundedMinor; in.AmountMinor > left {
			return mentorbook.Refund{}, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.", Fields: map[string]string{
				"amount_minor": fmt.Sprintf("must be at most %d (%s), what is left to refund", left, money.FormatIn(p.Currency, left))}}
		}
		fee, mentorPart := money.RefundSplit(p.AmountMinor, p.RefundedMinor, in.AmountMinor, p.FeeBPS)
		fromPending := min(mentorPart, p.PendingMinor)
		fromAvailable := mentorPart - fromPending
		if fromAvailable > 0 {
			b, err := tx.Ledger().Balance(ctx, p.MentorID, p.Currency)
			if err != nil {
				return mentorbook.Refund{}, err
			}
			if b.AvailableMinor < fromAvailable {
				return mentorbook.Refund{}, mentorbook.Errorf(mentorbook.ECONFLICT,
					"The mentor's part of this refund is %s, but only %s is pending from this payment and %s available in their balance.",
					money.FormatIn(p.Currency, mentorPart), money.FormatIn(p.Currency, fromPending), money.FormatIn(p.Currency, b.AvailableMinor))
			}
		}
		r, err := tx.Payments().AddRefund(ctx, mentorbook.Refund{PaymentID: p.ID, AmountMinor: in.AmountMinor, FeeMinor: fee,
			MentorMinor: mentorPart, Reason: in.Reason, BankReference: in.BankReference, CreatedBy: caller.ID, CreatedAt: now})
		if err != nil {
			return r, err
		}
		if idempotencyKey != "" {
			if err := tx.Payments().BindKey(ctx, key, r.ID); err != nil {
				return r, err
			}
		}
		if _, err := tx.Ledger().Post(ctx, mentorbook.LedgerTx{Kind: KindRefund, SourceType: "refund", SourceID: r.ID,
			Currency: p.Currency, MentorID: p.MentorID, MentorshipID: p.MentorshipID, ActorID: caller.ID, CreatedAt: now,
			Description: fmt.Sprintf("Refund of %s for “%s”", money.FormatIn(p.Currency, in.AmountMinor), p.Title),
			Postings: postings(
				mentorbook.Posting{Account: platformAccount(mentorbook.BucketBank), Amount: -in.AmountMinor},
				mentorbook.Posting{Account: platformAccount(mentorbook.BucketFees), Amount: fee},
				mentorbook.Posting{Account: mentorAccount(mentorbook.BucketPending, p.MentorID), Amount: fromPending},
				mentorbook.Posting{Account: mentorAccount(mentorbook.BucketAvailable, p.MentorID), Amount: fromAvailable},
			)}); err != nil {
			return r, err
		}
		p.RefundedMinor += in.AmountMinor
		p.PendingMinor -= fromPending
		p.UpdatedAt = now
		if p, err = tx.Payments().Save(ctx, p); err != nil {
			return r, err
		}
		if p.RefundedMinor == p.AmountMinor {
			if !m.Status.Final() {
				if err := cancelSessions(ctx, tx, m, caller.ID, now); err != nil {
					return r, err
				}
				m.Status, m.Reason, m.CancelledBy, m.ExpiresAt, m.UpdatedAt = mentorbook.MentorshipCancelled,
					"Refunded in full: "+in.Reason, caller.ID, time.Time{}, now
				if _, err := tx.Mentorships().Save(ctx, m, now); err != nil {
					return r, err
				}
			}
		}
		for _, u := range []int64{p.PayerID, p.MentorID} {
			body := in.Reason
			if u == p.MentorID && mentorPart > 0 {
				body = fmt.Sprintf("%s of it comes from your balance. %s", money.FormatIn(p.Currency, mentorPart), in.Reason)
			}
			if err := s.notifyPayment(ctx, tx, p, u, mentorbook.NotifyPaymentRefunded,
				fmt.Sprintf("%s refunded for “%s”", money.FormatIn(p.Currency, in.AmountMinor), p.Title), body); err != nil {
				return r, err
			}
		}
		return r, nil
	})
	if err != nil {
		// What was written rolled back: no refund to name.
		return mentorbook.Refund{}, err
	}
	return r, nil
}
