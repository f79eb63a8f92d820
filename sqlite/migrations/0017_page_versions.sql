-- The version of migration 0014 now covers everything a mentor's public
-- page shows, so the page kept for visitors (app/pagecache.go) can tell by
-- the same row whether it is still right: every profile column (headline,
-- bio, links...), the skills, the services, the reviews and their replies,
-- the name of the mentor and of each reviewer, and the bookings' status
-- and attendance (the count of sessions held).

DROP TRIGGER slot_versions_profile_active;
CREATE TRIGGER slot_versions_profile_update AFTER UPDATE ON mentor_profiles BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.user_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER slot_versions_skills_insert AFTER INSERT ON mentor_skills BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER slot_versions_skills_delete AFTER DELETE ON mentor_skills BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (OLD.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER slot_versions_services_insert AFTER INSERT ON services BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER slot_versions_services_update AFTER UPDATE ON services BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER slot_versions_services_delete AFTER DELETE ON services BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (OLD.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER slot_versions_reviews_insert AFTER INSERT ON reviews BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER slot_versions_reviews_update AFTER UPDATE ON reviews BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER slot_versions_reviews_delete AFTER DELETE ON reviews BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (OLD.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;

-- A name shows on the user's own page and beside each of their reviews.
CREATE TRIGGER slot_versions_user_name AFTER UPDATE OF name ON users
WHEN OLD.name IS NOT NEW.name BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
	INSERT INTO slot_versions (user_id, version)
		SELECT DISTINCT mentor_id, 1 FROM reviews WHERE mentee_id = NEW.id
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER slot_versions_bookings_held AFTER UPDATE OF status, end_at, mentor_says_mentee_came, mentee_says_mentor_came ON bookings BEGIN
	INSERT INTO slot_versions (user_id, version) VALUES (NEW.mentor_id, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;

-- The name trigger finds a reviewer's reviews by this.
CREATE INDEX reviews_mentee ON reviews (mentee_id, mentor_id);
