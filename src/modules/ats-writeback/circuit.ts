// A connection's circuit, shared by everything that calls its ATS (write-backs, read-backs,
// imports, reconciliations): a failure the ATS may get over (429, 5xx, timeout) is counted and
// shown as the connection's last error; the failure that opens the circuit tells the admins, once.
import type { PrismaClient } from '../../db/client.js';
import type { AtsApiError } from '../ats-api/ats-http.js';
import { recordNotifications } from '../notifications/notifications.record.js';
import { writebackRepository } from './writeback.repository.js';

export interface CircuitSettings {
  /** Failures in a row that open it. */
  failures: number;
  /** How long it stays open before one probe. */
  openMs: number;
}

export async function recordFailedCall(
  db: PrismaClient,
  connection: { id: string; organizationId: string; provider: string },
  error: AtsApiError,
  settings: CircuitSettings,
  at: Date,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await writebackRepository.recordConnectionError(tx, connection.id, error.message, at);
    const opened = await writebackRepository.callFailed(tx, connection.id, settings.failures, new Date(at.getTime() + settings.openMs));
    if (!opened) return;
    await recordNotifications(
      tx,
      connection.organizationId,
      [
        {
          type: 'ats_unreachable',
          subjectKind: 'organization',
          subjectId: connection.organizationId,
          detail: { kind: connection.provider },
          dedupeKey: `ats_unreachable.${connection.id}.${at.getTime()}`,
          audience: 'admins',
        },
      ],
      at,
    );
  });
}
