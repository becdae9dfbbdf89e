-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "approved_at" TIMESTAMPTZ(3),
ADD COLUMN     "approved_by" VARCHAR(100),
ADD COLUMN     "content_hash" VARCHAR(64),
ADD COLUMN     "content_version" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "html" TEXT,
ADD COLUMN     "lint" JSONB,
ADD COLUMN     "locale" VARCHAR(35),
ADD COLUMN     "render_checks" JSONB,
ADD COLUMN     "severity" VARCHAR(10),
ADD COLUMN     "subject" VARCHAR(2000),
ADD COLUMN     "template_version" INTEGER,
ADD COLUMN     "text" TEXT;
