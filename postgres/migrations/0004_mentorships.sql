-- Mentorships: a mentee's request for a non-default service and what came
-- of it (internal/sqlstore/mentorships.go). The service's terms and price
-- are copied in when it is requested, so editing the service never
-- changes an existing mentorship.

-- 0 = no limit on the mentor's awaiting-payment plus active mentorships.
ALTER TABLE mentor_profiles ADD COLUMN max_active_mentorships integer NOT NULL DEFAULT 0
	CHECK (max_active_mentorships >= 0);

CREATE TABLE mentorships (
	id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	service_id        bigint      NOT NULL REFERENCES services (id),
	mentor_id         bigint      NOT NULL REFERENCES users (id),
	mentee_id         bigint      NOT NULL REFERENCES users (id),
	status            text        NOT NULL CHECK (status IN ('pending', 'active', 'awaiting_payment', 'declined',
		'withdrawn', 'expired', 'completed', 'cancelled')),
	title             text        NOT NULL,
	format            text        NOT NULL CHECK (format IN ('sessions', 'async')),
	sessions_included integer     NOT NULL CHECK (sessions_included >= 0),
	session_minutes   integer     NOT NULL CHECK (session_minutes >= 0),
	days              integer     NOT NULL CHECK (days >= 0),
	mode              text        NOT NULL,
	location          text        NOT NULL,
	price_minor       bigint      NOT NULL CHECK (price_minor >= 0),
	currency          text        NOT NULL,
	message           text        NOT NULL,
	reason            text        NOT NULL,
	cancelled_by      bigint      REFERENCES users (id),
	expires_at        timestamptz, -- pending: the answer's deadline; awaiting_payment: the payment's; else NULL
	accepted_at       timestamptz,
	started_at        timestamptz,
	ends_at           timestamptz, -- async: started_at + days, when it completes by itself
	created_at        timestamptz NOT NULL,
	updated_at        timestamptz NOT NULL,
	CHECK (mentor_id <> mentee_id)
);
CREATE INDEX mentorships_mentor ON mentorships (mentor_id, created_at);
CREATE INDEX mentorships_mentee ON mentorships (mentee_id, created_at);
CREATE INDEX mentorships_expires ON mentorships (status, expires_at);
CREATE INDEX mentorships_ends ON mentorships (status, ends_at);

-- A session of a mentorship is a booking; a free consultation has none.
ALTER TABLE bookings ADD COLUMN mentorship_id bigint REFERENCES mentorships (id);
CREATE INDEX bookings_mentorship ON bookings (mentorship_id);

-- Idempotency keys bind to a booking or to a mentorship.
ALTER TABLE idempotency_keys ADD COLUMN mentorship_id bigint REFERENCES mentorships (id) ON DELETE CASCADE;
