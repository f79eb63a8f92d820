package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
)

const (
	maxBroadcastTitle  = 100
	maxBroadcastBody   = 5000
	maxBroadcastSkills = 10
	maxResponseMessage = 2000
)

// BroadcastInput is a broadcast as typed. In an update, a nil field keeps
// its value.
type BroadcastInput struct {
	Title  *string
	Body   *string
	Skills *[]string
}

// checkBroadcast validates and normalises the fields in, over b.
func checkBroadcast(b mentorbook.Broadcast, in BroadcastInput) (mentorbook.Broadcast, error) {
	v := mentorbook.Validation{}
	if in.Title != nil {
		b.Title = strings.TrimSpace(*in.Title)
	}
	if in.Body != nil {
		b.Body = strings.TrimSpace(*in.Body)
	}
	checkText(v, "title", b.Title)
	checkText(v, "body", b.Body)
	switch n := utf8.RuneCountInString(b.Title); {
	case n == 0:
		v.Add("title", "is required")
	case n > maxBroadcastTitle:
		v.Add("title", "must be at most 100 characters")
	}
	switch n := utf8.RuneCountInString(b.Body); {
	case n == 0:
		v.Add("body", "is required")
	case n > maxBroadcastBody:
		v.Add("body", "must be at most 5000 characters")
	}
	if in.Skills != nil {
		skills, problem := normalizeSkills(*in.Skills)
		if problem == "" && len(skills) > maxBroadcastSkills {
			problem = "at most 10 skills"
		}
		if problem != "" {
			v.Add("skills", problem)
		}
		b.Skills = skills
	}
	return b, v.Err()
}

// Create posts a broadcast; any signed-in user may.
func (s *Broadcasts) Create(ctx context.Context, caller mentorbook.User, in BroadcastInput) (mentorbook.Broadcast, error) {
	now := s.clock()
	b, err := checkBroadcast(mentorbook.Broadcast{AuthorID: caller.ID, Status: mentorbook.BroadcastOpen,
		Skills: []string{}, CreatedAt: now, UpdatedAt: now}, in)
	if err != nil {
		return mentorbook.Broadcast{}, err
	}
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Broadcast, error) {
		return tx.Broadcasts().Create(ctx, b)
	})
}

var errNoBroadcast = mentorbook.Errorf(mentorbook.ENOTFOUND, "No such broadcast.")

// Get returns a broadcast; broadcasts are public.
func (s *Broadcasts) Get(ctx context.Context, id int64) (mentorbook.Broadcast, error) {
	b, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Broadcast, error) {
		return tx.Broadcasts().Get(ctx, id, false)
	})
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return b, errNoBroadcast
	}
	return b, err
}

// authored locks and returns the caller's own broadcast: anyone else's is
// not found, so its existence is no business of theirs to change.
func authored(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, id int64) (mentorbook.Broadcast, error) {
	b, err := tx.Broadcasts().Get(ctx, id, true)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND || (err == nil && b.AuthorID != caller.ID) {
		return mentorbook.Broadcast{}, errNoBroadcast
	}
	return b, err
}

var errBroadcastClosed = mentorbook.Errorf(mentorbook.ECONFLICT, "The broadcast is closed.")

// Update changes the given fields of the caller's own open broadcast.
func (s *Broadcasts) Update(ctx context.Context, caller mentorbook.User, id int64, in BroadcastInput) (mentorbook.Broadcast, error) {
	// Fields are checked before the broadcast is looked up, so a refused
	// edit says what is wrong with it either way.
	if _, err := checkBroadcast(mentorbook.Broadcast{Title: "-", Body: "-"}, in); err != nil {
		return mentorbook.Broadcast{}, err
	}
	return s.changeOpen(ctx, caller, id, func(b mentorbook.Broadcast) (mentorbook.Broadcast, error) {
		return checkBroadcast(b, in)
	})
}

// Close stops an open broadcast of the caller's from taking responses.
func (s *Broadcasts) Close(ctx context.Context, caller mentorbook.User, id int64) (mentorbook.Broadcast, error) {
	return s.changeOpen(ctx, caller, id, func(b mentorbook.Broadcast) (mentorbook.Broadcast, error) {
		b.Status = mentorbook.BroadcastClosed
		return b, nil
	})
}

// changeOpen applies change to the caller's own broadcast, which must be
// open, and stores it.
func (s *Broadcasts) changeOpen(ctx context.Context, caller mentorbook.User, id int64,
	change func(mentorbook.Broadcast) (mentorbook.Broadcast, error)) (mentorbook.Broadcast, error) {
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Broadcast, error) {
		b, err := authored(ctx, tx, caller, id)
		if err != nil {
			return b, err
		}
		if b.Status != mentorbook.BroadcastOpen {
			return mentorbook.Broadcast{}, errBroadcastClosed
		}
		if b, err = change(b); err != nil {
			return b, err
		}
		b.UpdatedAt = s.clock()
		return tx.Broadcasts().Update(ctx, b)
	})
}

// Delete removes the caller's own broadcast with its responses.
func (s *Broadcasts) Delete(ctx context.Context, caller mentorbook.User, id int64) error {
	return s.store.Write(ctx, func(tx mentorbook.Tx) error {
		if _, err := authored(ctx, tx, caller, id); err != nil {
			return err
		}
		return tx.Broadcasts().Delete(ctx, id)
	})
}

// BroadcastQuery pages through broadcasts, newest first, as typed: Status
// "open", "closed" or "" for both; AuthorID "" for anyone.
type BroadcastQuery struct {
	Skill, Q, Status, AuthorID, Cursor, Limit string
}

// List returns a page of broadcasts and the cursor of the next page (""
// when this is the last).
func (s *Broadcasts) List(ctx context.Context, q BroadcastQuery) ([]mentorbook.Broadcast, string, error) {
	v := mentorbook.Validation{}
	checkText(v, "skill", q.Skill)
	f := mentorbook.BroadcastFilter{Skill: normalizeSkill(q.Skill), Words: queryWords("q", q.Q, v)}
	switch st := mentorbook.BroadcastStatus(q.Status); st {
	case "", mentorbook.BroadcastOpen, mentorbook.BroadcastClosed:
		f.Status = st
	default:
		v.Add("status", "must be open or closed")
	}
	if q.AuthorID != "" {
		var err error
		if f.AuthorID, err = strconv.ParseInt(q.AuthorID, 10, 64); err != nil || f.AuthorID <= 0 {
			v.Add("author_id", "must be a user's id")
		}
	}
	f.BeforeID = decodeIDCursor(q.Cursor, v)
	limit := pageSize(q.Limit, v)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	f.Limit = limit + 1
	bs, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Broadcast, error) {
		return tx.Broadcasts().List(ctx, f)
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(bs) > limit {
		bs = bs[:limit]
		next = encodeIDCursor(bs[limit-1].ID)
	}
	return bs, next, nil
}

// ResponseInput is a mentor's answer as typed; a nil ServiceID proposes
// no service.
type ResponseInput struct {
	Message   string
	ServiceID *int64
}

// Respond answers someone else's open broadcast as a mentor, once, and
// tells its author in the same transaction.
func (s *Broadcasts) Respond(ctx context.Context, caller mentorbook.User, id int64, in ResponseInput) (mentorbook.BroadcastResponse, error) {
	v := mentorbook.Validation{}
	message := strings.TrimSpace(in.Message)
	checkText(v, "message", message)
	switch n := utf8.RuneCountInString(message); {
	case n == 0:
		v.Add("message", "is required")
	case n > maxResponseMessage:
		v.Add("message", "must be at most 2000 characters")
	}
	if err := v.Err(); err != nil {
		return mentorbook.BroadcastResponse{}, err
	}
	if caller.Mentor == nil || !caller.Mentor.Active {
		return mentorbook.BroadcastResponse{}, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only active mentors answer broadcasts.")
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.BroadcastResponse, error) {
		// The lock makes a response and the broadcast's closing take turns.
		b, err := tx.Broadcasts().Get(ctx, id, true)
		if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
			return mentorbook.BroadcastResponse{}, errNoBroadcast
		} else if err != nil {
			return mentorbook.BroadcastResponse{}, err
		}
		if b.AuthorID == caller.ID {
			return mentorbook.BroadcastResponse{}, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "You cannot answer your own broadcast.",
				Fields: map[string]string{"broadcast": "is your own"}}
		}
		if b.Status != mentorbook.BroadcastOpen {
			return mentorbook.BroadcastResponse{}, errBroadcastClosed
		}
		serviceID, err := checkProposedService(ctx, tx, caller, in.ServiceID)
		if err != nil {
			return mentorbook.BroadcastResponse{}, err
		}
		r, err := tx.Broadcasts().Respond(ctx, mentorbook.BroadcastResponse{
			BroadcastID: id, MentorID: caller.ID, Message: message, ServiceID: serviceID, CreatedAt: now,
		})
		if err != nil {
			return r, err
		}
		return r, s.notify(ctx, tx, mentorbook.Notification{
			UserID: b.AuthorID,
			Kind:   mentorbook.NotifyBroadcastResponse,
			Title:  fmt.Sprintf("%s answered your broadcast", r.MentorName),
			Body:   fmt.Sprintf("%s answered “%s”: %s", r.MentorName, b.Title, excerpt(message, 200)),
			Link:   fmt.Sprintf("/broadcasts/%d", id),
		})
	})
}

// checkProposedService returns the id of the service a mentor proposes in
// an answer (0 for none): one of their own that mentees can request now,
// so not the free consultation, which is booked from the calendar.
func checkProposedService(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, serviceID *int64) (int64, error) {
	if serviceID == nil {
		return 0, nil
	}
	sv, err := tx.Services().Get(ctx, *serviceID)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND || (err == nil && (sv.MentorID != caller.ID || !sv.Requestable())) {
		return 0, &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{"service_id": "must be one of your active services other than the free consultation"}}
	}
	return sv.ID, err
}

// Responses lists the responses to a broadcast the caller may see: all of
// them for its author, their own for a mentor who answered; anyone else
// gets ENOTFOUND.
func (s *Broadcasts) Responses(ctx context.Context, caller mentorbook.User, id int64) ([]mentorbook.BroadcastResponse, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.BroadcastResponse, error) {
		b, err := tx.Broadcasts().Get(ctx, id, false)
		if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
			return nil, errNoBroadcast
		} else if err != nil {
			return nil, err
		}
		mentorID := caller.ID
		if b.AuthorID == caller.ID {
			mentorID = 0
		}
		rs, err := tx.Broadcasts().Responses(ctx, id, mentorID)
		if err == nil && mentorID != 0 && len(rs) == 0 {
			return nil, mentorbook.Errorf(mentorbook.ENOTFOUND, "No responses of yours to this broadcast.")
		}
		return rs, err
	})
}

// excerpt is s cut to at most n characters, with an ellipsis when cut.
func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
