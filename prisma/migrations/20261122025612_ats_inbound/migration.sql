-- CreateTable
CREATE TABLE "ats_connections" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "provider" VARCHAR(20) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "secret" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ats_connections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbound_deliveries" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "connection_id" UUID NOT NULL,
    "dedupe_key" VARCHAR(300) NOT NULL,
    "event_type" VARCHAR(100) NOT NULL,
    "status" VARCHAR(20) NOT NULL,
    "outcome" VARCHAR(2000),
    "headers" JSONB NOT NULL,
    "raw_body" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "inbound_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ats_connections_organization_id_id_idx" ON "ats_connections"("organization_id", "id");

-- CreateIndex
CREATE INDEX "inbound_deliveries_organization_id_id_idx" ON "inbound_deliveries"("organization_id", "id");

-- CreateIndex
CREATE INDEX "inbound_deliveries_received_at_idx" ON "inbound_deliveries"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_deliveries_connection_id_dedupe_key_key" ON "inbound_deliveries"("connection_id", "dedupe_key");
