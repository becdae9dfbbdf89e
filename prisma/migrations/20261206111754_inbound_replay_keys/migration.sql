-- CreateTable
CREATE TABLE "inbound_replay_keys" (
    "connection_id" UUID NOT NULL,
    "replay_key" VARCHAR(300) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbound_replay_keys_pkey" PRIMARY KEY ("connection_id","replay_key")
);

-- AddForeignKey
ALTER TABLE "inbound_replay_keys" ADD CONSTRAINT "inbound_replay_keys_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "ats_connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Data: the bodies Greenhouse and Ashby signatures covered before this migration, remembered
-- like new ones (the key is inbound.verify.ts's `body:sha256:<hex>` of the bytes received).
INSERT INTO "inbound_replay_keys" ("connection_id", "replay_key", "accepted_at")
SELECT d."connection_id", 'body:sha256:' || encode(sha256(convert_to(d."raw_body", 'UTF8')), 'hex'), d."received_at"
FROM "inbound_deliveries" d
JOIN "ats_connections" c ON c."id" = d."connection_id"
WHERE c."provider" IN ('greenhouse', 'ashby') AND d."status" <> 'rejected'
ON CONFLICT DO NOTHING;

-- Data: Lever's token and signature are a credential until used; stored bodies no longer keep them.
UPDATE "inbound_deliveries" d
SET "raw_body" = regexp_replace(d."raw_body", '"(token|signature)"\s*:\s*"(?:[^"\\]|\\.)*"', '"\1":"[redacted]"', 'g')
WHERE d."connection_id" IN (SELECT "id" FROM "ats_connections" WHERE "provider" = 'lever')
   OR (NOT EXISTS (SELECT 1 FROM "ats_connections" c WHERE c."id" = d."connection_id") AND d."raw_body" LIKE '%"triggeredAt"%');
