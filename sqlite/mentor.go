package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/mentorbook/mentorbook"
)

// PutMentorProfile creates or replaces a user's mentor profile and skills.
func (db *DB) PutMentorProfile(ctx context.Context, p mentorbook.MentorProfile) (mentorbook.MentorProfile, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return mentorbook.MentorProfile{}, err
	}
	defer db.endWrite(tx)

	if _, err := tx.ExecContext(ctx, `
		INSERT INTO mentor_profiles (user_id, headline, bio, active, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET
			headline = excluded.headline, bio = excluded.bio,
			active = excluded.active, updated_at = excluded.updated_at`,
		p.UserID, p.Headline, p.Bio, p.Active, micros(orNow(p.UpdatedAt))); err != nil {
		return mentorbook.MentorProfile{}, mapError(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM mentor_skills WHERE mentor_id = ?`, p.UserID); err != nil {
		return mentorbook.MentorProfile{}, err
	}
	for _, s := range p.Skills {
		if _, err := tx.ExecContext(ctx, `INSERT INTO mentor_skills (mentor_id, skill) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			p.UserID, s); err != nil {
			return mentorbook.MentorProfile{}, mapError(err)
		}
	}

	out, err := findMentorProfile(ctx, tx, p.UserID)
	if err != nil {
		return mentorbook.MentorProfile{}, err
	}
	return out, tx.Commit()
}

func findMentorProfile(ctx context.Context, q queryer, userID int64) (mentorbook.MentorProfile, error) {
	p := mentorbook.MentorProfile{UserID: userID}
	var updated int64
	var skills string
	err := q.QueryRowContext(ctx, `SELECT headline, bio, active, updated_at, `+skillsColumn+`
		FROM mentor_profiles p WHERE user_id = ?`, userID).
		Scan(&p.Headline, &p.Bio, &p.Active, &updated, &skills)
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.MentorProfile{}, notFound("Mentor")
	} else if err != nil {
		return mentorbook.MentorProfile{}, err
	}
	p.UpdatedAt = fromMicros(updated)
	if p.Skills, err = decodeSkills(skills); err != nil {
		return mentorbook.MentorProfile{}, err
	}
	return p, nil
}

// skillsColumn selects the sorted skills of mentor p as a JSON array.
const skillsColumn = `(SELECT json_group_array(skill ORDER BY skill) FROM mentor_skills WHERE mentor_id = p.user_id)`

func decodeSkills(s string) ([]string, error) {
	skills := []string{}
	if err := json.Unmarshal([]byte(s), &skills); err != nil {
		return nil, err
	}
	return skills, nil
}

// mentorSelect reads the public profile; the zone is the availability's if
// the mentor saved one, else the user's.
const mentorSelect = `SELECT p.user_id, u.name, p.headline, p.bio, ` + skillsColumn + `,
		coalesce(a.timezone, u.timezone), p.active
	FROM mentor_profiles p
	JOIN users u ON u.id = p.user_id
	LEFT JOIN availability a ON a.mentor_id = p.user_id`

func scanMentor(rows interface{ Scan(...any) error }) (mentorbook.Mentor, error) {
	var m mentorbook.Mentor
	var skills string
	if err := rows.Scan(&m.ID, &m.Name, &m.Headline, &m.Bio, &skills, &m.Timezone, &m.Active); err != nil {
		return mentorbook.Mentor{}, err
	}
	var err error
	m.Skills, err = decodeSkills(skills)
	return m, err
}

// MentorByID returns a mentor's public profile, active or not.
func (db *DB) MentorByID(ctx context.Context, id int64) (mentorbook.Mentor, error) {
	m, err := scanMentor(db.read().QueryRowContext(ctx, mentorSelect+` WHERE p.user_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbook.Mentor{}, notFound("Mentor")
	}
	return m, err
}

// ListMentors lists mentors by ID after f.AfterID.
func (db *DB) ListMentors(ctx context.Context, f mentorbook.MentorFilter) ([]mentorbook.Mentor, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	rows, err := db.read().QueryContext(ctx, mentorSelect+`
		WHERE p.user_id > ?
			AND (p.active OR ?)
			AND (? = '' OR EXISTS (SELECT 1 FROM mentor_skills s WHERE s.mentor_id = p.user_id AND s.skill = ?))
		ORDER BY p.user_id
		LIMIT ?`,
		f.AfterID, f.IncludeInactive, f.Skill, f.Skill, f.Limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	mentors := []mentorbook.Mentor{}
	for rows.Next() {
		m, err := scanMentor(rows)
		if err != nil {
			return nil, err
		}
		mentors = append(mentors, m)
	}
	return mentors, rows.Err()
}
