-- CreateEnum
CREATE TYPE "decision_kind" AS ENUM ('hire', 'offer', 'reject', 'advance', 'unreject', 'withdraw', 'hold');

-- CreateEnum
CREATE TYPE "plan_status" AS ENUM ('pending', 'confirmed');

-- CreateEnum
CREATE TYPE "message_status" AS ENUM ('draft', 'pending_approval', 'approved', 'scheduled', 'sending', 'sent', 'delivered', 'bounced', 'failed', 'recalled', 'cancelled');

-- CreateTable
CREATE TABLE "decisions" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "requisition_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "kind" "decision_kind" NOT NULL,
    "source" VARCHAR(50) NOT NULL,
    "plan_id" UUID,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "decision_plans" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "requisition_id" UUID NOT NULL,
    "input" JSONB NOT NULL,
    "items" JSONB NOT NULL,
    "digest" VARCHAR(64) NOT NULL,
    "status" "plan_status" NOT NULL DEFAULT 'pending',
    "created_by" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "confirmed_by" VARCHAR(100),
    "confirmation" JSONB,

    CONSTRAINT "decision_plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "plan_id" UUID,
    "requisition_id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "kind" VARCHAR(50) NOT NULL,
    "status" "message_status" NOT NULL DEFAULT 'draft',
    "recipient_email" VARCHAR(320) NOT NULL,
    "feedback" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suppressions" (
    "organization_id" UUID NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "reason" VARCHAR(50) NOT NULL,
    "source" VARCHAR(50) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppressions_pkey" PRIMARY KEY ("organization_id","email")
);

-- CreateIndex
CREATE INDEX "decisions_organization_id_application_id_occurred_at_idx" ON "decisions"("organization_id", "application_id", "occurred_at");

-- CreateIndex
CREATE INDEX "decision_plans_organization_id_requisition_id_id_idx" ON "decision_plans"("organization_id", "requisition_id", "id");

-- CreateIndex
CREATE INDEX "messages_organization_id_application_id_kind_idx" ON "messages"("organization_id", "application_id", "kind");

-- CreateIndex
CREATE INDEX "messages_organization_id_status_id_idx" ON "messages"("organization_id", "status", "id");
