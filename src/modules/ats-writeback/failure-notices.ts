// What ended for good without the ATS learning it, told to the organization's admins in the
// transaction that records the failure: a write-back `failed` (a refusal, no mapped reason,
// retries used up, no credentials, an application the ATS no longer has) and an import or a
// webhook registration `failed`. The admins hear it once a day per connection (and, for setup,
// per kind): a broken reason map fails every rejection sent, and one notification with a count
// says as much as a hundred. Failures the ATS may get over are not told here: they are retried,
// and the circuit (circuit.ts) tells when they repeat.
import type { DbClient } from '../../db/client.js';
import { recordNotifications } from '../notifications/notifications.record.js';

interface FailedConnection {
  id: string;
  organizationId: string;
  provider: string;
}

const day = (at: Date) => at.toISOString().slice(0, 10);

/** A write-back (a rejection, a note, an erasure) ended `failed`. */
export async function noticeWritebackFailed(tx: DbClient, connection: FailedConnection, action: string, at: Date): Promise<void> {
  await recordNotifications(
    tx,
    connection.organizationId,
    [
      {
        type: 'ats_writeback_failed',
        subjectKind: 'ats_connection',
        subjectId: connection.id,
        detail: { kind: connection.provider, code: action },
        dedupeKey: `ats_writeback_failed.${connection.id}.${day(at)}`,
        countRepeats: true,
        audience: 'admins',
      },
    ],
    at,
  );
}

/** An import, or the registration of the connection's webhooks, ended `failed`. */
export async function noticeSetupFailed(tx: DbClient, connection: FailedConnection, what: 'import' | 'webhooks', at: Date): Promise<void> {
  await recordNotifications(
    tx,
    connection.organizationId,
    [
      {
        type: 'ats_setup_failed',
        subjectKind: 'ats_connection',
        subjectId: connection.id,
        detail: { kind: connection.provider, code: what },
        dedupeKey: `ats_setup_failed.${what}.${connection.id}.${day(at)}`,
        countRepeats: true,
        audience: 'admins',
      },
    ],
    at,
  );
}
