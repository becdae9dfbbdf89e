-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "auto_approve_status_updates" BOOLEAN NOT NULL DEFAULT false;
