-- Rows without an organization cannot be scoped (the webhook route always set it): dropped
-- so the column can become part of the key.
DELETE FROM "postmark_webhook_events" WHERE "organization_id" IS NULL;

-- AlterTable
ALTER TABLE "postmark_webhook_events" DROP CONSTRAINT "postmark_webhook_events_pkey",
ALTER COLUMN "organization_id" SET NOT NULL,
ADD CONSTRAINT "postmark_webhook_events_pkey" PRIMARY KEY ("organization_id", "postmark_message_id", "record_type");
