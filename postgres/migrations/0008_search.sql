-- Finding a mentor (internal/sqlstore/search.go).

-- What a text search matches, lower-cased by the store in Go (the same on
-- both engines): search_title is the name, headline and skills (a word
-- found there ranks higher), search_text adds the bio. Rows from before are
-- filled here with lower() until the mentor next saves their profile.
ALTER TABLE mentor_profiles ADD COLUMN search_title text NOT NULL DEFAULT '';
ALTER TABLE mentor_profiles ADD COLUMN search_text  text NOT NULL DEFAULT '';
UPDATE mentor_profiles SET search_title = lower(
	(SELECT name FROM users WHERE users.id = mentor_profiles.user_id) || chr(10) || headline || chr(10) ||
	coalesce((SELECT string_agg(skill, chr(10)) FROM mentor_skills WHERE mentor_id = mentor_profiles.user_id), ''));
UPDATE mentor_profiles SET search_text = search_title || chr(10) || lower(bio);

-- The weekly hours mapped onto the UTC week (minutes since Sunday 00:00
-- UTC), widened by the zone's range of offsets: a mentor whose spans miss a
-- window offers no weekly slot in it (schedule.WeekSpans). Written with the
-- settings; week_indexed = false marks settings saved before this table,
-- whose mentors are always candidates.
ALTER TABLE availability ADD COLUMN week_indexed boolean NOT NULL DEFAULT false;
CREATE TABLE availability_week (
	mentor_id    bigint  NOT NULL REFERENCES availability (mentor_id) ON DELETE CASCADE,
	start_minute integer NOT NULL,
	end_minute   integer NOT NULL,
	CHECK (0 <= start_minute AND start_minute < end_minute AND end_minute <= 10080)
);
CREATE INDEX availability_week_start ON availability_week (start_minute, end_minute, mentor_id);
CREATE INDEX availability_week_mentor ON availability_week (mentor_id);
