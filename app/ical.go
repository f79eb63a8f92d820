package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/mentorbook/mentorbook"
)

// iCalendar methods (RFC 5546) of the invites emails carry.
const (
	methodRequest = string(ics.MethodRequest)
	methodCancel  = string(ics.MethodCancel)
	methodPublish = string(ics.MethodPublish)
)

// feedDays is how far back a calendar feed lists sessions.
const feedDays = 30

// icsContentType is the media type of a calendar of method.
func icsContentType(method string) string {
	return "text/calendar; charset=utf-8; method=" + method
}

// party is a booking's parties' addresses, for ORGANIZER and ATTENDEE.
type parties struct{ mentor, mentee mentorbook.User }

func partiesOf(ctx context.Context, tx mentorbook.Tx, b mentorbook.Booking) (parties, error) {
	m, err := tx.Users().ByID(ctx, b.MentorID)
	if err != nil {
		return parties{}, err
	}
	e, err := tx.Users().ByID(ctx, b.MenteeID)
	return parties{m, e}, err
}

// host is the site's host name, for UIDs.
func (c *core) host() string {
	if u, err := url.Parse(c.baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "mentorbook.invalid"
}

// addEvent writes b as viewer may see it into cal. The UID is the
// booking's for life; SEQUENCE is its sequence, which every change a
// calendar applies raises, so an update replaces the event.
func (c *core) addEvent(cal *ics.Calendar, b mentorbook.Booking, p parties, viewer int64) {
	ev := cal.AddEvent(fmt.Sprintf("booking-%d@%s", b.ID, c.host()))
	ev.SetDtStampTime(b.UpdatedAt)
	ev.SetSequence(b.Sequence)
	ev.SetStartAt(b.Start)
	ev.SetEndAt(b.End)
	ev.SetSummary(fmt.Sprintf("Mentorbook session: %s and %s", b.MentorName, b.MenteeName))
	page := c.baseURL + bookingPath(b.ID)
	desc := "Booking page: " + page
	if b.LocationVisibleTo(viewer) && b.Location != "" {
		ev.SetLocation(b.Location)
		desc = "Where: " + b.Location + "\n" + desc
	}
	ev.SetDescription(desc)
	ev.SetURL(page)
	ev.SetOrganizer("mailto:"+p.mentor.Email, ics.WithCN(p.mentor.Name))
	ev.AddAttendee("mailto:"+p.mentee.Email, ics.WithCN(p.mentee.Name),
		ics.ParticipationRoleReqParticipant, ics.ParticipationStatusAccepted)
	switch b.Status {
	case mentorbook.StatusConfirmed:
		ev.SetStatus(ics.ObjectStatusConfirmed)
	case mentorbook.StatusPending:
		ev.SetStatus(ics.ObjectStatusTentative)
	default:
		ev.SetStatus(ics.ObjectStatusCancelled)
	}
}

func newCalendar(method string) *ics.Calendar {
	cal := ics.NewCalendar()
	cal.SetProductId("-//Mentorbook//Sessions//EN")
	cal.SetMethod(ics.Method(method))
	return cal
}

// bookingInvite is the invite of b for viewer, as an email attachment.
func (c *core) bookingInvite(ctx context.Context, tx mentorbook.Tx, b mentorbook.Booking, method string, viewer int64) (mentorbook.Attachment, error) {
	p, err := partiesOf(ctx, tx, b)
	if err != nil {
		return mentorbook.Attachment{}, err
	}
	cal := newCalendar(method)
	c.addEvent(cal, b, p, viewer)
	name := "invite.ics"
	if method == methodCancel {
		name = "cancel.ics"
	}
	return mentorbook.Attachment{Filename: name, ContentType: icsContentType(method), Data: []byte(cal.Serialize())}, nil
}

// CalendarFile is one booking as an iCalendar file for one of its
// parties (PUBLISH: to import, not an invitation).
func (s *Bookings) CalendarFile(ctx context.Context, caller mentorbook.User, id int64) ([]byte, error) {
	b, err := s.Get(ctx, caller, id)
	if err != nil {
		return nil, err
	}
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]byte, error) {
		p, err := partiesOf(ctx, tx, b)
		if err != nil {
			return nil, err
		}
		cal := newCalendar(methodPublish)
		s.addEvent(cal, b, p, caller.ID)
		return []byte(cal.Serialize()), nil
	})
}

// feedToken is the secret of a user's feed: an HMAC of the user and the
// feed's nonce under the database's signing key. Only its hash is stored;
// a new nonce makes a new token and the old one's hash is gone.
func feedToken(key []byte, userID int64, nonce []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("calendar-feed\x00" + strconv.FormatInt(userID, 10) + "\x00"))
	m.Write(nonce)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func feedTokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// FeedPath is the site path of a feed token's calendar.
func FeedPath(token string) string { return "/calendar/" + token + ".ics" }

// CalendarFeedURL returns the address of the caller's calendar feed,
// making the feed on first use.
func (s *Accounts) CalendarFeedURL(ctx context.Context, caller mentorbook.User) (string, error) {
	return s.calendarFeed(ctx, caller, false)
}

// RegenerateCalendarFeed gives the caller a new feed address; the old one
// stops working at once.
func (s *Accounts) RegenerateCalendarFeed(ctx context.Context, caller mentorbook.User) (string, error) {
	return s.calendarFeed(ctx, caller, true)
}

func (s *Accounts) calendarFeed(ctx context.Context, caller mentorbook.User, renew bool) (string, error) {
	fresh := make([]byte, 16)
	_, _ = rand.Read(fresh)
	now := s.clock()
	token, err := mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (string, error) {
		key, err := s.settingsKey(ctx, tx)
		if err != nil {
			return "", err
		}
		nonce, err := tx.Users().CalendarFeed(ctx, caller.ID)
		if err == nil && !renew {
			return feedToken(key, caller.ID, nonce), nil
		}
		if err != nil && mentorbook.ErrorCode(err) != mentorbook.ENOTFOUND {
			return "", err
		}
		token := feedToken(key, caller.ID, fresh)
		return token, tx.Users().SetCalendarFeed(ctx, caller.ID, fresh, feedTokenHash(token), now)
	})
	if err != nil {
		return "", err
	}
	return s.baseURL + FeedPath(token), nil
}

// CalendarFeed is the calendar a feed token names: its user's sessions
// that were confirmed, from 30 days ago on, cancelled ones as cancelled.
// An unknown or replaced token is ENOTFOUND.
func (s *Accounts) CalendarFeed(ctx context.Context, token string) ([]byte, error) {
	now := s.clock()
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]byte, error) {
		userID, err := tx.Users().CalendarFeedUser(ctx, feedTokenHash(token))
		if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
			return nil, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such calendar.")
		} else if err != nil {
			return nil, err
		}
		cal := newCalendar(methodPublish)
		cal.SetXWRCalName("Mentorbook")
		f := mentorbook.BookingFilter{UserID: userID, WasConfirmed: true, Now: now, Limit: 1000,
			Statuses: []mentorbook.BookingStatus{mentorbook.StatusConfirmed, mentorbook.StatusCancelled},
			From:     now.Add(-feedDays * 24 * time.Hour)}
		for {
			bs, err := tx.Bookings().List(ctx, f)
			if err != nil {
				return nil, err
			}
			for _, b := range bs {
				p, err := partiesOf(ctx, tx, b)
				if err != nil {
					return nil, err
				}
				s.addEvent(cal, b, p, userID)
			}
			if len(bs) < f.Limit {
				break
			}
			last := bs[len(bs)-1]
			f.After = &mentorbook.BookingCursor{Start: last.Start, ID: last.ID}
		}
		return []byte(cal.Serialize()), nil
	})
}
