-- Plans keep their items and confirmation as `json` (text, checked but not re-encoded): they are
-- written and read back whole and never queried inside, and a reject-all's items are ~18 MB that
-- `jsonb` parsed and re-encoded for ~1 s of the plan's creation. Listing plans reads the count
-- from its own column instead of opening the items. Hand-edited from the schema engine's diff:
-- existing plans get their count before the column becomes NOT NULL.
ALTER TABLE "decision_plans" ADD COLUMN "item_count" INTEGER;
UPDATE "decision_plans" SET "item_count" = COALESCE(jsonb_array_length("items" -> 'items'), 0);
ALTER TABLE "decision_plans" ALTER COLUMN "item_count" SET NOT NULL,
ALTER COLUMN "items" SET DATA TYPE JSON,
ALTER COLUMN "confirmation" SET DATA TYPE JSON;
