// The data-rights API's contract: approving an erasure, erasing or exporting a person, and the
// organization's retention settings.
import { z } from 'zod';

export const approveBodySchema = z.object({ note: z.string().trim().max(2000).optional() }).strict();

export const erasureSchema = z
  .object({
    candidateId: z.uuid(),
    report: z.record(z.string(), z.number()).describe('The closure report: rows erased or pseudonymised per kind of record.'),
  })
  .meta({ id: 'Erasure' });

export const exportSchema = z
  .record(z.string(), z.unknown())
  .describe(
    'Everything Hearback keeps about the person, across all their candidate records: format, generatedAt, organization, candidates, applications, decisions, messages (as sent, with their events), pageEvents, questions, ratings, talentPoolConsents (exact text), dataRequests.',
  )
  .meta({ id: 'CandidateExport' });

const settings = {
  dataRetentionMonths: z.int().min(1).max(120).describe('Candidate data is erased this many months after the person’s final word (no active application left).'),
  talentPoolConsentMonths: z.int().min(1).max(120).describe('How long a talent-pool consent lasts; after it the candidate leaves the pool.'),
  erasureAutoApproveDays: z.int().min(0).max(30).nullable().describe('Days a deletion request waits for an admin before Hearback approves it; null: an admin approves.'),
  rawPayloadRetentionDays: z.int().min(1).max(365).describe('Days raw inbound ATS bodies and Postmark webhook payloads are kept.'),
};

export const dataRightsSettingsSchema = z.object(settings).meta({ id: 'DataRightsSettings' });

export const dataRightsSettingsBodySchema = z.object(settings).partial().strict();
