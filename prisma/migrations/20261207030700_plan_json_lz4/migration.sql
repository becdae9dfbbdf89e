-- A reject-all plan's items and its confirmation are each ~17 MB of JSON, written in the plan's
-- and the confirmation's transactions: lz4 compresses them in about half the time pglz takes
-- (bench plan-50k). Existing values stay as they are. Only where Postgres was built with lz4.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE "decision_plans" ALTER COLUMN "items" SET COMPRESSION lz4, ALTER COLUMN "confirmation" SET COMPRESSION lz4;
  END IF;
END $$;
