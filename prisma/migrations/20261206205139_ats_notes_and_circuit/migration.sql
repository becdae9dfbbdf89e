-- DropIndex
DROP INDEX "ats_writebacks_connection_id_application_id_message_id_key";

-- AlterTable
ALTER TABLE "ats_connections" ADD COLUMN     "circuit_open_until" TIMESTAMPTZ(3),
ADD COLUMN     "consecutive_failures" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "ats_writebacks" ADD COLUMN     "action" VARCHAR(20) NOT NULL DEFAULT 'rejection',
ADD COLUMN     "note" VARCHAR(2000),
ADD COLUMN     "subject_id" UUID,
ALTER COLUMN "message_id" DROP NOT NULL;

-- Every write-back so far told a rejection: its subject is its message.
UPDATE "ats_writebacks" SET "subject_id" = "message_id";
ALTER TABLE "ats_writebacks" ALTER COLUMN "subject_id" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "ats_writebacks_connection_id_application_id_action_subject__key" ON "ats_writebacks"("connection_id", "application_id", "action", "subject_id");
