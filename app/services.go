package app

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/money"
)

// Service limits, by field name as the API and forms use them.
var (
	ServiceSessionsLimit = SettingLimit{"sessions", 1, 52, 0}
	ServiceMinutesLimit  = SettingLimit{"session_minutes", 15, 480, 5}
	ServiceDaysLimit     = SettingLimit{"days", 1, 365, 0}
)

const (
	maxServiceTitle       = 100
	maxServiceDescription = 2000
	maxLocation           = 500
	// MaxPriceMinor is the largest price, in minor units.
	MaxPriceMinor = 1_000_000_000_000
)

// ServiceInput is a service as typed; nil fields are left as they are (on
// create: their defaults). PriceMinor is the JSON number's text exactly as
// sent, so that "12.5", "-1", "1e3" and a quoted "100" are all refused
// instead of being rounded or coerced by a decoder.
type ServiceInput struct {
	Title          *string
	Description    *string
	PriceMinor     *string
	Format         *string
	Sessions       *int
	SessionMinutes *int
	Days           *int
	Mode           *string
	Location       *string
	Active         *bool
}

// Currency is the platform currency every amount is in.
func (s *Services) Currency() money.Currency { return s.currency }

// requireProfile returns the caller with their mentor profile, or 403.
func (s *core) requireProfile(ctx context.Context, caller mentorbook.User, what string) (mentorbook.User, error) {
	u, err := s.requireMentor(ctx, caller)
	if mentorbook.ErrorCode(err) == mentorbook.EFORBIDDEN {
		return u, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only mentors have %s; create a mentor profile first.", what)
	}
	return u, err
}

// Mine lists the caller's services, inactive and archived ones included.
func (s *Services) Mine(ctx context.Context, caller mentorbook.User) ([]mentorbook.Service, error) {
	u, err := s.requireProfile(ctx, caller, "services")
	if err != nil {
		return nil, err
	}
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Service, error) {
		return tx.Services().List(ctx, u.ID, false)
	})
}

// Offered lists a mentor's active services, for anyone.
func (s *Services) Offered(ctx context.Context, mentorID int64) ([]mentorbook.Service, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Service, error) {
		if _, err := mentorByID(ctx, tx, mentorID); err != nil {
			return nil, err
		}
		return offered(ctx, tx, mentorID)
	})
}

// offered lists a mentor's active services.
func offered(ctx context.Context, tx mentorbook.Tx, mentorID int64) ([]mentorbook.Service, error) {
	return tx.Services().List(ctx, mentorID, true)
}

// Public returns any service, for a page that names its mentor.
func (s *Services) Public(ctx context.Context, id int64) (mentorbook.Service, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Service, error) {
		sv, err := tx.Services().Get(ctx, id)
		if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
			return sv, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such service.")
		}
		return sv, err
	})
}

// Get returns one of the caller's services; others' are not found.
func (s *Services) Get(ctx context.Context, caller mentorbook.User, id int64) (mentorbook.Service, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Service, error) {
		return ownService(ctx, tx, caller, id)
	})
}

func ownService(ctx context.Context, tx mentorbook.Tx, caller mentorbook.User, id int64) (mentorbook.Service, error) {
	sv, err := tx.Services().Get(ctx, id)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND || (err == nil && sv.MentorID != caller.ID) {
		return mentorbook.Service{}, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such service.")
	}
	return sv, err
}

// Create adds a service to the caller's.
func (s *Services) Create(ctx context.Context, caller mentorbook.User, in ServiceInput) (mentorbook.Service, error) {
	u, err := s.requireProfile(ctx, caller, "services")
	if err != nil {
		return mentorbook.Service{}, err
	}
	now := s.clock()
	sv := mentorbook.Service{MentorID: u.ID, Format: mentorbook.FormatSessions, Active: true, CreatedAt: now, UpdatedAt: now}
	if err := applyService(&sv, in, true); err != nil {
		return mentorbook.Service{}, err
	}
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Service, error) {
		return tx.Services().Create(ctx, sv)
	})
}

// Update changes one of the caller's services. Existing mentorships keep
// the terms they were requested with.
func (s *Services) Update(ctx context.Context, caller mentorbook.User, id int64, in ServiceInput) (mentorbook.Service, error) {
	if _, err := s.requireProfile(ctx, caller, "services"); err != nil {
		return mentorbook.Service{}, err
	}
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Service, error) {
		sv, err := ownService(ctx, tx, caller, id)
		if err != nil {
			return sv, err
		}
		if sv.Archived() {
			return mentorbook.Service{}, mentorbook.Errorf(mentorbook.ECONFLICT, "This service is archived; it can no longer change.")
		}
		if err := applyService(&sv, in, false); err != nil {
			return mentorbook.Service{}, err
		}
		sv.UpdatedAt = s.clock()
		return tx.Services().Update(ctx, sv)
	})
}

// Archive hides one of the caller's services from new requests; its
// mentorships go on. The free consultation cannot be archived (make it
// inactive instead).
func (s *Services) Archive(ctx context.Context, caller mentorbook.User, id int64) error {
	if _, err := s.requireProfile(ctx, caller, "services"); err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx mentorbook.Tx) error {
		sv, err := ownService(ctx, tx, caller, id)
		switch {
		case err != nil:
			return err
		case sv.IsDefault:
			return mentorbook.Errorf(mentorbook.ECONFLICT, "The free consultation cannot be deleted; make it inactive instead.")
		case sv.Archived():
			return nil
		}
		now := s.clock()
		sv.ArchivedAt, sv.UpdatedAt = now, now
		_, err = tx.Services().Update(ctx, sv)
		return err
	})
}

// integerText is a JSON number without fraction, exponent or sign.
var integerText = regexp.MustCompile(`^[0-9]+$`)

// applyService validates in and writes it over sv. The default service
// keeps its terms: they are the calendar's (one session of the
// availability's length, free).
func applyService(sv *mentorbook.Service, in ServiceInput, creating bool) error {
	v := mentorbook.Validation{}
	text := func(field string, src *string, dst *string, max int, required bool) {
		if src == nil {
			if creating && required {
				v.Add(field, "is required")
			}
			return
		}
		t := strings.TrimSpace(*src)
		checkText(v, field, t)
		switch {
		case required && t == "":
			v.Add(field, "is required")
		case utf8.RuneCountInString(t) > max:
			v.Add(field, "must be at most "+strconv.Itoa(max)+" characters")
		}
		*dst = t
	}
	text("title", in.Title, &sv.Title, maxServiceTitle, true)
	text("description", in.Description, &sv.Description, maxServiceDescription, false)
	if in.PriceMinor != nil {
		p := *in.PriceMinor
		n, err := strconv.ParseInt(p, 10, 64)
		switch {
		case !integerText.MatchString(strings.TrimPrefix(p, "-")):
			v.Add("price_minor", "must be a whole number of minor units (cents), like 2500")
		case err != nil || n < 0 || n > MaxPriceMinor:
			v.Add("price_minor", "must be from 0 to 1000000000000")
		case sv.IsDefault && n != 0:
			v.Add("price_minor", "the free consultation is free")
		default:
			sv.PriceMinor = n
		}
	}
	if in.Active != nil {
		sv.Active = *in.Active
	}
	if sv.IsDefault {
		for field, given := range map[string]bool{"format": in.Format != nil, "sessions": in.Sessions != nil,
			"session_minutes": in.SessionMinutes != nil, "days": in.Days != nil} {
			if given {
				v.Add(field, "the free consultation is one session of your availability's length")
			}
		}
	}
	if in.Format != nil {
		switch f := mentorbook.ServiceFormat(*in.Format); f {
		case mentorbook.FormatSessions, mentorbook.FormatAsync:
			if f != sv.Format {
				// The other format's terms no longer apply.
				sv.Format, sv.Sessions, sv.SessionMinutes, sv.Days, sv.Mode, sv.Location = f, 0, 0, 0, "", ""
			}
		default:
			v.Add("format", `must be "sessions" or "async"`)
			return v.Err()
		}
	}
	number := func(l SettingLimit, src *int, dst *int, applies bool, with string) {
		switch {
		case src != nil && !applies:
			v.Add(l.Field, "only with format "+with)
		case src != nil:
			if n := *src; n < l.Min || n > l.Max || (l.Multiple > 0 && n%l.Multiple != 0) {
				msg := "must be from " + strconv.Itoa(l.Min) + " to " + strconv.Itoa(l.Max)
				if l.Multiple > 0 {
					msg += ", a multiple of " + strconv.Itoa(l.Multiple)
				}
				v.Add(l.Field, msg)
			}
			*dst = *src
		case applies && *dst == 0 && !sv.IsDefault:
			v.Add(l.Field, "is required with format "+with)
		}
	}
	sessions := sv.Format == mentorbook.FormatSessions
	number(ServiceSessionsLimit, in.Sessions, &sv.Sessions, sessions, "sessions")
	number(ServiceMinutesLimit, in.SessionMinutes, &sv.SessionMinutes, sessions, "sessions")
	number(ServiceDaysLimit, in.Days, &sv.Days, !sessions, "async")
	switch {
	case !sessions && (in.Mode != nil || in.Location != nil):
		if in.Mode != nil {
			v.Add("mode", "only with format sessions")
		}
		if in.Location != nil {
			v.Add("location", "only with format sessions")
		}
	case sessions:
		if in.Mode != nil {
			if *in.Mode != mentorbook.ModeOnline && *in.Mode != mentorbook.ModeOnsite {
				v.Add("mode", `must be "online" or "onsite"`)
			} else if *in.Mode != sv.Mode {
				sv.Mode, sv.Location = *in.Mode, ""
			}
		}
		if sv.Mode == "" {
			sv.Mode = mentorbook.ModeOnline
		}
		if in.Location != nil {
			sv.Location = strings.TrimSpace(*in.Location)
			checkText(v, "location", sv.Location)
		}
		if sv.Mode == mentorbook.ModeOnline && sv.Location != "" {
			if u, err := url.Parse(sv.Location); err != nil || u.Scheme != "https" || u.Host == "" || len(sv.Location) > maxLocation {
				v.Add("location", "must be an https:// meeting link, or empty")
			}
		}
		if sv.Mode == mentorbook.ModeOnsite {
			switch {
			case sv.Location == "":
				v.Add("location", "an address is required for onsite sessions")
			case utf8.RuneCountInString(sv.Location) > maxLocation:
				v.Add("location", "must be at most 500 characters")
			}
		}
	}
	return v.Err()
}
