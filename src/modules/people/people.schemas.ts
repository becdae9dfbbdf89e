import { z } from 'zod';
import { UserRole } from '../../generated/prisma/enums.js';
import { localeSchema } from '../../lib/schemas.js';
import { emailSchema, timezoneSchema } from '../hiring/hiring.schemas.js';
import { apiScopeSchema } from '../organizations/organizations.schemas.js';

export const roleSchema = z
  .enum(UserRole)
  .describe('admin: everything (scope admin); recruiter: read, write, approve, override; hiring_manager: read, write, approve; viewer: read.');

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    language: z.string(),
    timeZone: z.string(),
    role: roleSchema,
    status: z.enum(['invited', 'active', 'deactivated']).describe('invited: has not signed in yet; deactivated: cannot sign in, history kept.'),
    invitationExpiresAt: z.date().nullable(),
    activatedAt: z.date().nullable(),
    deactivatedAt: z.date().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof userSchema>;

const personFields = {
  name: z.string().trim().min(1).max(200),
  role: roleSchema,
  language: localeSchema.describe('The language of their emails, e.g. en, fr.'),
  timeZone: timezoneSchema,
};

export const inviteUserBodySchema = z
  .object({ email: emailSchema, ...personFields, language: personFields.language.optional(), timeZone: personFields.timeZone.optional() })
  .strict();
export type InviteUserBody = z.infer<typeof inviteUserBodySchema>;

export const userPatchSchema = z.object(personFields).partial().strict();
export type UserPatch = z.infer<typeof userPatchSchema>;

export const magicLinkBodySchema = z.object({ email: emailSchema }).strict();

export const magicLinkAnswerSchema = z.object({ message: z.string() }).meta({ id: 'MagicLinkRequested' });

export const tokenParamsSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a link token') });

export const meSchema = z
  .object({
    organizationId: z.uuid(),
    user: userSchema.nullable().describe('The person: a session, or a personal key. Null for a service key.'),
    apiKeyId: z.uuid().nullable(),
    scopes: z.array(apiScopeSchema).describe('What the caller may do now.'),
    requisitions: z
      .union([z.literal('all'), z.array(z.uuid())])
      .describe('The requisitions the caller sees and acts on: `all` for an admin or a service key, else the ids of those they are a member of.'),
    csrfToken: z.string().nullable().describe('With a session cookie: send it as `X-CSRF-Token` on every POST, PUT, PATCH and DELETE.'),
  })
  .meta({ id: 'Me' });

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a domain name, e.g. northwind.com');

export const ssoSetupBodySchema = z
  .object({
    issuer: z.url().max(500).describe('The provider’s issuer URL; its /.well-known/openid-configuration is read at each sign-in.'),
    clientId: z.string().min(1).max(500),
    clientSecret: z.string().min(1).max(2000).describe('Sealed with ENCRYPTION_KEY; never shown again.'),
    allowedDomains: z.array(domainSchema).min(1).max(50).describe('Only addresses at these domains sign in.'),
    jitRole: roleSchema.nullable().describe('A first sign-in from an allowed domain creates the account with this role; null: only invited people sign in.'),
  })
  .strict();

export const ssoSetupSchema = z
  .object({
    issuer: z.string(),
    clientIdHint: z.string().describe('The client id’s last four characters.'),
    allowedDomains: z.array(z.string()),
    jitRole: roleSchema.nullable(),
    redirectUri: z.string().describe('Register this redirect URI with the provider.'),
  })
  .meta({ id: 'SsoSetup' });

export const ssoStartParamsSchema = z.object({ organizationId: z.uuid() });

export const signInOptionsSchema = z.object({ singleSignOn: z.boolean().describe('Whether `GET /v1/auth/sso/{organizationId}` signs people in.') }).meta({ id: 'SignInOptions' });

const callbackParam = z.string().max(2000).optional();
export const ssoCallbackQuerySchema = z
  .object({
    code: callbackParam,
    state: callbackParam,
    iss: callbackParam,
    session_state: callbackParam,
    error: callbackParam,
    error_description: callbackParam,
    error_uri: callbackParam,
    scope: callbackParam,
  })
  .strict();
