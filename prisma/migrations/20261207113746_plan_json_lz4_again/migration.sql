-- 20261207030700_plan_json_lz4 set lz4 on the plans' items and confirmation; changing their type
-- to json (20261207081411_plan_items_json) reset both columns to the default compression, pglz,
-- which takes ~190 ms to store a reject-all's 17 MB where lz4 takes ~90 ms (psql on the bench
-- database). Set again. Existing values stay as they are. Only where Postgres was built with lz4.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE "decision_plans" ALTER COLUMN "items" SET COMPRESSION lz4, ALTER COLUMN "confirmation" SET COMPRESSION lz4;
  END IF;
END $$;
