// Organizations and their API keys: creation (keys shown once), listing, revocation, and the
// authentication of a presented key.
import type { PrismaClient } from '../../db/client.js';
import type { ApiScope } from '../../generated/prisma/enums.js';
import { AppError, found, notFound, validationFailed } from '../../lib/errors.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import { organizationView, type OrganizationPatch } from './organizations.schemas.js';
import { formalitySettingsSchema } from '../templates/formality.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { API_KEYS_CHANNEL, type ApiKeyCache } from './api-key-cache.js';
import { generateApiKeySecret, hashPresentedKey } from './api-key-secret.js';
import { organizationsRepository as repo } from './organizations.repository.js';

export interface AuthContext {
  organizationId: string;
  apiKeyId: string;
  scopes: readonly ApiScope[];
}

export interface OrganizationsServiceDeps {
  db: PrismaClient;
  /** The API's in-memory cache of authenticated keys; without it every request asks the database. */
  cache?: ApiKeyCache;
  now?: () => Date;
}

export type OrganizationsService = ReturnType<typeof createOrganizationsService>;

export function createOrganizationsService({ db, cache, now = () => new Date() }: OrganizationsServiceDeps) {
  async function issueApiKey(organizationId: string, name: string, scopes: ApiScope[]) {
    const { secret, prefix, hash } = generateApiKeySecret();
    const apiKey = await repo.createApiKey(db, { organizationId, name, prefix, hash, scopes });
    return { apiKey, secret };
  }

  return {
    /** A new organization and its first key, with every scope (admin). */
    async createOrganization(name: string, keyName = 'Initial admin key') {
      return db.$transaction(async (tx) => {
        const organization = await repo.createOrganization(tx, name);
        const { secret, prefix, hash } = generateApiKeySecret();
        const apiKey = await repo.createApiKey(tx, { organizationId: organization.id, name: keyName, prefix, hash, scopes: ['admin'] });
        return { organization, apiKey, secret };
      });
    },

    async getOrganization(organizationId: string) {
      return organizationView(found(await repo.findOrganization(db, organizationId), 'Organization'));
    },

    listOrganizations: () => repo.listOrganizations(db),

    async updateOrganization(actor: Actor, patch: OrganizationPatch) {
      return db.$transaction(async (tx) => {
        const before = found(await repo.findOrganization(tx, actor.organizationId), 'Organization');
        const hours = { start: patch.sendHourStart ?? before.sendHourStart, end: patch.sendHourEnd ?? before.sendHourEnd };
        if (hours.start >= hours.end) {
          throw validationFailed([{ path: 'body.sendHourEnd', message: 'sendHourStart must be before sendHourEnd' }]);
        }
        // A formality patch names the languages it changes; the others keep their register.
        const formality = patch.formality ? { ...(formalitySettingsSchema.safeParse(before.formality).data ?? {}), ...patch.formality } : undefined;
        const after = await repo.updateOrganization(tx, actor.organizationId, { ...patch, formality });
        await auditRepository.record(tx, actor, [
          { action: 'organization.updated', entity: 'organization', entityId: actor.organizationId, before, after },
        ]);
        return organizationView(after);
      });
    },

    async createApiKey(organizationId: string, name: string, scopes: ApiScope[]) {
      if (!(await repo.findOrganization(db, organizationId))) throw notFound('Organization');
      return issueApiKey(organizationId, name, scopes);
    },

    async listApiKeys(organizationId: string, query: PageQuery) {
      const page = pageRequest(query);
      return toPage(await repo.listApiKeys(db, organizationId, page), page);
    },

    async getApiKey(organizationId: string, id: string) {
      return found(await repo.findApiKey(db, organizationId, id), 'API key');
    },

    async revokeApiKey(organizationId: string, id: string) {
      const revoked = await db.$transaction(async (tx) => {
        const key = await repo.revokeApiKey(tx, organizationId, id, now());
        // Delivered at commit to every API process, which drop the key from their caches.
        if (key) await tx.$executeRaw`SELECT pg_notify(${API_KEYS_CHANNEL}, ${key.id})`;
        return key;
      });
      cache?.invalidate(id);
      return found(revoked, 'API key');
    },

    /** Resolves a presented bearer token to its organization and scopes, or throws a 401. */
    async authenticate(presented: string | undefined): Promise<AuthContext> {
      if (!presented) throw new AppError('missing_api_key', 'Send your API key as `Authorization: Bearer hb_live_...`');
      const hash = hashPresentedKey(presented);
      if (!hash) throw new AppError('invalid_api_key', 'The API key is not valid');
      let known = cache?.get(hash);
      if (!known) {
        const key = await repo.findApiKeyByHash(db, hash);
        if (!key) throw new AppError('invalid_api_key', 'The API key is not valid');
        if (key.revokedAt) throw new AppError('api_key_revoked', 'The API key has been revoked; create a new one');
        known = { auth: { organizationId: key.organizationId, apiKeyId: key.id, scopes: key.scopes }, lastUsedAt: key.lastUsedAt };
        cache?.set(hash, known);
      }
      const at = now();
      if (!known.lastUsedAt || at.getTime() - known.lastUsedAt.getTime() > 60_000) {
        known.lastUsedAt = at;
        // Bookkeeping only: a failure here must not fail the request.
        void repo.touchApiKey(db, known.auth.apiKeyId, at).catch(() => {});
      }
      return known.auth;
    },
  };
}

export function hasScope(auth: AuthContext, scope: ApiScope): boolean {
  return auth.scopes.includes(scope) || auth.scopes.includes('admin');
}
