import { z } from 'zod';
import { logoPath } from './logo-image.js';
import { ApiScope } from '../../generated/prisma/enums.js';
import { AA_NORMAL_TEXT, contrastRatio } from '../../lib/contrast.js';
import { emailSchema } from '../hiring/hiring.schemas.js';
import { effectiveFormality, effectiveFormalitySchema, formalitySettingsSchema } from '../templates/formality.js';

export const apiScopes = Object.values(ApiScope);
export const apiScopeSchema = z
  .enum(ApiScope)
  .describe(
    'read: read everything; write: hiring data and plans; approve: approve and send messages; ' +
      'override: override blocking checks with a reason; admin: API keys and settings (implies every scope).',
  );
export type ApiScopeName = z.infer<typeof apiScopeSchema>;

const brandLink = z
  .url({ protocol: /^https$/, message: 'an https:// address' })
  .max(500)
  .nullable();

const settingsFields = {
  undoWindowMinutes: z
    .int32()
    .min(0)
    .max(24 * 60)
    .describe('Minutes an approved message waits, recallable, before sending.'),
  fourEyesApproval: z.boolean().describe('The approver must not be who confirmed the plan or last edited the message.'),
  sendHourStart: z.int32().min(0).max(23).describe('Rejections go out from this hour, candidate’s local time...'),
  sendHourEnd: z.int32().min(1).max(24).describe('...until this hour.'),
  sendWeekdaysOnly: z.boolean(),
  hoursAfterInterview: z
    .int32()
    .min(0)
    .max(24 * 14)
    .describe('No rejection sooner than this after the last interview.'),
  feedbackLinkDays: z.int32().min(1).max(3650).describe('How long a candidate’s feedback link works.'),
  replyToEmail: emailSchema
    .nullable()
    .describe('Where candidates’ replies go (Reply-To), e.g. a shared recruiting inbox. Null: the requisition’s hiring contact, when it has an email.'),
  accentColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb')
    .transform((colour) => colour.toLowerCase())
    .refine((colour) => contrastRatio(colour, '#ffffff') >= AA_NORMAL_TEXT, {
      message: `too light: links in this colour on white, and white text on it, need a contrast of at least ${AA_NORMAL_TEXT}:1 (WCAG AA)`,
    })
    .describe('Branding: the colour of buttons and links in the emails and on the candidate’s page (#rrggbb, at least 4.5:1 against white).'),
  privacyPolicyUrl: brandLink.describe('Branding: the organization’s privacy policy, linked from every email and the candidate’s page.'),
  careersUrl: brandLink.describe('Branding: the organization’s careers page, linked from every email and the candidate’s page.'),
  trackOpens: z.boolean().describe('Postmark open tracking (a pixel in the HTML email). Off by default; when on, the candidate’s page says so.'),
  silenceBusinessDays: z
    .int32()
    .min(1)
    .max(60)
    .nullable()
    .describe('Silence timer: an active candidate who has heard nothing for this many business days gets a status update proposed, with a new date (null: off).'),
  atsPlanExpiryHours: z
    .int32()
    .min(1)
    .max(24 * 30)
    .describe('Hours a plan made from an ATS event (a rejection arriving by webhook) waits for confirmation; its people are reminded before it expires. Default 72.'),
  autoApproveStatusUpdates: z
    .boolean()
    .describe(
      'The status updates Hearback proposes itself when a promise passes or a candidate heard nothing for too long are confirmed and approved by Hearback (actor `system`), still through every check, the undo window and the send policy; a message with a blocking finding waits for a person. Off by default.',
    ),
  acknowledgeApplications: z
    .boolean()
    .describe(
      'Email each new applicant (created through POST /v1/applications, or first seen in an ATS event moving it forward) a short acknowledgement, once, in their language. Requisitions may decide otherwise. Off by default.',
    ),
};

export const logoSchema = z
  .object({
    path: z.string().describe('Served by Hearback at this path of PUBLIC_BASE_URL, cacheable for a year: the hash in it changes with the logo.'),
    sha256: z.string(),
    contentType: z.string().describe('image/png, image/jpeg or image/webp'),
    width: z.number().int(),
    height: z.number().int(),
  })
  .meta({ id: 'OrganizationLogo' });

export const organizationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    ...settingsFields,
    // As stored: the input checks (contrast, https) ran when they were set.
    accentColor: z.string().describe(settingsFields.accentColor.description!),
    privacyPolicyUrl: z.string().nullable().describe(settingsFields.privacyPolicyUrl.description!),
    careersUrl: z.string().nullable().describe(settingsFields.careersUrl.description!),
    formality: effectiveFormalitySchema.describe('The register in use per language that ships two (stored choice, else the default: formal).'),
    logo: logoSchema.nullable().describe('The logo shown on the candidate page and in the emails (PUT /v1/organization/logo), or null.'),
    createdAt: z.date(),
  })
  .meta({ id: 'Organization' });

interface StoredLogo {
  sha256: string;
  contentType: string;
  width: number;
  height: number;
}

/** An organization row as the API shows it: the stored formality with its defaults filled in, the logo with its path. */
export const organizationView = <T extends { formality: unknown; logo: StoredLogo | null }>(row: T) => ({
  ...row,
  formality: effectiveFormality(row.formality),
  logo: row.logo ? { ...row.logo, path: logoPath(row.logo.sha256) } : null,
});

/** The organization as GET /v1/organization sends it: encoded and checked by the response schema, as the route's serializer would. */
export const organizationJson = (view: z.input<typeof organizationSchema>) => JSON.stringify(z.encode(organizationSchema, view));

export const organizationPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    ...settingsFields,
    formality: formalitySettingsSchema.describe(
      'Languages to change; the others keep their register. Each of de, es, fr, it, nl: "informal" (du, tú, tu, tu, je) or "formal" (Sie, usted, vous, Lei, u).',
    ),
  })
  .partial()
  .strict()
  .refine((p) => p.sendHourStart === undefined || p.sendHourEnd === undefined || p.sendHourStart < p.sendHourEnd, {
    message: 'sendHourStart must be before sendHourEnd',
    path: ['sendHourEnd'],
  });
export type OrganizationPatch = z.infer<typeof organizationPatchSchema>;

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('The first characters of the key, to tell keys apart.'),
    scopes: z.array(apiScopeSchema),
    createdAt: z.date(),
    lastUsedAt: z.date().nullable().describe('Updated at most once a minute.'),
    revokedAt: z.date().nullable(),
    kind: z.enum(['service', 'personal']).describe('service: named, organization-wide; personal: acts as `userId`, never above their role.'),
    userId: z.uuid().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const createApiKeyBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200).describe('What the key is for, e.g. "Greenhouse integration".'),
    scopes: z
      .array(apiScopeSchema)
      .min(1)
      .max(apiScopes.length)
      .refine((s) => new Set(s).size === s.length, 'scopes must not repeat'),
  })
  .strict();
export type CreateApiKeyBody = z.infer<typeof createApiKeyBodySchema>;

export const createdApiKeySchema = z
  .object({
    apiKey: apiKeySchema,
    secret: z.string().describe('The key itself (`hb_live_...`). Shown once: store it now, it cannot be retrieved again.'),
  })
  .meta({ id: 'CreatedApiKey' });
