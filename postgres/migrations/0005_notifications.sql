-- Notifications in the app, per-kind email settings, and the key that
-- signs the links that turn an email kind off
-- (internal/sqlstore/notifications.go, app/notify.go).
CREATE TABLE notifications (
	id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind       text        NOT NULL CHECK (kind <> ''),
	title      text        NOT NULL,
	body       text        NOT NULL,
	link       text        NOT NULL,
	created_at timestamptz NOT NULL,
	read_at    timestamptz
);
-- A user's list, newest first, and their unread count.
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;

-- A row per (user, kind) whose email the user turned off; no row = on.
CREATE TABLE notification_email_off (
	user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind    text   NOT NULL,
	PRIMARY KEY (user_id, kind)
);

-- Secret keys made once per database, so every instance signs alike
-- without configuration. gen_random_uuid draws from the server's strong
-- random source; two of them give 244 random bits.
CREATE TABLE signing_keys (
	name text  PRIMARY KEY,
	key  bytea NOT NULL CHECK (length(key) >= 32)
);
INSERT INTO signing_keys (name, key) VALUES ('email-settings',
	decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
