-- CreateTable
CREATE TABLE "requisition_members" (
    "requisition_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "added_by" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "requisition_members_pkey" PRIMARY KEY ("requisition_id","user_id")
);

-- CreateIndex
CREATE INDEX "requisition_members_organization_id_user_id_idx" ON "requisition_members"("organization_id", "user_id");

-- AddForeignKey
ALTER TABLE "requisition_members" ADD CONSTRAINT "requisition_members_requisition_id_fkey" FOREIGN KEY ("requisition_id") REFERENCES "requisitions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "requisition_members" ADD CONSTRAINT "requisition_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
