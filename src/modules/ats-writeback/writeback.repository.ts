// SQL of the ATS write-back: a connection's API credentials and health, its reason map, and the
// write-back rows (one per sent rejection and application) with every step they took.
import type { DbClient } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../lib/pagination.js';
import { atsProviders } from '../ats-api/ats-client.js';
import type { WritebackStep } from './writeback.schemas.js';

const activityColumns = {
  id: true,
  applicationId: true,
  action: true,
  subjectId: true,
  messageId: true,
  externalApplicationId: true,
  status: true,
  attempts: true,
  steps: true,
  lastError: true,
  createdAt: true,
  completedAt: true,
} as const;

export interface NewWriteback {
  organizationId: string;
  connectionId: string;
  applicationId: string;
  externalApplicationId: string;
  action: 'rejection' | 'note' | 'erasure';
  subjectId: string;
  messageId: string | null;
  note: string | null;
}

export const writebackRepository = {
  /** With its sealed credentials: the service alone opens them. */
  connection: (db: DbClient, organizationId: string, id: string) => db.atsConnection.findFirst({ where: { id, organizationId } }),

  connectionById: (db: DbClient, id: string) => db.atsConnection.findUnique({ where: { id } }),

  updateConnection: (db: DbClient, id: string, data: Prisma.AtsConnectionUpdateInput) => db.atsConnection.update({ where: { id }, data, select: { id: true } }),

  /**
   * The circuit before a call: `closed`, `open` until a time, or `probe` — the open time passed
   * and this caller won the one call that tests the ATS again (the circuit stays open for the
   * others meanwhile).
   */
  async circuit(db: DbClient, id: string, now: Date, openMs: number): Promise<{ state: 'closed' | 'probe' } | { state: 'open'; until: Date }> {
    const row = await db.atsConnection.findUnique({ where: { id }, select: { circuitOpenUntil: true } });
    const until = row?.circuitOpenUntil ?? null;
    if (until === null) return { state: 'closed' };
    if (until > now) return { state: 'open', until };
    const next = new Date(now.getTime() + openMs);
    const won = await db.atsConnection.updateMany({ where: { id, circuitOpenUntil: until }, data: { circuitOpenUntil: next } });
    return won.count === 1 ? { state: 'probe' } : { state: 'open', until: next };
  },

  /** A call the ATS answered: the failures in a row end, the circuit closes. */
  callSucceeded: (db: DbClient, id: string) =>
    db.atsConnection.updateMany({
      where: { id, OR: [{ consecutiveFailures: { gt: 0 } }, { circuitOpenUntil: { not: null } }] },
      data: { consecutiveFailures: 0, circuitOpenUntil: null },
    }),

  /** A call that failed in a way the ATS may get over; true when this failure opened the circuit. */
  async callFailed(db: DbClient, id: string, threshold: number, openUntil: Date): Promise<boolean> {
    const rows = await db.$queryRaw<{ opened: boolean }[]>`
      WITH before AS (SELECT id, circuit_open_until FROM ats_connections WHERE id = ${id}::uuid FOR UPDATE)
      UPDATE ats_connections c SET
        consecutive_failures = c.consecutive_failures + 1,
        circuit_open_until = CASE WHEN c.circuit_open_until IS NULL AND c.consecutive_failures + 1 >= ${threshold} THEN ${openUntil} ELSE c.circuit_open_until END
      FROM before WHERE c.id = before.id
      RETURNING before.circuit_open_until IS NULL AND c.circuit_open_until IS NOT NULL AS opened`;
    return rows[0]?.opened ?? false;
  },

  recordConnectionError: (db: DbClient, id: string, error: string, at: Date) =>
    db.atsConnection.updateMany({ where: { id }, data: { lastError: error.slice(0, 1000), lastErrorAt: at } }),

  /**
   * For each application, the organization's enabled connection with credentials whose provider
   * holds the application (an external id of that source). The oldest connection of a provider
   * wins; applications from no such ATS are left out.
   */
  async targets(db: DbClient, organizationId: string, applicationIds: string[]) {
    if (applicationIds.length === 0) return [];
    const connections = await db.atsConnection.findMany({
      where: { organizationId, enabled: true, apiCredentials: { not: null }, provider: { in: [...atsProviders] } },
      orderBy: { id: 'asc' },
      select: { id: true, provider: true },
    });
    if (connections.length === 0) return [];
    const byProvider = new Map<string, string>();
    for (const c of connections) if (!byProvider.has(c.provider)) byProvider.set(c.provider, c.id);
    const ids = await db.externalId.findMany({
      where: { organizationId, entity: 'application', entityId: { in: applicationIds }, source: { in: [...byProvider.keys()] } },
      select: { entityId: true, source: true, externalId: true },
    });
    return ids.map((x) => ({ applicationId: x.entityId, connectionId: byProvider.get(x.source)!, externalApplicationId: x.externalId }));
  },

  /** One application per candidate record and connection: what an erasure asks each ATS to anonymize. */
  async erasureTargets(db: DbClient, organizationId: string, candidateIds: string[]) {
    if (candidateIds.length === 0) return [];
    const applications = await db.application.findMany({
      where: { organizationId, candidateId: { in: candidateIds } },
      select: { id: true, candidateId: true },
      orderBy: { id: 'asc' },
    });
    const candidateOf = new Map(applications.map((a) => [a.id, a.candidateId]));
    const seen = new Set<string>();
    return (await writebackRepository.targets(db, organizationId, [...candidateOf.keys()])).filter((t) => {
      const key = `${t.connectionId}:${candidateOf.get(t.applicationId)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },

  /** New write-back rows; the same application, action and subject again is not a second row. Returns the new ids. */
  createWritebacks: async (db: DbClient, rows: NewWriteback[]) =>
    (await db.atsWriteback.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true } })).map((r) => r.id),

  writeback: (db: DbClient, id: string) => db.atsWriteback.findUnique({ where: { id } }),

  /** What the note tells: the message as sent. */
  message: (db: DbClient, id: string) => db.message.findUnique({ where: { id }, select: { id: true, subject: true, sentAt: true, feedback: true } }),

  appendStep: (db: DbClient, id: string, step: WritebackStep) =>
    db.$executeRaw`UPDATE ats_writebacks SET steps = steps || ${JSON.stringify([step])}::jsonb, updated_at = now() WHERE id = ${id}::uuid`,

  finish: (db: DbClient, id: string, status: 'done' | 'failed', at: Date, lastError: string | null) =>
    db.atsWriteback.updateMany({
      where: { id, status: 'pending' },
      data: { status, completedAt: at, claimedUntil: null, nextAttemptAt: null, lastError: lastError?.slice(0, 1000) ?? null },
    }),

  /** Holds a pending write-back for one run until `until`; false when another run holds it (or it is over). */
  claim: async (db: DbClient, id: string, until: Date, now: Date) =>
    (
      await db.atsWriteback.updateMany({
        where: { id, status: 'pending', OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
        data: { claimedUntil: until, nextAttemptAt: null },
      })
    ).count === 1,

  /** Lets go of a write-back without counting a try: its next run is due at `next`. */
  release: (db: DbClient, id: string, next: Date) => db.atsWriteback.updateMany({ where: { id, status: 'pending' }, data: { claimedUntil: null, nextAttemptAt: next } }),

  /** One more try counted, the next one due at `next`; returns the count. */
  countAttempt: async (db: DbClient, id: string, lastError: string, next: (attempts: number) => Date) => {
    const { attempts } = await db.atsWriteback.update({
      where: { id },
      data: { attempts: { increment: 1 }, lastError: lastError.slice(0, 1000), claimedUntil: null },
      select: { attempts: true },
    });
    await db.atsWriteback.update({ where: { id }, data: { nextAttemptAt: next(attempts) } });
    return attempts;
  },

  /**
   * Pending write-backs nothing has touched since `before`, held by no run, with no try due
   * after `before`: their job was lost (a worker killed mid-run, Redis emptied). Marked touched,
   * so the next sweep leaves them to the job it queues.
   */
  async takeStale(db: DbClient, before: Date, now: Date, limit: number): Promise<string[]> {
    const rows = await db.$queryRaw<{ id: string }[]>`
      UPDATE ats_writebacks SET updated_at = ${now}
      WHERE id IN (
        SELECT id FROM ats_writebacks
        WHERE status = 'pending' AND updated_at < ${before}
          AND (claimed_until IS NULL OR claimed_until < ${now})
          AND (next_attempt_at IS NULL OR next_attempt_at < ${before})
        ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id`;
    return rows.map((r) => r.id);
  },

  /** A webhook created or deleted in the ATS, as one finished row of the connection's activity. */
  recordWebhookCall: (
    db: DbClient,
    call: { organizationId: string; connectionId: string; status: 'done' | 'failed'; step: WritebackStep | null; lastError: string | null; at: Date },
  ) =>
    db.atsWriteback.create({
      data: {
        organizationId: call.organizationId,
        connectionId: call.connectionId,
        applicationId: null,
        externalApplicationId: null,
        action: 'webhook',
        subjectId: call.connectionId,
        status: call.status,
        steps: call.step ? [call.step] : [],
        lastError: call.lastError?.slice(0, 1000) ?? null,
        createdAt: call.at,
        completedAt: call.at,
      },
      select: { id: true },
    }),

  activity: (db: DbClient, connectionId: string, page: PageRequest) =>
    db.atsWriteback.findMany({ where: { connectionId, ...(page.after ? { id: { gt: page.after } } : {}) }, orderBy: { id: 'asc' }, take: page.take, select: activityColumns }),
};
