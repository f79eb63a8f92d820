-- Paid mentorships: administrators, platform settings, bank-transfer
-- payments, the double-entry ledger, refunds, payout accounts and cashouts
-- (internal/sqlstore/money.go, docs/money.md). Amounts are integer minor
-- units of the platform currency.

ALTER TABLE users ADD COLUMN is_admin boolean NOT NULL DEFAULT false;

-- The fee a mentorship was requested under, in basis points.
ALTER TABLE mentorships ADD COLUMN fee_bps bigint NOT NULL DEFAULT 1000 CHECK (fee_bps BETWEEN 0 AND 10000);

-- One row at most (id = 1); without it the defaults apply (app/settings).
CREATE TABLE platform_settings (
	id                 integer PRIMARY KEY CHECK (id = 1),
	bank_name          text    NOT NULL,
	account_holder     text    NOT NULL,
	account_number     text    NOT NULL,
	instructions       text    NOT NULL,
	fee_bps            bigint NOT NULL CHECK (fee_bps BETWEEN 0 AND 10000),
	pay_days           bigint NOT NULL CHECK (pay_days BETWEEN 1 AND 365),
	release_days       bigint NOT NULL CHECK (release_days BETWEEN 0 AND 365),
	min_cashout_minor  bigint NOT NULL CHECK (min_cashout_minor >= 0),
	cashout_text       text    NOT NULL,
	cashout_days       bigint NOT NULL CHECK (cashout_days BETWEEN 1 AND 365),
	updated_at         timestamptz NOT NULL,
	updated_by         bigint REFERENCES users (id)
);

CREATE TABLE payments (
	id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	mentorship_id      bigint NOT NULL REFERENCES mentorships (id),
	payer_id           bigint NOT NULL REFERENCES users (id),
	mentor_id          bigint NOT NULL REFERENCES users (id),
	amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
	currency           text    NOT NULL,
	fee_bps            bigint NOT NULL CHECK (fee_bps BETWEEN 0 AND 10000),
	fee_minor          bigint NOT NULL CHECK (fee_minor >= 0),
	mentor_share_minor bigint NOT NULL CHECK (mentor_share_minor >= 0),
	reference          text    NOT NULL,
	status             text    NOT NULL CHECK (status IN ('awaiting_transfer', 'sent', 'confirmed', 'expired', 'cancelled')),
	due_at             timestamptz NOT NULL,
	pay_bank_name      text    NOT NULL,
	pay_account_holder text    NOT NULL,
	pay_account_number text    NOT NULL,
	pay_instructions   text    NOT NULL,
	sent_at            timestamptz,
	sent_note          text    NOT NULL DEFAULT '',
	rejected_reason    text    NOT NULL DEFAULT '', -- the last rejection, shown to the mentee
	confirmed_at       timestamptz,
	confirmed_by       bigint REFERENCES users (id),
	bank_reference     text    NOT NULL DEFAULT '',
	-- What of the mentor's share is still pending (not released, not refunded).
	pending_minor      bigint NOT NULL DEFAULT 0 CHECK (pending_minor >= 0),
	refunded_minor     bigint NOT NULL DEFAULT 0,
	released_at        timestamptz,
	created_at         timestamptz NOT NULL,
	updated_at         timestamptz NOT NULL,
	CONSTRAINT payments_split CHECK (fee_minor + mentor_share_minor = amount_minor),
	CONSTRAINT payments_refund_bound CHECK (refunded_minor BETWEEN 0 AND amount_minor),
	CONSTRAINT payments_one_per_mentorship UNIQUE (mentorship_id),
	CONSTRAINT payments_reference_unique UNIQUE (reference)
);
CREATE INDEX payments_payer ON payments (payer_id, id);
CREATE INDEX payments_status ON payments (status, id);

CREATE TABLE refunds (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	payment_id     bigint NOT NULL REFERENCES payments (id),
	amount_minor   bigint NOT NULL CHECK (amount_minor > 0),
	fee_minor      bigint NOT NULL CHECK (fee_minor >= 0),
	mentor_minor   bigint NOT NULL CHECK (mentor_minor >= 0),
	reason         text    NOT NULL,
	bank_reference text    NOT NULL,
	created_by     bigint NOT NULL REFERENCES users (id),
	created_at     timestamptz NOT NULL,
	CHECK (fee_minor + mentor_minor = amount_minor)
);
CREATE INDEX refunds_payment ON refunds (payment_id, id);

-- One row per account: the platform's bank and fees (owner_id 0) and each
-- mentor's pending, available and withdrawing. The balance is kept on the
-- row, updated with every entry, and may never go below zero.
CREATE TABLE ledger_accounts (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind     text    NOT NULL CHECK (kind IN ('bank', 'fees', 'pending', 'available', 'withdrawing')),
	owner_id bigint NOT NULL,
	currency text    NOT NULL,
	balance  bigint NOT NULL DEFAULT 0,
	CONSTRAINT ledger_accounts_nonnegative CHECK (balance >= 0),
	CONSTRAINT ledger_accounts_one UNIQUE (kind, owner_id, currency)
);

-- One business event; a source posts each kind at most once.
CREATE TABLE ledger_transactions (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind          text    NOT NULL,
	source_type   text    NOT NULL CHECK (source_type IN ('payment', 'refund', 'cashout')),
	source_id     bigint NOT NULL,
	currency      text    NOT NULL,
	mentor_id     bigint REFERENCES users (id),
	mentorship_id bigint REFERENCES mentorships (id),
	actor_id      bigint REFERENCES users (id), -- NULL: a job
	description   text    NOT NULL,
	created_at    timestamptz NOT NULL,
	CONSTRAINT ledger_transactions_once UNIQUE (source_type, source_id, kind)
);
CREATE INDEX ledger_transactions_kind ON ledger_transactions (kind, created_at, id);
CREATE INDEX ledger_transactions_created ON ledger_transactions (created_at, id);

-- amount is signed: positive debits, negative credits; each transaction's
-- entries sum to zero. balance_after is the account's balance after it.
CREATE TABLE ledger_entries (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	transaction_id bigint NOT NULL REFERENCES ledger_transactions (id),
	account_id     bigint NOT NULL REFERENCES ledger_accounts (id),
	amount         bigint NOT NULL CHECK (amount <> 0),
	balance_after  bigint NOT NULL CHECK (balance_after >= 0)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, id);
CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id);

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'ledger_append_only: % on % is refused: the ledger is append-only', TG_OP, TG_TABLE_NAME
		USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_append_only';
END;
$$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
	FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
	FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

-- Where a mentor's cashouts are paid to, and their automatic cashouts.
CREATE TABLE payout_accounts (
	mentor_id      bigint PRIMARY KEY REFERENCES users (id),
	bank_name      text    NOT NULL,
	account_holder text    NOT NULL,
	account_number text    NOT NULL,
	notes          text    NOT NULL,
	auto           text    NOT NULL DEFAULT 'off' CHECK (auto IN ('off', 'weekly', 'monthly')),
	auto_weekday   bigint NOT NULL DEFAULT 1 CHECK (auto_weekday BETWEEN 0 AND 6),
	updated_at     timestamptz NOT NULL
);

CREATE TABLE cashouts (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	mentor_id      bigint NOT NULL REFERENCES users (id),
	amount_minor   bigint NOT NULL CHECK (amount_minor > 0),
	currency       text    NOT NULL,
	status         text    NOT NULL CHECK (status IN ('requested', 'paid', 'rejected', 'cancelled')),
	bank_name      text    NOT NULL,
	account_holder text    NOT NULL,
	account_number text    NOT NULL,
	notes          text    NOT NULL,
	automatic      boolean NOT NULL DEFAULT false,
	expected_by    timestamptz NOT NULL,
	bank_reference text    NOT NULL DEFAULT '',
	reason         text    NOT NULL DEFAULT '',
	resolved_by    bigint REFERENCES users (id),
	resolved_at    timestamptz,
	created_at     timestamptz NOT NULL
);
CREATE INDEX cashouts_mentor ON cashouts (mentor_id, id);
CREATE INDEX cashouts_status ON cashouts (status, id);
-- At most one requested cashout per mentor.
CREATE UNIQUE INDEX cashouts_one_requested ON cashouts (mentor_id) WHERE status = 'requested';
