-- Messages a check stopped were recorded as failed; they are held (a person decides, nothing
-- went wrong with delivery). A separate migration: a new enum value is usable once committed.
UPDATE "messages" SET "status" = 'held', "batch_id" = NULL
WHERE "status" = 'failed' AND "failure_code" IN ('send_check_failed', 'recipient_suppressed', 'content_changed');

-- decision.blocked became message.held: endpoints subscribed to it keep receiving what it meant.
UPDATE "webhook_endpoints"
SET "event_types" = array_replace("event_types", 'decision.blocked', 'message.held')
WHERE 'decision.blocked' = ANY("event_types");
