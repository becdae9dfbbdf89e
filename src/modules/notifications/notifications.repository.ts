// The notifications tables (a person's notifications, their email preference) and what routing and
// the reminders read from elsewhere: requisition members, admins, pending plans and data requests.
// The only Prisma code of the module.
import type { DbClient } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../lib/pagination.js';
import { seesAll, type RequisitionScope } from '../../lib/requisition-scope.js';

export interface Recipient {
  id: string;
  /** The stored preference, when the person set one. */
  preference: { email: string; types: unknown } | null;
}

export interface NewNotification {
  organizationId: string;
  userId: string;
  type: string;
  subjectKind: string;
  subjectId: string;
  requisitionId: string | null;
  detail: Prisma.InputJsonValue;
  dueAt: Date | null;
  dedupeKey: string | null;
  createdAt: Date;
}

export interface NotificationFilter {
  unread?: boolean | undefined;
  type?: string | undefined;
}

const notificationColumns = {
  id: true,
  type: true,
  subjectKind: true,
  subjectId: true,
  requisitionId: true,
  detail: true,
  dueAt: true,
  createdAt: true,
  readAt: true,
} as const;

const recipientColumns = { id: true, notificationPreference: { select: { email: true, types: true } } } as const;
const toRecipient = (u: { id: string; notificationPreference: { email: string; types: unknown } | null }): Recipient => ({ id: u.id, preference: u.notificationPreference });

/** Signed in at least once, not deactivated. */
const active = { activatedAt: { not: null }, deactivatedAt: null } as const;

/**
 * What a person may see of their notifications now: those about no requisition, and those about a
 * requisition they still see (a member removed from one, or an admin made a recruiter, no longer
 * sees what was said about it).
 */
export const visibleIn = (scope: RequisitionScope): Prisma.NotificationWhereInput =>
  seesAll(scope) ? {} : { OR: [{ requisitionId: null }, { requisitionId: { in: [...scope] } }] };

/** A reader's scope from their role and memberships, as the API resolves it for a request. */
export const scopeOfReader = (user: { role: string; requisitions: { requisitionId: string }[] }): RequisitionScope =>
  user.role === 'admin' ? 'all' : user.requisitions.map((m) => m.requisitionId);
const readerScopeColumns = { role: true, requisitions: { select: { requisitionId: true } } } as const;

/** Notification types that remind once per subject. */
type ReminderType = 'plan_expiring' | 'data_request_due' | 'offer_hold_long';

export const notificationsRepository = {
  /** The requisition's active members whose role acts on it (a viewer only reads). */
  members: async (db: DbClient, organizationId: string, requisitionId: string) =>
    (
      await db.user.findMany({
        where: { organizationId, ...active, role: { not: 'viewer' }, requisitions: { some: { requisitionId } } },
        select: recipientColumns,
        orderBy: { id: 'asc' },
      })
    ).map(toRecipient),

  admins: async (db: DbClient, organizationId: string) =>
    (await db.user.findMany({ where: { organizationId, ...active, role: 'admin' }, select: recipientColumns, orderBy: { id: 'asc' } })).map(toRecipient),

  reader: (db: DbClient, organizationId: string, userId: string) => db.user.findFirst({ where: { id: userId, organizationId }, select: { language: true, timeZone: true } }),

  messageRequisition: (db: DbClient, messageId: string) => db.message.findUnique({ where: { id: messageId }, select: { requisitionId: true } }),

  /** A data request's legal due date, as the data-rights module set it. */
  dataRequestDueAt: async (db: DbClient, id: string) => (await db.dataRequest.findUnique({ where: { id }, select: { dueAt: true } }))?.dueAt ?? null,

  /** Stores new notifications; one already stored for the same person and dedupe key is skipped. */
  insert: (db: DbClient, rows: NewNotification[]) =>
    rows.length === 0 ? Promise.resolve([]) : db.notification.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true, userId: true, type: true } }),

  /** Adds one to `detail.count` of the notifications stored under these keys (a condition that happened again). */
  countRepeats: (db: DbClient, userIds: string[], dedupeKeys: string[]) =>
    db.$executeRaw`UPDATE notifications SET detail = jsonb_set(detail, '{count}', to_jsonb(coalesce((detail->>'count')::int, 1) + 1))
      WHERE user_id = ANY(${userIds}::uuid[]) AND dedupe_key = ANY(${dedupeKeys}::text[])`,

  list: (db: DbClient, userId: string, scope: RequisitionScope, filter: NotificationFilter, page: PageRequest) =>
    db.notification.findMany({
      where: {
        userId,
        ...visibleIn(scope),
        ...(filter.unread === true ? { readAt: null } : filter.unread === false ? { readAt: { not: null } } : {}),
        ...(filter.type ? { type: filter.type } : {}),
        ...(page.after ? { id: { lt: page.after } } : {}),
      },
      // Newest first: the list a person opens starts with what just happened.
      orderBy: { id: 'desc' },
      take: page.take,
      select: notificationColumns,
    }),

  find: (db: DbClient, userId: string, scope: RequisitionScope, id: string) =>
    db.notification.findFirst({ where: { id, userId, ...visibleIn(scope) }, select: notificationColumns }),

  /** Everyone's unread notifications of these types about a subject, read now (the thing was dealt with). */
  resolve: (db: DbClient, organizationId: string, subjectIds: string[], types: string[], at: Date) =>
    db.notification.updateMany({ where: { organizationId, subjectId: { in: subjectIds }, type: { in: types }, readAt: null }, data: { readAt: at } }),

  markRead: (db: DbClient, userId: string, id: string, at: Date) => db.notification.updateMany({ where: { id, userId, readAt: null }, data: { readAt: at } }),

  /** Every unread one, or those up to and including `upToId` (ids grow with time). */
  markAllRead: (db: DbClient, userId: string, scope: RequisitionScope, upToId: string | undefined, at: Date) =>
    db.notification.updateMany({ where: { userId, readAt: null, ...visibleIn(scope), ...(upToId ? { id: { lte: upToId } } : {}) }, data: { readAt: at } }),

  unreadCount: (db: DbClient, userId: string, scope: RequisitionScope) => db.notification.count({ where: { userId, readAt: null, ...visibleIn(scope) } }),

  preference: (db: DbClient, userId: string) => db.notificationPreference.findUnique({ where: { userId }, select: { email: true, types: true, updatedAt: true } }),

  savePreference: (db: DbClient, organizationId: string, userId: string, email: string, types: Prisma.InputJsonValue) =>
    db.notificationPreference.upsert({
      where: { userId },
      create: { userId, organizationId, email, types },
      update: { email, types },
      select: { email: true, types: true, updatedAt: true },
    }),

  /** What one email needs: the notification, its reader, and their preference. */
  forEmail: (db: DbClient, id: string) =>
    db.notification.findUnique({
      where: { id },
      select: {
        ...notificationColumns,
        organizationId: true,
        emailedAt: true,
        user: { select: { email: true, name: true, language: true, timeZone: true, activatedAt: true, deactivatedAt: true, notificationPreference: true, ...readerScopeColumns } },
      },
    }),

  /** Takes the email for this attempt; none other sends it after (`emailedAt` set). */
  claimEmail: async (db: DbClient, id: string, at: Date) => (await db.notification.updateMany({ where: { id, emailedAt: null }, data: { emailedAt: at } })).count === 1,

  /** The email did not leave: the notification stays in-app, and a digest may still gather it. */
  releaseEmail: (db: DbClient, id: string) => db.notification.updateMany({ where: { id }, data: { emailedAt: null } }),

  /** Active people with a digest (for everything, or for some types) and something not yet gathered. */
  digestReaders: (db: DbClient) =>
    db.user.findMany({
      where: {
        ...active,
        // Per-type choices may ask a digest for some types: such people are looked at too.
        notificationPreference: { OR: [{ email: 'daily_digest' }, { NOT: { types: { equals: {} } } }] },
        notifications: { some: { digestedAt: null, emailedAt: null } },
      },
      select: {
        id: true,
        organizationId: true,
        email: true,
        name: true,
        language: true,
        timeZone: true,
        notificationPreference: { select: { email: true, types: true, lastDigestOn: true } },
        ...readerScopeColumns,
      },
      orderBy: { id: 'asc' },
    }),

  /** Unread, not yet gathered and not emailed on their own, created before `before`. */
  digestItems: (db: DbClient, userId: string, scope: RequisitionScope, before: Date) =>
    db.notification.findMany({
      where: { userId, digestedAt: null, emailedAt: null, readAt: null, createdAt: { lt: before }, ...visibleIn(scope) },
      orderBy: { id: 'asc' },
      take: 200,
      select: notificationColumns,
    }),

  /** The digest of `localDate` is done: everything before `before` counts as gathered. Conditional, so two workers send it once. */
  claimDigest: async (db: DbClient, userId: string, localDate: string) =>
    (
      await db.notificationPreference.updateMany({
        where: { userId, OR: [{ lastDigestOn: null }, { lastDigestOn: { lt: localDate } }] },
        data: { lastDigestOn: localDate },
      })
    ).count === 1,

  markDigested: (db: DbClient, userId: string, before: Date, at: Date) =>
    db.notification.updateMany({ where: { userId, digestedAt: null, createdAt: { lt: before } }, data: { digestedAt: at } }),

  /**
   * Pending plans made from an ATS event whose reminder time came (`lead` before they expire,
   * at most half their life) and that have no reminder yet.
   */
  plansToRemind: (db: DbClient, now: Date, leadMs: number) =>
    db.$queryRaw<{ id: string; organizationId: string; requisitionId: string; expiresAt: Date }[]>`
      SELECT p.id, p.organization_id AS "organizationId", p.requisition_id AS "requisitionId", p.expires_at AS "expiresAt"
      FROM decision_plans p
      WHERE p.status = 'pending' AND p.created_by LIKE 'ats:%' AND p.expires_at > ${now}
        AND p.expires_at - LEAST(make_interval(secs => ${leadMs / 1000}), (p.expires_at - p.created_at) / 2) <= ${now}
        AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.subject_id = p.id AND n.type = ${'plan_expiring' satisfies ReminderType})
      ORDER BY p.expires_at
      LIMIT 500`,

  /** Pending data requests due before `dueBefore` (their reminder time came) with no reminder yet. */
  dataRequestsToRemind: (db: DbClient, dueBefore: Date) =>
    db.$queryRaw<{ id: string; organizationId: string; kind: string; dueAt: Date }[]>`
      SELECT d.id, d.organization_id AS "organizationId", d.kind, d.due_at AS "dueAt"
      FROM data_requests d
      WHERE d.status = 'pending' AND d.due_at <= ${dueBefore}
        AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.subject_id = d.id AND n.type = ${'data_request_due' satisfies ReminderType})
      ORDER BY d.created_at
      LIMIT 500`,

  /**
   * Plans whose runner-ups' rejections have waited for the offer's answer since before `heldBefore`
   * (held `offer_not_accepted`), with how many, and no reminder yet.
   */
  offerHoldsToRemind: (db: DbClient, heldBefore: Date) =>
    db.$queryRaw<{ planId: string; organizationId: string; requisitionId: string; count: number; heldSince: Date }[]>`
      SELECT m.plan_id AS "planId", m.organization_id AS "organizationId", m.requisition_id AS "requisitionId", count(*)::int AS count,
             min(e.held_at) AS "heldSince"
      FROM messages m
      JOIN LATERAL (SELECT max(occurred_at) AS held_at FROM message_events WHERE message_id = m.id AND type = 'held') e ON true
      WHERE m.status = 'held' AND m.failure_code = 'offer_not_accepted' AND m.plan_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.subject_id = m.plan_id AND n.type = ${'offer_hold_long' satisfies ReminderType})
      GROUP BY m.plan_id, m.organization_id, m.requisition_id
      HAVING min(e.held_at) <= ${heldBefore}
      ORDER BY min(e.held_at)
      LIMIT 500`,
};
