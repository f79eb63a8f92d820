-- A version per user of everything that decides their free slots: their
-- booked time, weekly hours and settings, date overrides, profile
-- (active) and account (zone, deletion). The triggers bump it in the same
-- transaction as the change, whatever code made it, so a cache of slots
-- (app/slotcache.go) can tell by one row whether it is still right.
CREATE TABLE slot_versions (
	user_id INTEGER PRIMARY KEY,
	version INTEGER NOT NULL
);

CREATE TRIGGER slot_versions_blocks_insert AFTER INSERT ON booking_blocks BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.user_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER slot_versions_blocks_update AFTER UPDATE ON booking_blocks BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (OLD.user_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.user_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER slot_versions_blocks_delete AFTER DELETE ON booking_blocks BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (OLD.user_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER slot_versions_availability_insert AFTER INSERT ON availability BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER slot_versions_availability_update AFTER UPDATE ON availability BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER slot_versions_availability_delete AFTER DELETE ON availability BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (OLD.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER slot_versions_overrides_insert AFTER INSERT ON availability_overrides BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER slot_versions_overrides_update AFTER UPDATE ON availability_overrides BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER slot_versions_overrides_delete AFTER DELETE ON availability_overrides BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (OLD.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER slot_versions_profile_insert AFTER INSERT ON mentor_profiles BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.user_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER slot_versions_profile_active AFTER UPDATE OF active ON mentor_profiles
WHEN OLD.active IS NOT NEW.active BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.user_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER slot_versions_user AFTER UPDATE OF timezone, deleted_at ON users
WHEN OLD.timezone IS NOT NEW.timezone OR OLD.deleted_at IS NOT NEW.deleted_at BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
