-- AlterTable
ALTER TABLE "ats_connections" ADD COLUMN     "settings" JSONB NOT NULL DEFAULT '{}';
