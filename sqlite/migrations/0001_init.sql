-- Instants are INTEGER unix microseconds in UTC; dates are 'YYYY-MM-DD' text.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT    NOT NULL UNIQUE CHECK (email = lower(email)),
	password_hash TEXT    NOT NULL,
	name          TEXT    NOT NULL,
	timezone      TEXT    NOT NULL,
	created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
	token_hash BLOB    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE login_failures (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	at      INTEGER NOT NULL
);
CREATE INDEX login_failures_user_at ON login_failures (user_id, at);

CREATE TABLE mentor_profiles (
	user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	headline   TEXT    NOT NULL,
	bio        TEXT    NOT NULL,
	active     INTEGER NOT NULL CHECK (active IN (0, 1)),
	updated_at INTEGER NOT NULL
);

-- One row per skill so the skill filter is a plain indexed lookup.
CREATE TABLE mentor_skills (
	mentor_id INTEGER NOT NULL REFERENCES mentor_profiles (user_id) ON DELETE CASCADE,
	skill     TEXT    NOT NULL CHECK (skill = lower(skill)),
	PRIMARY KEY (mentor_id, skill)
);
CREATE INDEX mentor_skills_skill ON mentor_skills (skill, mentor_id);

CREATE TABLE availability (
	mentor_id             INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	timezone              TEXT    NOT NULL,
	weekly                TEXT    NOT NULL, -- JSON [{"weekday":1,"start":540,"end":1020}]
	session_minutes       INTEGER NOT NULL,
	slot_interval_minutes INTEGER NOT NULL,
	min_notice_minutes    INTEGER NOT NULL,
	horizon_days          INTEGER NOT NULL,
	buffer_before_minutes INTEGER NOT NULL,
	buffer_after_minutes  INTEGER NOT NULL,
	pending_expiry_hours  INTEGER NOT NULL,
	updated_at            INTEGER NOT NULL
);

CREATE TABLE availability_overrides (
	mentor_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	date      TEXT    NOT NULL, -- mentor-local 'YYYY-MM-DD'
	intervals TEXT    NOT NULL, -- JSON [{"start":540,"end":720}]; [] = day off
	PRIMARY KEY (mentor_id, date)
);

CREATE TABLE bookings (
	id                   INTEGER PRIMARY KEY,
	mentor_id            INTEGER NOT NULL REFERENCES users (id),
	mentee_id            INTEGER NOT NULL REFERENCES users (id),
	status               TEXT    NOT NULL CHECK (status IN ('pending', 'confirmed', 'declined', 'cancelled', 'expired')),
	start_at             INTEGER NOT NULL,
	end_at               INTEGER NOT NULL,
	buffer_before_seconds INTEGER NOT NULL CHECK (buffer_before_seconds >= 0),
	buffer_after_seconds  INTEGER NOT NULL CHECK (buffer_after_seconds >= 0),
	message              TEXT    NOT NULL,
	reason               TEXT    NOT NULL,
	cancelled_by         INTEGER REFERENCES users (id),
	expires_at           INTEGER, -- NULL: never expires
	created_at           INTEGER NOT NULL,
	updated_at           INTEGER NOT NULL,
	CHECK (start_at < end_at),
	CHECK (mentor_id <> mentee_id)
);
CREATE INDEX bookings_mentor_start ON bookings (mentor_id, start_at);
CREATE INDEX bookings_mentee_start ON bookings (mentee_id, start_at);
CREATE INDEX bookings_status_expires ON bookings (status, expires_at);

-- The time an active booking holds for each party: the mentor's row is the
-- session plus buffers, the mentee's the session. Rows exist only while the
-- booking is active.
CREATE TABLE booking_blocks (
	booking_id INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	start_at   INTEGER NOT NULL,
	end_at     INTEGER NOT NULL,
	PRIMARY KEY (booking_id, user_id),
	CHECK (start_at < end_at)
);
CREATE INDEX booking_blocks_user_start ON booking_blocks (user_id, start_at);
-- Serves the overlap triggers: a user's blocks ending after a time are the
-- few future ones, not their whole history.
CREATE INDEX booking_blocks_user_end ON booking_blocks (user_id, end_at);

-- THE INVARIANT: no user holds two overlapping ([start, end) half-open)
-- blocks. Write transactions are BEGIN IMMEDIATE, so no other writer can
-- slip a row in between this check and the insert.
CREATE TRIGGER booking_blocks_no_overlap_insert
BEFORE INSERT ON booking_blocks
WHEN EXISTS (
	SELECT 1 FROM booking_blocks
	WHERE user_id = NEW.user_id AND end_at > NEW.start_at AND start_at < NEW.end_at
)
BEGIN
	SELECT RAISE(ABORT, 'booking_blocks_no_overlap: user already holds an overlapping booking');
END;

CREATE TRIGGER booking_blocks_no_overlap_update
BEFORE UPDATE OF user_id, start_at, end_at ON booking_blocks
WHEN EXISTS (
	SELECT 1 FROM booking_blocks
	WHERE user_id = NEW.user_id AND end_at > NEW.start_at AND start_at < NEW.end_at
		AND rowid <> OLD.rowid
)
BEGIN
	SELECT RAISE(ABORT, 'booking_blocks_no_overlap: user already holds an overlapping booking');
END;

CREATE TABLE idempotency_keys (
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	key          TEXT    NOT NULL,
	request_hash TEXT    NOT NULL,
	booking_id   INTEGER REFERENCES bookings (id) ON DELETE CASCADE, -- NULL only inside the claiming transaction
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
