-- Durable background jobs (internal/sqlstore/jobs.go, app/jobs.go).
CREATE TABLE jobs (
	id           INTEGER PRIMARY KEY,
	kind         TEXT    NOT NULL,
	key          TEXT    NOT NULL, -- '' = no deduplication
	payload      TEXT    NOT NULL,
	status       TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
	run_at       INTEGER NOT NULL,
	attempts     INTEGER NOT NULL CHECK (attempts >= 0),
	max_attempts INTEGER NOT NULL CHECK (max_attempts > 0),
	locked_until INTEGER,
	last_error   TEXT    NOT NULL,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX jobs_kind_key ON jobs (kind, key) WHERE key <> '';
CREATE INDEX jobs_due ON jobs (status, run_at);

-- One row that the health check writes, so it notices a database that can
-- no longer be written.
CREATE TABLE health (
	id     INTEGER PRIMARY KEY CHECK (id = 1),
	checks INTEGER NOT NULL
);
INSERT INTO health (id, checks) VALUES (1, 0);
