-- Progress of a mentorship (tasks, notes, time), reviews, and a mentor's
-- credibility fields (issue 10, sections 6 and 7;
-- internal/sqlstore/progress.go, internal/sqlstore/reviews.go).

-- Links and languages are newline-separated lists: neither a URL nor a
-- trimmed language name can hold a newline.
ALTER TABLE mentor_profiles ADD COLUMN links text NOT NULL DEFAULT '';
ALTER TABLE mentor_profiles ADD COLUMN languages text NOT NULL DEFAULT '';
ALTER TABLE mentor_profiles ADD COLUMN years_experience integer NOT NULL DEFAULT 0
	CONSTRAINT mentor_profiles_years_experience CHECK (years_experience BETWEEN 0 AND 80);

CREATE TABLE mentorship_tasks (
	id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	mentorship_id bigint      NOT NULL REFERENCES mentorships (id),
	title         text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	created_by    bigint      NOT NULL REFERENCES users (id),
	done_by       bigint      REFERENCES users (id),
	done_at       timestamptz, -- NULL: not done
	created_at    timestamptz NOT NULL,
	updated_at    timestamptz NOT NULL,
	CHECK ((done_at IS NULL) = (done_by IS NULL))
);
CREATE INDEX mentorship_tasks_mentorship ON mentorship_tasks (mentorship_id, id);

CREATE TABLE mentorship_notes (
	id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	mentorship_id bigint      NOT NULL REFERENCES mentorships (id),
	author_id     bigint      NOT NULL REFERENCES users (id),
	booking_id    bigint      REFERENCES bookings (id), -- the session it is about, if any
	body          text        NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
	shared        boolean     NOT NULL, -- false: only its author sees it
	created_at    timestamptz NOT NULL
);
CREATE INDEX mentorship_notes_mentorship ON mentorship_notes (mentorship_id, id);

-- Time the mentor logged, on a day of their choosing.
CREATE TABLE time_entries (
	id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	mentorship_id bigint      NOT NULL REFERENCES mentorships (id),
	mentor_id     bigint      NOT NULL REFERENCES users (id),
	minutes       integer     NOT NULL CONSTRAINT time_entries_minutes CHECK (minutes BETWEEN 1 AND 1440),
	date          date        NOT NULL,
	note          text        NOT NULL,
	created_at    timestamptz NOT NULL
);
CREATE INDEX time_entries_mentorship ON time_entries (mentorship_id, date);

-- One review per mentorship or per free consultation (a booking), by its
-- mentee; the mentor replies at most once.
CREATE TABLE reviews (
	id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	mentor_id     bigint      NOT NULL REFERENCES users (id),
	mentee_id     bigint      NOT NULL REFERENCES users (id),
	mentorship_id bigint      REFERENCES mentorships (id),
	booking_id    bigint      REFERENCES bookings (id),
	rating        integer     NOT NULL CONSTRAINT reviews_rating CHECK (rating BETWEEN 1 AND 5),
	text          text        NOT NULL,
	reply         text        NOT NULL DEFAULT '',
	replied_at    timestamptz,
	created_at    timestamptz NOT NULL,
	CHECK ((mentorship_id IS NULL) <> (booking_id IS NULL))
);
CREATE UNIQUE INDEX reviews_one_per_mentorship ON reviews (mentorship_id);
CREATE UNIQUE INDEX reviews_one_per_booking ON reviews (booking_id);
-- A mentor's reviews, newest first, and their average.
CREATE INDEX reviews_mentor ON reviews (mentor_id, id);
