-- A confirmed plan's decisions by plan: its confirmation is read back from its decisions and
-- messages when it is confirmed again, no longer stored whole (~17 MB for a reject-all).
-- CreateIndex
CREATE INDEX "decisions_plan_id_id_idx" ON "decisions"("plan_id", "id");
