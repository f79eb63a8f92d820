-- Conversations between two linked users (issue 9): messages, read
-- markers, blocks, reports, and the per-user event log that live streams
-- replay (internal/sqlstore/conversations.go, events.go).

-- One conversation per pair: user_lo < user_hi, unique, so two people
-- opening it at the same moment get the same row.
CREATE TABLE conversations (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_lo         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	user_hi         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	opened_by       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	last_message_id bigint,
	created_at      timestamptz NOT NULL,
	updated_at      timestamptz NOT NULL,
	CONSTRAINT conversations_ordered_pair CHECK (user_lo < user_hi),
	CONSTRAINT conversations_pair UNIQUE (user_lo, user_hi)
);
-- The daily limit of new conversations counts by opener.
CREATE INDEX conversations_opened_by ON conversations (opened_by, created_at);

-- Each participant's view: their read marker, how many of the other's
-- messages they have not read (kept up to date, so counting is one row
-- per conversation, never a scan of history) and the activity order.
CREATE TABLE conversation_members (
	conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	other_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	last_read_id    bigint NOT NULL DEFAULT 0,
	unread          bigint NOT NULL DEFAULT 0 CHECK (unread >= 0),
	updated_at      timestamptz NOT NULL,
	PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_activity ON conversation_members (user_id, updated_at, conversation_id);

CREATE TABLE messages (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	sender_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	body            text    NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
	-- The sender's Idempotency-Key: a retried send finds the first message.
	client_key      text,
	created_at      timestamptz NOT NULL,
	CONSTRAINT messages_client_key UNIQUE (sender_id, client_key)
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);
-- The per-minute limit counts by sender.
CREATE INDEX messages_sender ON messages (sender_id, created_at);

CREATE TABLE blocks (
	blocker_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	blocked_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL,
	PRIMARY KEY (blocker_id, blocked_id)
);

CREATE TABLE message_reports (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	message_id  bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	reporter_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	reason      text    NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
	created_at  timestamptz NOT NULL,
	CONSTRAINT message_reports_once UNIQUE (message_id, reporter_id)
);

-- Per-user event ids come from a counter row locked by the writing
-- transaction, so a user's events commit in id order: a stream that saw
-- id N and asks for id > N misses nothing.
CREATE TABLE event_counters (
	user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	last_id bigint NOT NULL
);
CREATE TABLE events (
	user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	id         bigint NOT NULL,
	kind       text    NOT NULL,
	data       text    NOT NULL,
	created_at timestamptz NOT NULL,
	PRIMARY KEY (user_id, id)
);
CREATE INDEX events_created ON events (created_at);
