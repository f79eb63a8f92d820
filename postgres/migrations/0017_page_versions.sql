-- The version of migration 0014 now covers everything a mentor's public
-- page shows, so the page kept for visitors (app/pagecache.go) can tell by
-- the same row whether it is still right: every profile column (headline,
-- bio, links...), the skills, the services, the reviews and their replies,
-- the name of the mentor and of each reviewer, and the bookings' status
-- and attendance (the count of sessions held). Each bump notifies as in
-- 0014.

DROP TRIGGER slot_versions_profile_active ON mentor_profiles;
CREATE TRIGGER slot_versions_profile_update AFTER UPDATE ON mentor_profiles
	FOR EACH ROW EXECUTE FUNCTION slot_versions_changed('user_id');
CREATE TRIGGER slot_versions_skills AFTER INSERT OR UPDATE OR DELETE ON mentor_skills
	FOR EACH ROW EXECUTE FUNCTION slot_versions_changed('mentor_id');
CREATE TRIGGER slot_versions_services AFTER INSERT OR UPDATE OR DELETE ON services
	FOR EACH ROW EXECUTE FUNCTION slot_versions_changed('mentor_id');
CREATE TRIGGER slot_versions_reviews AFTER INSERT OR UPDATE OR DELETE ON reviews
	FOR EACH ROW EXECUTE FUNCTION slot_versions_changed('mentor_id');
CREATE TRIGGER slot_versions_bookings_held AFTER UPDATE OF status, end_at, mentor_says_mentee_came, mentee_says_mentor_came ON bookings
	FOR EACH ROW EXECUTE FUNCTION slot_versions_changed('mentor_id');

-- A name shows on the user's own page and beside each of their reviews.
CREATE FUNCTION slot_versions_name_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM slot_version_bump(NEW.id);
	PERFORM slot_version_bump(m.mentor_id) FROM (SELECT DISTINCT mentor_id FROM reviews WHERE mentee_id = NEW.id) m;
	RETURN NULL;
END;
$$;
CREATE TRIGGER slot_versions_user_name AFTER UPDATE OF name ON users
	FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
	EXECUTE FUNCTION slot_versions_name_changed();

-- The name trigger finds a reviewer's reviews by this.
CREATE INDEX reviews_mentee ON reviews (mentee_id, mentor_id);
