-- CreateTable
CREATE TABLE "transactional_emails" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "purpose" VARCHAR(40) NOT NULL,
    "subject_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "message_id" UUID,
    "recipient_email" VARCHAR(320) NOT NULL,
    "to_header" VARCHAR(1000) NOT NULL,
    "subject" VARCHAR(2000) NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "tag" VARCHAR(100) NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "reconcile_rounds" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "sending_at" TIMESTAMPTZ(3),
    "postmark_message_id" VARCHAR(64),
    "sent_at" TIMESTAMPTZ(3),
    "failure_code" VARCHAR(50),
    "failure_reason" VARCHAR(2000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "transactional_emails_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "transactional_emails_postmark_message_id_key" ON "transactional_emails"("postmark_message_id");

-- CreateIndex
CREATE INDEX "transactional_emails_status_next_attempt_at_idx" ON "transactional_emails"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "transactional_emails_organization_id_candidate_id_idx" ON "transactional_emails"("organization_id", "candidate_id");

-- CreateIndex
CREATE UNIQUE INDEX "transactional_emails_organization_id_purpose_subject_id_key" ON "transactional_emails"("organization_id", "purpose", "subject_id");
