-- A webhook created or deleted in an ATS is recorded in the connection's activity beside the
-- write-backs: such a row is about the connection, not an application.
ALTER TABLE "ats_writebacks" ALTER COLUMN "application_id" DROP NOT NULL,
  ALTER COLUMN "external_application_id" DROP NOT NULL;
