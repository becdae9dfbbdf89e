-- AlterTable
ALTER TABLE "applications" ADD COLUMN     "silence_acted_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "silence_business_days" INTEGER;
