-- CreateEnum
CREATE TYPE "requisition_status" AS ENUM ('open', 'on_hold', 'cancelled', 'filled');

-- CreateEnum
CREATE TYPE "identity_link_reason" AS ENUM ('same_email', 'same_phone', 'merge');

-- CreateEnum
CREATE TYPE "application_status" AS ENUM ('active', 'offered', 'hired', 'rejected', 'withdrawn');

-- CreateEnum
CREATE TYPE "external_entity" AS ENUM ('requisition', 'candidate', 'application');

-- CreateTable
CREATE TABLE "requisitions" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "title" VARCHAR(300) NOT NULL,
    "department" VARCHAR(200),
    "location" VARCHAR(200),
    "default_locale" VARCHAR(35) NOT NULL DEFAULT 'en',
    "hiring_contact_name" VARCHAR(200),
    "hiring_contact_email" VARCHAR(320),
    "status" "requisition_status" NOT NULL DEFAULT 'open',
    "promised_decision_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "requisitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "candidates" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" VARCHAR(300) NOT NULL,
    "phone" VARCHAR(20),
    "locale" VARCHAR(35),
    "timezone" VARCHAR(64),
    "person_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "candidates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "candidate_emails" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "address" VARCHAR(320) NOT NULL,
    "normalized" VARCHAR(320) NOT NULL,
    "is_primary" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "candidate_emails_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity_links" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "linked_candidate_id" UUID NOT NULL,
    "reason" "identity_link_reason" NOT NULL,
    "evidence" VARCHAR(400) NOT NULL,
    "source" VARCHAR(50) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identity_links_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "applications" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "candidate_id" UUID NOT NULL,
    "requisition_id" UUID NOT NULL,
    "stage" VARCHAR(200),
    "status" "application_status" NOT NULL DEFAULT 'active',
    "promised_decision_at" TIMESTAMPTZ(3),
    "status_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "applications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "external_ids" (
    "organization_id" UUID NOT NULL,
    "entity" "external_entity" NOT NULL,
    "source" VARCHAR(50) NOT NULL,
    "external_id" VARCHAR(200) NOT NULL,
    "entity_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "external_ids_pkey" PRIMARY KEY ("organization_id","entity","source","external_id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "actor" VARCHAR(100) NOT NULL,
    "action" VARCHAR(100) NOT NULL,
    "entity" VARCHAR(50) NOT NULL,
    "entity_id" UUID NOT NULL,
    "request_id" VARCHAR(128),
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "requisitions_organization_id_id_idx" ON "requisitions"("organization_id", "id");

-- CreateIndex
CREATE INDEX "requisitions_organization_id_status_id_idx" ON "requisitions"("organization_id", "status", "id");

-- CreateIndex
CREATE INDEX "candidates_organization_id_id_idx" ON "candidates"("organization_id", "id");

-- CreateIndex
CREATE INDEX "candidates_organization_id_person_id_idx" ON "candidates"("organization_id", "person_id");

-- CreateIndex
CREATE INDEX "candidates_organization_id_phone_idx" ON "candidates"("organization_id", "phone");

-- CreateIndex
CREATE INDEX "candidate_emails_organization_id_normalized_idx" ON "candidate_emails"("organization_id", "normalized");

-- CreateIndex
CREATE UNIQUE INDEX "candidate_emails_candidate_id_normalized_key" ON "candidate_emails"("candidate_id", "normalized");

-- CreateIndex
CREATE INDEX "identity_links_organization_id_linked_candidate_id_idx" ON "identity_links"("organization_id", "linked_candidate_id");

-- CreateIndex
CREATE UNIQUE INDEX "identity_links_candidate_id_linked_candidate_id_reason_evid_key" ON "identity_links"("candidate_id", "linked_candidate_id", "reason", "evidence");

-- CreateIndex
CREATE INDEX "applications_organization_id_requisition_id_status_idx" ON "applications"("organization_id", "requisition_id", "status");

-- CreateIndex
CREATE INDEX "applications_organization_id_candidate_id_idx" ON "applications"("organization_id", "candidate_id");

-- CreateIndex
CREATE UNIQUE INDEX "applications_requisition_id_candidate_id_key" ON "applications"("requisition_id", "candidate_id");

-- CreateIndex
CREATE INDEX "external_ids_entity_id_idx" ON "external_ids"("entity_id");

-- CreateIndex
CREATE INDEX "audit_events_organization_id_id_idx" ON "audit_events"("organization_id", "id");

-- CreateIndex
CREATE INDEX "audit_events_organization_id_entity_entity_id_id_idx" ON "audit_events"("organization_id", "entity", "entity_id", "id");

-- AddForeignKey
ALTER TABLE "requisitions" ADD CONSTRAINT "requisitions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "candidate_emails" ADD CONSTRAINT "candidate_emails_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "applications" ADD CONSTRAINT "applications_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "applications" ADD CONSTRAINT "applications_candidate_id_fkey" FOREIGN KEY ("candidate_id") REFERENCES "candidates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "applications" ADD CONSTRAINT "applications_requisition_id_fkey" FOREIGN KEY ("requisition_id") REFERENCES "requisitions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The audit log is append-only, enforced by the database itself.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$;

CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
