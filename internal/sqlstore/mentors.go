package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
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
	if _, err := r.exec(ctx, `DELETE FROM mentor_skills WHERE mentor_id = $1`, p.UserID); err != nil {
		return mentorbook.MentorProfile{}, err
	}
	if len(p.Skills) > 0 {
		// One multi-row insert: ($1, $2), ($1, $3), ...
		var q strings.Builder
		q.WriteString(`INSERT INTO mentor_skills (mentor_id, skill) VALUES `)
		args := []any{p.UserID}
		for i, s := range p.Skills {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("($1, $" + strconv.Itoa(i+2) + ")")
			args = append(args, s)
		}
		q.WriteString(` ON CONFLICT DO NOTHING`)
		if _, err := r.exec(ctx, q.String(), args...); err != nil {
			return mentorbook.MentorProfile{}, err
		}
	}
	u, err := r.Users().ByID(ctx, p.UserID)
	if err != nil {
		return mentorbook.MentorProfile{}, err
	}
	return *u.Mentor, nil
}

// skillsColumn selects the sorted skills of mentor p, separated by
// newlines, which a skill cannot hold (its whitespace is collapsed).
const skillsColumn = `(SELECT string_agg(skill, '
' ORDER BY skill) FROM mentor_skills WHERE mentor_id = p.user_id)`

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
const mentorSelect = `SELECT p.user_id, u.name, p.headline, p.bio, ` + skillsColumn + `,
		coalesce(a.timezone, u.timezone), p.active, p.links, p.languages, p.years_experience
	FROM mentor_profiles p
	JOIN users u ON u.id = p.user_id AND u.deleted_at IS NULL
	LEFT JOIN availability a ON a.mentor_id = p.user_id`

func scanMentor(row interface{ Scan(...any) error }) (mentorbook.Mentor, error) {
	var m mentorbook.Mentor
	var skills sql.NullString
	var links, languages string
	var years int64
	if err := row.Scan(&m.ID, &m.Name, &m.Headline, &m.Bio, &skills, &m.Timezone, &m.Active, &links, &languages, &years); err != nil {
		return mentorbook.Mentor{}, err
	}
	m.Skills = splitSkills(skills.String)
	m.Credentials = credentials(links, languages, years)
	return m, nil
}

func (r mentors) ByID(ctx context.Context, id int64) (mentorbook.Mentor, error) {
	m, err := scanMentor(r.queryRow(ctx, mentorSelect+` WHERE p.user_id = $1`, id))
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
		ORDER BY p.user_id
		LIMIT $4`,
		f.AfterID, f.IncludeInactive, f.Skill, f.Limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanMentor)
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
