-- Tell every instance, once the change commits, whose sessions or account
-- changed: what Users.SessionUser reads (the session, the user's columns,
-- the mentor profile and skills), whatever code changed it (another
-- instance, the CLI's admin grant). Instances keep sessions they found for
-- a second (app/sessioncache.go) and drop the users named on
-- mentorbook_accounts.<schema>. A new session needs no notice: nothing
-- cached it. Identical notices in one transaction arrive once.

-- TG_ARGV[0] names the column that holds the user.
CREATE FUNCTION account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM pg_notify('mentorbook_accounts.' || current_schema(), to_jsonb(OLD) ->> TG_ARGV[0]);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		PERFORM pg_notify('mentorbook_accounts.' || current_schema(), to_jsonb(NEW) ->> TG_ARGV[0]);
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER account_changed_sessions AFTER UPDATE OR DELETE ON sessions
	FOR EACH ROW EXECUTE FUNCTION account_changed('user_id');
CREATE TRIGGER account_changed_users AFTER UPDATE OF id, email, name, timezone, created_at, deleted_at, is_admin ON users
	FOR EACH ROW WHEN ((OLD.id, OLD.email, OLD.name, OLD.timezone, OLD.created_at, OLD.deleted_at, OLD.is_admin)
		IS DISTINCT FROM (NEW.id, NEW.email, NEW.name, NEW.timezone, NEW.created_at, NEW.deleted_at, NEW.is_admin))
	EXECUTE FUNCTION account_changed('id');
-- Every profile column a session reads; not the search text.
CREATE TRIGGER account_changed_profiles AFTER INSERT OR DELETE OR UPDATE OF user_id, headline, bio, active,
		max_active_mentorships, updated_at, links, languages, years_experience, meeting_url ON mentor_profiles
	FOR EACH ROW EXECUTE FUNCTION account_changed('user_id');
CREATE TRIGGER account_changed_skills AFTER INSERT OR UPDATE OR DELETE ON mentor_skills
	FOR EACH ROW EXECUTE FUNCTION account_changed('mentor_id');
