package app

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/mentorbook/mentorbook"
)

// dashboardLimit bounds each part of the dashboard; history shows the
// newest historyLimit, out of the last historyScan past sessions.
const (
	dashboardLimit = 100
	historyLimit   = 20
	historyScan    = 1000
)

// Request is a booking or a mentorship (one of them nil) waiting for
// someone's answer or payment.
type Request struct {
	Booking    *mentorbook.Booking
	Mentorship *mentorbook.Mentorship
}

// ActiveMentorship is an active mentorship with its progress.
type ActiveMentorship struct {
	Mentorship mentorbook.Mentorship
	Summary    Summary
}

// Upcoming is a confirmed session that has not ended, with where it
// happens as far as the booking says.
type Upcoming struct {
	Booking  mentorbook.Booking
	Location string
}

// Past is a held session or a finished mentorship (one of them nil), and
// whether the viewer may review it now.
type Past struct {
	Booking    *mentorbook.Booking
	Mentorship *mentorbook.Mentorship
	Reviewable bool
}

// Connection is someone the user had a held session or has an active
// mentorship with.
type Connection struct {
	ID   int64
	Name string
}

// MoneyItem is a line of a mentor's money part: balance buckets, ledger
// entries, open cashouts.
type MoneyItem struct {
	Kind        string
	Label       string
	AmountMinor int64
}

// MessageItem is a conversation with unread messages: who, and the latest.
type MessageItem struct {
	From Connection
	Text string
}

// DashboardData is where a user stands. Each part is a whole list (within
// its bound), so its count is its length.
type DashboardData struct {
	WaitingForMe     []Request // bookings and mentorships to answer as mentor; payments due as mentee
	WaitingForOthers []Request // the caller's requests others must answer or pay
	Upcoming         []Upcoming
	Active           []ActiveMentorship
	History          []Past // newest first
	Connections      []Connection
	Notifications    []mentorbook.Notification // unread, newest first
	Messages         []MessageItem             // unread
	// Mentor is set for mentors: their availability switch and money.
	Mentor *MentorDashboard
}

// MentorDashboard is the part only mentors have.
type MentorDashboard struct {
	Active bool // takes requests
	Money  []MoneyItem
}

// Get reads the caller's dashboard.
func (s *Dashboard) Get(ctx context.Context, caller mentorbook.User) (DashboardData, error) {
	now := s.clock()
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (DashboardData, error) {
		var d DashboardData
		u, err := tx.Users().ByID(ctx, caller.ID)
		if err != nil {
			return d, err
		}
		if err := s.requests(ctx, tx, u.ID, now, &d); err != nil {
			return d, err
		}
		if err := s.sessions(ctx, tx, caller, now, &d); err != nil {
			return d, err
		}
		if err := s.mentorships(ctx, tx, caller, now, &d); err != nil {
			return d, err
		}
		slices.SortFunc(d.History, func(a, b Past) int { return pastTime(b).Compare(pastTime(a)) })
		if len(d.History) > historyLimit {
			d.History = d.History[:historyLimit]
		}
		for i, p := range d.History {
			var mid, bid int64
			if p.Mentorship != nil {
				mid = p.Mentorship.ID
			} else {
				bid = p.Booking.ID
			}
			if d.History[i].Reviewable, err = reviewable(ctx, tx, caller, mid, bid, now); err != nil {
				return d, err
			}
		}
		slices.SortFunc(d.Connections, func(a, b Connection) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
		if d.Notifications, err = tx.Notifications().List(ctx, mentorbook.NotificationFilter{UserID: caller.ID, UnreadOnly: true,
			Limit: dashboardLimit}); err != nil {
			return d, err
		}
		if d.Messages, err = unreadMessages(ctx, tx, caller); err != nil {
			return d, err
		}
		if u.Mentor != nil {
			d.Mentor = &MentorDashboard{Active: u.Mentor.Active}
			if d.Mentor.Money, err = s.moneyPart(ctx, tx, caller); err != nil {
				return d, err
			}
		}
		return d, nil
	})
}

// unreadMessages lists the conversations with messages the caller has
// not read, each with its latest message, most recent first.
func unreadMessages(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User) ([]MessageItem, error) {
	cs, err := tx.Conversations().List(ctx, mentorbook.ConversationFilter{UserID: caller.ID, Limit: dashboardLimit})
	if err != nil {
		return nil, err
	}
	out := []MessageItem{}
	for _, c := range cs {
		if c.Unread > 0 && c.Last != nil {
			out = append(out, MessageItem{From: Connection{ID: c.OtherID, Name: c.OtherName}, Text: excerpt(c.Last.Body, 140)})
		}
	}
	return out, nil
}

// moneyPart is a mentor's money at a glance: the three balance buckets,
// the latest ledger entries and the cashouts still requested.
func (s *Dashboard) moneyPart(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User) ([]MoneyItem, error) {
	b, err := tx.Ledger().Balance(ctx, caller.ID, s.currency.Code)
	if err != nil {
		return nil, err
	}
	out := []MoneyItem{
		{Kind: "balance", Label: "Pending", AmountMinor: b.PendingMinor},
		{Kind: "balance", Label: "Available", AmountMinor: b.AvailableMinor},
		{Kind: "balance", Label: "Withdrawing", AmountMinor: b.WithdrawingMinor},
	}
	entries, err := tx.Ledger().Entries(ctx, mentorbook.LedgerFilter{Owner: caller.ID, Limit: 5})
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		out = append(out, MoneyItem{Kind: "entry", Label: e.Kind + " · " + string(e.Account.Bucket), AmountMinor: e.Change})
	}
	cashouts, err := tx.Cashouts().List(ctx, mentorbook.CashoutFilter{MentorID: caller.ID,
		Statuses: []mentorbook.CashoutStatus{mentorbook.CashoutRequested}, Limit: dashboardLimit})
	if err != nil {
		return nil, err
	}
	for _, c := range cashouts {
		out = append(out, MoneyItem{Kind: "cashout", Label: "Cashout requested", AmountMinor: c.AmountMinor})
	}
	if len(out) == 3 && b.PendingMinor == 0 && b.AvailableMinor == 0 && b.WithdrawingMinor == 0 {
		return []MoneyItem{}, nil // no money has moved yet: nothing to show
	}
	return out, nil
}

func pastTime(p Past) time.Time {
	if p.Booking != nil {
		return p.Booking.End
	}
	return p.Mentorship.UpdatedAt
}

// requests fills the two request parts: pending bookings and mentorships
// by role, and mentorships awaiting the mentee's payment.
func (s *Dashboard) requests(ctx context.Context, tx mentorbook.Tx, userID int64, now time.Time, d *DashboardData) error {
	for _, q := range []struct {
		role string
		into *[]Request
	}{{"mentor", &d.WaitingForMe}, {"mentee", &d.WaitingForOthers}} {
		bs, err := tx.Bookings().List(ctx, mentorbook.BookingFilter{UserID: userID, Role: q.role,
			Statuses: []mentorbook.BookingStatus{mentorbook.StatusPending}, Limit: dashboardLimit, Now: now})
		if err != nil {
			return err
		}
		for _, b := range bs {
			*q.into = append(*q.into, Request{Booking: &b})
		}
	}
	for _, q := range []struct {
		role   string
		status mentorbook.MentorshipStatus
		into   *[]Request
	}{
		{"mentor", mentorbook.MentorshipPending, &d.WaitingForMe},
		{"mentee", mentorbook.MentorshipAwaitingPayment, &d.WaitingForMe},
		{"mentee", mentorbook.MentorshipPending, &d.WaitingForOthers},
		{"mentor", mentorbook.MentorshipAwaitingPayment, &d.WaitingForOthers},
	} {
		ms, err := tx.Mentorships().List(ctx, mentorbook.MentorshipFilter{UserID: userID, Role: q.role,
			Statuses: []mentorbook.MentorshipStatus{q.status}, Limit: dashboardLimit, Now: now})
		if err != nil {
			return err
		}
		for _, m := range ms {
			*q.into = append(*q.into, Request{Mentorship: &m})
		}
	}
	return nil
}

// sessions fills upcoming sessions, held ones (history) and the people
// met in them (connections).
func (s *Dashboard) sessions(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, now time.Time, d *DashboardData) error {
	confirmed := []mentorbook.BookingStatus{mentorbook.StatusConfirmed}
	// A session that started up to a day ago may still be going on.
	next, err := tx.Bookings().List(ctx, mentorbook.BookingFilter{UserID: caller.ID, Statuses: confirmed,
		From: now.Add(-24 * time.Hour), Limit: dashboardLimit, Now: now})
	if err != nil {
		return err
	}
	for _, b := range next {
		if b.End.After(now) {
			b = shownTo(caller, b)
			d.Upcoming = append(d.Upcoming, Upcoming{Booking: b, Location: b.Location})
		}
	}
	past, err := tx.Bookings().List(ctx, mentorbook.BookingFilter{UserID: caller.ID, Statuses: confirmed, To: now,
		Limit: historyScan, Now: now})
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, b := range past {
		if !b.Held(now) {
			continue
		}
		b = shownTo(caller, b)
		d.History = append(d.History, Past{Booking: &b})
		other, name := b.MentorID, b.MentorName
		if other == caller.ID {
			other, name = b.MenteeID, b.MenteeName
		}
		if !seen[other] {
			seen[other] = true
			d.Connections = append(d.Connections, Connection{other, name})
		}
	}
	return nil
}

// mentorships fills active mentorships with their progress, finished ones
// (history) and the people in active ones (connections).
func (s *Dashboard) mentorships(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, now time.Time, d *DashboardData) error {
	active, err := tx.Mentorships().List(ctx, mentorbook.MentorshipFilter{UserID: caller.ID,
		Statuses: []mentorbook.MentorshipStatus{mentorbook.MentorshipActive}, Limit: dashboardLimit, Now: now})
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, c := range d.Connections {
		seen[c.ID] = true
	}
	for _, m := range active {
		sum, err := summaryOf(ctx, tx, m)
		if err != nil {
			return err
		}
		d.Active = append(d.Active, ActiveMentorship{m, sum})
		if other := otherParty(m, caller.ID); !seen[other] {
			seen[other] = true
			name := m.MentorName
			if other == m.MenteeID {
				name = m.MenteeName
			}
			d.Connections = append(d.Connections, Connection{other, name})
		}
	}
	done, err := tx.Mentorships().List(ctx, mentorbook.MentorshipFilter{UserID: caller.ID,
		Statuses: []mentorbook.MentorshipStatus{mentorbook.MentorshipCompleted, mentorbook.MentorshipCancelled},
		Limit:    historyLimit, Now: now})
	if err != nil {
		return err
	}
	for _, m := range done {
		d.History = append(d.History, Past{Mentorship: &m})
	}
	return nil
}
