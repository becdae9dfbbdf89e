-- AlterTable
ALTER TABLE "ats_connections" ADD COLUMN     "ats_catalogue" JSONB;
