// The contract for hiring data: requisitions, candidates, applications. Every string bounded.
import { z } from 'zod';
import { pageQuerySchema } from '../../lib/pagination.js';
import { localeSchema, sourceSchema } from '../../lib/schemas.js';
import { ApplicationStatus, RequisitionStatus } from '../../generated/prisma/enums.js';
import { cleanEmail, isMailbox } from './identity.js';
import { canonicalTimeZone } from '../../lib/time-zones.js';

export const externalRefSchema = z.object({
  source: sourceSchema.describe('The system the id comes from: `greenhouse`, `lever`, `ashby`, `api`, or your own.'),
  id: z.string().trim().min(1).max(200).describe("The record's id in that system."),
});

export const externalIdsSchema = z
  .array(externalRefSchema.strict())
  .max(10)
  .refine((refs) => new Set(refs.map((r) => `${r.source}\u0000${r.id}`)).size === refs.length, 'external ids must not repeat')
  .describe('Create-or-update key: a record with any of these ids is updated instead of created.');

export const timezoneSchema = z
  .string()
  .trim()
  .max(64)
  .transform((name, ctx) => {
    const canonical = canonicalTimeZone(name);
    if (canonical === null) ctx.addIssue({ code: 'custom', message: 'an IANA time zone name, e.g. Europe/Paris or Asia/Kolkata' });
    return canonical ?? name;
  })
  .describe('An IANA time zone name or alias (any case); stored under its current name, e.g. Asia/Calcutta → Asia/Kolkata.');

const instantSchema = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/**
 * Every email address the API takes. Cleaned first (see cleanEmail: compatibility forms folded,
 * invisible characters and the domain's trailing dot dropped), then refused unless a mailbox.
 */
export const emailSchema = z
  .string()
  .max(320)
  .overwrite(cleanEmail)
  .refine(isMailbox, 'not an email address: a mailbox such as name@example.com, without quotes, angle brackets or spaces')
  .describe('An email address (a mailbox: `name@example.com`; Unicode letters and internationalised domains are accepted).');

export const requisitionStatusSchema = z.enum(RequisitionStatus);
export const applicationStatusSchema = z.enum(ApplicationStatus);

// ----- requisitions -------------------------------------------------------------------------

const requisitionFields = {
  title: z.string().trim().min(1).max(300),
  department: z.string().trim().max(200).nullable().optional(),
  location: z.string().trim().max(200).nullable().optional(),
  defaultLocale: localeSchema.optional(),
  hiringContact: z
    .strictObject({ name: z.string().trim().max(200).nullable().optional(), email: emailSchema.nullable().optional() })
    .nullable()
    .optional(),
  status: requisitionStatusSchema.optional(),
  promisedDecisionAt: instantSchema.nullable().optional(),
  promiseDaysAfterInterview: z
    .int32()
    .min(1)
    .max(60)
    .nullable()
    .optional()
    .describe('The default promise: a decision within this many business days after each interview (sets the application’s promisedDecisionAt when an interview is recorded).'),
  acknowledgeApplications: z
    .boolean()
    .nullable()
    .optional()
    .describe('Email each new applicant a short acknowledgement: true or false for this requisition, null (the default) follows the organization’s setting.'),
};

export const requisitionInputSchema = z.strictObject({ ...requisitionFields, externalIds: externalIdsSchema.default([]) });
export type RequisitionInput = z.infer<typeof requisitionInputSchema>;
export const requisitionPatchSchema = z.strictObject(requisitionFields).partial();
export type RequisitionPatch = z.infer<typeof requisitionPatchSchema>;

export const requisitionSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    department: z.string().nullable(),
    location: z.string().nullable(),
    defaultLocale: z.string(),
    hiringContact: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
    status: requisitionStatusSchema,
    promisedDecisionAt: z.date().nullable(),
    promiseDaysAfterInterview: z.int32().nullable(),
    acknowledgeApplications: z.boolean().nullable(),
    externalIds: z.array(externalRefSchema),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Requisition' });

// ----- candidates ---------------------------------------------------------------------------

const candidateFields = {
  name: z.string().trim().min(1).max(300),
  preferredName: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .nullable()
    .optional()
    .describe('What the candidate asked to be called; greetings use it. Without it, the first name is read from `name` (titles such as "Dr." skipped).'),
  emails: z
    .array(emailSchema)
    .min(1)
    .max(10)
    .describe(
      'The first is the primary address. Matching is on the normalised form: NFKC, invisible characters and the domain’s trailing dot dropped, lower case, internationalised domains in ASCII (punycode).',
    ),
  phone: z.string().trim().max(40).nullable().optional().describe('Any format; stored as E.164.'),
  phoneCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166 country code, e.g. FR')
    .optional()
    .describe('How to read a phone number written without its country code.'),
  locale: localeSchema.nullable().optional(),
  timezone: timezoneSchema.nullable().optional(),
};

export const candidateInputSchema = z.strictObject({ ...candidateFields, externalIds: externalIdsSchema.default([]) });
export type CandidateInput = z.infer<typeof candidateInputSchema>;
export const candidatePatchSchema = z.strictObject(candidateFields).partial();
export type CandidatePatch = z.infer<typeof candidatePatchSchema>;

export const candidateSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    preferredName: z.string().nullable(),
    emails: z.array(z.object({ address: z.string(), normalized: z.string(), primary: z.boolean() })),
    phone: z.string().nullable(),
    locale: z.string().nullable(),
    timezone: z.string().nullable(),
    personId: z.uuid().describe('Shared by every record linked as the same person.'),
    sameAs: z.array(z.uuid()).describe('Other candidate records linked as the same person (for someone who sees only some requisitions, those of them they can see).'),
    externalIds: z.array(externalRefSchema),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Candidate' });

export const identityLinkInputSchema = z.strictObject({
  candidateId: z.uuid().describe('The other record: the same person as this one.'),
  source: externalRefSchema.shape.source.default('api'),
  note: z.string().trim().max(300).optional().describe('Where the merge comes from, e.g. the ATS merge event id.'),
});

export const identityLinkSchema = z
  .object({
    id: z.uuid(),
    candidateId: z.uuid(),
    linkedCandidateId: z.uuid(),
    reason: z.enum(['same_email', 'same_phone', 'merge']),
    evidence: z.string(),
    source: z.string(),
    createdAt: z.date(),
  })
  .meta({ id: 'IdentityLink' });

// ----- applications -------------------------------------------------------------------------

export const recordRefSchema = z.union([
  z.object({ id: z.uuid() }).strict(),
  z.object({ source: externalRefSchema.shape.source, externalId: externalRefSchema.shape.id }).strict(),
]);

const applicationFields = {
  stage: z.string().trim().max(200).nullable().optional(),
  status: applicationStatusSchema.optional(),
  promisedDecisionAt: instantSchema.nullable().optional(),
  lastInterviewAt: instantSchema.nullable().optional().describe('Rejections wait the organization’s hours after it.'),
};

export const applicationInputSchema = z.strictObject({
  candidate: recordRefSchema.describe('`{ id }` or `{ source, externalId }`.'),
  requisition: recordRefSchema.describe('`{ id }` or `{ source, externalId }`.'),
  ...applicationFields,
  externalIds: externalIdsSchema.default([]),
});
export type ApplicationInput = z.infer<typeof applicationInputSchema>;
export const applicationPatchSchema = z.strictObject(applicationFields).partial();
export type ApplicationPatch = z.infer<typeof applicationPatchSchema>;
export type RecordRef = z.infer<typeof recordRefSchema>;

export const applicationSchema = z
  .object({
    id: z.uuid(),
    candidateId: z.uuid(),
    requisitionId: z.uuid(),
    stage: z.string().nullable(),
    status: applicationStatusSchema,
    promisedDecisionAt: z.date().nullable(),
    lastInterviewAt: z.date().nullable(),
    statusChangedAt: z.date(),
    externalIds: z.array(externalRefSchema),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Application' });

// ----- bulk ---------------------------------------------------------------------------------

export const BULK_LIMIT = 1000;

export const bulkInputSchema = z
  .strictObject({
    requisitions: z.array(requisitionInputSchema).max(BULK_LIMIT).default([]),
    candidates: z.array(candidateInputSchema).max(BULK_LIMIT).default([]),
    applications: z.array(applicationInputSchema).max(BULK_LIMIT).default([]),
  })
  .refine((b) => b.requisitions.length + b.candidates.length + b.applications.length > 0, 'nothing to upsert');

const bulkResultSchema = z.object({ id: z.uuid(), created: z.boolean() });
export const bulkOutputSchema = z
  .object({
    requisitions: z.array(bulkResultSchema),
    candidates: z.array(bulkResultSchema),
    applications: z.array(bulkResultSchema),
  })
  .meta({ id: 'BulkUpsertResult' });

export const requisitionsQuerySchema = pageQuerySchema.extend({ status: requisitionStatusSchema.optional() });

export const candidatesQuerySchema = pageQuerySchema.extend({
  email: z.string().max(320).optional().describe('Matched on the normalised form.'),
  phone: z.string().max(40).optional().describe('In international format; matched as E.164.'),
  personId: z.uuid().optional().describe('Every record of one person.'),
  requisitionId: z.uuid().optional().describe('Everyone who applied to this requisition: one request for a requisition’s applicants, with their names and `sameAs`.'),
});

export const applicationsQuerySchema = pageQuerySchema.extend({
  requisitionId: z.uuid().optional(),
  candidateId: z.uuid().optional(),
  status: applicationStatusSchema.optional(),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: active applications that missed their promised decision date (passed now, or already acted on with a new date) and still have no final word.'),
});

export const identityLinkListSchema = z.object({ data: z.array(identityLinkSchema) });
