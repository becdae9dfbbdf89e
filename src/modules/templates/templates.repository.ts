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
};
