import type { DbClient } from '../../db/client.js';
import type { TemplateParts } from './render.js';

export const templatesRepository = {
  /** The organization's stored register choices (parsed by formality.ts). */
  formality: async (db: DbClient, organizationId: string) => (await db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { formality: true } })).formality,

  latest: (db: DbClient, organizationId: string, kind: string, locale: string) =>
    db.messageTemplate.findFirst({ where: { organizationId, kind, locale }, orderBy: { version: 'desc' } }),

  versions: (db: DbClient, organizationId: string, kind: string, locale: string) =>
    db.messageTemplate.findMany({ where: { organizationId, kind, locale }, orderBy: { version: 'desc' } }),

  /** The newest version of every custom template of the organization. */
  async latestOfEach(db: DbClient, organizationId: string) {
    return db.$queryRaw<{ kind: string; locale: string; version: number; createdAt: Date; createdBy: string }[]>`
      SELECT DISTINCT ON (kind, locale) kind, locale, version, created_at AS "createdAt", created_by AS "createdBy"
      FROM message_templates WHERE organization_id = ${organizationId}::uuid
      ORDER BY kind, locale, version DESC`;
  },

  create: (db: DbClient, row: { organizationId: string; kind: string; locale: string; version: number; createdBy: string } & TemplateParts) =>
    db.messageTemplate.create({ data: row }),

  /** What a message's context is built from: its kind, feedback and the records it belongs to. */
  messageFacts: (db: DbClient, organizationId: string, id: string) =>
    db.message.findFirst({ where: { id, organizationId }, select: { kind: true, feedback: true, candidateId: true, requisitionId: true, applicationId: true } }),

  /** Only this message's candidate, requisition, application and organization. */
  async contextFacts(db: DbClient, organizationId: string, message: { candidateId: string; requisitionId: string; applicationId: string }) {
    const [candidate, requisition, application, organization] = await Promise.all([
      db.candidate.findFirstOrThrow({ where: { id: message.candidateId, organizationId }, select: { name: true, preferredName: true, locale: true, timezone: true } }),
      db.requisition.findFirstOrThrow({
        where: { id: message.requisitionId, organizationId },
        select: { title: true, department: true, location: true, defaultLocale: true, hiringContactName: true, hiringContactEmail: true },
      }),
      db.application.findFirstOrThrow({ where: { id: message.applicationId, organizationId }, select: { promisedDecisionAt: true } }),
      db.organization.findUniqueOrThrow({
        where: { id: organizationId },
        select: { name: true, accentColor: true, privacyPolicyUrl: true, careersUrl: true, logo: { select: { sha256: true } } },
      }),
    ]);
    return { candidate, requisition, application, organization };
  },

  /** contextFacts for many messages of one organization: one query per table. */
  async contextFactsMany(db: DbClient, organizationId: string, messages: { candidateId: string; requisitionId: string; applicationId: string }[]) {
    const ids = (key: 'candidateId' | 'requisitionId' | 'applicationId') => [...new Set(messages.map((m) => m[key]))];
    const [candidates, requisitions, applications, organization] = await Promise.all([
      db.candidate.findMany({ where: { id: { in: ids('candidateId') }, organizationId }, select: { id: true, name: true, preferredName: true, locale: true, timezone: true } }),
      db.requisition.findMany({
        where: { id: { in: ids('requisitionId') }, organizationId },
        select: { id: true, title: true, department: true, location: true, defaultLocale: true, hiringContactName: true, hiringContactEmail: true },
      }),
      db.application.findMany({ where: { id: { in: ids('applicationId') }, organizationId }, select: { id: true, promisedDecisionAt: true } }),
      db.organization.findUnique({
        where: { id: organizationId },
        select: { name: true, accentColor: true, privacyPolicyUrl: true, careersUrl: true, logo: { select: { sha256: true } } },
      }),
    ]);
    const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map(({ id, ...rest }) => [id, rest]));
    return { candidates: byId(candidates), requisitions: byId(requisitions), applications: byId(applications), organization };
  },
};
