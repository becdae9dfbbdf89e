-- CreateTable
CREATE TABLE "data_migrations" (
    "name" VARCHAR(200) NOT NULL,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "data_migrations_pkey" PRIMARY KEY ("name")
);

-- Stored normalised addresses (candidate_emails.normalized, suppressions.email) are re-normalised
-- by this migration's data step, src/db/email-renormalization.ts, which the migration runner runs
-- right after the SQL migrations: internationalised domains need IDNA, which SQL cannot express.
