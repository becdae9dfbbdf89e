-- AlterTable
ALTER TABLE "candidates" ADD COLUMN     "preferred_name" VARCHAR(100);

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "accent_color" VARCHAR(7) NOT NULL DEFAULT '#1d4ed8',
ADD COLUMN     "careers_url" VARCHAR(500),
ADD COLUMN     "formality" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "privacy_policy_url" VARCHAR(500),
ADD COLUMN     "reply_to_email" VARCHAR(320),
ADD COLUMN     "track_opens" BOOLEAN NOT NULL DEFAULT false;
