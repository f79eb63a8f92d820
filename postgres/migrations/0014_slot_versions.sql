-- A version per user of everything that decides their free slots: their
-- booked time, weekly hours and settings, date overrides, profile
-- (active) and account (zone, deletion). The triggers bump it in the same
-- transaction as the change, whatever code made it, and tell every
-- instance on commit (NOTIFY on mentorbook_slots.<schema>), so a cache of
-- slots (app/slotcache.go) stays right across instances.
CREATE TABLE slot_versions (
	user_id bigint PRIMARY KEY,
	version bigint NOT NULL
);

CREATE FUNCTION slot_version_bump(uid bigint) RETURNS void LANGUAGE sql AS $$
	INSERT INTO slot_versions (user_id, version) VALUES (uid, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = slot_versions.version + 1;
	SELECT pg_notify('mentorbook_slots.' || current_schema(), uid::text);
$$;

-- TG_ARGV[0] names the column that holds the user.
CREATE FUNCTION slot_versions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	old_id bigint;
	new_id bigint;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		old_id := (to_jsonb(OLD) ->> TG_ARGV[0])::bigint;
		PERFORM slot_version_bump(old_id);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		new_id := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
		IF old_id IS DISTINCT FROM new_id THEN
			PERFORM slot_version_bump(new_id);
		END IF;
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER slot_versions_blocks AFTER INSERT OR UPDATE OR DELETE ON booking_blocks
	FOR EACH ROW EXECUTE FUNCTION slot_versions_changed('user_id');
CREATE TRIGGER slot_versions_availability AFTER INSERT OR UPDATE OR DELETE ON availability
	FOR EACH ROW EXECUTE FUNCTION slot_versions_changed('mentor_id');
CREATE TRIGGER slot_versions_overrides AFTER INSERT OR UPDATE OR DELETE ON availability_overrides
	FOR EACH ROW EXECUTE FUNCTION slot_versions_changed('mentor_id');
CREATE TRIGGER slot_versions_profile_insert AFTER INSERT ON mentor_profiles
	FOR EACH ROW EXECUTE FUNCTION slot_versions_changed('user_id');
CREATE TRIGGER slot_versions_profile_active AFTER UPDATE OF active ON mentor_profiles
	FOR EACH ROW WHEN (OLD.active IS DISTINCT FROM NEW.active)
	EXECUTE FUNCTION slot_versions_changed('user_id');
CREATE TRIGGER slot_versions_user AFTER UPDATE OF timezone, deleted_at ON users
	FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
	EXECUTE FUNCTION slot_versions_changed('id');
