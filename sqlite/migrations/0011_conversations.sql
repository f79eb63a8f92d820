-- Conversations between two linked users (issue 9): messages, read
-- markers, blocks, reports, and the per-user event log that live streams
-- replay (internal/sqlstore/conversations.go, events.go).

-- One conversation per pair: user_lo < user_hi, unique, so two people
-- opening it at the same moment get the same row.
CREATE TABLE conversations (
	id              INTEGER PRIMARY KEY,
	user_lo         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	user_hi         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	opened_by       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	last_message_id INTEGER,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	CONSTRAINT conversations_ordered_pair CHECK (user_lo < user_hi),
	CONSTRAINT conversations_pair UNIQUE (user_lo, user_hi)
);
-- The daily limit of new conversations counts by opener.
CREATE INDEX conversations_opened_by ON conversations (opened_by, created_at);

-- Each participant's view: their read marker, how many of the other's
-- messages they have not read (kept up to date, so counting is one row
-- per conversation, never a scan of history) and the activity order.
CREATE TABLE conversation_members (
	conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	other_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	last_read_id    INTEGER NOT NULL DEFAULT 0,
	unread          INTEGER NOT NULL DEFAULT 0 CHECK (unread >= 0),
	updated_at      INTEGER NOT NULL,
	PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_activity ON conversation_members (user_id, updated_at, conversation_id);

CREATE TABLE messages (
	id              INTEGER PRIMARY KEY,
	conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	sender_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	body            TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
	-- The sender's Idempotency-Key: a retried send finds the first message.
	client_key      TEXT,
	created_at      INTEGER NOT NULL,
	CONSTRAINT messages_client_key UNIQUE (sender_id, client_key)
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);
-- The per-minute limit counts by sender.
CREATE INDEX messages_sender ON messages (sender_id, created_at);

CREATE TABLE blocks (
	blocker_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	blocked_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (blocker_id, blocked_id)
);

CREATE TABLE message_reports (
	id          INTEGER PRIMARY KEY,
	message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	reporter_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	reason      TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
	created_at  INTEGER NOT NULL,
	CONSTRAINT message_reports_once UNIQUE (message_id, reporter_id)
);

-- Per-user event ids come from a counter row locked by the writing
-- transaction, so a user's events commit in id order: a stream that saw
-- id N and asks for id > N misses nothing.
CREATE TABLE event_counters (
	user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	last_id INTEGER NOT NULL
);
CREATE TABLE events (
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	id         INTEGER NOT NULL,
	kind       TEXT    NOT NULL,
	data       TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, id)
);
CREATE INDEX events_created ON events (created_at);
