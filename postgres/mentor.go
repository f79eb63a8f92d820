package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/mentorbook/mentorbook"
)

// PutMentorProfile creates or replaces a user's mentor profile and skills.
func (db *DB) PutMentorProfile(ctx context.Context, p mentorbook.MentorProfile) (mentorbook.MentorProfile, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return mentorbook.MentorProfile{}, err
	}
	defer tx.Rollback(ctx)

	if _, err := tx.Exec(ctx, `
		INSERT INTO mentor_profiles (user_id, headline, bio, active, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id) DO UPDATE SET
			headline = excluded.headline, bio = excluded.bio,
			active = excluded.active, updated_at = excluded.updated_at`,
		p.UserID, p.Headline, p.Bio, p.Active, orNow(p.UpdatedAt)); err != nil {
		return mentorbook.MentorProfile{}, mapError(err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM mentor_skills WHERE mentor_id = $1`, p.UserID); err != nil {
		return mentorbook.MentorProfile{}, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO mentor_skills (mentor_id, skill)
		SELECT $1, skill FROM unnest($2::text[]) AS skill ON CONFLICT DO NOTHING`,
		p.UserID, p.Skills); err != nil {
		return mentorbook.MentorProfile{}, mapError(err)
	}

	out, err := findMentorProfile(ctx, tx, p.UserID)
	if err != nil {
		return mentorbook.MentorProfile{}, err
	}
	return out, tx.Commit(ctx)
}

// skillsColumn selects the sorted skills of mentor p as a text array.
const skillsColumn = `coalesce((SELECT array_agg(skill ORDER BY skill) FROM mentor_skills WHERE mentor_id = p.user_id), '{}')`

func findMentorProfile(ctx context.Context, q queryer, userID int64) (mentorbook.MentorProfile, error) {
	p := mentorbook.MentorProfile{UserID: userID}
	err := q.QueryRow(ctx, `SELECT headline, bio, active, updated_at, `+skillsColumn+`
		FROM mentor_profiles p WHERE user_id = $1`, userID).
		Scan(&p.Headline, &p.Bio, &p.Active, &p.UpdatedAt, &p.Skills)
	if errors.Is(err, pgx.ErrNoRows) {
		return mentorbook.MentorProfile{}, notFound("Mentor")
	} else if err != nil {
		return mentorbook.MentorProfile{}, err
	}
	p.UpdatedAt = utc(p.UpdatedAt)
	return p, nil
}

// mentorSelect reads the public profile; the zone is the availability's if
// the mentor saved one, else the user's.
const mentorSelect = `SELECT p.user_id, u.name, p.headline, p.bio, ` + skillsColumn + `,
		coalesce(a.timezone, u.timezone), p.active
	FROM mentor_profiles p
	JOIN users u ON u.id = p.user_id
	LEFT JOIN availability a ON a.mentor_id = p.user_id`

func scanMentor(row pgx.Row) (mentorbook.Mentor, error) {
	var m mentorbook.Mentor
	err := row.Scan(&m.ID, &m.Name, &m.Headline, &m.Bio, &m.Skills, &m.Timezone, &m.Active)
	return m, err
}

// MentorByID returns a mentor's public profile, active or not.
func (db *DB) MentorByID(ctx context.Context, id int64) (mentorbook.Mentor, error) {
	m, err := scanMentor(db.pool.QueryRow(ctx, mentorSelect+` WHERE p.user_id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return mentorbook.Mentor{}, notFound("Mentor")
	}
	return m, err
}

// ListMentors lists mentors by ID after f.AfterID.
func (db *DB) ListMentors(ctx context.Context, f mentorbook.MentorFilter) ([]mentorbook.Mentor, error) {
	if f.Limit <= 0 {
		return nil, mentorbook.Errorf(mentorbook.EINVALID, "Limit must be positive.")
	}
	rows, err := db.pool.Query(ctx, mentorSelect+`
		WHERE p.user_id > $1
			AND (p.active OR $2)
			AND ($3 = '' OR EXISTS (SELECT 1 FROM mentor_skills s WHERE s.mentor_id = p.user_id AND s.skill = $3))
		ORDER BY p.user_id
		LIMIT $4`,
		f.AfterID, f.IncludeInactive, f.Skill, f.Limit)
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
