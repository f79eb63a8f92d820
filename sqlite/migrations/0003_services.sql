-- What mentors offer (internal/sqlstore/services.go). Prices are integer
-- minor units of the one platform currency. Every mentor has exactly one
-- default service, the free consultation booked from the calendar.
CREATE TABLE services (
	id              INTEGER PRIMARY KEY,
	mentor_id       INTEGER NOT NULL REFERENCES mentor_profiles (user_id) ON DELETE CASCADE,
	is_default      INTEGER NOT NULL CHECK (is_default IN (0, 1)),
	title           TEXT    NOT NULL,
	description     TEXT    NOT NULL,
	price_minor     INTEGER NOT NULL CHECK (price_minor BETWEEN 0 AND 1000000000000),
	format          TEXT    NOT NULL CHECK (format IN ('sessions', 'async')),
	sessions        INTEGER NOT NULL, -- 0 with 'async'
	session_minutes INTEGER NOT NULL, -- 0 with 'async', and for the default: the availability's length
	days            INTEGER NOT NULL, -- 0 with 'sessions'
	mode            TEXT    NOT NULL CHECK (mode IN ('', 'online', 'onsite')),
	location        TEXT    NOT NULL,
	active          INTEGER NOT NULL CHECK (active IN (0, 1)),
	archived_at     INTEGER, -- NULL: not archived
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	CONSTRAINT services_default_free CHECK (is_default = 0 OR (price_minor = 0 AND archived_at IS NULL))
);
CREATE UNIQUE INDEX services_one_default ON services (mentor_id) WHERE is_default = 1;
CREATE INDEX services_mentor ON services (mentor_id, id);

-- Mentors from before services get their free consultation.
INSERT INTO services (mentor_id, is_default, title, description, price_minor, format, sessions,
	session_minutes, days, mode, location, active, created_at, updated_at)
SELECT user_id, 1, 'Free consultation', '', 0, 'sessions', 1, 0, 0, 'online', '', 1, updated_at, updated_at
FROM mentor_profiles;
