-- AlterTable
ALTER TABLE "applications" ADD COLUMN     "last_interview_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "authored_by" VARCHAR(100),
ADD COLUMN     "custom_subject" VARCHAR(2000),
ADD COLUMN     "feedback_link_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "feedback_token_hash" VARCHAR(64),
ADD COLUMN     "send_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "feedback_link_days" INTEGER NOT NULL DEFAULT 180,
ADD COLUMN     "four_eyes_approval" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "hours_after_interview" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "send_hour_end" INTEGER NOT NULL DEFAULT 18,
ADD COLUMN     "send_hour_start" INTEGER NOT NULL DEFAULT 9,
ADD COLUMN     "send_weekdays_only" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "undo_window_minutes" INTEGER NOT NULL DEFAULT 15;

-- CreateIndex
CREATE UNIQUE INDEX "messages_feedback_token_hash_key" ON "messages"("feedback_token_hash");
