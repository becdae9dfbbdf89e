-- AlterTable
ALTER TABLE "candidates" ADD COLUMN     "talent_pool_changed_at" TIMESTAMPTZ(3),
ADD COLUMN     "talent_pool_member" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "feedback_link_revoked_at" TIMESTAMPTZ(3),
ADD COLUMN     "first_viewed_at" TIMESTAMPTZ(3),
ADD COLUMN     "view_count" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "candidate_events" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "type" VARCHAR(50) NOT NULL,
    "detail" JSONB,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "candidate_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "talent_pool_consents" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "action" VARCHAR(10) NOT NULL,
    "text" TEXT NOT NULL,
    "locale" VARCHAR(10) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "talent_pool_consents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feedback_ratings" (
    "message_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "value" INTEGER NOT NULL,
    "comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "feedback_ratings_pkey" PRIMARY KEY ("message_id")
);

-- CreateTable
CREATE TABLE "feedback_questions" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "question" TEXT NOT NULL,
    "asked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answer" TEXT,
    "answered_at" TIMESTAMPTZ(3),
    "answered_by" VARCHAR(100),

    CONSTRAINT "feedback_questions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "data_requests" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "completed_by" VARCHAR(100),
    "note" VARCHAR(2000),

    CONSTRAINT "data_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "candidate_events_organization_id_id_idx" ON "candidate_events"("organization_id", "id");

-- CreateIndex
CREATE INDEX "candidate_events_organization_id_message_id_id_idx" ON "candidate_events"("organization_id", "message_id", "id");

-- CreateIndex
CREATE INDEX "talent_pool_consents_organization_id_candidate_id_id_idx" ON "talent_pool_consents"("organization_id", "candidate_id", "id");

-- CreateIndex
CREATE INDEX "feedback_ratings_organization_id_updated_at_idx" ON "feedback_ratings"("organization_id", "updated_at");

-- CreateIndex
CREATE INDEX "feedback_questions_organization_id_id_idx" ON "feedback_questions"("organization_id", "id");

-- CreateIndex
CREATE INDEX "feedback_questions_message_id_id_idx" ON "feedback_questions"("message_id", "id");

-- CreateIndex
CREATE INDEX "data_requests_organization_id_id_idx" ON "data_requests"("organization_id", "id");

-- CreateIndex
CREATE INDEX "data_requests_message_id_id_idx" ON "data_requests"("message_id", "id");
