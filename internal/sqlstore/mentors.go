package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/mentorbook/mentorbook"
)

type mentors struct{ *tx }

func (r mentors) PutProfile(ctx context.Context, p mentorbook.MentorProfile) (mentorbook.MentorProfile, error) {
	if _, err := r.exec(ctx, `
		INSERT INTO mentor_profiles (user_id, headline, bio, active, max_active_mentorships, updated_at,
			links, languages, years_experience, meeting_url)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (user_id) DO UPDATE SET
			headline = excluded.headline, bio = excluded.bio, active = excluded.active,
			max_active_mentorships = excluded.max_active_mentorships, updated_at = excluded.updated_at,
			links = excluded.links, languages = excluded.languages, years_experience = excluded.years_experience,
			meeting_url = excluded.meeting_url`,
		p.UserID, p.Headline, p.Bio, p.Active, p.MaxActiveMentorships, p.UpdatedAt,
		strings.Join(p.Links, "\n"), strings.Join(p.Languages, "\n"), p.YearsExperience, p.MeetingURL); err != nil {
		return mentorbook.MentorProfile{}, err
	}
	if err := r.putSkills(ctx, "mentor_skills", "mentor_id", p.UserID, p.Skills); err != nil {
		return mentorbook.MentorProfile{}, err
	}
	u, err := r.tx.refreshSearch(ctx, p.UserID)
	if err != nil {
		return mentorbook.MentorProfile{}, err
	}
	return *u.Mentor, nil
}

// refreshSearch rewrites what a text search matches of a mentor (search.go)
// from their name and profile: the name ranks with the headline and
// skills. Saving the profile and renaming the user both call it.
func (t *tx) refreshSearch(ctx context.Context, userID int64) (mentorbook.User, error) {
	u, err := t.Users().ByID(ctx, userID)
	if err != nil || u.Mentor == nil {
		return u, err
	}
	p := u.Mentor
	title := searchText(u.Name, p.Headline, strings.Join(p.Skills, "\n"))
	_, err = t.exec(ctx, `UPDATE mentor_profiles SET search_title = $1, search_text = $2 WHERE user_id = $3`,
		title, searchText(title, p.Bio), userID)
	return u, err
}

// skillsColumn selects the sorted skills of mentor p.
var skillsColumn = skillsOf("mentor_skills", "mentor_id", "p.user_id")

// credentials reads the profile's newline-separated lists.
func credentials(links, languages string, years int64) mentorbook.Credentials {
	return mentorbook.Credentials{Links: splitSkills(links), Languages: splitSkills(languages), YearsExperience: int(years)}
}

func splitSkills(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

// mentorSelect reads the public profile; the zone is the availability's if
// the mentor saved one, else the user's.
var mentorSelect = `SELECT p.user_id, u.name, p.headline, p.bio, ` + skillsColumn + `,
		coalesce(a.timezone, u.timezone), p.active, p.links, p.languages, p.years_experience
	FROM mentor_profiles p
	JOIN users u ON u.id = p.user_id AND u.deleted_at IS NULL
	LEFT JOIN availability a ON a.mentor_id = p.user_id`

// mentorScan reads mentorSelect's columns.
type mentorScan struct {
	m                mentorbook.Mentor
	skills           sql.NullString
	links, languages string
	years            int64
	d                [10]any
}

func (s *mentorScan) dest() []any {
	m := &s.m
	s.d = [10]any{&m.ID, &m.Name, &m.Headline, &m.Bio, &s.skills, &m.Timezone, &m.Active, &s.links, &s.languages, &s.years}
	return s.d[:]
}

func (s *mentorScan) value() (mentorbook.Mentor, error) {
	m := s.m
	m.Skills = splitSkills(s.skills.String)
	m.Credentials = credentials(s.links, s.languages, s.years)
	return m, nil
}

func (r mentors) ByID(ctx context.Context, id int64) (mentorbook.Mentor, error) {
	m, err := scanRow(r.queryRow(ctx, mentorSelect+` WHERE p.user_id = $1`, id), &mentorScan{})
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.Mentor{}, notFound("Mentor")
	}
	return m, err
}

func (r mentors) List(ctx context.Context, f mentorbook.MentorFilter) ([]mentorbook.Mentor, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	rows, err := r.query(ctx, mentorSelect+`
		WHERE p.user_id > $1
			AND (p.active OR $2)
			AND ($3 = '' OR EXISTS (SELECT 1 FROM mentor_skills s WHERE s.mentor_id = p.user_id AND s.skill = $3))
		ORDER BY p.user_id `+limitClause("$4"),
		f.AfterID, f.IncludeInactive, f.Skill, f.Limit)
	if err != nil {
		return nil, err
	}
	return scanRows(rows, &mentorScan{})
}

// collect scans every row with scan.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
