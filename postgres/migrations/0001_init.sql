-- btree_gist (for the exclusion constraint below) is created by the
-- migration runner, under its advisory lock, before this runs.

CREATE TABLE users (
	id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email         text        NOT NULL UNIQUE CHECK (email = lower(email)),
	password_hash text        NOT NULL,
	name          text        NOT NULL,
	timezone      text        NOT NULL,
	created_at    timestamptz NOT NULL
);

CREATE TABLE sessions (
	token_hash bytea       PRIMARY KEY,
	user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE login_failures (
	user_id bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	at      timestamptz NOT NULL
);
CREATE INDEX login_failures_user_at ON login_failures (user_id, at);

CREATE TABLE mentor_profiles (
	user_id    bigint      PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	headline   text        NOT NULL,
	bio        text        NOT NULL,
	active     boolean     NOT NULL,
	updated_at timestamptz NOT NULL
);

-- One row per skill so the skill filter is a plain indexed lookup.
CREATE TABLE mentor_skills (
	mentor_id bigint NOT NULL REFERENCES mentor_profiles (user_id) ON DELETE CASCADE,
	skill     text   NOT NULL CHECK (skill = lower(skill)),
	PRIMARY KEY (mentor_id, skill)
);
CREATE INDEX mentor_skills_skill ON mentor_skills (skill, mentor_id);

CREATE TABLE availability (
	mentor_id             bigint      PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	timezone              text        NOT NULL,
	weekly                text        NOT NULL, -- JSON [{"weekday":1,"start":540,"end":1020}]
	session_minutes       integer     NOT NULL,
	slot_interval_minutes integer     NOT NULL,
	min_notice_minutes    integer     NOT NULL,
	horizon_days          integer     NOT NULL,
	buffer_before_minutes integer     NOT NULL,
	buffer_after_minutes  integer     NOT NULL,
	pending_expiry_hours  integer     NOT NULL,
	updated_at            timestamptz NOT NULL
);

CREATE TABLE availability_overrides (
	mentor_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	date      date   NOT NULL, -- mentor-local
	intervals text   NOT NULL, -- JSON [{"start":540,"end":720}]; [] = day off
	PRIMARY KEY (mentor_id, date)
);

CREATE TABLE bookings (
	id                    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	mentor_id             bigint      NOT NULL REFERENCES users (id),
	mentee_id             bigint      NOT NULL REFERENCES users (id),
	status                text        NOT NULL CHECK (status IN ('pending', 'confirmed', 'declined', 'cancelled', 'expired')),
	start_at              timestamptz NOT NULL,
	end_at                timestamptz NOT NULL,
	buffer_before_seconds integer     NOT NULL CHECK (buffer_before_seconds >= 0),
	buffer_after_seconds  integer     NOT NULL CHECK (buffer_after_seconds >= 0),
	message               text        NOT NULL,
	reason                text        NOT NULL,
	cancelled_by          bigint      REFERENCES users (id),
	expires_at            timestamptz, -- NULL: never expires
	created_at            timestamptz NOT NULL,
	updated_at            timestamptz NOT NULL,
	CHECK (start_at < end_at),
	CHECK (mentor_id <> mentee_id)
);
CREATE INDEX bookings_mentor_start ON bookings (mentor_id, start_at);
CREATE INDEX bookings_mentee_start ON bookings (mentee_id, start_at);
CREATE INDEX bookings_status_expires ON bookings (status, expires_at);

-- The time an active booking holds for each party: the mentor's row is the
-- session plus buffers, the mentee's the session. Rows exist only while the
-- booking is active.
--
-- THE INVARIANT: no user holds two overlapping ([start, end) half-open)
-- blocks. The exclusion constraint makes a concurrent insert wait for the
-- other transaction and then fail with 23P01, so no read-then-write race.
CREATE TABLE booking_blocks (
	booking_id bigint      NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
	user_id    bigint      NOT NULL REFERENCES users (id),
	start_at   timestamptz NOT NULL,
	end_at     timestamptz NOT NULL,
	PRIMARY KEY (booking_id, user_id),
	CHECK (start_at < end_at),
	CONSTRAINT booking_blocks_no_overlap
		EXCLUDE USING gist (user_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&)
);
CREATE INDEX booking_blocks_user_start ON booking_blocks (user_id, start_at);

CREATE TABLE idempotency_keys (
	user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	key          text        NOT NULL,
	request_hash text        NOT NULL,
	booking_id   bigint      REFERENCES bookings (id) ON DELETE CASCADE, -- NULL only inside the claiming transaction
	created_at   timestamptz NOT NULL,
	PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
