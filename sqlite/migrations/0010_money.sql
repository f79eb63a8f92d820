-- Paid mentorships: administrators, platform settings, bank-transfer
-- payments, the double-entry ledger, refunds, payout accounts and cashouts
-- (internal/sqlstore/money.go, docs/money.md). Amounts are integer minor
-- units of the platform currency.

ALTER TABLE users ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1));

-- The fee a mentorship was requested under, in basis points.
ALTER TABLE mentorships ADD COLUMN fee_bps INTEGER NOT NULL DEFAULT 1000 CHECK (fee_bps BETWEEN 0 AND 10000);

-- One row at most (id = 1); without it the defaults apply (app/settings).
CREATE TABLE platform_settings (
	id                 INTEGER PRIMARY KEY CHECK (id = 1),
	bank_name          TEXT    NOT NULL,
	account_holder     TEXT    NOT NULL,
	account_number     TEXT    NOT NULL,
	instructions       TEXT    NOT NULL,
	fee_bps            INTEGER NOT NULL CHECK (fee_bps BETWEEN 0 AND 10000),
	pay_days           INTEGER NOT NULL CHECK (pay_days BETWEEN 1 AND 365),
	release_days       INTEGER NOT NULL CHECK (release_days BETWEEN 0 AND 365),
	min_cashout_minor  INTEGER NOT NULL CHECK (min_cashout_minor >= 0),
	cashout_text       TEXT    NOT NULL,
	cashout_days       INTEGER NOT NULL CHECK (cashout_days BETWEEN 1 AND 365),
	updated_at         INTEGER NOT NULL,
	updated_by         INTEGER REFERENCES users (id)
);

CREATE TABLE payments (
	id                 INTEGER PRIMARY KEY,
	mentorship_id      INTEGER NOT NULL REFERENCES mentorships (id),
	payer_id           INTEGER NOT NULL REFERENCES users (id),
	mentor_id          INTEGER NOT NULL REFERENCES users (id),
	amount_minor       INTEGER NOT NULL CHECK (amount_minor > 0),
	currency           TEXT    NOT NULL,
	fee_bps            INTEGER NOT NULL CHECK (fee_bps BETWEEN 0 AND 10000),
	fee_minor          INTEGER NOT NULL CHECK (fee_minor >= 0),
	mentor_share_minor INTEGER NOT NULL CHECK (mentor_share_minor >= 0),
	reference          TEXT    NOT NULL,
	status             TEXT    NOT NULL CHECK (status IN ('awaiting_transfer', 'sent', 'confirmed', 'expired', 'cancelled')),
	due_at             INTEGER NOT NULL,
	pay_bank_name      TEXT    NOT NULL,
	pay_account_holder TEXT    NOT NULL,
	pay_account_number TEXT    NOT NULL,
	pay_instructions   TEXT    NOT NULL,
	sent_at            INTEGER,
	sent_note          TEXT    NOT NULL DEFAULT '',
	rejected_reason    TEXT    NOT NULL DEFAULT '', -- the last rejection, shown to the mentee
	confirmed_at       INTEGER,
	confirmed_by       INTEGER REFERENCES users (id),
	bank_reference     TEXT    NOT NULL DEFAULT '',
	-- What of the mentor's share is still pending (not released, not refunded).
	pending_minor      INTEGER NOT NULL DEFAULT 0 CHECK (pending_minor >= 0),
	refunded_minor     INTEGER NOT NULL DEFAULT 0,
	released_at        INTEGER,
	created_at         INTEGER NOT NULL,
	updated_at         INTEGER NOT NULL,
	CONSTRAINT payments_split CHECK (fee_minor + mentor_share_minor = amount_minor),
	CONSTRAINT payments_refund_bound CHECK (refunded_minor BETWEEN 0 AND amount_minor),
	CONSTRAINT payments_one_per_mentorship UNIQUE (mentorship_id),
	CONSTRAINT payments_reference_unique UNIQUE (reference)
);
CREATE INDEX payments_payer ON payments (payer_id, id);
CREATE INDEX payments_status ON payments (status, id);

CREATE TABLE refunds (
	id             INTEGER PRIMARY KEY,
	payment_id     INTEGER NOT NULL REFERENCES payments (id),
	amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
	fee_minor      INTEGER NOT NULL CHECK (fee_minor >= 0),
	mentor_minor   INTEGER NOT NULL CHECK (mentor_minor >= 0),
	reason         TEXT    NOT NULL,
	bank_reference TEXT    NOT NULL,
	created_by     INTEGER NOT NULL REFERENCES users (id),
	created_at     INTEGER NOT NULL,
	CHECK (fee_minor + mentor_minor = amount_minor)
);
CREATE INDEX refunds_payment ON refunds (payment_id, id);

-- One row per account: the platform's bank and fees (owner_id 0) and each
-- mentor's pending, available and withdrawing. The balance is kept on the
-- row, updated with every entry, and may never go below zero.
CREATE TABLE ledger_accounts (
	id       INTEGER PRIMARY KEY,
	kind     TEXT    NOT NULL CHECK (kind IN ('bank', 'fees', 'pending', 'available', 'withdrawing')),
	owner_id INTEGER NOT NULL,
	currency TEXT    NOT NULL,
	balance  INTEGER NOT NULL DEFAULT 0,
	CONSTRAINT ledger_accounts_nonnegative CHECK (balance >= 0),
	CONSTRAINT ledger_accounts_one UNIQUE (kind, owner_id, currency)
);

-- One business event; a source posts each kind at most once.
CREATE TABLE ledger_transactions (
	id            INTEGER PRIMARY KEY,
	kind          TEXT    NOT NULL,
	source_type   TEXT    NOT NULL CHECK (source_type IN ('payment', 'refund', 'cashout')),
	source_id     INTEGER NOT NULL,
	currency      TEXT    NOT NULL,
	mentor_id     INTEGER REFERENCES users (id),
	mentorship_id INTEGER REFERENCES mentorships (id),
	actor_id      INTEGER REFERENCES users (id), -- NULL: a job
	description   TEXT    NOT NULL,
	created_at    INTEGER NOT NULL,
	CONSTRAINT ledger_transactions_once UNIQUE (source_type, source_id, kind)
);
CREATE INDEX ledger_transactions_kind ON ledger_transactions (kind, created_at, id);
CREATE INDEX ledger_transactions_created ON ledger_transactions (created_at, id);

-- amount is signed: positive debits, negative credits; each transaction's
-- entries sum to zero. balance_after is the account's balance after it.
CREATE TABLE ledger_entries (
	id             INTEGER PRIMARY KEY,
	transaction_id INTEGER NOT NULL REFERENCES ledger_transactions (id),
	account_id     INTEGER NOT NULL REFERENCES ledger_accounts (id),
	amount         INTEGER NOT NULL CHECK (amount <> 0),
	balance_after  INTEGER NOT NULL CHECK (balance_after >= 0)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, id);
CREATE INDEX ledger_entries_transaction ON ledger_entries (transaction_id);

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
	SELECT RAISE(ABORT, 'ledger_append_only: ledger entries are never changed');
END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
	SELECT RAISE(ABORT, 'ledger_append_only: ledger entries are never deleted');
END;
CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
BEGIN
	SELECT RAISE(ABORT, 'ledger_append_only: ledger transactions are never changed');
END;
CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN
	SELECT RAISE(ABORT, 'ledger_append_only: ledger transactions are never deleted');
END;

-- Where a mentor's cashouts are paid to, and their automatic cashouts.
CREATE TABLE payout_accounts (
	mentor_id      INTEGER PRIMARY KEY REFERENCES users (id),
	bank_name      TEXT    NOT NULL,
	account_holder TEXT    NOT NULL,
	account_number TEXT    NOT NULL,
	notes          TEXT    NOT NULL,
	auto           TEXT    NOT NULL DEFAULT 'off' CHECK (auto IN ('off', 'weekly', 'monthly')),
	auto_weekday   INTEGER NOT NULL DEFAULT 1 CHECK (auto_weekday BETWEEN 0 AND 6),
	updated_at     INTEGER NOT NULL
);

CREATE TABLE cashouts (
	id             INTEGER PRIMARY KEY,
	mentor_id      INTEGER NOT NULL REFERENCES users (id),
	amount_minor   INTEGER NOT NULL CHECK (amount_minor > 0),
	currency       TEXT    NOT NULL,
	status         TEXT    NOT NULL CHECK (status IN ('requested', 'paid', 'rejected', 'cancelled')),
	bank_name      TEXT    NOT NULL,
	account_holder TEXT    NOT NULL,
	account_number TEXT    NOT NULL,
	notes          TEXT    NOT NULL,
	automatic      INTEGER NOT NULL DEFAULT 0 CHECK (automatic IN (0, 1)),
	expected_by    INTEGER NOT NULL,
	bank_reference TEXT    NOT NULL DEFAULT '',
	reason         TEXT    NOT NULL DEFAULT '',
	resolved_by    INTEGER REFERENCES users (id),
	resolved_at    INTEGER,
	created_at     INTEGER NOT NULL
);
CREATE INDEX cashouts_mentor ON cashouts (mentor_id, id);
CREATE INDEX cashouts_status ON cashouts (status, id);
-- At most one requested cashout per mentor.
CREATE UNIQUE INDEX cashouts_one_requested ON cashouts (mentor_id) WHERE status = 'requested';
