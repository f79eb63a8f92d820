package app

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/money"
)

// MentorshipInput is a mentee's request for a service, as typed.
type MentorshipInput struct {
	ServiceID int64
	Message   string
}

// Request asks a mentor for one of their services. The price and terms are
// copied from the service now. A non-empty idempotencyKey makes retries
// return the first mentorship, however they race.
func (s *Mentorships) Request(ctx context.Context, caller mentorbook.User, in MentorshipInput, idempotencyKey string) (mentorbook.Mentorship, error) {
	v := mentorbook.Validation{}
	if in.ServiceID <= 0 {
		v.Add("service_id", "is required")
	}
	message := strings.TrimSpace(in.Message)
	checkText(v, "message", message)
	checkText(v, "idempotency_key", idempotencyKey)
	if utf8.RuneCountInString(message) > maxMessage {
		v.Add("message", "must be at most 2000 characters")
	}
	if len(idempotencyKey) > maxKeyLength {
		v.Add("idempotency_key", "must be at most 255 characters")
	}
	if err := v.Err(); err != nil {
		return mentorbook.Mentorship{}, err
	}
	now := s.clock()
	var key *mentorbook.IdempotencyKey
	if idempotencyKey != "" {
		sum := sha256.Sum256(fmt.Appendf(nil, "mentorship\x00%d\x00%s", in.ServiceID, message))
		key = &mentorbook.IdempotencyKey{UserID: caller.ID, Key: idempotencyKey, CreatedAt: now, RequestHash: hex.EncodeToString(sum[:])}
	}
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Mentorship, error) {
		// The key is claimed first: a retry, even one racing this request,
		// finds the claim and answers with the mentorship made under it.
		if key != nil {
			id, hash, claimed, err := tx.Mentorships().ClaimKey(ctx, *key)
			switch {
			case err != nil:
				return mentorbook.Mentorship{}, err
			case !claimed && (hash != key.RequestHash || id == 0):
				return mentorbook.Mentorship{}, errKeyReused
			case !claimed:
				return tx.Mentorships().Get(ctx, id, now)
			}
		}
		// One mentee's requests take turns, so "one open request per
		// service" holds however many arrive at once, on any instance.
		if err := tx.Users().Lock(ctx, caller.ID); err != nil {
			return mentorbook.Mentorship{}, err
		}
		sv, err := requestableService(ctx, tx, caller, in.ServiceID)
		if err != nil {
			return mentorbook.Mentorship{}, err
		}
		open, err := tx.Mentorships().Count(ctx, mentorbook.MentorshipFilter{UserID: caller.ID, Role: "mentee",
			ServiceID: sv.ID, Statuses: openStatuses, Now: now})
		if err != nil {
			return mentorbook.Mentorship{}, err
		}
		if open > 0 {
			return mentorbook.Mentorship{}, mentorbook.Errorf(mentorbook.ECONFLICT,
				"You already have a request or mentorship for this service that is pending, awaiting payment or active.")
		}
		mentor, err := mentorByID(ctx, tx, sv.MentorID)
		if err != nil {
			return mentorbook.Mentorship{}, err
		}
		a, err := availabilityOf(ctx, tx, sv.MentorID, mentor.Timezone)
		if err != nil {
			return mentorbook.Mentorship{}, err
		}
		// The fee is the one in force now; later changes leave it be.
		settings, err := s.settings(ctx, tx)
		if err != nil {
			return mentorbook.Mentorship{}, err
		}
		m, err := tx.Mentorships().Create(ctx, mentorbook.Mentorship{FeeBPS: settings.FeeBPS,
			ServiceID: sv.ID, MentorID: sv.MentorID, MenteeID: caller.ID, Status: mentorbook.MentorshipPending,
			Title: sv.Title, Format: sv.Format, SessionsIncluded: sv.Sessions, SessionMinutes: sv.SessionMinutes,
			Days: sv.Days, Mode: sv.Mode, Location: sv.Location, PriceMinor: sv.PriceMinor, Currency: s.currency.Code,
			Message: message, ExpiresAt: now.Add(time.Duration(a.PendingExpiryHours) * time.Hour),
			CreatedAt: now, UpdatedAt: now,
		}, now)
		if err != nil {
			return m, err
		}
		if key != nil {
			if err := tx.Mentorships().BindKey(ctx, *key, m.ID); err != nil {
				return m, err
			}
		}
		return m, s.notifyMentorship(ctx, tx, m, mentorbook.NotifyMentorshipRequested, m.MentorID)
	})
}

var openStatuses = []mentorbook.MentorshipStatus{mentorbook.MentorshipPending, mentorbook.MentorshipAwaitingPayment, mentorbook.MentorshipActive}

// requestableService returns the service a mentee asks for, or why they
// cannot: not one that can be requested (422 on service_id), their own
// (422), or not offered right now (409).
func requestableService(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, id int64) (mentorbook.Service, error) {
	invalid := func(problem string) error {
		return &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{"service_id": problem}}
	}
	sv, err := tx.Services().Get(ctx, id)
	switch {
	case mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND:
		return sv, invalid("is not a service")
	case err != nil:
		return sv, err
	case sv.IsDefault:
		return sv, invalid("is the free consultation: book a time in the calendar instead")
	case sv.Archived():
		return sv, invalid("is no longer offered")
	case sv.MentorID == caller.ID:
		return sv, invalid("is your own service")
	case !sv.Active:
		return sv, mentorbook.Errorf(mentorbook.ECONFLICT, "This service is not taking requests right now.")
	}
	mentor, err := mentorByID(ctx, tx, sv.MentorID)
	if err != nil {
		return sv, err
	}
	if !mentor.Active {
		return sv, mentorbook.Errorf(mentorbook.ECONFLICT, "This mentor is not taking requests at the moment.")
	}
	return sv, nil
}

// Get returns one of the caller's mentorships; other people's are not found.
func (s *Mentorships) Get(ctx context.Context, caller mentorbook.User, id int64) (mentorbook.Mentorship, error) {
	m, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Mentorship, error) {
		return tx.Mentorships().Get(ctx, id, s.clock())
	})
	return partyOf(m, err, caller)
}

// partyOf hides a mentorship from anyone but its parties.
func partyOf(m mentorbook.Mentorship, err error, caller mentorbook.User) (mentorbook.Mentorship, error) {
	notParty := err == nil && m.MentorID != caller.ID && m.MenteeID != caller.ID
	if notParty || mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return mentorbook.Mentorship{}, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such mentorship.")
	}
	return m, err
}

// MentorshipAction is a transition someone asks for.
type MentorshipAction string

const (
	ActionAccept   MentorshipAction = "accept"
	ActionDecline  MentorshipAction = "decline"
	ActionWithdraw MentorshipAction = "withdraw"
	ActionCancel   MentorshipAction = "cancel"
	ActionComplete MentorshipAction = "complete"
)

// mentorshipRule is who may take an action, and from which states.
type mentorshipRule struct {
	by   string // "mentor", "mentee" or "" for either party
	from []mentorbook.MentorshipStatus
	past string
}

var mentorshipRules = map[MentorshipAction]mentorshipRule{
	ActionAccept:   {"mentor", []mentorbook.MentorshipStatus{mentorbook.MentorshipPending}, "accepted"},
	ActionDecline:  {"mentor", []mentorbook.MentorshipStatus{mentorbook.MentorshipPending}, "declined"},
	ActionWithdraw: {"mentee", []mentorbook.MentorshipStatus{mentorbook.MentorshipPending}, "withdrawn"},
	ActionCancel:   {"", []mentorbook.MentorshipStatus{mentorbook.MentorshipAwaitingPayment, mentorbook.MentorshipActive}, "cancelled"},
	ActionComplete: {"", []mentorbook.MentorshipStatus{mentorbook.MentorshipActive}, "completed"},
}

// Allowed reports whether the caller may take the action on m now: the
// rule the pages decide their buttons by.
func (a MentorshipAction) Allowed(m mentorbook.Mentorship, callerID int64) bool {
	r, ok := mentorshipRules[a]
	return ok && slices.Contains(r.from, m.Status) && (r.by == "" || r.by == roleOf(m, callerID))
}

func roleOf(m mentorbook.Mentorship, userID int64) string {
	switch userID {
	case m.MentorID:
		return "mentor"
	case m.MenteeID:
		return "mentee"
	}
	return ""
}

// Act applies an action: a party that may not take it is 403, anyone else
// 404, a mentorship in the wrong state 409; a refusal changes nothing.
// Accepting takes one of the mentor's places, decided under a lock on the
// mentor's row so that racing accepts never exceed max_active_mentorships.
func (s *Mentorships) Act(ctx context.Context, caller mentorbook.User, id int64, action MentorshipAction, reason string) (mentorbook.Mentorship, error) {
	rule, ok := mentorshipRules[action]
	if !ok {
		return mentorbook.Mentorship{}, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such action.")
	}
	reason = strings.TrimSpace(reason)
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Mentorship, error) {
		m, err := tx.Mentorships().Lock(ctx, id, now)
		if m, err = partyOf(m, err, caller); err != nil {
			return m, err
		}
		return s.act(ctx, tx, caller, m, action, rule, reason, now)
	})
}

// act applies an action to m, locked in tx by the caller's transaction.
func (s *Mentorships) act(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, m mentorbook.Mentorship,
	action MentorshipAction, rule mentorshipRule, reason string, now time.Time) (mentorbook.Mentorship, error) {
	var err error
	if role := roleOf(m, caller.ID); rule.by != "" && role != rule.by {
		return mentorbook.Mentorship{}, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only the %s can %s this mentorship.", rule.by, action)
	}
	v := mentorbook.Validation{}
	checkText(v, "reason", reason)
	if utf8.RuneCountInString(reason) > maxReason {
		v.Add("reason", "must be at most 1000 characters")
	}
	if action == ActionCancel && reason == "" {
		v.Add("reason", "is required")
	}
	if err := v.Err(); err != nil {
		return mentorbook.Mentorship{}, err
	}
	if !slices.Contains(rule.from, m.Status) {
		return mentorbook.Mentorship{}, mentorbook.Errorf(mentorbook.ECONFLICT, "The mentorship is %s; it cannot be %s.",
			strings.ReplaceAll(string(m.Status), "_", " "), rule.past)
	}
	m.UpdatedAt = now
	var notify []int64
	var kind mentorbook.NotificationKind
	switch action {
	case ActionAccept:
		if err := s.takePlace(ctx, tx, m.MentorID, now); err != nil {
			return mentorbook.Mentorship{}, err
		}
		m.AcceptedAt, m.ExpiresAt = now, time.Time{}
		if m.PriceMinor > 0 {
			// Its payment (created below) moves it on; until then it waits.
			settings, err := s.settings(ctx, tx)
			if err != nil {
				return m, err
			}
			m.Status, m.ExpiresAt = mentorbook.MentorshipAwaitingPayment, now.AddDate(0, 0, settings.PayDays)
		} else {
			s.start(&m, now)
		}
		kind, notify = mentorbook.NotifyMentorshipAccepted, []int64{m.MenteeID}
	case ActionDecline:
		m.Status, m.Reason = mentorbook.MentorshipDeclined, reason
		kind, notify = mentorbook.NotifyMentorshipDeclined, []int64{m.MenteeID}
	case ActionWithdraw:
		m.Status = mentorbook.MentorshipWithdrawn
		kind, notify = mentorbook.NotifyMentorshipWithdrawn, []int64{m.MentorID}
	case ActionCancel:
		m.Status, m.Reason, m.CancelledBy = mentorbook.MentorshipCancelled, reason, caller.ID
		kind, notify = mentorbook.NotifyMentorshipCancelled, []int64{otherParty(m, caller.ID)}
	case ActionComplete:
		m.Status = mentorbook.MentorshipCompleted
		kind, notify = mentorbook.NotifyMentorshipCompleted, []int64{otherParty(m, caller.ID)}
	}
	if m.Status.Final() {
		m.ExpiresAt = time.Time{}
	}
	if action == ActionCancel {
		if err := cancelSessions(ctx, tx, m, caller.ID, now); err != nil {
			return m, err
		}
	}
	m, err = tx.Mentorships().Save(ctx, m, now)
	if err != nil {
		return m, err
	}
	// The money follows the mentorship in the same transaction.
	switch {
	case action == ActionAccept && m.Status == mentorbook.MentorshipAwaitingPayment:
		if _, err := (&Payments{s.core}).create(ctx, tx, m, now); err != nil {
			return m, err
		}
	case action == ActionCancel:
		if err := (&Payments{s.core}).mentorshipCancelled(ctx, tx, m, now); err != nil {
			return m, err
		}
	case action == ActionComplete && roleOf(m, caller.ID) == "mentee":
		if err := (&Payments{s.core}).releaseOf(ctx, tx, m.ID, 0, now); err != nil {
			return m, err
		}
	}
	for _, userID := range notify {
		if err := s.notifyMentorship(ctx, tx, m, kind, userID); err != nil {
			return m, err
		}
	}
	return m, nil
}

// endAll ends every open mentorship of a user who is deleting their
// account, in tx: their pending requests are withdrawn (as mentee) or
// declined (as mentor), the others cancelled, each other party told.
func (s *Mentorships) endAll(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, now time.Time) error {
	open, err := tx.Mentorships().List(ctx, mentorbook.MentorshipFilter{UserID: caller.ID, Now: now, Limit: 10000,
		Statuses: []mentorbook.MentorshipStatus{mentorbook.MentorshipPending, mentorbook.MentorshipAwaitingPayment, mentorbook.MentorshipActive}})
	if err != nil {
		return err
	}
	reason := caller.Name + " deleted their account."
	for _, m := range open {
		if m, err = tx.Mentorships().Lock(ctx, m.ID, now); err != nil {
			return err
		}
		action := ActionCancel
		if m.Status == mentorbook.MentorshipPending {
			action = ActionWithdraw
			if m.MentorID == caller.ID {
				action = ActionDecline
			}
		}
		if _, err := s.act(ctx, tx, caller, m, action, mentorshipRules[action], reason, now); err != nil {
			return err
		}
	}
	return nil
}

// cancelSessions calls off the mentorship's sessions that have not
// started, freeing both parties' time.
func cancelSessions(ctx context.Context, tx mentorbook.Tx, m mentorbook.Mentorship, by int64, now time.Time) error {
	bs, err := tx.Bookings().List(ctx, mentorbook.BookingFilter{UserID: m.MenteeID, Role: "mentee", MentorshipID: m.ID,
		Statuses: []mentorbook.BookingStatus{mentorbook.StatusPending, mentorbook.StatusConfirmed}, From: now,
		Limit: maxSessions, Now: now})
	if err != nil {
		return err
	}
	for _, b := range bs {
		if _, err := tx.Bookings().ChangeStatus(ctx, mentorbook.StatusChange{BookingID: b.ID,
			From: []mentorbook.BookingStatus{mentorbook.StatusPending, mentorbook.StatusConfirmed}, To: mentorbook.StatusCancelled,
			Reason: "The mentorship was cancelled.", By: by, At: now}); err != nil {
			return err
		}
	}
	return nil
}

// maxSessions bounds the sessions of one mentorship (the service limit).
const maxSessions = 52

// start makes m active from now; an async one ends by itself after its days.
func (s *Mentorships) start(m *mentorbook.Mentorship, now time.Time) {
	m.Status, m.StartedAt = mentorbook.MentorshipActive, now
	if m.Format == mentorbook.FormatAsync {
		m.EndsAt = now.Add(time.Duration(m.Days) * 24 * time.Hour)
	}
}

func otherParty(m mentorbook.Mentorship, userID int64) int64 {
	if userID == m.MentorID {
		return m.MenteeID
	}
	return m.MentorID
}

// takePlace refuses an accept past the mentor's limit. The lock on the
// mentor's row makes every accept for that mentor take turns (on every
// instance), so the count it reads cannot change before this transaction
// commits.
func (s *Mentorships) takePlace(ctx context.Context, tx mentorbook.Tx, mentorID int64, now time.Time) error {
	if err := tx.Users().Lock(ctx, mentorID); err != nil {
		return err
	}
	u, err := tx.Users().ByID(ctx, mentorID)
	if err != nil {
		return err
	}
	limit := 0
	if u.Mentor != nil {
		limit = u.Mentor.MaxActiveMentorships
	}
	if limit == 0 {
		return nil
	}
	n, err := tx.Mentorships().Count(ctx, mentorbook.MentorshipFilter{UserID: mentorID, Role: "mentor",
		Statuses: []mentorbook.MentorshipStatus{mentorbook.MentorshipAwaitingPayment, mentorbook.MentorshipActive}, Now: now})
	if err != nil {
		return err
	}
	if n >= limit {
		return mentorbook.Errorf(mentorbook.ECONFLICT,
			"You already have %d mentorships awaiting payment or active, your limit; finish one or raise the limit first.", n)
	}
	return nil
}

// ExpireDue materialises the timed transitions and tells the people
// concerned: the mentee of an expired request or payment, both parties of
// a completed async mentorship.
func (s *Mentorships) expireDue(ctx context.Context, tx mentorbook.Tx, now time.Time) (int, error) {
	ms, err := tx.Mentorships().ExpireDue(ctx, now)
	if err != nil {
		return 0, err
	}
	for _, m := range ms {
		// An expired payment expires with its mentorship.
		if m.Status == mentorbook.MentorshipExpired {
			if _, _, err := tx.Payments().ExpireWaiting(ctx, m.ID, now); err != nil {
				return 0, err
			}
		}
		kind, users := mentorbook.NotifyMentorshipExpired, []int64{m.MenteeID}
		if m.Status == mentorbook.MentorshipCompleted {
			kind, users = mentorbook.NotifyMentorshipCompleted, []int64{m.MentorID, m.MenteeID}
		}
		for _, u := range users {
			if err := s.notifyMentorship(ctx, tx, m, kind, u); err != nil {
				return 0, err
			}
		}
	}
	return len(ms), nil
}

// notifyMentorship tells userID of an event of m, in words for them.
func (s *Mentorships) notifyMentorship(ctx context.Context, tx mentorbook.Tx, m mentorbook.Mentorship, kind mentorbook.NotificationKind, userID int64) error {
	other := m.MentorName
	if userID == m.MentorID {
		other = m.MenteeName
	}
	// Deadlines read in the recipient's own zone, named.
	u, err := tx.Users().ByID(ctx, userID)
	if err != nil {
		return err
	}
	loc, err := loadZone(u.Timezone)
	if err != nil {
		loc = time.UTC
	}
	when := func(t time.Time) string { return t.In(loc).Format("Mon 2 Jan 15:04") + " (" + loc.String() + ")" }
	var title, body string
	switch kind {
	case mentorbook.NotifyMentorshipRequested:
		title = fmt.Sprintf("%s requests “%s”", other, m.Title)
		body = fmt.Sprintf("Accept or decline it by %s.", when(m.ExpiresAt))
		if m.Message != "" {
			body = fmt.Sprintf("“%s” %s", m.Message, body)
		}
	case mentorbook.NotifyMentorshipAccepted:
		title = fmt.Sprintf("%s accepted your request for “%s”", other, m.Title)
		body = "Your mentorship has started."
		if m.Status == mentorbook.MentorshipAwaitingPayment {
			body = fmt.Sprintf("It is awaiting your payment of %s until %s.", money.FormatIn(m.Currency, m.PriceMinor), when(m.ExpiresAt))
		}
	case mentorbook.NotifyMentorshipDeclined:
		title = fmt.Sprintf("%s declined your request for “%s”", other, m.Title)
		body = m.Reason
	case mentorbook.NotifyMentorshipWithdrawn:
		title = fmt.Sprintf("%s withdrew their request for “%s”", other, m.Title)
	case mentorbook.NotifyMentorshipCancelled:
		title = fmt.Sprintf("%s cancelled the mentorship “%s”", other, m.Title)
		body = m.Reason
	case mentorbook.NotifyMentorshipCompleted:
		title = fmt.Sprintf("The mentorship “%s” is complete", m.Title)
	case mentorbook.NotifyMentorshipExpired:
		title = fmt.Sprintf("Your request for “%s” expired", m.Title)
		body = fmt.Sprintf("%s did not answer in time.", other)
		if m.AcceptedAt.IsZero() {
			break
		}
		body = "The payment did not arrive in time."
	}
	return s.notify(ctx, tx, mentorbook.Notification{UserID: userID, Kind: kind, Title: title, Body: body,
		Link: "/mentorships/" + strconv.FormatInt(m.ID, 10)})
}

// MentorshipQuery filters the caller's mentorships, as typed.
type MentorshipQuery struct {
	Role, Status, Cursor, Limit string
}

// List returns a page of the caller's mentorships, newest first, and the
// cursor of the next page ("" when this is the last).
func (s *Mentorships) List(ctx context.Context, caller mentorbook.User, q MentorshipQuery) ([]mentorbook.Mentorship, string, error) {
	v := mentorbook.Validation{}
	f := mentorbook.MentorshipFilter{UserID: caller.ID, Now: s.clock()}
	f.Role = parseRole(q.Role, v)
	f.Statuses = parseStatuses(q.Status, mentorbook.MentorshipStatus.Valid, v,
		"must be among pending, awaiting_payment, active, declined, withdrawn, expired, completed, cancelled (comma-separated)")
	if q.Cursor != "" {
		var micros, id int64
		b, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err == nil {
			_, err = fmt.Sscanf(string(b), "%d:%d", &micros, &id)
		}
		at := time.UnixMicro(micros).UTC()
		if err != nil || !inYears(at) || id < 0 {
			v.Add("cursor", "is not a cursor this server gave out")
		}
		f.After = &mentorbook.MentorshipCursor{CreatedAt: at, ID: id}
	}
	limit := pageSize(q.Limit, v)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	f.Limit = limit + 1
	ms, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Mentorship, error) {
		return tx.Mentorships().List(ctx, f)
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(ms) > limit {
		ms = ms[:limit]
		last := ms[limit-1]
		next = base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d:%d", last.CreatedAt.UnixMicro(), last.ID))
	}
	return ms, next, nil
}

// PendingCount is how many requests wait for the caller's answer as mentor.
func (s *Mentorships) PendingCount(ctx context.Context, caller mentorbook.User) (int, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (int, error) {
		return tx.Mentorships().Count(ctx, mentorbook.MentorshipFilter{UserID: caller.ID, Role: "mentor",
			Statuses: []mentorbook.MentorshipStatus{mentorbook.MentorshipPending}, Now: s.clock()})
	})
}
