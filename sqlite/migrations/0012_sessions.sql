-- Sessions that happen (issue 10): where to meet, rescheduling, calendar
-- invites and feed, attendance.

-- Where the session happens, copied from its service when it is made.
ALTER TABLE bookings ADD COLUMN mode TEXT NOT NULL DEFAULT 'online' CHECK (mode IN ('online', 'onsite'));
ALTER TABLE bookings ADD COLUMN location TEXT NOT NULL DEFAULT '';
-- version rises with each reschedule (reminders are keyed by it);
-- sequence with every change a calendar must apply (iCalendar SEQUENCE).
ALTER TABLE bookings ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE bookings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0);
ALTER TABLE bookings ADD COLUMN reschedules INTEGER NOT NULL DEFAULT 0
	CONSTRAINT bookings_reschedule_limit CHECK (reschedules BETWEEN 0 AND 3);
-- When it was confirmed: only a session that was confirmed appears in a
-- calendar feed as cancelled, or counts as a late cancellation.
ALTER TABLE bookings ADD COLUMN confirmed_at INTEGER;
ALTER TABLE bookings ADD COLUMN late_cancellation INTEGER NOT NULL DEFAULT 0 CHECK (late_cancellation IN (0, 1));
-- Attendance: what each party reported about the other (NULL: not yet).
ALTER TABLE bookings ADD COLUMN mentor_says_mentee_came INTEGER CHECK (mentor_says_mentee_came IN (0, 1));
ALTER TABLE bookings ADD COLUMN mentee_says_mentor_came INTEGER CHECK (mentee_says_mentor_came IN (0, 1));

-- A mentor's personal meeting link (https), shown to confirmed mentees.
ALTER TABLE mentor_profiles ADD COLUMN meeting_url TEXT NOT NULL DEFAULT '';

-- One secret calendar feed per user. Only a hash of the token is kept;
-- the token is an HMAC of the user and nonce under the signing key, so
-- the settings can show it again. A new nonce ends the old token.
CREATE TABLE calendar_feeds (
	user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	nonce      BLOB    NOT NULL,
	token_hash BLOB    NOT NULL CONSTRAINT calendar_feeds_token UNIQUE,
	created_at INTEGER NOT NULL
);
