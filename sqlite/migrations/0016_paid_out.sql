-- A mentor's paid-out total per currency, kept by the database as each
-- cashout becomes paid (a cashout is resolved once), so reading a balance
-- is rows, never a sum over history.
CREATE TABLE mentor_paid_out (
	mentor_id      INTEGER NOT NULL REFERENCES users (id),
	currency       TEXT    NOT NULL,
	paid_out_minor INTEGER NOT NULL CHECK (paid_out_minor >= 0),
	PRIMARY KEY (mentor_id, currency)
);
INSERT INTO mentor_paid_out (mentor_id, currency, paid_out_minor)
	SELECT mentor_id, currency, sum(amount_minor) FROM cashouts WHERE status = 'paid' GROUP BY mentor_id, currency;

CREATE TRIGGER mentor_paid_out_cashout AFTER UPDATE OF status ON cashouts
WHEN NEW.status = 'paid' AND OLD.status IS NOT 'paid' BEGIN
	INSERT INTO mentor_paid_out (mentor_id, currency, paid_out_minor) VALUES (NEW.mentor_id, NEW.currency, NEW.amount_minor)
		ON CONFLICT (mentor_id, currency) DO UPDATE SET paid_out_minor = paid_out_minor + excluded.paid_out_minor;
END;
