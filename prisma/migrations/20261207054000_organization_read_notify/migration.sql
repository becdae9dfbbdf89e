-- Every API process keeps GET /v1/organization's answer in memory (organization-cache.ts) and
-- forgets an organization when this channel names it. The database notifies, not the code that
-- writes, so no writer (a route, a job, the CLI, a hand-typed UPDATE) can forget to: any change
-- to an organization row or its logo, committed, reaches every listener. An empty payload (a
-- TRUNCATE) means every organization.
CREATE FUNCTION organizations_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('hearback_organizations', '');
  ELSIF TG_TABLE_NAME = 'organizations' THEN
    PERFORM pg_notify('hearback_organizations', (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
  ELSE
    PERFORM pg_notify('hearback_organizations', (CASE WHEN TG_OP = 'DELETE' THEN OLD.organization_id ELSE NEW.organization_id END)::text);
    IF TG_OP = 'UPDATE' AND NEW.organization_id IS DISTINCT FROM OLD.organization_id THEN
      PERFORM pg_notify('hearback_organizations', OLD.organization_id::text);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER organizations_notify_changed
  AFTER INSERT OR UPDATE OR DELETE ON "organizations"
  FOR EACH ROW EXECUTE FUNCTION organizations_notify_changed();

CREATE TRIGGER organizations_notify_truncated
  AFTER TRUNCATE ON "organizations"
  FOR EACH STATEMENT EXECUTE FUNCTION organizations_notify_changed();

CREATE TRIGGER organization_logos_notify_changed
  AFTER INSERT OR UPDATE OR DELETE ON "organization_logos"
  FOR EACH ROW EXECUTE FUNCTION organizations_notify_changed();

CREATE TRIGGER organization_logos_notify_truncated
  AFTER TRUNCATE ON "organization_logos"
  FOR EACH STATEMENT EXECUTE FUNCTION organizations_notify_changed();
