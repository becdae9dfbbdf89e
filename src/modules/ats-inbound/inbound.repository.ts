// SQL of the ATS webhooks: connections, the log of what arrived, and the facts applying a
// delivery needs about messages and plans. Every function takes the transaction it runs in, so
// the services decide what commits together (a stored delivery and its job, say).
import { newId } from '../../lib/ids.js';
import type { DbClient } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../lib/pagination.js';
import { fromStates } from '../messages/message-states.js';

/** Messages that have not left and can still be stopped: an un-reject or un-hire stops them before they reach anyone. */
const PENDING_MESSAGES = fromStates('cancel');

/** What the API shows of a connection: never its secret. */
const connectionColumns = {
  id: true,
  provider: true,
  name: true,
  enabled: true,
  settings: true,
  createdAt: true,
  verifiedAt: true,
  lastError: true,
  lastErrorAt: true,
  reasonMap: true,
  consecutiveFailures: true,
  circuitOpenUntil: true,
  importState: true,
  lastImportAt: true,
  lastReconciledAt: true,
  webhookRegistrations: true,
} as const;
export type ConnectionRow = Prisma.AtsConnectionGetPayload<{ select: typeof connectionColumns }>;

/**
 * What the API shows of a delivery: the headers are kept for inspection in the database only, and
 * the body (candidates' details) goes to admin keys only.
 */
const summaryColumns = { id: true, connectionId: true, eventType: true, dedupeKey: true, status: true, outcome: true, receivedAt: true, processedAt: true } as const;
const deliveryColumns = { ...summaryColumns, rawBody: true } as const;

export interface DeliveryFilter {
  connectionId?: string | undefined;
  status?: string | undefined;
}

export interface NewDelivery {
  organizationId: string;
  connectionId: string;
  dedupeKey: string;
  eventType: string;
  status: 'received' | 'rejected';
  outcome: string | null;
  headers: unknown;
  rawBody: string;
  receivedAt: Date;
}

/** Text PostgreSQL accepts: U+0000 and lone surrogates become U+FFFD. */
const storableText = (text: string) => text.replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

export const inboundRepository = {
  createConnection: (db: DbClient, data: Prisma.AtsConnectionUncheckedCreateInput) => db.atsConnection.create({ data, select: connectionColumns }),

  listConnections: (db: DbClient, organizationId: string, page: PageRequest) =>
    db.atsConnection.findMany({ where: { organizationId, ...(page.after ? { id: { gt: page.after } } : {}) }, orderBy: { id: 'asc' }, take: page.take, select: connectionColumns }),

  /** One of this organization's connections: another's is not found. */
  findConnection: (db: DbClient, organizationId: string, id: string) => db.atsConnection.findFirst({ where: { id, organizationId }, select: connectionColumns }),

  updateConnection: (db: DbClient, id: string, data: Prisma.AtsConnectionUpdateInput) => db.atsConnection.update({ where: { id }, data, select: connectionColumns }),

  deleteConnection: (db: DbClient, id: string) => db.atsConnection.delete({ where: { id } }),

  /** A connection with its sealed secret, by id alone: the receiving end knows no organization. */
  connection: (db: DbClient, id: string) => db.atsConnection.findUnique({ where: { id } }),

  listDeliveries: (db: DbClient, organizationId: string, filter: DeliveryFilter, page: PageRequest, { withRawBody }: { withRawBody: boolean }) =>
    db.inboundDelivery.findMany({
      where: {
        organizationId,
        ...(filter.connectionId ? { connectionId: filter.connectionId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(page.after ? { id: { gt: page.after } } : {}),
      },
      orderBy: { id: 'asc' },
      take: page.take,
      select: withRawBody ? deliveryColumns : summaryColumns,
    }),

  /** Stores a delivery; null when the connection has its dedupe key already (a provider's retry). */
  async insertDelivery(db: DbClient, row: NewDelivery): Promise<string | null> {
    const rows = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO inbound_deliveries (id, organization_id, connection_id, dedupe_key, event_type, status, outcome, headers, raw_body, received_at)
      VALUES (${newId()}::uuid, ${row.organizationId}::uuid, ${row.connectionId}::uuid, ${row.dedupeKey}, ${row.eventType}, ${row.status}, ${row.outcome},
              ${JSON.stringify(row.headers)}::jsonb, ${row.rawBody}, ${row.receivedAt})
      ON CONFLICT (connection_id, dedupe_key) DO NOTHING RETURNING id`;
    return rows[0]?.id ?? null;
  },

  /** Remembers a replay key for good; false when the connection had it already. */
  rememberReplayKey: async (db: DbClient, connectionId: string, replayKey: string, at: Date) =>
    (await db.inboundReplayKey.createMany({ data: [{ connectionId, replayKey, acceptedAt: at }], skipDuplicates: true })).count === 1,

  delivery: (db: DbClient, id: string) => db.inboundDelivery.findUnique({ where: { id } }),

  /** One of this organization's deliveries, as a replay judges it. */
  findDelivery: (db: DbClient, organizationId: string, id: string) =>
    db.inboundDelivery.findFirst({ where: { id, organizationId }, select: { status: true, outcome: true, connectionId: true } }),

  /** Deletes the connection's refusals older than its latest `keep`. */
  pruneRefusals: (db: DbClient, connectionId: string, keep: number) =>
    db.$executeRaw`
      DELETE FROM inbound_deliveries
      WHERE connection_id = ${connectionId}::uuid AND status = 'rejected' AND id < (
        SELECT id FROM inbound_deliveries WHERE connection_id = ${connectionId}::uuid AND status = 'rejected'
        ORDER BY id DESC OFFSET ${keep - 1} LIMIT 1)`,

  deliveryStatus: async (db: DbClient, id: string) => (await db.inboundDelivery.findUnique({ where: { id }, select: { status: true } }))?.status ?? null,

  deliveryView: (db: DbClient, id: string) => db.inboundDelivery.findUniqueOrThrow({ where: { id }, select: deliveryColumns }),

  /** Locks a delivery still `received` for the transaction; false when it is not (applied meanwhile). */
  lockReceived: async (db: DbClient, id: string) =>
    (await db.$queryRaw<{ id: string }[]>`SELECT id FROM inbound_deliveries WHERE id = ${id}::uuid AND status = 'received' FOR UPDATE`).length === 1,

  /** Records what applying did, if the delivery is still `received`. The outcome may quote the payload: made storable, and cut to its column. */
  finishDelivery: (db: DbClient, id: string, result: { status: string; outcome: string }, at: Date) =>
    db.inboundDelivery.updateMany({ where: { id, status: 'received' }, data: { status: result.status, outcome: storableText(result.outcome).slice(0, 2000), processedAt: at } }),

  /** Back to `received` if still in one of `from`: how many moved, 0 or 1. */
  reopenDelivery: async (db: DbClient, id: string, from: string[]) =>
    (await db.inboundDelivery.updateMany({ where: { id, status: { in: from } }, data: { status: 'received', outcome: null, processedAt: null } })).count,

  /** Forgets deliveries received before `before`; how many. */
  purgeDeliveries: async (db: DbClient, before: Date) => (await db.inboundDelivery.deleteMany({ where: { receivedAt: { lt: before } } })).count,

  pendingMessages: (db: DbClient, organizationId: string, applicationId: string) =>
    db.message.findMany({ where: { organizationId, applicationId, status: { in: [...PENDING_MESSAGES] } }, select: { id: true, status: true } }),

  async pendingRejectionMessage(db: DbClient, organizationId: string, applicationId: string): Promise<boolean> {
    const message = await db.message.findFirst({
      where: { organizationId, applicationId, action: 'reject', status: { in: [...PENDING_MESSAGES] } },
      select: { id: true },
    });
    return message !== null;
  },

  /**
   * A pending, unexpired plan of the requisition that would reject this application. Items are
   * `json` (stored whole for speed), so each candidate plan's list is converted to jsonb here: only
   * the requisition's pending plans, which ATS events make one or a few items long.
   */
  async pendingRejectionPlan(db: DbClient, organizationId: string, application: { id: string; requisitionId: string }, now: Date): Promise<boolean> {
    const item = JSON.stringify([{ applicationId: application.id, action: 'reject' }]);
    const plans = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM decision_plans
      WHERE organization_id = ${organizationId}::uuid AND requisition_id = ${application.requisitionId}::uuid
        AND status = 'pending' AND expires_at > ${now} AND (items -> 'items')::jsonb @> ${item}::jsonb
      LIMIT 1`;
    return plans.length > 0;
  },
};
