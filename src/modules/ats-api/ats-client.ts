// What Hearback asks of an ATS API, whatever the provider: a harmless read (to check credentials
// at save, listing the reasons a rejection can carry), an application and its candidate read back, a rejection
// that sends no email from the ATS, a note on the candidate, and an erasure where the API has one. greenhouse.ts, lever.ts and
// ashby.ts speak each provider's API; nothing here touches the database.
import { z } from 'zod';
import { AtsApiError } from './ats-http.js';

export const atsProviders = ['greenhouse', 'lever', 'ashby'] as const;
export type AtsProvider = (typeof atsProviders)[number];

export const isAtsProvider = (provider: string): provider is AtsProvider => (atsProviders as readonly string[]).includes(provider);

/** An application as the ATS holds it now. */
export interface AtsApplication {
  externalId: string;
  candidateExternalId: string;
  requisitionExternalId: string | null;
  /** `rejected` covers every archive that is not a hire. */
  state: 'active' | 'rejected' | 'hired';
  /** The rejection or archive reason, when rejected. */
  reasonId: string | null;
  /** That reason as the ATS names it, and who ended the application when the ATS says; null when not rejected. */
  reason: AtsReasonRead | null;
  /** Ashby: the interview plan whose Archived stage a rejection moves to. */
  interviewPlanId?: string | null;
}

/** A rejection or archive reason read back with its application. */
export interface AtsReasonRead {
  id: string;
  text: string | null;
  /** `candidate`: a withdrawal recorded as a rejection; null when the ATS does not say (Lever). */
  rejectedBy: 'organization' | 'candidate' | null;
}

/** A candidate as the ATS holds it now: what an inbound event applies of the person. */
export interface AtsCandidate {
  externalId: string;
  name: string | null;
  /** Primary first. */
  emails: string[];
  phones: string[];
}

/** An application as an ATS lists it, with its candidate and job: what an import or a reconciliation reads. */
export interface AtsListedApplication {
  externalId: string;
  state: AtsApplication['state'];
  stage: string | null;
  candidate: { externalId: string; name: string | null; emails: string[] };
  requisition: { externalId: string; title: string | null } | null;
}

export interface AtsApplicationPage {
  items: AtsListedApplication[];
  /** Where the next page starts; null on the last. */
  next: string | null;
  /** On the last page: what reads the changes after this listing (null when the ATS gives none). */
  syncToken: string | null;
}

/** A person with an account in the ATS: whom Hearback's calls can act on behalf of (Greenhouse `sub`, Lever `perform_as`). */
export interface AtsUser {
  id: string;
  name: string | null;
  email: string | null;
  /** False for a deactivated (disabled) account. */
  active: boolean;
}

/** The most users a connection keeps (pages of 100 read until then). */
export const MAX_ATS_USERS = 2_000;

export interface AtsReason {
  id: string;
  text: string;
}

/** A stage an application can be in (Greenhouse job stage, Lever stage, Ashby interview stage). */
export interface AtsStage {
  id: string;
  text: string;
  /** What the stage belongs to where stages are per job or plan (Greenhouse job, Ashby interview plan). */
  group?: string;
}

/** The most stages a catalogue keeps: an account with more is read up to here. */
export const MAX_ATS_STAGES = 2_000;

/** An open job as the ATS lists it: what becomes a requisition in Hearback. */
export interface AtsJob {
  externalId: string;
  title: string | null;
}

export interface AtsJobPage {
  items: AtsJob[];
  /** Where the next page starts; null on the last. */
  next: string | null;
}

export interface AtsClient {
  /** A read that changes nothing; lists the reasons a rejection can carry in this ATS. */
  reasons(): Promise<AtsReason[]>;
  /** Null when the ATS does not have it (404). */
  application(externalId: string): Promise<AtsApplication | null>;
  /** The candidate (Lever: the contact) by the id an application names; null when the ATS does not have it (404). */
  candidate(externalId: string): Promise<AtsCandidate | null>;
  /** Rejects (archives) without the ATS writing to the candidate. */
  reject(application: AtsApplication, reasonId: string): Promise<void>;
  /** Whether a note on the candidate already contains `marker`. */
  hasNote(application: AtsApplication, marker: string): Promise<boolean>;
  addNote(application: AtsApplication, text: string): Promise<void>;
  /**
   * Asks the ATS to anonymize the application's candidate, or says why its API cannot (nothing
   * is called then). Anonymizing an anonymized candidate changes nothing, so a second run is harmless.
   */
  erase(application: AtsApplication): Promise<{ result: 'written' } | { result: 'unsupported'; why: string }>;
  /**
   * One page of the ATS's applications: every one from `cursor` (null: the first page), or only
   * those changed since `syncToken`. Absent where Hearback does not list that ATS yet.
   */
  listApplications?(page: { cursor: string | null; syncToken: string | null }): Promise<AtsApplicationPage>;
  /** Every user of the ATS (up to MAX_ATS_USERS), every page read. */
  users(): Promise<AtsUser[]>;
  /** The stages applications move through (up to MAX_ATS_STAGES), every page read. */
  stages(): Promise<AtsStage[]>;
  /** One page of the ATS's open jobs, from `cursor` (null: the first page). */
  listOpenJobs(cursor: string | null): Promise<AtsJobPage>;
  /**
   * What the connection's webhooks need to be understood, read from the API at connection time
   * (Lever: its archive reasons and stages); absent where the payloads say it all.
   */
  webhookSettings?(): Promise<Record<string, unknown>>;
  /** Absent where Hearback does not register webhooks through this ATS's API. */
  webhooks?: AtsWebhookApi;
}

/** A webhook registered in the ATS through its API, as the ATS describes it. */
export interface AtsWebhook {
  id: string;
  type: string;
  url: string;
  enabled: boolean;
  /**
   * The token the ATS made to sign this webhook's deliveries (Lever), in a create's answer only;
   * absent where Hearback gives the secret (Ashby). A credential: sealed at rest, never shown.
   */
  signingToken?: string;
}

/**
 * Webhooks registered through the ATS's API, where the API can: signed with a secret Hearback
 * chooses (Ashby), or with a token the ATS makes per webhook (Lever); `types` are the events
 * Hearback handles from that ATS.
 */
export interface AtsWebhookApi {
  types: readonly string[];
  /** `secret` is used where the ATS signs with what it is given; an ATS that makes its own token answers it. */
  create(type: string, url: string, secret: string): Promise<AtsWebhook>;
  /** Null when the ATS has no such webhook (deleted there). */
  info(id: string): Promise<AtsWebhook | null>;
  /** Every webhook of the account, where the ATS lists them (Lever; not Ashby). */
  list?(): Promise<AtsWebhook[]>;
  /** A webhook the ATS no longer has counts as deleted. */
  delete(id: string): Promise<void>;
}

/** Where each API lives; the tests point these at local servers. */
export interface AtsEndpoints {
  greenhouseApiUrl: string;
  greenhouseAuthUrl: string;
  leverApiUrl: string;
  ashbyApiUrl: string;
  timeoutMs: number;
}

const secret = z.string().trim().min(1).max(500);
const userId = z.string().trim().min(1).max(100);

export const greenhouseCredentialsSchema = z.strictObject({
  clientId: secret.describe('Harvest V3 (OAuth) Client ID from Greenhouse’s Dev Center → API Credentials.'),
  clientSecret: secret,
  onBehalfOfUserId: userId
    .regex(/^\d+$/, 'a Greenhouse user id (digits)')
    .optional()
    .describe('Greenhouse user the calls act as (`sub` of the token); left out: the credentials’ service account.'),
});
export const leverCredentialsSchema = z.strictObject({
  apiKey: secret.describe('A Lever API key (Settings → Integrations and API → API Credentials); with the Webhooks endpoints allowed, Hearback registers its webhooks through it.'),
  performAs: userId.optional().describe('Lever user id that writes are made as (`perform_as`).'),
});
export const ashbyCredentialsSchema = z.strictObject({
  apiKey: secret.describe(
    'An Ashby API key with candidatesRead, candidatesWrite, hiringProcessMetadataRead, jobsRead (its open jobs), interviewsRead (its interview stages), organizationRead (its users) and apiKeysWrite (to register the webhooks).',
  ),
});

export const credentialsSchemas = { greenhouse: greenhouseCredentialsSchema, lever: leverCredentialsSchema, ashby: ashbyCredentialsSchema } as const;
export type AtsCredentials = {
  greenhouse: z.infer<typeof greenhouseCredentialsSchema>;
  lever: z.infer<typeof leverCredentialsSchema>;
  ashby: z.infer<typeof ashbyCredentialsSchema>;
};

/** Parses an answer with `schema`, or a non-retryable AtsApiError naming the call. */
export function answer<Schema extends z.ZodType>(schema: Schema, value: unknown, call: string): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AtsApiError(`${call}: unexpected answer (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`, null, false);
  return parsed.data;
}

/** An id as text, whether the API sends a number or a string. */
export const idText = z.union([z.string().min(1).max(200), z.number().int()]).transform(String);
