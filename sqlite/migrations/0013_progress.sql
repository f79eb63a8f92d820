-- Progress of a mentorship (tasks, notes, time), reviews, and a mentor's
-- credibility fields (issue 10, sections 6 and 7;
-- internal/sqlstore/progress.go, internal/sqlstore/reviews.go).

-- Links and languages are newline-separated lists: neither a URL nor a
-- trimmed language name can hold a newline.
ALTER TABLE mentor_profiles ADD COLUMN links TEXT NOT NULL DEFAULT '';
ALTER TABLE mentor_profiles ADD COLUMN languages TEXT NOT NULL DEFAULT '';
ALTER TABLE mentor_profiles ADD COLUMN years_experience INTEGER NOT NULL DEFAULT 0
	CONSTRAINT mentor_profiles_years_experience CHECK (years_experience BETWEEN 0 AND 80);

CREATE TABLE mentorship_tasks (
	id            INTEGER PRIMARY KEY,
	mentorship_id INTEGER NOT NULL REFERENCES mentorships (id),
	title         TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	created_by    INTEGER NOT NULL REFERENCES users (id),
	done_by       INTEGER REFERENCES users (id),
	done_at       INTEGER, -- NULL: not done
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL,
	CHECK ((done_at IS NULL) = (done_by IS NULL))
);
CREATE INDEX mentorship_tasks_mentorship ON mentorship_tasks (mentorship_id, id);

CREATE TABLE mentorship_notes (
	id            INTEGER PRIMARY KEY,
	mentorship_id INTEGER NOT NULL REFERENCES mentorships (id),
	author_id     INTEGER NOT NULL REFERENCES users (id),
	booking_id    INTEGER REFERENCES bookings (id), -- the session it is about, if any
	body          TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
	shared        INTEGER NOT NULL CHECK (shared IN (0, 1)), -- 0: only its author sees it
	created_at    INTEGER NOT NULL
);
CREATE INDEX mentorship_notes_mentorship ON mentorship_notes (mentorship_id, id);

-- Time the mentor logged, on a day of their choosing.
CREATE TABLE time_entries (
	id            INTEGER PRIMARY KEY,
	mentorship_id INTEGER NOT NULL REFERENCES mentorships (id),
	mentor_id     INTEGER NOT NULL REFERENCES users (id),
	minutes       INTEGER NOT NULL CONSTRAINT time_entries_minutes CHECK (minutes BETWEEN 1 AND 1440),
	date          TEXT    NOT NULL, -- 'YYYY-MM-DD'
	note          TEXT    NOT NULL,
	created_at    INTEGER NOT NULL
);
CREATE INDEX time_entries_mentorship ON time_entries (mentorship_id, date);

-- One review per mentorship or per free consultation (a booking), by its
-- mentee; the mentor replies at most once.
CREATE TABLE reviews (
	id            INTEGER PRIMARY KEY,
	mentor_id     INTEGER NOT NULL REFERENCES users (id),
	mentee_id     INTEGER NOT NULL REFERENCES users (id),
	mentorship_id INTEGER REFERENCES mentorships (id),
	booking_id    INTEGER REFERENCES bookings (id),
	rating        INTEGER NOT NULL CONSTRAINT reviews_rating CHECK (rating BETWEEN 1 AND 5),
	text          TEXT    NOT NULL,
	reply         TEXT    NOT NULL DEFAULT '',
	replied_at    INTEGER,
	created_at    INTEGER NOT NULL,
	CHECK ((mentorship_id IS NULL) <> (booking_id IS NULL))
);
-- SQLite reports these by their columns (reviews.mentorship_id), which
-- internal/sqlstore maps alongside the names PostgreSQL reports.
CREATE UNIQUE INDEX reviews_one_per_mentorship ON reviews (mentorship_id);
CREATE UNIQUE INDEX reviews_one_per_booking ON reviews (booking_id);
-- A mentor's reviews, newest first, and their average.
CREATE INDEX reviews_mentor ON reviews (mentor_id, id);
