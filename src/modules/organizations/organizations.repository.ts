import type { DbClient } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { ApiKeyKind, ApiScope } from '../../generated/prisma/enums.js';
import type { PageRequest } from '../../lib/pagination.js';
import { runSql, statement } from '../../db/sql.js';
import type { CompletedClaim } from '../../lib/idempotency.js';
import { idempotencyRepository, onceStatement } from '../idempotency/idempotency.repository.js';

const apiKeyColumns = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  kind: true,
  userId: true,
} as const;

/** A key as its creation answers it: every column made in the app before the insert. */
export interface MadeApiKeyRow extends ApiKeyRow {
  organizationId: string;
  hash: string;
}
const madeApiKeyValues = (row: MadeApiKeyRow) => [row.id, row.organizationId, row.name, row.prefix, row.hash, row.scopes, row.kind, row.userId, row.createdAt];

export interface NewApiKeyRow {
  organizationId: string;
  name: string;
  prefix: string;
  hash: string;
  scopes: ApiScope[];
  kind?: ApiKeyKind;
  userId?: string;
}

/** The organization's message settings: undo window, four-eyes, send policy, link lifetime. */
export const organizationSettingsColumns = {
  undoWindowMinutes: true,
  fourEyesApproval: true,
  sendHourStart: true,
  sendHourEnd: true,
  sendWeekdaysOnly: true,
  hoursAfterInterview: true,
  feedbackLinkDays: true,
} as const;

/**
 * organizationColumns in SQL, for the read every authenticated GET /v1/organization makes. The
 * row comes back as one JSON value: pg's per-column work (a parser per field, the row object built
 * field by field) cost more than the query's own round trip on the client side (~40-80 us vs
 * ~30-45 us per read, measured), and JSON.parse does it in one step. Only createdAt needs turning
 * back into a Date (truncated to the millisecond, as pg's own timestamp parser does).
 */
const organizationById = statement(
  'organization-by-id-json',
  `SELECT row_to_json(t) AS row FROM (SELECT o.id, o.name, o.undo_window_minutes AS "undoWindowMinutes", o.four_eyes_approval AS "fourEyesApproval",
          o.send_hour_start AS "sendHourStart", o.send_hour_end AS "sendHourEnd", o.send_weekdays_only AS "sendWeekdaysOnly",
          o.hours_after_interview AS "hoursAfterInterview", o.feedback_link_days AS "feedbackLinkDays", o.reply_to_email AS "replyToEmail",
          o.track_opens AS "trackOpens", o.silence_business_days AS "silenceBusinessDays", o.ats_plan_expiry_hours AS "atsPlanExpiryHours",
          o.acknowledge_applications AS "acknowledgeApplications", o.auto_approve_status_updates AS "autoApproveStatusUpdates",
          o.accent_color AS "accentColor", o.privacy_policy_url AS "privacyPolicyUrl", o.careers_url AS "careersUrl", o.formality,
          CASE WHEN l.organization_id IS NULL THEN NULL
               ELSE json_build_object('sha256', l.sha256, 'contentType', l.content_type, 'width', l.width, 'height', l.height) END AS logo,
          o.created_at AS "createdAt"
   FROM organizations o LEFT JOIN organization_logos l ON l.organization_id = o.id
   WHERE o.id = $1::uuid) t`,
);

const organizationColumns = {
  id: true,
  name: true,
  ...organizationSettingsColumns,
  replyToEmail: true,
  trackOpens: true,
  silenceBusinessDays: true,
  atsPlanExpiryHours: true,
  acknowledgeApplications: true,
  autoApproveStatusUpdates: true,
  accentColor: true,
  privacyPolicyUrl: true,
  careersUrl: true,
  formality: true,
  logo: { select: { sha256: true, contentType: true, width: true, height: true } },
  createdAt: true,
} as const;

/** An API key row made in the app (id and time included), inserted only while its organization exists. */
const insertApiKeyText = (from: string) =>
  `INSERT INTO api_keys (id, organization_id, name, prefix, hash, scopes, kind, user_id, created_at)
   SELECT $1::uuid, o.id, $3::text, $4::text, $5::text, $6::api_scope[], $7::api_key_kind, $8::uuid, $9::timestamptz FROM ${from} WHERE o.id = $2::uuid`;
const insertApiKey = statement('api-key-insert', `${insertApiKeyText('organizations o')} RETURNING 1`);
/** The same, with its Idempotency-Key record and response (idempotency.repository.ts, onceStatement). */
const insertApiKeyOnce = onceStatement('api-key-insert-once', { api_key: insertApiKeyText('organizations o, claimed') });

/** What findOrganization and readOrganization return. */
export type OrganizationRow = Prisma.OrganizationGetPayload<{ select: typeof organizationColumns }>;
export type ApiKeyRow = Prisma.ApiKeyGetPayload<{ select: typeof apiKeyColumns }>;

export const organizationsRepository = {
  /** The organization's logo, replaced whole (one per organization). */
  putLogo(db: DbClient, organizationId: string, logo: { contentType: string; bytes: Uint8Array<ArrayBuffer>; sha256: string; width: number; height: number }) {
    return db.organizationLogo.upsert({
      where: { organizationId },
      create: { organizationId, ...logo },
      update: logo,
      select: { sha256: true, contentType: true, width: true, height: true },
    });
  },

  deleteLogo: (db: DbClient, organizationId: string) => db.organizationLogo.deleteMany({ where: { organizationId } }),

  /** The bytes behind a logo URL: any organization's, since the hash names the content itself. */
  logoBySha256: (db: DbClient, sha256: string) => db.organizationLogo.findFirst({ where: { sha256 }, select: { contentType: true, bytes: true } }),

  createOrganization(db: DbClient, name: string) {
    return db.organization.create({ data: { name }, select: organizationColumns });
  },

  /** Hours a plan made from an ATS event waits for confirmation. */
  atsPlanExpiryHours: async (db: DbClient, id: string) => (await db.organization.findUniqueOrThrow({ where: { id }, select: { atsPlanExpiryHours: true } })).atsPlanExpiryHours,

  findOrganization(db: DbClient, id: string) {
    return db.organization.findUnique({ where: { id }, select: organizationColumns });
  },

  /** The same row as findOrganization, in one named statement (the hot read of every organization page). */
  async readOrganization(db: DbClient, id: string): Promise<OrganizationRow | null> {
    const [found] = await runSql<{ row: Omit<OrganizationRow, 'createdAt'> & { createdAt: string } }>(db, organizationById, [id]);
    return found ? { ...found.row, createdAt: new Date(found.row.createdAt) } : null;
  },

  updateOrganization(db: DbClient, id: string, data: Prisma.OrganizationUpdateInput) {
    return db.organization.update({ where: { id }, data, select: organizationColumns });
  },

  listOrganizations(db: DbClient) {
    return db.organization.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, createdAt: true } });
  },

  createApiKey(db: DbClient, row: NewApiKeyRow) {
    return db.apiKey.create({ data: row, select: apiKeyColumns });
  },

  /** A key made in the app, in one statement; false when the organization does not exist. */
  async insertApiKey(db: DbClient, row: MadeApiKeyRow): Promise<boolean> {
    return (await runSql(db, insertApiKey, madeApiKeyValues(row))).length > 0;
  },

  /** The same under an Idempotency-Key, with its completed record, or what the record holding the key decides. */
  insertApiKeyOnce: (db: DbClient, row: MadeApiKeyRow, completed: CompletedClaim) => idempotencyRepository.writeOnce(db, insertApiKeyOnce, completed, madeApiKeyValues(row)),

  /** The key with this hash, with what authentication needs. */
  findApiKeyByHash(db: DbClient, hash: string) {
    return db.apiKey.findUnique({
      where: { hash },
      select: {
        id: true,
        organizationId: true,
        scopes: true,
        revokedAt: true,
        lastUsedAt: true,
        kind: true,
        user: { select: { id: true, role: true, deactivatedAt: true } },
      },
    });
  },

  findApiKey(db: DbClient, organizationId: string, id: string) {
    return db.apiKey.findFirst({ where: { id, organizationId }, select: apiKeyColumns });
  },

  /** The organization's keys, or (with `userId`) that person's personal keys. */
  listApiKeys(db: DbClient, organizationId: string, page: PageRequest, userId?: string) {
    return db.apiKey.findMany({
      where: { organizationId, ...(userId ? { userId } : {}), ...(page.after ? { id: { gt: page.after } } : {}) },
      orderBy: { id: 'asc' },
      take: page.take,
      select: apiKeyColumns,
    });
  },

  /** Revokes once: a second call keeps the first revocation time. With `userId`, only that person's key. */
  async revokeApiKey(db: DbClient, organizationId: string, id: string, at: Date, userId?: string) {
    const owned = { id, organizationId, ...(userId ? { userId } : {}) };
    await db.apiKey.updateMany({ where: { ...owned, revokedAt: null }, data: { revokedAt: at } });
    return db.apiKey.findFirst({ where: owned, select: apiKeyColumns });
  },

  /** Ids of a person's keys (their caches are dropped when the person's rights change). */
  async apiKeyIdsOf(db: DbClient, userId: string) {
    return (await db.apiKey.findMany({ where: { userId }, select: { id: true } })).map((k) => k.id);
  },

  /** Records use at most once a minute per key, so reads do not each cost a write. */
  touchApiKey(db: DbClient, id: string, at: Date) {
    return db.apiKey.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(at.getTime() - 60_000) } }] },
      data: { lastUsedAt: at },
    });
  },

  /** Delivered at commit to every API process listening on the channel (their key caches). */
  notifyKeyChanged: (db: DbClient, channel: string, keyId: string) => db.$executeRaw`SELECT pg_notify(${channel}, ${keyId})`,
};
