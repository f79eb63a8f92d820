package app

import (
	"context"
	"fmt"
	"time"

	"github.com/mentorbook/mentorbook"
	"github.com/mentorbook/mentorbook/schedule"
)

// IntervalInput is a wall-clock range "HH:MM"–"HH:MM" as typed.
type IntervalInput struct {
	Start, End string
}

// WeeklyInput is an IntervalInput on a weekday, 0 (Sunday) to 6.
type WeeklyInput struct {
	Weekday    int
	Start, End string
}

// AvailabilityInput replaces a mentor's settings. Nil numbers take their
// defaults; an empty Timezone is the mentor's account zone.
type AvailabilityInput struct {
	Timezone            string
	Weekly              []WeeklyInput
	SessionMinutes      *int
	SlotIntervalMinutes *int
	MinNoticeMinutes    *int
	HorizonDays         *int
	BufferBeforeMinutes *int
	BufferAfterMinutes  *int
	PendingExpiryHours  *int
}

// SettingLimit bounds one numeric availability setting. Forms read these
// too (for their min, max and step), so the bounds live in one place.
type SettingLimit struct {
	Field    string
	Min, Max int
	Multiple int // 0 = any whole number
}

// Setting limits, by field name as the API and forms use it.
var (
	SessionLimit      = SettingLimit{"session_minutes", 15, 480, 5}
	SlotIntervalLimit = SettingLimit{"slot_interval_minutes", 0, 1440, 5}
	NoticeLimit       = SettingLimit{"min_notice_minutes", 0, 365 * 24 * 60, 0}
	HorizonLimit      = SettingLimit{"horizon_days", 1, 3650, 0}
	BufferBeforeLimit = SettingLimit{"buffer_before_minutes", 0, 1440, 0}
	BufferAfterLimit  = SettingLimit{"buffer_after_minutes", 0, 1440, 0}
	ExpiryLimit       = SettingLimit{"pending_expiry_hours", 1, 24 * 30, 0}
)

// Availability returns the caller's settings, or the defaults before they
// saved any. Only mentors have availability.
func (s *Availability) Get(ctx context.Context, caller mentorbook.User) (mentorbook.Availability, error) {
	u, err := s.requireMentor(ctx, caller)
	if err != nil {
		return mentorbook.Availability{}, err
	}
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Availability, error) {
		return availabilityOf(ctx, tx, u.ID, u.Timezone)
	})
}

// availabilityOf returns a mentor's settings, or the defaults before they
// saved any.
func availabilityOf(ctx context.Context, tx mentorbook.Tx, mentorID int64, zone string) (mentorbook.Availability, error) {
	a, err := tx.Availability().Get(ctx, mentorID)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return mentorbook.DefaultAvailability(mentorID, zone), nil
	}
	return a, err
}

// PutAvailability validates, normalises (overlapping and touching
// intervals merge) and stores the caller's settings.
func (s *Availability) Put(ctx context.Context, caller mentorbook.User, in AvailabilityInput) (mentorbook.Availability, error) {
	u, err := s.requireMentor(ctx, caller)
	if err != nil {
		return mentorbook.Availability{}, err
	}
	a := mentorbook.DefaultAvailability(u.ID, in.Timezone)
	v := mentorbook.Validation{}
	if a.Timezone == "" {
		a.Timezone = u.Timezone
	}
	if _, err := loadZone(a.Timezone); err != nil {
		v.Add("timezone", mentorbook.ErrorMessage(err))
	}
	weekly := make([]schedule.WeeklyInterval, 0, len(in.Weekly))
	for i, w := range in.Weekly {
		field := fmt.Sprintf("weekly[%d]", i)
		if w.Weekday < 0 || w.Weekday > 6 {
			v.Add(field+".weekday", "must be 0 (Sunday) to 6 (Saturday)")
			continue
		}
		iv, ok := parseInterval(v, field, IntervalInput{w.Start, w.End})
		if ok {
			weekly = append(weekly, schedule.WeeklyInterval{Weekday: time.Weekday(w.Weekday), Start: iv.Start, End: iv.End})
		}
	}
	for _, r := range []struct {
		limit    SettingLimit
		dst, src *int
	}{
		{SessionLimit, &a.SessionMinutes, in.SessionMinutes},
		{SlotIntervalLimit, &a.SlotIntervalMinutes, in.SlotIntervalMinutes},
		{NoticeLimit, &a.MinNoticeMinutes, in.MinNoticeMinutes},
		{HorizonLimit, &a.HorizonDays, in.HorizonDays},
		{BufferBeforeLimit, &a.BufferBeforeMinutes, in.BufferBeforeMinutes},
		{BufferAfterLimit, &a.BufferAfterMinutes, in.BufferAfterMinutes},
		{ExpiryLimit, &a.PendingExpiryHours, in.PendingExpiryHours},
	} {
		if r.src == nil {
			continue
		}
		n, l := *r.src, r.limit
		switch {
		case n < l.Min || n > l.Max:
			v.Add(l.Field, fmt.Sprintf("must be between %d and %d", l.Min, l.Max))
		case l.Multiple > 0 && n%l.Multiple != 0:
			v.Add(l.Field, fmt.Sprintf("must be a multiple of %d", l.Multiple))
		default:
			*r.dst = n
		}
	}
	if a.SlotIntervalMinutes != 0 && a.SlotIntervalMinutes < 5 {
		v.Add("slot_interval_minutes", "must be 0 (the session length) or at least 5")
	}
	if err := v.Err(); err != nil {
		return mentorbook.Availability{}, err
	}
	a.Weekly = schedule.NormalizeWeekly(weekly)
	a.UpdatedAt = s.clock()
	if err := s.store.Write(ctx, func(tx mentorbook.Tx) error { return tx.Availability().Put(ctx, a) }); err != nil {
		return mentorbook.Availability{}, err
	}
	return a, nil
}

// PutOverride replaces the weekly hours of one mentor-local date; no
// intervals means the day off.
func (s *Availability) PutOverride(ctx context.Context, caller mentorbook.User, date string, intervals []IntervalInput) (mentorbook.Override, error) {
	u, err := s.requireMentor(ctx, caller)
	if err != nil {
		return mentorbook.Override{}, err
	}
	v := mentorbook.Validation{}
	d, ok := parseDay(date)
	if !ok {
		v.Add("date", "must be a date YYYY-MM-DD")
	}
	ivs := make([]schedule.LocalInterval, 0, len(intervals))
	for i, in := range intervals {
		if iv, ok := parseInterval(v, fmt.Sprintf("intervals[%d]", i), in); ok {
			ivs = append(ivs, iv)
		}
	}
	if err := v.Err(); err != nil {
		return mentorbook.Override{}, err
	}
	o := mentorbook.Override{MentorID: u.ID, Date: d, Intervals: schedule.NormalizeLocal(ivs)}
	if err := s.store.Write(ctx, func(tx mentorbook.Tx) error { return tx.Availability().PutOverride(ctx, o) }); err != nil {
		return mentorbook.Override{}, err
	}
	return o, nil
}

// DeleteOverride brings back the weekly hours on a date.
func (s *Availability) DeleteOverride(ctx context.Context, caller mentorbook.User, date string) error {
	u, err := s.requireMentor(ctx, caller)
	if err != nil {
		return err
	}
	d, ok := parseDay(date)
	if !ok {
		return &mentorbook.Error{Code: mentorbook.EINVALID, Message: "Some fields are invalid.",
			Fields: map[string]string{"date": "must be a date YYYY-MM-DD"}}
	}
	err = s.store.Write(ctx, func(tx mentorbook.Tx) error { return tx.Availability().DeleteOverride(ctx, u.ID, d) })
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return mentorbook.Errorf(mentorbook.ENOTFOUND, "There is no override on %s.", d)
	}
	return err
}

// Overrides lists the caller's overrides between two dates, inclusive.
// Empty bounds mean from today (in the mentor's zone) and a year after from.
func (s *Availability) Overrides(ctx context.Context, caller mentorbook.User, from, to string) ([]mentorbook.Override, error) {
	u, err := s.requireMentor(ctx, caller)
	if err != nil {
		return nil, err
	}
	a, err := mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Availability, error) {
		return availabilityOf(ctx, tx, u.ID, u.Timezone)
	})
	if err != nil {
		return nil, err
	}
	loc, err := loadZone(a.Timezone)
	if err != nil {
		return nil, err
	}
	v := mentorbook.Validation{}
	first := schedule.DateOf(s.clock(), loc)
	var ok bool
	if from != "" {
		if first, ok = parseDay(from); !ok {
			v.Add("from", "must be a date YYYY-MM-DD")
		}
	}
	last := first.AddDays(366)
	if to != "" {
		if last, ok = parseDay(to); !ok {
			v.Add("to", "must be a date YYYY-MM-DD")
		}
	}
	if len(v) == 0 && last.Before(first) {
		v.Add("to", "must not be before from")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) ([]mentorbook.Override, error) {
		return tx.Availability().Overrides(ctx, u.ID, first, last)
	})
}

// requireMentor returns the caller with their mentor profile, or EFORBIDDEN.
func (s *core) requireMentor(ctx context.Context, caller mentorbook.User) (mentorbook.User, error) {
	u := caller
	if u.Mentor == nil {
		var err error
		if u, err = mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.User, error) { return tx.Users().ByID(ctx, caller.ID) }); err != nil {
			return u, err
		}
	}
	if u.Mentor == nil {
		return u, mentorbook.Errorf(mentorbook.EFORBIDDEN, "Only mentors have availability; create a mentor profile first.")
	}
	return u, nil
}

// parseInterval parses a wall-clock interval, recording problems under field.
func parseInterval(v mentorbook.Validation, field string, in IntervalInput) (schedule.LocalInterval, bool) {
	start, err1 := schedule.ParseClock(in.Start)
	if err1 != nil || start == 24*60 {
		v.Add(field+".start", "must be a time from 00:00 to 23:59")
	}
	end, err2 := schedule.ParseClock(in.End)
	if err2 != nil || end == 0 {
		v.Add(field+".end", "must be a time from 00:01 to 24:00")
	}
	if err1 != nil || err2 != nil || start == 24*60 || end == 0 {
		return schedule.LocalInterval{}, false
	}
	if start >= end {
		v.Add(field+".end", "must be after the start")
		return schedule.LocalInterval{}, false
	}
	return schedule.LocalInterval{Start: start, End: end}, true
}
