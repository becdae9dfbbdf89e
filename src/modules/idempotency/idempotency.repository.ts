import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DbClient } from '../../db/client.js';
import { runSql, statement, type Statement } from '../../db/sql.js';
import type { ClaimOutcome, CompletedClaim, HeldClaim, IdempotencyClaim, KeyTaken, StoredResponse } from '../../lib/idempotency.js';

/** The kept response headers, as complete() wrote them. */
const storedHeaders = z.record(z.string(), z.string());

interface ClaimRow {
  claimed: boolean;
  operation: string | null;
  requestHash: string | null;
  statusCode: number | null;
  responseBody: string | null;
  responseHeaders: unknown;
}

/** Which records a new claim may take over: expired, or abandoned mid-request with the same body. */
const TAKEOVER = `idempotency_records.expires_at < now()
        OR (idempotency_records.completed_at IS NULL
            AND idempotency_records.created_at < now() - interval '5 minutes'
            AND idempotency_records.request_hash = EXCLUDED.request_hash)`;

/**
 * Claims the key for this request, or reads back the record that holds it, in one statement. A
 * live record with the same key is left alone; an expired one, or one abandoned mid-request (a
 * request still "in progress" after 5 minutes died with its process) with the same body, is taken
 * over under a new claim token.
 *
 * The claim commits without waiting for its WAL flush (synchronous_commit off, for this
 * statement's own transaction only: the store is never called inside another transaction). It is
 * visible to every other request at once, so concurrent requests with the key still wait for it;
 * and the WAL is flushed in order, so the first write of the work it guards that commits normally
 * makes the claim durable too. A Postgres crash before then loses a claim whose work never
 * committed either: the client's retry runs, as it should.
 */
const claimStatement = statement(
  'idempotency-claim',
  `WITH claimed AS (
     INSERT INTO idempotency_records (organization_id, key, operation, request_hash, expires_at, claim_token)
     SELECT $1::uuid, $2::text, $3::text, $4::text, $5::timestamptz, $6::uuid
     FROM (SELECT set_config('synchronous_commit', 'off', true)) AS durability
     ON CONFLICT (organization_id, key) DO UPDATE SET
       operation = EXCLUDED.operation, request_hash = EXCLUDED.request_hash, expires_at = EXCLUDED.expires_at,
       claim_token = EXCLUDED.claim_token, status_code = NULL, response_body = NULL, response_headers = NULL,
       completed_at = NULL, created_at = now()
     WHERE ${TAKEOVER}
     RETURNING 1
   )
   SELECT true AS claimed, NULL::text AS operation, NULL::text AS "requestHash", NULL::int AS "statusCode", NULL::text AS "responseBody", NULL::jsonb AS "responseHeaders"
   FROM claimed
   UNION ALL
   SELECT false, r.operation, r.request_hash, r.status_code, r.response_body, r.response_headers
   FROM idempotency_records r
   WHERE r.organization_id = $1::uuid AND r.key = $2::text AND NOT EXISTS (SELECT 1 FROM claimed)`,
);

/** Only the claim's holder completes it, once. */
const completeStatement = statement(
  'idempotency-complete',
  `UPDATE idempotency_records SET status_code = $4::int, response_body = $5::text, response_headers = $6::jsonb, completed_at = now()
   WHERE organization_id = $1::uuid AND key = $2::text AND claim_token = $3::uuid AND completed_at IS NULL`,
);

/** The largest `$n` in a text: a work's own parameters come first, the claim's after them. */
const lastParameter = (text: string) => Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));

/**
 * A statement that writes a completed claim (its response included) and the work it guards at
 * once: `work` names data-modifying CTEs that select from `claimed` (one row when the key was
 * free, none when it was taken), so they run only when the record is written, in the same
 * transaction. The work's parameters are `$1`...`$n`; the claim's follow them. Nothing else is
 * needed to finish: the record is complete from its first commit, and a failure of any part
 * leaves neither the work nor the claim behind.
 */
export function onceStatement(name: string, work: Record<string, string>): Statement {
  const ctes = Object.entries(work);
  const unguarded = ctes.filter(([, text]) => !/\bclaimed\b/.test(text)).map(([cte]) => cte);
  if (unguarded.length > 0) throw new Error(`${name}: ${unguarded.join(', ')} must select FROM claimed, or they run when the key is taken`);
  const n = lastParameter(ctes.map(([, text]) => text).join(' '));
  const $ = (i: number) => `$${n + i}`;
  return statement(
    name,
    `WITH claimed AS (
       INSERT INTO idempotency_records (organization_id, key, operation, request_hash, expires_at, claim_token, status_code, response_body, response_headers, completed_at)
       VALUES (${$(1)}::uuid, ${$(2)}::text, ${$(3)}::text, ${$(4)}::text, ${$(5)}::timestamptz, ${$(6)}::uuid, ${$(7)}::int, ${$(8)}::text, ${$(9)}::jsonb, now())
       ON CONFLICT (organization_id, key) DO UPDATE SET
         operation = EXCLUDED.operation, request_hash = EXCLUDED.request_hash, expires_at = EXCLUDED.expires_at,
         claim_token = EXCLUDED.claim_token, status_code = EXCLUDED.status_code, response_body = EXCLUDED.response_body,
         response_headers = EXCLUDED.response_headers, completed_at = now(), created_at = now()
       WHERE ${TAKEOVER}
       RETURNING 1
     ),
     ${ctes.map(([cte, text]) => `${cte} AS (${text})`).join(',\n     ')}
     SELECT true AS claimed, NULL::text AS operation, NULL::text AS "requestHash", NULL::int AS "statusCode", NULL::text AS "responseBody", NULL::jsonb AS "responseHeaders"
     FROM claimed
     UNION ALL
     SELECT false, r.operation, r.request_hash, r.status_code, r.response_body, r.response_headers
     FROM idempotency_records r
     WHERE r.organization_id = ${$(1)}::uuid AND r.key = ${$(2)}::text AND NOT EXISTS (SELECT 1 FROM claimed)`,
  );
}

/** What a record that holds the key decides for another request with it. */
function heldBy(row: ClaimRow, claim: IdempotencyClaim): KeyTaken {
  if (row.requestHash !== claim.requestHash || row.operation !== claim.operation) return { kind: 'mismatch' };
  if (row.statusCode === null || row.responseBody === null) return { kind: 'in_progress' };
  return {
    kind: 'replay',
    statusCode: row.statusCode,
    sealedBody: row.responseBody,
    headers: storedHeaders.parse(row.responseHeaders ?? {}),
  };
}

export const idempotencyRepository = {
  /** Claims the key for this request (claimStatement), or says why not. */
  async claim(db: DbClient, claim: IdempotencyClaim): Promise<ClaimOutcome> {
    const token = randomUUID();
    const [row] = await runSql<ClaimRow>(db, claimStatement, [claim.organizationId, claim.key, claim.operation, claim.requestHash, claim.expiresAt, token]);
    if (row?.claimed) return { kind: 'claimed', claim: { organizationId: claim.organizationId, key: claim.key, token } };
    // Not claimed and not there: released (deleted) by a failed first attempt meanwhile, or
    // committed after this statement's snapshot. Claim again.
    if (!row) return idempotencyRepository.claim(db, claim);
    return heldBy(row, claim);
  },

  /**
   * Runs a statement made by onceStatement: the work (its `values`) and the completed record, or,
   * when the key is taken, neither, and what the record holding it decides. Never inside a
   * transaction: the statement is its own.
   */
  async writeOnce(db: DbClient, once: Statement, { claim, response }: CompletedClaim, values: unknown[]): Promise<{ kind: 'written' } | KeyTaken> {
    const [row] = await runSql<ClaimRow>(db, once, [
      ...values,
      claim.organizationId,
      claim.key,
      claim.operation,
      claim.requestHash,
      claim.expiresAt,
      randomUUID(),
      response.statusCode,
      response.sealedBody,
      response.headers,
    ]);
    if (row?.claimed) return { kind: 'written' };
    // As in claim(): the record that held the key was released meanwhile, or committed after this
    // statement's snapshot (a concurrent first request). Nothing was written: run it again.
    if (!row) return idempotencyRepository.writeOnce(db, once, { claim, response }, values);
    return heldBy(row, claim);
  },

  async complete(db: DbClient, claim: HeldClaim, response: StoredResponse): Promise<void> {
    await runSql(db, completeStatement, [claim.organizationId, claim.key, claim.token, response.statusCode, response.sealedBody, response.headers]);
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
