-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "reconcile_rounds" INTEGER NOT NULL DEFAULT 0;
