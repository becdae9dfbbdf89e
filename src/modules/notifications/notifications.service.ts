// A person's notifications: their list (read, unread), their email preference, the email of one
// notification (a worker job), the daily digest at their local hour, and the reminders before an
// ATS plan expires or a data request falls due. Emails go through the organization's own Postmark
// (the system mailer); when it cannot send, the notifications stay in the app and nothing retries.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { PrismaClient } from '../../db/client.js';
import type { AuthContext } from '../../lib/actor.js';
import { AppError, found, notFound } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import type { SystemMailer } from '../delivery/system-mail.js';
import { describeNotification, notificationDetailSchema, notificationTypes, subjectKinds } from './notifications.catalogue.js';
import { digestEmail, notificationEmail, type EmailItem } from './notifications.emails.js';
import { DEFAULT_EMAIL_MODE, emailModeFor, emailModeSchema, storedTypeModes, type EmailMode, type TypeModes } from './notifications.preferences.js';
import { recordNotifications } from './notifications.record.js';
import { notificationsRepository as repo, scopeOfReader, type NotificationFilter } from './notifications.repository.js';
import { canSee } from '../../lib/requisition-scope.js';
import { localClock, localHourAt } from './local-time.js';

/** The daily digest leaves at this hour of the reader's day. */
export const DIGEST_HOUR = 8;
/** A plan from an ATS is recalled to its people this long before it expires (at most half its life). */
export const PLAN_REMINDER_LEAD_MS = 24 * 3_600_000;
/** A pending data request is recalled to the admins this many days before its due date. */
export const DATA_REQUEST_REMINDER_DAYS = 7;
/** Days runner-ups' rejections may wait for the chosen candidate's answer to the offer before the requisition's people are reminded. */
export const OFFER_HOLD_REMINDER_DAYS = 7;

type Row = NonNullable<Awaited<ReturnType<typeof repo.find>>>;
interface Reader {
  language: string;
  timeZone: string;
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;

export interface NotificationsServiceDeps {
  db: PrismaClient;
  mailer: Pick<SystemMailer, 'canSend' | 'send'>;
  /** Where the links in the emails point. */
  publicBaseUrl: string;
  logger: Logger;
  now?: () => Date;
}

/** Notifications are a person's: a service key has none. */
function personOf(auth: Pick<AuthContext, 'userId'>): string {
  if (!auth.userId) throw new AppError('not_a_person', 'A service key acts for no person and has no notifications: sign in, or use one of your personal keys');
  return auth.userId;
}

function apiPath(row: Pick<Row, 'type' | 'subjectKind' | 'subjectId'>, detail: { messageId?: string | undefined }): string {
  switch (row.subjectKind) {
    case 'question':
      return detail.messageId ? `/v1/questions?messageId=${detail.messageId}` : '/v1/questions?status=open';
    case 'data_request':
      return '/v1/data-requests?status=pending';
    case 'message':
      return `/v1/messages/${row.subjectId}`;
    case 'plan':
      return row.type === 'approval_waiting' ? '/v1/message-approvals' : `/v1/plans/${row.subjectId}`;
    case 'endpoint':
      return `/v1/webhook-endpoints/${row.subjectId}`;
    case 'application':
      return `/v1/applications/${row.subjectId}`;
    case 'requisition':
      return `/v1/applications?requisitionId=${row.subjectId}&status=active`;
    case 'ats_connection':
      // A write-back's failure is in the activity; an import's or a registration's on the connection (`api`).
      return row.type === 'ats_writeback_failed' ? `/v1/ats-connections/${row.subjectId}/activity` : `/v1/ats-connections/${row.subjectId}`;
    default:
      return '/v1/organization/postmark';
  }
}

export function createNotificationsService({ db, mailer, publicBaseUrl, logger, now = () => new Date() }: NotificationsServiceDeps) {
  function view(row: Row, reader: Reader) {
    const detail = notificationDetailSchema.safeParse(row.detail).data ?? {};
    const { title, summary } = describeNotification({ type: row.type, detail, dueAt: row.dueAt }, reader);
    return {
      id: row.id,
      type: z.enum(notificationTypes).parse(row.type),
      title,
      summary,
      link: { kind: z.enum(subjectKinds).parse(row.subjectKind), id: row.subjectId, apiPath: apiPath(row, detail) },
      requisitionId: row.requisitionId,
      dueAt: row.dueAt,
      createdAt: row.createdAt,
      readAt: row.readAt,
    };
  }

  const emailItem = (row: Row, reader: Reader): EmailItem => {
    const shown = view(row, reader);
    return { title: shown.title, summary: shown.summary, url: new URL(shown.link.apiPath, publicBaseUrl).toString() };
  };

  const readerOf = async (auth: Pick<AuthContext, 'userId' | 'organizationId'>) => {
    const userId = personOf(auth);
    return { userId, reader: found(await repo.reader(db, auth.organizationId, userId), 'User') };
  };

  const preferencesView = (stored: { email: string; types: unknown } | null) => ({
    email: emailModeSchema.safeParse(stored?.email).data ?? DEFAULT_EMAIL_MODE,
    types: storedTypeModes(stored?.types ?? {}),
    digestHour: DIGEST_HOUR,
  });

  return {
    /** The caller's notifications, newest first. */
    async list(auth: AuthContext, filter: NotificationFilter, query: PageQuery) {
      const { userId, reader } = await readerOf(auth);
      const page = pageRequest(query);
      const rows = await repo.list(db, userId, auth.requisitions, filter, page);
      return toPage(
        rows.map((row) => view(row, reader)),
        page,
      );
    },

    async markRead(auth: AuthContext, id: string) {
      // A service key has no notifications: none of them is its to read.
      if (!auth.userId) throw notFound('Notification');
      const { userId, reader } = await readerOf(auth);
      found(await repo.find(db, userId, auth.requisitions, id), 'Notification');
      await repo.markRead(db, userId, id, now());
      return view(found(await repo.find(db, userId, auth.requisitions, id), 'Notification'), reader);
    },

    async markAllRead(auth: AuthContext, upToId: string | undefined) {
      const userId = personOf(auth);
      const { count } = await repo.markAllRead(db, userId, auth.requisitions, upToId, now());
      return { marked: count, unread: await repo.unreadCount(db, userId, auth.requisitions) };
    },

    async preferences(auth: AuthContext) {
      return preferencesView(await repo.preference(db, personOf(auth)));
    },

    async savePreferences(auth: AuthContext, body: { email: EmailMode; types?: TypeModes | undefined }) {
      const userId = personOf(auth);
      return preferencesView(await repo.savePreference(db, auth.organizationId, userId, body.email, body.types ?? {}));
    },

    /** The `notifications` queue's email job: one notification's own email, at most once. */
    async email(notificationId: string): Promise<{ sent: boolean; reason?: string }> {
      const row = await repo.forEmail(db, notificationId);
      if (!row) return { sent: false, reason: 'gone' };
      const { user } = row;
      if (!user.activatedAt || user.deactivatedAt) return { sent: false, reason: 'inactive' };
      if (emailModeFor(user.notificationPreference, row.type) !== 'immediately') return { sent: false, reason: 'preference' };
      if (row.readAt) return { sent: false, reason: 'read' };
      if (row.requisitionId && !canSee(scopeOfReader(user), row.requisitionId)) return { sent: false, reason: 'not_visible' };
      if (!(await mailer.canSend(row.organizationId))) return { sent: false, reason: 'cannot_send' };
      if (!(await repo.claimEmail(db, row.id, now()))) return { sent: false, reason: 'already_sent' };
      try {
        await mailer.send(row.organizationId, notificationEmail(user.email, user.language, emailItem(row, user)));
        return { sent: true };
      } catch (error) {
        // Postmark refusing the organization must not make a loop of it: the notification stays in the app.
        await repo.releaseEmail(db, row.id);
        logger.warn({ err: error, notificationId }, 'notification email not sent; it stays in the app');
        return { sent: false, reason: 'refused' };
      }
    },

    /**
     * People on the daily digest whose local digest hour has passed today and who have not had
     * today's: one email gathering what is unread from before that hour. Returns digests sent.
     */
    async sweepDigests(): Promise<number> {
      const at = now();
      let sent = 0;
      for (const reader of await repo.digestReaders(db)) {
        const { date, hour } = localClock(at, reader.timeZone);
        if (hour < DIGEST_HOUR || (reader.notificationPreference?.lastDigestOn ?? '') >= date) continue;
        if (!(await mailer.canSend(reader.organizationId))) continue;
        const cutoff = localHourAt(date, DIGEST_HOUR, reader.timeZone);
        const items = (await repo.digestItems(db, reader.id, scopeOfReader(reader), cutoff)).filter(
          (row) => emailModeFor(reader.notificationPreference, row.type) === 'daily_digest',
        );
        if (!(await repo.claimDigest(db, reader.id, date))) continue;
        await repo.markDigested(db, reader.id, cutoff, at);
        if (items.length === 0) continue;
        try {
          await mailer.send(
            reader.organizationId,
            digestEmail(
              reader.email,
              reader.language,
              items.map((row) => emailItem(row, reader)),
            ),
          );
          sent++;
        } catch (error) {
          logger.warn({ err: error, userId: reader.id }, 'daily digest not sent; the notifications stay in the app');
        }
      }
      return sent;
    },

    /** Reminders, once each: ATS plans about to expire, data requests about to fall due, runner-ups held a week for an offer's answer. Returns how many things were reminded of. */
    async sweepReminders(): Promise<number> {
      const at = now();
      const plans = await repo.plansToRemind(db, at, PLAN_REMINDER_LEAD_MS);
      const requests = await repo.dataRequestsToRemind(db, new Date(at.getTime() + DATA_REQUEST_REMINDER_DAYS * 86_400_000));
      for (const plan of plans) {
        await db.$transaction((tx) =>
          recordNotifications(
            tx,
            plan.organizationId,
            [
              {
                type: 'plan_expiring',
                subjectKind: 'plan',
                subjectId: plan.id,
                requisitionId: plan.requisitionId,
                dueAt: plan.expiresAt,
                dedupeKey: `plan_expiring.${plan.id}`,
                audience: { requisitionId: plan.requisitionId },
              },
            ],
            at,
          ),
        );
      }
      for (const request of requests) {
        await db.$transaction((tx) =>
          recordNotifications(
            tx,
            request.organizationId,
            [
              {
                type: 'data_request_due',
                subjectKind: 'data_request',
                subjectId: request.id,
                detail: { kind: request.kind },
                dueAt: request.dueAt,
                dedupeKey: `data_request_due.${request.id}`,
                audience: 'admins',
              },
            ],
            at,
          ),
        );
      }
      const holds = await repo.offerHoldsToRemind(db, new Date(at.getTime() - OFFER_HOLD_REMINDER_DAYS * 86_400_000));
      for (const hold of holds) {
        await db.$transaction((tx) =>
          recordNotifications(
            tx,
            hold.organizationId,
            [
              {
                type: 'offer_hold_long',
                subjectKind: 'plan',
                subjectId: hold.planId,
                requisitionId: hold.requisitionId,
                detail: { count: hold.count },
                dedupeKey: `offer_hold_long.${hold.planId}`,
                audience: { requisitionId: hold.requisitionId },
              },
            ],
            at,
          ),
        );
      }
      return plans.length + requests.length + holds.length;
    },
  };
}
