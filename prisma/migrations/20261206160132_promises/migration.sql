-- AlterTable
ALTER TABLE "applications" ADD COLUMN     "overdue_notified_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "requisitions" ADD COLUMN     "promise_days_after_interview" INTEGER;
