// The ATS API side of a connection: its credentials (write-only), the reason map, the reasons
// the ATS offers, and the activity log of write-backs and webhook calls.
import { z } from 'zod';
import { ashbyCredentialsSchema, greenhouseCredentialsSchema, leverCredentialsSchema } from '../ats-api/ats-client.js';
import { reasonCategories } from '../feedback/feedback.schemas.js';

/** Every provider's fields in one object; which are required depends on the connection's provider (checked by the service). */
export const credentialsBodySchema = z
  .strictObject({
    ...greenhouseCredentialsSchema.partial().shape,
    ...leverCredentialsSchema.partial().shape,
    ...ashbyCredentialsSchema.partial().shape,
  })
  .describe(
    'Greenhouse: `clientId`, `clientSecret` (Harvest V3 OAuth, client credentials) and optionally `onBehalfOfUserId`. Lever: `apiKey` and optionally `performAs`. Ashby: `apiKey`. ' +
      'Checked at once with a harmless read (the ATS’s rejection reasons); stored encrypted, never returned.',
  )
  .meta({ id: 'AtsCredentials' });

export const reasonKeys = [...reasonCategories, 'default'] as const;
const reasonId = z.string().trim().min(1).max(200);

export const reasonMapSchema = z
  .partialRecord(z.enum(reasonKeys), reasonId)
  .describe('Hearback’s reason (the feedback’s `reasonCategory`, or `default` for any other) → the ATS’s rejection/archive reason id.')
  .meta({ id: 'AtsReasonMap' });

export const reasonMapBodySchema = z.strictObject({ reasonMap: reasonMapSchema });

export const atsReasonSchema = z.object({ id: z.string().max(200), text: z.string().max(500) }).meta({ id: 'AtsReason' });

export const atsStageSchema = z
  .object({
    id: z.string().max(200),
    text: z.string().max(500),
    group: z.string().max(200).optional().describe('The Greenhouse job or Ashby interview plan the stage belongs to; absent where stages are account-wide (Lever).'),
  })
  .meta({ id: 'AtsStage' });

/** As kept on the connection (`ats_catalogue`): what the ATS offered when last read. */
export const atsCatalogueSchema = z.object({
  readAt: z.string().max(40),
  reasons: z.array(atsReasonSchema),
  stages: z.array(atsStageSchema),
  /** Why the stages could not be read (a key without that permission): the stages are those read before. */
  stagesError: z.string().max(1000).nullable().default(null),
});
export type AtsCatalogue = z.infer<typeof atsCatalogueSchema>;

/** Credentials accepted: the reasons the ATS offers, for the reason map. */
export const credentialsSetSchema = z.object({ reasons: z.array(atsReasonSchema) });

export const atsReasonListSchema = z
  .object({
    data: z.array(atsReasonSchema),
    stages: z.array(atsStageSchema).describe('The stages applications move through in the ATS, read with the reasons.'),
    source: z
      .enum(['catalogue', 'live'])
      .describe('`catalogue`: as stored on the connection when last read (credentials saved, each import, each reconciliation); `live`: read now, none being stored yet.'),
    readAt: z.string().describe('When the ATS was read for this answer.'),
    stagesError: z.string().nullable().describe('Why the stages could not be read (the API key lacks the permission); `stages` are then those read before, if any.'),
  })
  .meta({ id: 'AtsReasonList' });

export const importStateSchema = z
  .object({
    status: z.enum(['running', 'done', 'failed']),
    cursor: z.string().max(2000).nullable(),
    phase: z
      .enum(['jobs', 'applications'])
      .default('applications')
      .describe('What the import reads now: the ATS’s open jobs first, then its active applications; `cursor` is where the phase continues.'),
    jobs: z.int().default(0).describe('Open jobs read so far (each one a requisition).'),
    imported: z.int().describe('Active applications read so far.'),
    pages: z.int(),
    tries: z.int().default(0),
    startedAt: z.string(),
    error: z.string().max(1000).nullable().default(null),
  })
  .meta({ id: 'AtsImportState' });
export type ImportState = z.infer<typeof importStateSchema>;

export const atsUserSchema = z
  .object({
    id: z.string().max(200).describe('The id the ATS knows the user by: Greenhouse’s `onBehalfOfUserId`, Lever’s `performAs`.'),
    name: z.string().max(300).nullable(),
    email: z.string().max(320).nullable(),
    active: z.boolean().describe('False for a deactivated account: calls cannot act as it.'),
  })
  .meta({ id: 'AtsUser' });

/** As kept on the connection (`ats_users`) and answered by GET …/users. */
export const atsUsersSchema = z
  .object({
    readAt: z.string().nullable().describe('When the users were last read (at an import or a reconciliation); null: never yet.'),
    error: z.string().max(1000).nullable().describe('Why the last read failed (the list is the one read before it); null when it succeeded.'),
    data: z.array(atsUserSchema),
  })
  .meta({ id: 'AtsUsers' });
export type AtsUsers = z.infer<typeof atsUsersSchema>;

/** One webhook type as kept on the connection (`webhook_registrations.types`). */
export const webhookTypeStateSchema = z.object({
  state: z.enum(['creating', 'created', 'deleting']),
  webhookId: z.string().max(200).nullable(),
  at: z.string().max(40),
  /** The token the ATS made to sign this webhook (Lever), sealed with ENCRYPTION_KEY; never shown. */
  signingToken: z.string().max(2000).optional(),
});
export type WebhookTypeState = z.infer<typeof webhookTypeStateSchema>;

/** As kept on the connection (`webhook_registrations`). */
export const webhookRegistrationsSchema = z.object({
  status: z.enum(['registering', 'registered', 'uncertain', 'failed']),
  requestedAt: z.string().max(40),
  tries: z.int().default(0),
  error: z.string().max(1000).nullable().default(null),
  errorAt: z.string().max(40).nullable().default(null),
  claimedUntil: z.string().max(40).nullable().optional(),
  types: z.record(z.string().max(100), webhookTypeStateSchema).default({}),
});
export type WebhookRegistrations = z.infer<typeof webhookRegistrationsSchema>;

/**
 * The sealed token of each event whose webhook the ATS signs with a token of its own (Lever),
 * for the webhooks still in the ATS (`created`, or `deleting` until the delete is answered);
 * null when the connection holds none, and its own secret is what deliveries are signed with.
 */
export function registeredSigningTokens(raw: unknown): ReadonlyMap<string, string> | null {
  const state = webhookRegistrationsSchema.safeParse(raw).data;
  const tokens = new Map<string, string>();
  for (const [type, entry] of Object.entries(state?.types ?? {})) if (entry.signingToken && entry.state !== 'creating') tokens.set(type, entry.signingToken);
  return tokens.size > 0 ? tokens : null;
}

export const webhooksStatusSchema = z
  .object({
    status: z
      .enum(['registering', 'registered', 'uncertain', 'failed'])
      .describe(
        '`registering`: queued or retrying; `registered`: every type Hearback handles has its webhook; `uncertain`: a create call may have succeeded without Hearback learning the id ' +
          '(Ashby, which lists no webhooks; Lever’s list settles it): check the ATS’s webhook settings, delete a duplicate, then save the credentials again; `failed`: the ATS refused (see `error`).',
      ),
    requestedAt: z.string().describe('When the credentials were saved (which starts a registration).'),
    error: z.string().nullable().describe('Why the last registration call failed; null when it succeeded.'),
    errorAt: z.string().nullable(),
    types: z.array(
      z.object({
        type: z.string().describe('The ATS’s webhook (event) type.'),
        state: z
          .enum(['creating', 'created', 'deleting'])
          .describe('`created`: registered, `webhookId` is the ATS’s id; `creating`: the create call was made, its answer not (yet) stored.'),
        webhookId: z.string().nullable(),
        at: z.string().describe('When it reached this state (for `created`: when it was registered).'),
      }),
    ),
  })
  .meta({ id: 'AtsWebhookRegistrations' });

export const apiStatusSchema = z
  .object({
    verified: z
      .boolean()
      .describe('The connection has API credentials that the ATS accepted when saved. Unverified: nothing is written back and inbound payloads are taken as sent, not read back.'),
    verifiedAt: z.date().nullable(),
    lastError: z.string().nullable().describe('The last error talking to the ATS API.'),
    lastErrorAt: z.date().nullable(),
    reasonMap: reasonMapSchema,
    reasonMapMissing: z
      .boolean()
      .describe(
        'True while the connection has credentials and no reason is mapped: every sent rejection’s write-back will fail (`lastError` says why) until PUT …/reason-map maps one (`default` covers every Hearback reason).',
      ),
    circuit: z
      .enum(['closed', 'open', 'half_open'])
      .describe('`open`: the ATS API failed too often in a row and Hearback calls nothing until `circuitOpenUntil`; `half_open`: that time passed and the next call is the probe.'),
    circuitOpenUntil: z.date().nullable(),
    consecutiveFailures: z.int().describe('Calls that failed in a row (429, 5xx, timeouts); a success sets it back to 0.'),
    import: importStateSchema.nullable().describe('The last import from the ATS (started when credentials are saved, or by POST …/import); null when none ran.'),
    lastImportAt: z.date().nullable().describe('When the last import finished.'),
    lastReconciledAt: z.date().nullable().describe('When what changed in the ATS was last read (every ATS_RECONCILE_EVERY_MS after an import).'),
    webhooks: webhooksStatusSchema
      .nullable()
      .describe(
        'The webhooks Hearback registered in the ATS through its API (Ashby and Lever: one per event type it handles, when credentials are saved; Lever’s signature tokens are kept sealed and never shown); null where none are registered this way.',
      ),
  })
  .meta({ id: 'AtsApiStatus' });

export const writebackStepSchema = z.object({
  at: z.string(),
  action: z.enum(['reject', 'note', 'erase', 'create_webhook', 'delete_webhook']),
  result: z
    .enum(['written', 'already', 'skipped', 'unsupported'])
    .describe(
      '`written` by this write-back; `already` in the ATS when read back (nothing written); `skipped`, with why; `unsupported`: the ATS’s API cannot do it (a person must, in the ATS).',
    ),
  detail: z.string().optional(),
});
export type WritebackStep = z.infer<typeof writebackStepSchema>;

export const writebackSchema = z
  .object({
    id: z.uuid(),
    applicationId: z.uuid().nullable().describe('Null for a `webhook` call (about the connection, not an application).'),
    action: z
      .enum(['rejection', 'note', 'erasure', 'webhook'])
      .describe(
        '`rejection`: a sent rejection (the application rejected or archived, no ATS email, and a note); `note`: a note only (a status update, hold or cancellation sent, a talent-pool choice, a data request); `erasure`: the ATS asked to anonymize the candidate; ' +
          '`webhook`: one call creating or deleting a webhook Hearback registers in the ATS (`create_webhook` / `delete_webhook` step; `failed` with the ATS’s answer in `lastError`).',
      ),
    subjectId: z.uuid().describe('What it tells: the message, the talent-pool consent, or the data request (the erasure’s, when one asked for it); the connection for `webhook`.'),
    messageId: z.uuid().nullable(),
    externalApplicationId: z.string().nullable(),
    status: z.enum(['pending', 'done', 'failed']),
    attempts: z.int().describe('Tries that failed (and were retried, or ended it).'),
    steps: z.array(writebackStepSchema),
    lastError: z.string().nullable(),
    createdAt: z.date(),
    completedAt: z.date().nullable(),
  })
  .meta({ id: 'AtsWriteback' });
