// An organization's data-rights settings (retention and erasure approval), kept on its row and
// read and changed through src/modules/data-rights.
import type { DbClient } from '../../db/client.js';

const columns = { dataRetentionMonths: true, talentPoolConsentMonths: true, erasureAutoApproveDays: true, rawPayloadRetentionDays: true } as const;

export interface DataRightsSettings {
  dataRetentionMonths: number;
  talentPoolConsentMonths: number;
  erasureAutoApproveDays: number | null;
  rawPayloadRetentionDays: number;
}

export const dataRightsSettingsRepository = {
  get: (db: DbClient, organizationId: string) => db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: columns }),

  set: (db: DbClient, organizationId: string, data: Partial<DataRightsSettings>) => db.organization.update({ where: { id: organizationId }, data, select: columns }),

  /** How the organization chose to address candidates, per language (stored JSON, read by templates/formality.ts). */
  formality: async (db: DbClient, organizationId: string) => (await db.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { formality: true } })).formality,

  /** Every organization with its settings, for the daily sweep. */
  all: (db: DbClient) => db.organization.findMany({ select: { id: true, ...columns }, orderBy: { id: 'asc' } }),
};
