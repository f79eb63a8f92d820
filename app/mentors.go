package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
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
}

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
	if err := v.Err(); err != nil {
		return mentorbook.MentorProfile{}, err
	}
	now := s.clock()
	return mentorbook.WriteValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.MentorProfile, error) {
		p, err := tx.Mentors().PutProfile(ctx, mentorbook.MentorProfile{
			UserID: caller.ID, Headline: headline, Bio: bio, Skills: skills, Active: in.Active, UpdatedAt: now,
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

// Mentor returns a public mentor profile, active or not.
func (s *Mentors) Get(ctx context.Context, id int64) (mentorbook.Mentor, error) {
	return mentorbook.ReadValue(ctx, s.store, func(tx mentorbook.Tx) (mentorbook.Mentor, error) { return mentorByID(ctx, tx, id) })
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
