-- AlterTable
ALTER TABLE "candidates" ADD COLUMN     "preferred_name" VARCHAR(100);

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "formality" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "reply_to_email" VARCHAR(320),
ADD COLUMN     "track_opens" BOOLEAN NOT NULL DEFAULT false;
