-- Durable background jobs (internal/sqlstore/jobs.go, app/jobs.go).
CREATE TABLE jobs (
	id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind         text        NOT NULL,
	key          text        NOT NULL, -- '' = no deduplication
	payload      text        NOT NULL,
	status       text        NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
	run_at       timestamptz NOT NULL,
	attempts     integer     NOT NULL CHECK (attempts >= 0),
	max_attempts integer     NOT NULL CHECK (max_attempts > 0),
	locked_until timestamptz,
	last_error   text        NOT NULL,
	created_at   timestamptz NOT NULL,
	updated_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX jobs_kind_key ON jobs (kind, key) WHERE key <> '';
CREATE INDEX jobs_due ON jobs (status, run_at);

-- One row that the health check writes, so it notices a database that can
-- no longer be written.
CREATE TABLE health (
	id     integer PRIMARY KEY CHECK (id = 1),
	checks bigint  NOT NULL
);
INSERT INTO health (id, checks) VALUES (1, 0);
