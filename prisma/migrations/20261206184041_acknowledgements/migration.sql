-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "acknowledge_applications" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "requisitions" ADD COLUMN     "acknowledge_applications" BOOLEAN;
