// The candidate page's reads and its view record, each one round trip: per-query cost is most of
// what a view costs, so what the page shows is read in one query, not one per section.
import { newId } from '../../lib/ids.js';
import type { DbClient } from '../../db/client.js';
import { runSql, statement } from '../../db/sql.js';
import { firstViewWrite } from '../messages/lifecycle.repository.js';
import type { Message, Prisma } from '../../generated/prisma/client.js';

/** What the page and the link checks read from the message. */
export type PageMessage = Pick<
  Message,
  | 'id'
  | 'organizationId'
  | 'candidateId'
  | 'applicationId'
  | 'requisitionId'
  | 'status'
  | 'kind'
  | 'action'
  | 'feedback'
  | 'locale'
  | 'sentAt'
  | 'firstViewedAt'
  | 'feedbackLinkRevokedAt'
  | 'feedbackLinkExpiresAt'
  | 'formality'
>;

export interface PageData {
  candidate: { name: string; preferredName: string | null; locale: string | null; timezone: string | null; talentPoolMember: boolean };
  requisition: { title: string; hiringContactName: string | null; hiringContactEmail: string | null; defaultLocale: string };
  /** formality: the stored JSON, parsed by templates/formality.ts. */
  organization: {
    name: string;
    formality: unknown;
    trackOpens: boolean;
    privacyPolicyUrl: string | null;
    careersUrl: string | null;
    accentColor: string;
    logoSha256: string | null;
  };
  rating: { value: number; comment: string | null } | null;
  questions: { question: string; askedAt: Date; answer: string | null; answeredAt: Date | null }[];
  dataRequests: { kind: string; createdAt: Date; status: string }[];
  /** Whether the organization has an enabled webhook endpoint (else a view emits nothing). */
  hasWebhookEndpoints: boolean;
}

interface PageRow {
  id: string;
  organization_id: string;
  candidate_id: string;
  application_id: string;
  requisition_id: string;
  status: Message['status'];
  kind: string;
  action: string;
  feedback: Message['feedback'];
  locale: string | null;
  sent_at: Date | null;
  first_viewed_at: Date | null;
  feedback_link_revoked_at: Date | null;
  feedback_link_expires_at: Date | null;
  formality: string | null;
  candidate_name: string;
  candidate_preferred_name: string | null;
  candidate_locale: string | null;
  candidate_timezone: string | null;
  talent_pool_member: boolean;
  title: string;
  hiring_contact_name: string | null;
  hiring_contact_email: string | null;
  default_locale: string;
  organization_name: string;
  organization_formality: unknown;
  logo_sha256: string | null;
  accent_color: string;
  track_opens: boolean;
  privacy_policy_url: string | null;
  careers_url: string | null;
  rating: { value: number; comment: string | null } | null;
  questions: { question: string; askedAt: string; answer: string | null; answeredAt: string | null }[];
  data_requests: { kind: string; createdAt: string; status: string }[];
  has_webhook_endpoints: boolean;
}

/** The message behind the token hash $1 with everything its page shows (both page statements read this). */
const PAGE_SELECT = `SELECT m.id, m.organization_id, m.candidate_id, m.application_id, m.requisition_id, m.status::text AS status, m.kind, m.action, m.feedback,
          m.locale, m.sent_at, m.first_viewed_at, m.feedback_link_revoked_at, m.feedback_link_expires_at, m.formality,
          c.name AS candidate_name, c.preferred_name AS candidate_preferred_name, c.locale AS candidate_locale, c.timezone AS candidate_timezone, c.talent_pool_member,
          r.title, r.hiring_contact_name, r.hiring_contact_email, r.default_locale,
          o.name AS organization_name, o.formality AS organization_formality, o.accent_color,
          (SELECT l.sha256 FROM organization_logos l WHERE l.organization_id = m.organization_id) AS logo_sha256, o.track_opens, o.privacy_policy_url, o.careers_url,
          (SELECT json_build_object('value', fr.value, 'comment', fr.comment) FROM feedback_ratings fr WHERE fr.message_id = m.id) AS rating,
          COALESCE((SELECT json_agg(json_build_object('question', q.question, 'askedAt', q.asked_at, 'answer', q.answer, 'answeredAt', q.answered_at) ORDER BY q.id)
                    FROM feedback_questions q WHERE q.message_id = m.id), '[]'::json) AS questions,
          COALESCE((SELECT json_agg(json_build_object('kind', d.kind, 'createdAt', d.created_at, 'status', d.status) ORDER BY d.id)
                    FROM data_requests d WHERE d.message_id = m.id), '[]'::json) AS data_requests,
          EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.organization_id = m.organization_id AND w.enabled AND w.disabled_at IS NULL) AS has_webhook_endpoints
   FROM messages m
   JOIN candidates c ON c.id = m.candidate_id
   JOIN requisitions r ON r.id = m.requisition_id
   JOIN organizations o ON o.id = m.organization_id
   WHERE m.feedback_token_hash = $1::text`;

/**
 * The message behind a token hash with everything its page shows, as one JSON value: pg's
 * per-column work for 35 columns (a parser per field, the row built field by field) cost more
 * client CPU than JSON.parse of the same row. pageOf turns its timestamps back into Dates.
 */
const loadPageStatement = statement('feedback-page-load-json', `SELECT row_to_json(page) AS row FROM (${PAGE_SELECT}) page`);

/**
 * A view as a candidate event. $1 id, $2 organization, $3 message, $4 candidate, $5 application, $6 via, $7 first, $8 when.
 *
 * A repeat view commits without waiting for its WAL flush (synchronous_commit off for this one
 * statement's transaction): waiting for the disk is most of what a page view costs. A Postgres
 * crash may then lose the last moments of repeat views (never corrupts, never reorders); those
 * rows are activity in the recruiters' event list, not evidence. The first view, the one a
 * recruiter relies on ("has the candidate seen it?"), is kept on the message by the messages
 * module (firstViewWrite) with a normal commit (the server's synchronous_commit), and its event
 * commits the same way.
 */
const recordViewStatement = statement(
  'feedback-page-view',
  `INSERT INTO candidate_events (id, organization_id, message_id, candidate_id, application_id, type, detail, occurred_at)
   SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, 'feedback.viewed', jsonb_build_object('via', $6::text, 'first', $7::boolean), $8::timestamptz
   FROM (SELECT set_config('synchronous_commit', CASE WHEN $7::boolean THEN current_setting('synchronous_commit') ELSE 'off' END, true)) AS durability`,
);

/**
 * The page and, for a working link, its view, in one round trip: the read above; for a link
 * that works at $2 (the rules of the service's `usable`: not revoked, not expired at $2 to the
 * millisecond as the service compares, status not one of $3, not failed before sending), the
 * message's first view when it is one (the messages module's write, firstViewWrite) and the view
 * event (recordViewStatement's insert, `first` as that write says). A repeat view commits
 * without waiting for the WAL flush, as recordViewStatement's does; a first view commits with
 * the server's own setting, message and event together. A link that does not work writes
 * nothing. $4 event id, $5 via.
 */
const loadPageRecordingViewStatement = statement(
  'feedback-page-load-view',
  `WITH page AS (${PAGE_SELECT}),
   working AS (
     SELECT p.* FROM page p
     WHERE p.feedback_link_revoked_at IS NULL
       AND (p.feedback_link_expires_at IS NULL OR date_trunc('milliseconds', p.feedback_link_expires_at) > $2::timestamptz)
       AND p.status <> ALL ($3::text[])
       AND NOT (p.status = 'failed' AND p.sent_at IS NULL)
   ),
   first_view AS (${firstViewWrite('(SELECT w.id FROM working w WHERE w.first_viewed_at IS NULL)', '$2::timestamptz')}),
   viewed AS (
     INSERT INTO candidate_events (id, organization_id, message_id, candidate_id, application_id, type, detail, occurred_at)
     SELECT $4::uuid, w.organization_id, w.id, w.candidate_id, w.application_id, 'feedback.viewed', jsonb_build_object('via', $5::text, 'first', f.first), $2::timestamptz
     FROM working w, (SELECT EXISTS (SELECT 1 FROM first_view) AS first) f,
          (SELECT set_config('synchronous_commit', CASE WHEN EXISTS (SELECT 1 FROM first_view) THEN current_setting('synchronous_commit') ELSE 'off' END, true)) AS durability
     RETURNING (detail ->> 'first')::boolean AS first
   )
   SELECT row_to_json(page) AS row, EXISTS (SELECT 1 FROM viewed) AS view_recorded, COALESCE((SELECT v.first FROM viewed v), false) AS first_view FROM page`,
);

const date = (value: string) => new Date(value);
const dateOrNull = (value: string | null) => (value === null ? null : new Date(value));

/** PAGE_SELECT's row as row_to_json gives it: timestamps are ISO strings (read as pg's parser reads them, to the millisecond). */
type PageJsonRow = Omit<PageRow, 'sent_at' | 'first_viewed_at' | 'feedback_link_revoked_at' | 'feedback_link_expires_at'> & {
  sent_at: string | null;
  first_viewed_at: string | null;
  feedback_link_revoked_at: string | null;
  feedback_link_expires_at: string | null;
};

function pageOf(json: PageJsonRow): { message: PageMessage; data: PageData } {
  const row: PageRow = {
    ...json,
    sent_at: dateOrNull(json.sent_at),
    first_viewed_at: dateOrNull(json.first_viewed_at),
    feedback_link_revoked_at: dateOrNull(json.feedback_link_revoked_at),
    feedback_link_expires_at: dateOrNull(json.feedback_link_expires_at),
  };
  return {
    message: {
      id: row.id,
      organizationId: row.organization_id,
      candidateId: row.candidate_id,
      applicationId: row.application_id,
      requisitionId: row.requisition_id,
      status: row.status,
      kind: row.kind,
      action: row.action,
      feedback: row.feedback,
      locale: row.locale,
      sentAt: row.sent_at,
      firstViewedAt: row.first_viewed_at,
      feedbackLinkRevokedAt: row.feedback_link_revoked_at,
      feedbackLinkExpiresAt: row.feedback_link_expires_at,
      formality: row.formality,
    },
    data: {
      candidate: {
        name: row.candidate_name,
        preferredName: row.candidate_preferred_name,
        locale: row.candidate_locale,
        timezone: row.candidate_timezone,
        talentPoolMember: row.talent_pool_member,
      },
      requisition: { title: row.title, hiringContactName: row.hiring_contact_name, hiringContactEmail: row.hiring_contact_email, defaultLocale: row.default_locale },
      organization: {
        name: row.organization_name,
        formality: row.organization_formality,
        trackOpens: row.track_opens,
        privacyPolicyUrl: row.privacy_policy_url,
        careersUrl: row.careers_url,
        accentColor: row.accent_color,
        logoSha256: row.logo_sha256,
      },
      rating: row.rating,
      questions: row.questions.map((q) => ({ question: q.question, askedAt: date(q.askedAt), answer: q.answer, answeredAt: q.answeredAt === null ? null : date(q.answeredAt) })),
      dataRequests: row.data_requests.map((d) => ({ kind: d.kind, createdAt: date(d.createdAt), status: d.status })),
      hasWebhookEndpoints: row.has_webhook_endpoints,
    },
  };
}

export const feedbackPageRepository = {
  /** The message behind a token hash with everything its page shows, or null. */
  async loadPage(db: DbClient, tokenHash: string): Promise<{ message: PageMessage; data: PageData } | null> {
    const [found] = await runSql<{ row: PageJsonRow }>(db, loadPageStatement, [tokenHash]);
    return found ? pageOf(found.row) : null;
  },

  /**
   * loadPage, recording the view of a working link (at `at`) in the same statement, first views
   * included; `viewRecorded` says whether it did, `firstView` whether it was the first
   * (loadPageRecordingViewStatement).
   */
  async loadPageRecordingView(
    db: DbClient,
    tokenHash: string,
    view: { at: Date; neverSent: readonly string[]; via: 'page' | 'api' },
  ): Promise<{ message: PageMessage; data: PageData; viewRecorded: boolean; firstView: boolean } | null> {
    const [found] = await runSql<{ row: PageJsonRow; view_recorded: boolean; first_view: boolean }>(db, loadPageRecordingViewStatement, [
      tokenHash,
      view.at,
      view.neverSent,
      newId(),
      view.via,
    ]);
    return found ? { ...pageOf(found.row), viewRecorded: found.view_recorded, firstView: found.first_view } : null;
  },

  /** A view as a candidate event (the message's first view is the messages module's to mark). */
  async recordView(db: DbClient, message: PageMessage, via: 'page' | 'api', first: boolean, at: Date): Promise<void> {
    await runSql(db, recordViewStatement, [newId(), message.organizationId, message.id, message.candidateId, message.applicationId, via, first, at]);
  },

  messageByTokenHash: (db: DbClient, tokenHash: string) => db.message.findUnique({ where: { feedbackTokenHash: tokenHash } }),

  /** A candidate action as an event (the view has its own statement above). */
  recordEvent: (db: DbClient, message: Pick<Message, 'id' | 'organizationId' | 'candidateId' | 'applicationId'>, type: string, detail: Prisma.InputJsonValue, at: Date) =>
    db.candidateEvent.create({
      data: { organizationId: message.organizationId, messageId: message.id, candidateId: message.candidateId, applicationId: message.applicationId, type, detail, occurredAt: at },
    }),

  organizationName: async (db: DbClient, id: string) => (await db.organization.findUniqueOrThrow({ where: { id }, select: { name: true } })).name,

  talentPoolMember: async (db: DbClient, candidateId: string) =>
    (await db.candidate.findUniqueOrThrow({ where: { id: candidateId }, select: { talentPoolMember: true } })).talentPoolMember,

  setTalentPoolMember: (db: DbClient, candidateId: string, member: boolean, at: Date) =>
    db.candidate.update({ where: { id: candidateId }, data: { talentPoolMember: member, talentPoolChangedAt: at } }),

  recordConsent: (
    db: DbClient,
    data: { organizationId: string; candidateId: string; messageId: string; action: 'join' | 'leave'; text: string; locale: string; createdAt: Date },
  ) => db.talentPoolConsent.create({ data }),

  /** The latest rating of a message's feedback counts. */
  rate: (db: DbClient, message: Pick<Message, 'id' | 'organizationId' | 'candidateId'>, value: number, comment: string | null) =>
    db.feedbackRating.upsert({
      where: { messageId: message.id },
      create: { messageId: message.id, organizationId: message.organizationId, candidateId: message.candidateId, value, comment },
      update: { value, comment },
    }),

  /** Serialises two submissions of the same page. */
  lockMessage: (db: DbClient, id: string) => db.$queryRaw`SELECT id FROM messages WHERE id = ${id}::uuid FOR UPDATE`,

  openQuestions: (db: DbClient, messageId: string) => db.feedbackQuestion.count({ where: { messageId, answer: null } }),

  createQuestion: (db: DbClient, message: Pick<Message, 'id' | 'organizationId' | 'candidateId'>, question: string, at: Date) =>
    db.feedbackQuestion.create({ data: { organizationId: message.organizationId, messageId: message.id, candidateId: message.candidateId, question, askedAt: at } }),
};
