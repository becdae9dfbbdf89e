-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "also_for_application_ids" UUID[] DEFAULT ARRAY[]::UUID[];
