-- What mentors offer (internal/sqlstore/services.go). Prices are integer
-- minor units of the one platform currency. Every mentor has exactly one
-- default service, the free consultation booked from the calendar.
CREATE TABLE services (
	id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	mentor_id       bigint      NOT NULL REFERENCES mentor_profiles (user_id) ON DELETE CASCADE,
	is_default      boolean     NOT NULL,
	title           text        NOT NULL,
	description     text        NOT NULL,
	price_minor     bigint      NOT NULL CHECK (price_minor BETWEEN 0 AND 1000000000000),
	format          text        NOT NULL CHECK (format IN ('sessions', 'async')),
	sessions        integer     NOT NULL, -- 0 with 'async'
	session_minutes integer     NOT NULL, -- 0 with 'async', and for the default: the availability's length
	days            integer     NOT NULL, -- 0 with 'sessions'
	mode            text        NOT NULL CHECK (mode IN ('', 'online', 'onsite')),
	location        text        NOT NULL,
	active          boolean     NOT NULL,
	archived_at     timestamptz, -- NULL: not archived
	created_at      timestamptz NOT NULL,
	updated_at      timestamptz NOT NULL,
	CONSTRAINT services_default_free CHECK (NOT is_default OR (price_minor = 0 AND archived_at IS NULL))
);
CREATE UNIQUE INDEX services_one_default ON services (mentor_id) WHERE is_default;
CREATE INDEX services_mentor ON services (mentor_id, id);

-- Mentors from before services get their free consultation.
INSERT INTO services (mentor_id, is_default, title, description, price_minor, format, sessions,
	session_minutes, days, mode, location, active, created_at, updated_at)
SELECT user_id, true, 'Free consultation', '', 0, 'sessions', 1, 0, 0, 'online', '', true, updated_at, updated_at
FROM mentor_profiles;
