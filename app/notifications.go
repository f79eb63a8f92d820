package app

import (
	"context"

	"github.com/mentorbook/mentorbook"
)

// NotificationQuery selects the caller's notifications, as typed: Unread
// "true", "false" or ""; Cursor as a previous page gave it.
type NotificationQuery struct {
	Unread, Limit, Cursor string
}

// List returns a page of the caller's notifications, newest first, and
// the cursor of the next page ("" when this is the last).
func (s *Notifications) List(ctx context.Context, caller mentorbook.User, q NotificationQuery) ([]mentorbook.Notification, string, error) {
	v := mentorbook.Validation{}
	f := mentorbook.NotificationFilter{UserID: caller.ID}
	switch q.Unread {
	case "", "false":
	case "true":
		f.UnreadOnly = true
	default:
		v.Add("unread", "must be true or false")
	}
	f.BeforeID = beforeIDCursor(q.Cursor, v)
	limit := pageSize(q.Limit, v)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	f.Limit = limit + 1
	ns, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Notification, error) {
		return tx.Notifications().List(ctx, f)
	})
	if err != nil {
		return nil, "", err
	}
	ns, next := idPage(ns, limit, func(x mentorbook.Notification) int64 { return x.ID })
	return ns, next, nil
}

// UnreadCount is how many of the caller's notifications are unread: one
// count query, for the bell on every page.
func (s *Notifications) UnreadCount(ctx context.Context, caller mentorbook.User) (int, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (int, error) {
		return tx.Notifications().UnreadCount(ctx, caller.ID)
	})
}

// maxMarkRead bounds the IDs of one request.
const maxMarkRead = 500

// MarkRead marks the caller's notifications among ids read, or all of
// them; other people's IDs are ignored. It returns how many it marked.
func (s *Notifications) MarkRead(ctx context.Context, caller mentorbook.User, ids []int64, all bool) (int, error) {
	v := mentorbook.Validation{}
	switch {
	case all && len(ids) > 0:
		v.Add("ids", "give ids or all, not both")
	case !all && len(ids) == 0:
		v.Add("ids", "is required unless all is true")
	case len(ids) > maxMarkRead:
		v.Add("ids", "must list at most 500 IDs")
	}
	for _, id := range ids {
		if id <= 0 {
			v.Add("ids", "must be notification IDs")
		}
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (int, error) {
		n, err := tx.Notifications().MarkRead(ctx, caller.ID, ids, all, now)
		if err != nil || n == 0 {
			return n, err
		}
		// The caller's other pages update their counts.
		return n, s.unreadEvent(ctx, tx, caller.ID)
	})
}

// EmailSettings says, for every kind, whether the caller gets its email.
func (s *Notifications) EmailSettings(ctx context.Context, caller mentorbook.User) (map[mentorbook.NotificationKind]bool, error) {
	off, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.NotificationKind, error) {
		return tx.Notifications().EmailOff(ctx, caller.ID)
	})
	if err != nil {
		return nil, err
	}
	return settingsOf(off), nil
}

func settingsOf(off []mentorbook.NotificationKind) map[mentorbook.NotificationKind]bool {
	out := map[mentorbook.NotificationKind]bool{}
	for _, k := range mentorbook.NotificationKinds {
		out[k] = true
	}
	for _, k := range off {
		if _, known := out[k]; known {
			out[k] = false
		}
	}
	return out
}

// SetEmailSettings turns the named kinds' email on or off; kinds not
// named keep their setting. An unknown kind is invalid and changes
// nothing. It returns every kind's setting.
func (s *Notifications) SetEmailSettings(ctx context.Context, caller mentorbook.User, email map[string]bool) (map[mentorbook.NotificationKind]bool, error) {
	v := mentorbook.Validation{}
	if email == nil {
		v.Add("email", "is required: an object of kind to true or false")
	}
	for k := range email {
		if !mentorbook.NotificationKind(k).Valid() {
			v.Add("email."+k, "is not a notification kind")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	off, err := mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.NotificationKind, error) {
		for _, k := range mentorbook.NotificationKinds {
			if on, named := email[string(k)]; named {
				if err := tx.Notifications().SetEmail(ctx, caller.ID, k, on); err != nil {
					return nil, err
				}
			}
		}
		return tx.Notifications().EmailOff(ctx, caller.ID)
	})
	if err != nil {
		return nil, err
	}
	return settingsOf(off), nil
}

// EmailOffLink is what the link of an email's turn-off token does.
type EmailOffLink struct {
	Kind mentorbook.NotificationKind
	// On says whether that email is still on.
	On bool
}

var errBadEmailLink = mentorbook.Errorf(mentorbook.ENOTFOUND,
	"This link is not valid: it may have been copied incompletely. Sign in to change your notification settings.")

// EmailOffState reads what an email's turn-off link would do; it changes
// nothing (a mail scanner may open the link).
func (s *Notifications) EmailOffState(ctx context.Context, token string) (EmailOffLink, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (EmailOffLink, error) {
		userID, kind, err := s.checkToken(ctx, tx, token)
		if err != nil {
			return EmailOffLink{}, err
		}
		off, err := tx.Notifications().EmailOff(ctx, userID)
		return EmailOffLink{Kind: kind, On: settingsOf(off)[kind]}, err
	})
}

// TurnEmailOff turns off the email kind of a token from an email's link,
// without signing in (the link's POST, or a one-click List-Unsubscribe).
func (s *Notifications) TurnEmailOff(ctx context.Context, token string) (EmailOffLink, error) {
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (EmailOffLink, error) {
		userID, kind, err := s.checkToken(ctx, tx, token)
		if err != nil {
			return EmailOffLink{}, err
		}
		return EmailOffLink{Kind: kind}, tx.Notifications().SetEmail(ctx, userID, kind, false)
	})
}

// checkToken verifies a token and that its user still exists.
func (s *Notifications) checkToken(ctx context.Context, tx mentorbook.Tx, token string) (int64, mentorbook.NotificationKind, error) {
	key, err := s.settingsKey(ctx, tx)
	if err != nil {
		return 0, "", err
	}
	userID, kind, ok := parseEmailOffToken(key, token)
	if !ok {
		return 0, "", errBadEmailLink
	}
	if _, err := tx.Users().ByID(ctx, userID); mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return 0, "", errBadEmailLink
	} else if err != nil {
		return 0, "", err
	}
	return userID, kind, nil
}
