import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DbClient } from '../../db/client.js';
import type { ClaimOutcome, HeldClaim, IdempotencyClaim, StoredResponse } from '../../lib/idempotency.js';

/** The kept response headers, as complete() wrote them. */
const storedHeaders = z.record(z.string(), z.string());

/** A request still "in progress" after this long died with its process: a retry may take over. */
const ABANDONED_AFTER = '5 minutes';

export const idempotencyRepository = {
  /**
   * Claims the key for this request in one statement. A live record with the same key is left
   * alone (and read back); an expired one, or one abandoned mid-request with the same body, is
   * taken over under a new claim token.
   */
  async claim(db: DbClient, claim: IdempotencyClaim): Promise<ClaimOutcome> {
    const token = randomUUID();
    const claimed = await db.$queryRaw<{ ok: number }[]>`
      INSERT INTO idempotency_records (organization_id, key, operation, request_hash, expires_at, claim_token)
      VALUES (${claim.organizationId}::uuid, ${claim.key}, ${claim.operation}, ${claim.requestHash}, ${claim.expiresAt}, ${token}::uuid)
      ON CONFLICT (organization_id, key) DO UPDATE SET
        operation = EXCLUDED.operation, request_hash = EXCLUDED.request_hash, expires_at = EXCLUDED.expires_at,
        claim_token = EXCLUDED.claim_token, status_code = NULL, response_body = NULL, response_headers = NULL,
        completed_at = NULL, created_at = now()
      WHERE idempotency_records.expires_at < now()
         OR (idempotency_records.completed_at IS NULL
             AND idempotency_records.created_at < now() - ${ABANDONED_AFTER}::interval
             AND idempotency_records.request_hash = EXCLUDED.request_hash)
      RETURNING 1 AS ok`;
    if (claimed.length > 0) return { kind: 'claimed', claim: { organizationId: claim.organizationId, key: claim.key, token } };

    const existing = await db.idempotencyRecord.findUnique({
      where: { organizationId_key: { organizationId: claim.organizationId, key: claim.key } },
    });
    // Deleted between the two statements (a failed first attempt released it): claim again.
    if (!existing) return idempotencyRepository.claim(db, claim);
    if (existing.requestHash !== claim.requestHash || existing.operation !== claim.operation) return { kind: 'mismatch' };
    if (existing.statusCode === null || existing.responseBody === null) return { kind: 'in_progress' };
    return {
      kind: 'replay',
      statusCode: existing.statusCode,
      sealedBody: existing.responseBody,
      headers: storedHeaders.parse(existing.responseHeaders ?? {}),
    };
  },

  async complete(db: DbClient, claim: HeldClaim, response: StoredResponse): Promise<void> {
    await db.idempotencyRecord.updateMany({
      where: { organizationId: claim.organizationId, key: claim.key, claimToken: claim.token, completedAt: null },
      data: {
        statusCode: response.statusCode,
        responseBody: response.sealedBody,
        responseHeaders: response.headers,
        completedAt: new Date(),
      },
    });
  },

  /** Forgets an attempt that failed on our side, so the client's retry runs for real. */
  async release(db: DbClient, claim: HeldClaim): Promise<void> {
    await db.idempotencyRecord.deleteMany({
      where: { organizationId: claim.organizationId, key: claim.key, claimToken: claim.token, completedAt: null },
    });
  },

  async purgeExpired(db: DbClient, now: Date): Promise<number> {
    const { count } = await db.idempotencyRecord.deleteMany({ where: { expiresAt: { lt: now } } });
    return count;
  },
};
