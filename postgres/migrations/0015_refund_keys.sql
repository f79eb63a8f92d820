-- A refund's idempotency key (docs/money.md, "Idempotency"): an
-- administrator's retried or double-submitted refund answers as the first
-- did instead of recording the money as sent back twice.
ALTER TABLE idempotency_keys ADD COLUMN refund_id bigint REFERENCES refunds (id);
