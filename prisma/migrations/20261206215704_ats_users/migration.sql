-- AlterTable
ALTER TABLE "ats_connections" ADD COLUMN     "ats_users" JSONB;
