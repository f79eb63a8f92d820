-- Notifications in the app, per-kind email settings, and the key that
-- signs the links that turn an email kind off
-- (internal/sqlstore/notifications.go, app/notify.go).
CREATE TABLE notifications (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind       TEXT    NOT NULL CHECK (kind <> ''),
	title      TEXT    NOT NULL,
	body       TEXT    NOT NULL,
	link       TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	read_at    INTEGER
);
-- A user's list, newest first, and their unread count.
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;

-- A row per (user, kind) whose email the user turned off; no row = on.
CREATE TABLE notification_email_off (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind    TEXT    NOT NULL,
	PRIMARY KEY (user_id, kind)
);

-- Secret keys made once per database, so every instance signs alike
-- without configuration. randomblob draws from SQLite's CSPRNG, seeded by
-- the operating system.
CREATE TABLE signing_keys (
	name TEXT PRIMARY KEY,
	key  BLOB NOT NULL CHECK (length(key) >= 32)
);
INSERT INTO signing_keys (name, key) VALUES ('email-settings', randomblob(32));
