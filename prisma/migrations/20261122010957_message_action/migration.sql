-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "action" VARCHAR(20) NOT NULL DEFAULT 'reject';

-- Send hours must make a window; checked by the database so concurrent edits cannot break it.
-- (A trigger rather than a CHECK constraint: the schema engine's describer panics on CHECKs.)
CREATE FUNCTION organizations_send_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.send_hour_start >= NEW.send_hour_end THEN
    RAISE EXCEPTION 'send_hour_start must be before send_hour_end' USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER organizations_send_hours
  BEFORE INSERT OR UPDATE OF send_hour_start, send_hour_end ON "organizations"
  FOR EACH ROW EXECUTE FUNCTION organizations_send_hours();
