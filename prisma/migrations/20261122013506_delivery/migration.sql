-- AlterEnum
ALTER TYPE "message_status" ADD VALUE 'unknown';

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "approved_content_hash" VARCHAR(64),
ADD COLUMN     "batch_id" UUID,
ADD COLUMN     "bounced_at" TIMESTAMPTZ(3),
ADD COLUMN     "claim_token" UUID,
ADD COLUMN     "delivered_at" TIMESTAMPTZ(3),
ADD COLUMN     "failure_code" VARCHAR(50),
ADD COLUMN     "failure_reason" VARCHAR(2000),
ADD COLUMN     "next_attempt_at" TIMESTAMPTZ(3),
ADD COLUMN     "opened_at" TIMESTAMPTZ(3),
ADD COLUMN     "postmark_message_id" VARCHAR(64),
ADD COLUMN     "scheduled_at" TIMESTAMPTZ(3),
ADD COLUMN     "send_attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "send_checks" JSONB,
ADD COLUMN     "sending_at" TIMESTAMPTZ(3),
ADD COLUMN     "sent_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "message_stream" VARCHAR(100),
ADD COLUMN     "postmark_server_token" TEXT,
ADD COLUMN     "postmark_token_hint" VARCHAR(8),
ADD COLUMN     "sender_email" VARCHAR(320),
ADD COLUMN     "sender_name" VARCHAR(200);

-- CreateTable
CREATE TABLE "message_events" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "type" VARCHAR(40) NOT NULL,
    "source" VARCHAR(20) NOT NULL,
    "detail" JSONB,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postmark_webhook_events" (
    "postmark_message_id" VARCHAR(64) NOT NULL,
    "record_type" VARCHAR(40) NOT NULL,
    "organization_id" UUID,
    "message_id" UUID,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "postmark_webhook_events_pkey" PRIMARY KEY ("postmark_message_id","record_type")
);

-- CreateIndex
CREATE INDEX "message_events_organization_id_message_id_id_idx" ON "message_events"("organization_id", "message_id", "id");

-- CreateIndex
CREATE INDEX "message_events_organization_id_id_idx" ON "message_events"("organization_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "messages_postmark_message_id_key" ON "messages"("postmark_message_id");

-- CreateIndex
CREATE INDEX "messages_status_send_at_idx" ON "messages"("status", "send_at");

-- CreateIndex
CREATE INDEX "messages_status_next_attempt_at_idx" ON "messages"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "messages_batch_id_idx" ON "messages"("batch_id");
