-- A mentor's paid-out total per currency, kept by the database as each
-- cashout becomes paid (a cashout is resolved once), so reading a balance
-- is rows, never a sum over history.
CREATE TABLE mentor_paid_out (
	mentor_id      bigint NOT NULL REFERENCES users (id),
	currency       text   NOT NULL,
	paid_out_minor bigint NOT NULL CHECK (paid_out_minor >= 0),
	PRIMARY KEY (mentor_id, currency)
);
INSERT INTO mentor_paid_out (mentor_id, currency, paid_out_minor)
	SELECT mentor_id, currency, sum(amount_minor) FROM cashouts WHERE status = 'paid' GROUP BY mentor_id, currency;

CREATE FUNCTION mentor_paid_out_cashout() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO mentor_paid_out (mentor_id, currency, paid_out_minor) VALUES (NEW.mentor_id, NEW.currency, NEW.amount_minor)
		ON CONFLICT (mentor_id, currency) DO UPDATE SET paid_out_minor = mentor_paid_out.paid_out_minor + excluded.paid_out_minor;
	RETURN NULL;
END;
$$;
CREATE TRIGGER mentor_paid_out_cashout AFTER UPDATE OF status ON cashouts
	FOR EACH ROW WHEN (NEW.status = 'paid' AND OLD.status IS DISTINCT FROM 'paid')
	EXECUTE FUNCTION mentor_paid_out_cashout();
