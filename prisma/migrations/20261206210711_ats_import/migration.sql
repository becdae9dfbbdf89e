-- AlterTable
ALTER TABLE "ats_connections" ADD COLUMN     "import_state" JSONB,
ADD COLUMN     "last_import_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_reconciled_at" TIMESTAMPTZ(3),
ADD COLUMN     "sync_token" VARCHAR(2000);
