-- CreateIndex
CREATE INDEX "inbound_deliveries_connection_id_status_id_idx" ON "inbound_deliveries"("connection_id", "status", "id");
