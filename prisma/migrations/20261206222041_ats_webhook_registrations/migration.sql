-- AlterTable
ALTER TABLE "ats_connections" ADD COLUMN     "webhook_registrations" JSONB;
