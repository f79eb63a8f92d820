package app

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorbook/mentorbook"
)

const (
	maxHeadline = 120
	maxBio      = 4000
	maxSkills   = 30
	maxSkillLen = 40
)

// ProfileInput is what a mentor says about themselves.
type ProfileInput struct {
	Headline string
	Bio      string
	Skills   []string
	Active   bool
	// MaxActiveMentorships caps awaiting-payment plus active mentorships
	// (0 = no limit); nil keeps the current value.
	MaxActiveMentorships *int
	// The credibility fields; nil keeps the current value.
	Links           *[]string
	Languages       *[]string
	YearsExperience *int
	// MeetingURL is the mentor's personal meeting link (https, or "" for
	// none); nil keeps the current value.
	MeetingURL *string
}

// maxMentorshipsLimit bounds max_active_mentorships.
const maxMentorshipsLimit = 1000

// PutMentorProfile makes the caller a mentor, or updates their profile.
func (s *Mentors) PutProfile(ctx context.Context, caller mentorbook.User, in ProfileInput) (mentorbook.MentorProfile, error) {
	v := mentorbook.Validation{}
	headline := strings.TrimSpace(in.Headline)
	checkText(v, "headline", headline)
	checkText(v, "bio", in.Bio)
	if headline == "" {
		v.Add("headline", "is required")
	} else if utf8.RuneCountInString(headline) > maxHeadline {
		v.Add("headline", "must be at most 120 characters")
	}
	bio := strings.TrimSpace(in.Bio)
	if utf8.RuneCountInString(bio) > maxBio {
		v.Add("bio", "must be at most 4000 characters")
	}
	skills, problem := normalizeSkills(in.Skills)
	if problem != "" {
		v.Add("skills", problem)
	}
	if n := in.MaxActiveMentorships; n != nil && (*n < 0 || *n > maxMentorshipsLimit) {
		v.Add("max_active_mentorships", "must be from 0 (no limit) to 1000")
	}
	creds := checkCredentials(v, in)
	if in.MeetingURL != nil {
		*in.MeetingURL = strings.TrimSpace(*in.MeetingURL)
		if *in.MeetingURL != "" {
			checkLocation(v, "meeting_url", mentorbook.ModeOnline, *in.MeetingURL)
		}
	}
	if err := v.Err(); err != nil {
		return mentorbook.MentorProfile{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.MentorProfile, error) {
		u, err := tx.Users().ByID(ctx, caller.ID)
		if err != nil {
			return mentorbook.MentorProfile{}, err
		}
		// What was left out keeps its current value.
		var cur mentorbook.MentorProfile
		if u.Mentor != nil {
			cur = *u.Mentor
		}
		maxActive, meetingURL := cur.MaxActiveMentorships, cur.MeetingURL
		if in.MaxActiveMentorships != nil {
			maxActive = *in.MaxActiveMentorships
		}
		if in.MeetingURL != nil {
			meetingURL = *in.MeetingURL
		}
		if in.Links == nil {
			creds.Links = cur.Links
		}
		if in.Languages == nil {
			creds.Languages = cur.Languages
		}
		if in.YearsExperience == nil {
			creds.YearsExperience = cur.YearsExperience
		}
		p, err := tx.Mentors().PutProfile(ctx, mentorbook.MentorProfile{
			UserID: caller.ID, Headline: headline, Bio: bio, Skills: skills, Active: in.Active,
			MaxActiveMentorships: maxActive, Credentials: creds, MeetingURL: meetingURL, UpdatedAt: now,
		})
		if err != nil {
			return p, err
		}
		// Becoming a mentor brings the free consultation, in the same
		// transaction, so no mentor is ever without one.
		_, err = tx.Services().EnsureDefault(ctx, caller.ID, now)
		return p, err
	})
}

// Bounds of the credibility fields.
const (
	maxLinks       = 5
	maxLinkLen     = 500
	maxLanguages   = 10
	maxLanguageLen = 40
	maxYears       = 80
)

// checkCredentials validates the credibility fields that were given and
// returns them normalised: links are https URLs with a host, languages
// trimmed and unique (ignoring case) in the order given.
func checkCredentials(v mentorbook.Validation, in ProfileInput) mentorbook.Credentials {
	var c mentorbook.Credentials
	if in.Links != nil {
		c.Links = []string{}
		for _, l := range *in.Links {
			l = strings.TrimSpace(l)
			if l == "" {
				continue
			}
			u, err := url.Parse(l)
			if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || len(l) > maxLinkLen ||
				strings.ContainsAny(l, " \t\r\n") {
				v.Add("links", "each must be an https:// address, like https://github.com/you")
			}
			if !slices.Contains(c.Links, l) {
				c.Links = append(c.Links, l)
			}
		}
		if len(c.Links) > maxLinks {
			v.Add("links", "at most 5 links")
		}
	}
	if in.Languages != nil {
		c.Languages = []string{}
		for _, l := range *in.Languages {
			l = strings.Join(strings.Fields(l), " ")
			checkText(v, "languages", l)
			if l == "" || slices.ContainsFunc(c.Languages, func(x string) bool { return strings.EqualFold(x, l) }) {
				continue
			}
			if utf8.RuneCountInString(l) > maxLanguageLen {
				v.Add("languages", "each must be at most 40 characters")
			}
			c.Languages = append(c.Languages, l)
		}
		if len(c.Languages) > maxLanguages {
			v.Add("languages", "at most 10 languages")
		}
	}
	if n := in.YearsExperience; n != nil {
		if *n < 0 || *n > maxYears {
			v.Add("years_experience", "must be a whole number from 0 to 80")
		}
		c.YearsExperience = *n
	}
	return c
}

// SetActive turns the caller's mentor profile on or off (taking requests
// or not) and keeps the rest of it.
func (s *Mentors) SetActive(ctx context.Context, caller mentorbook.User, active bool) (mentorbook.MentorProfile, error) {
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.MentorProfile, error) {
		u, err := tx.Users().ByID(ctx, caller.ID)
		if err != nil {
			return mentorbook.MentorProfile{}, err
		}
		if u.Mentor == nil {
			return mentorbook.MentorProfile{}, mentorbook.Errorf(mentorbook.ECONFLICT, "You have no mentor profile yet: create one first.")
		}
		p := *u.Mentor
		p.Active, p.UpdatedAt = active, now
		return tx.Mentors().PutProfile(ctx, p)
	})
}

// normalizeSkills lower-cases, trims, de-duplicates and sorts skills.
func normalizeSkills(in []string) ([]string, string) {
	out := []string{}
	for _, sk := range in {
		sk = strings.ToLower(strings.Join(strings.Fields(sk), " "))
		if sk == "" {
			continue
		}
		if !utf8.ValidString(sk) || strings.ContainsRune(sk, 0) {
			return nil, "must be text without control characters like NUL"
		}
		if utf8.RuneCountInString(sk) > maxSkillLen {
			return nil, "each skill must be at most 40 characters"
		}
		out = append(out, sk)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > maxSkills {
		return nil, "at most 30 skills"
	}
	return out, ""
}

// Mentor returns a public mentor profile, active or not, with the number
// of sessions they held.
func (s *Mentors) Get(ctx context.Context, id int64) (mentorbook.Mentor, error) {
	now := s.clock()
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Mentor, error) {
		m, _, err := publicMentor(ctx, tx, id, now)
		return m, err
	})
}

// publicMentor is the mentor with their sessions held at now, and when the
// next confirmed session ends (zero: none), which may change that count.
func publicMentor(ctx context.Context, tx mentorbook.Tx, id int64, now time.Time) (mentorbook.Mentor, time.Time, error) {
	m, err := mentorByID(ctx, tx, id)
	if err != nil {
		return m, time.Time{}, err
	}
	var next time.Time
	m.SessionsHeld, next, err = tx.Bookings().SessionsHeld(ctx, id, now)
	return m, next, err
}

// MentorPage is what a mentor's public page shows besides the calendar.
type MentorPage struct {
	Mentor   mentorbook.Mentor // as Get gives it
	Services []mentorbook.Service
	Reviews  MentorReviews // the first page
}

// Page reads a mentor's public page: what Get, Services.Offered and
// Reviews.OfMentor give, in one unit of work that reads the mentor once
// (each of them reads it: a mentor page read it four times with the slots).
func (s *Mentors) Page(ctx context.Context, id int64) (MentorPage, error) {
	p, _, err := s.page(ctx, id, s.clock())
	return p, err
}

// page is Page at now, and the first instant after now at which the
// clock alone changes it (a session ends and counts as held).
func (s *core) page(ctx context.Context, id int64, now time.Time) (MentorPage, time.Time, error) {
	var p MentorPage
	var next time.Time
	err := s.store.Read(ctx, func(tx mentorbook.Tx) error {
		var err error
		if p.Mentor, next, err = publicMentor(ctx, tx, id, now); err != nil {
			return err
		}
		if p.Services, err = offered(ctx, tx, id); err != nil {
			return err
		}
		p.Reviews, err = reviewsPage(ctx, tx, id, 0, defaultPageSize)
		return err
	})
	return p, next, err
}

// MeetingURLFor returns the mentor's personal meeting link when viewer may
// see it (the mentor, or a mentee with a confirmed session with them), else
// "". A zero viewer is anonymous.
func (s *Mentors) MeetingURLFor(ctx context.Context, viewer mentorbook.User, mentorID int64) (string, error) {
	if viewer.ID == 0 {
		return "", nil
	}
	now := s.clock()
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (string, error) {
		u, err := tx.Users().ByID(ctx, mentorID)
		if err != nil || u.Mentor == nil || u.Mentor.MeetingURL == "" {
			return "", nil
		}
		if viewer.ID == mentorID {
			return u.Mentor.MeetingURL, nil
		}
		n, err := tx.Bookings().Count(ctx, mentorbook.BookingFilter{UserID: viewer.ID, Role: "mentee", With: mentorID,
			Statuses: []mentorbook.BookingStatus{mentorbook.StatusConfirmed}, Now: now})
		if err != nil || n == 0 {
			return "", err
		}
		return u.Mentor.MeetingURL, nil
	})
}

func mentorByID(ctx context.Context, tx mentorbook.Tx, id int64) (mentorbook.Mentor, error) {
	m, err := tx.Mentors().ByID(ctx, id)
	if mentorbook.ErrorCode(err) == mentorbook.ENOTFOUND {
		return m, mentorbook.Errorf(mentorbook.ENOTFOUND, "No such mentor.")
	}
	return m, err
}

// Page size bounds for lists.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// pageSize parses a typed page size; "" is the default.
func pageSize(s string, v mentorbook.Validation) int {
	if s == "" {
		return defaultPageSize
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxPageSize {
		v.Add("limit", "must be a whole number from 1 to 100")
	}
	return n
}
