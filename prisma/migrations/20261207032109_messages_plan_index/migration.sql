-- CreateIndex
CREATE INDEX "messages_plan_id_status_id_idx" ON "messages"("plan_id", "status", "id");
