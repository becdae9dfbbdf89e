-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "formality" VARCHAR(10);
