-- CreateTable
CREATE TABLE "message_templates" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "kind" VARCHAR(50) NOT NULL,
    "locale" VARCHAR(35) NOT NULL,
    "version" INTEGER NOT NULL,
    "subject" VARCHAR(2000) NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "created_by" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_templates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "message_templates_organization_id_kind_locale_version_key" ON "message_templates"("organization_id", "kind", "locale", "version");
