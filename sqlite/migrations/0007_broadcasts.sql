-- Broadcasts: a mentee's public call for help that mentors answer
-- (internal/sqlstore/broadcasts.go, app/broadcasts.go).
CREATE TABLE broadcasts (
	id          INTEGER PRIMARY KEY,
	author_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	title       TEXT    NOT NULL,
	body        TEXT    NOT NULL,
	search_text TEXT    NOT NULL, -- lower-cased title and body, written by the store (Go's lower-casing, the same on both engines)
	status      TEXT    NOT NULL CHECK (status IN ('open', 'closed')),
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
CREATE INDEX broadcasts_status_id ON broadcasts (status, id);
CREATE INDEX broadcasts_author_id ON broadcasts (author_id, id);

-- One row per skill, as for mentors, so the skill filter is an indexed lookup.
CREATE TABLE broadcast_skills (
	broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
	skill        TEXT    NOT NULL CHECK (skill = lower(skill)),
	PRIMARY KEY (broadcast_id, skill)
);
CREATE INDEX broadcast_skills_skill ON broadcast_skills (skill, broadcast_id);

CREATE TABLE broadcast_responses (
	id            INTEGER PRIMARY KEY,
	broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
	mentor_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	message      TEXT    NOT NULL,
	service_id   INTEGER REFERENCES services (id) ON DELETE SET NULL, -- the service the mentor proposes; NULL for none
	created_at    INTEGER NOT NULL
);
-- One answer per mentor per broadcast: the database decides a race.
CREATE UNIQUE INDEX broadcast_responses_one_per_mentor ON broadcast_responses (broadcast_id, mentor_id);
CREATE INDEX broadcast_responses_mentor ON broadcast_responses (mentor_id);
