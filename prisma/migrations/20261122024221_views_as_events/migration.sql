-- AlterTable
ALTER TABLE "messages" DROP COLUMN "view_count";
