-- AlterTable
ALTER TABLE "ats_connections" ADD COLUMN     "api_credentials" TEXT,
ADD COLUMN     "last_error" VARCHAR(1000),
ADD COLUMN     "last_error_at" TIMESTAMPTZ(3),
ADD COLUMN     "reason_map" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "verified_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "ats_writebacks" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "connection_id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "external_application_id" VARCHAR(200) NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "steps" JSONB NOT NULL DEFAULT '[]',
    "last_error" VARCHAR(1000),
    "claimed_until" TIMESTAMPTZ(3),
    "next_attempt_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "ats_writebacks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ats_writebacks_connection_id_id_idx" ON "ats_writebacks"("connection_id", "id");

-- CreateIndex
CREATE INDEX "ats_writebacks_organization_id_id_idx" ON "ats_writebacks"("organization_id", "id");

-- CreateIndex
CREATE INDEX "ats_writebacks_status_updated_at_idx" ON "ats_writebacks"("status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "ats_writebacks_connection_id_application_id_message_id_key" ON "ats_writebacks"("connection_id", "application_id", "message_id");

-- AddForeignKey
ALTER TABLE "ats_writebacks" ADD CONSTRAINT "ats_writebacks_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "ats_connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;
