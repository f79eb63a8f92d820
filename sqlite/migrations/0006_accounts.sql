-- Account settings (issue 7): deleted accounts, password resets.

-- A deleted account keeps its row, so the other party's history keeps its
-- bookings and mentorships; its name, email and password are overwritten.
ALTER TABLE users ADD COLUMN deleted_at INTEGER;

-- Single-use reset tokens; only a hash of the token is kept.
CREATE TABLE password_resets (
	token_hash BLOB    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Reset requests per address (a hash of it, whether or not an account has
-- it), to limit them without telling whether the address exists.
CREATE TABLE password_reset_requests (
	email_hash BLOB    NOT NULL,
	at         INTEGER NOT NULL
);
CREATE INDEX password_reset_requests_email_at ON password_reset_requests (email_hash, at);
