-- AlterTable
ALTER TABLE "candidates" ADD COLUMN     "erased_at" TIMESTAMPTZ(3),
ADD COLUMN     "talent_pool_renewal_hash" VARCHAR(64),
ADD COLUMN     "talent_pool_renewal_sent_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "candidates_talent_pool_renewal_hash_key" ON "candidates"("talent_pool_renewal_hash");

-- AlterTable
ALTER TABLE "data_requests" ADD COLUMN     "approved_at" TIMESTAMPTZ(3),
ADD COLUMN     "approved_by" VARCHAR(100),
ADD COLUMN     "confirmation_sent_at" TIMESTAMPTZ(3),
ADD COLUMN     "confirmation_token_hash" VARCHAR(64),
ADD COLUMN     "confirmed_at" TIMESTAMPTZ(3),
ADD COLUMN     "delivered_at" TIMESTAMPTZ(3),
ADD COLUMN     "download_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "download_token_hash" VARCHAR(64),
ADD COLUMN     "due_at" TIMESTAMPTZ(3),
ADD COLUMN     "report" JSONB;

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "data_retention_months" INTEGER NOT NULL DEFAULT 6,
ADD COLUMN     "erasure_auto_approve_days" INTEGER,
ADD COLUMN     "raw_payload_retention_days" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "talent_pool_consent_months" INTEGER NOT NULL DEFAULT 24;

-- CreateIndex
CREATE UNIQUE INDEX "data_requests_confirmation_token_hash_key" ON "data_requests"("confirmation_token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "data_requests_download_token_hash_key" ON "data_requests"("download_token_hash");

-- Requests made before due dates existed: due one month after they were made.
UPDATE "data_requests" SET "due_at" = "created_at" + interval '1 month' WHERE "due_at" IS NULL;

-- The audit log stays append-only, with one exception: an erasure (data rights) replaces the
-- erased person's values inside before/after, in a transaction that says so
-- (SET LOCAL hearback.erasure = 'on'). Who did what, and when, can never change.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('hearback.erasure', true) = 'on'
     AND NEW.id = OLD.id AND NEW.organization_id = OLD.organization_id AND NEW.actor = OLD.actor AND NEW.action = OLD.action
     AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
     AND NEW.created_at = OLD.created_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
